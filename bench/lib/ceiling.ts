import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApolloServer, HeaderMap } from '@apollo/server';

/**
 * The framework's own ceiling: Apollo Server on node:http, integrated the way the gateway is
 * (body read, HeaderMap, executeHTTPGraphQLRequest), answering the throughput query (same shape)
 * with a constant. Nothing the gateway does can be faster than this.
 */
export async function startApolloCeiling(port = 0): Promise<{ url: string; stop(): Promise<void> }> {
  const asset = { assetId: '00000000-0000-0000-0000-000000000000', hostName: 'ws-0001', status: 'OK' };
  const apollo = new ApolloServer({
    typeDefs:
      'type Asset { assetId: String! hostName: String! status: String! } type Query { asset(assetId: String!): Asset }',
    resolvers: { Query: { asset: () => asset } },
  });
  await apollo.start();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method ?? 'POST',
        headers,
        search: '',
        body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
      },
      context: async () => ({}),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    res.end(result.body.kind === 'complete' ? result.body.string : '');
  });
  server.keepAliveTimeout = 5_000;
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await apollo.stop();
    },
  };
}

// Run as its own process (`node ceiling.js`) so its CPU and memory are its own, like the gateway's.
if (require.main === module) {
  void startApolloCeiling().then(({ url, stop }) => {
    process.stdout.write(`GraphQL ${url}\n`);
    process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  });
}
