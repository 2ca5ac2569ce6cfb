import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { buildSchema, getNamedType, isAbstractType, isObjectType } from 'graphql';

const schema = buildSchema(readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));

/** Arguments that move through a connection; the others (filters) tell connections apart. */
const PAGING_ARGS = new Set(['first', 'after', 'last', 'before']);

/**
 * The cache a frontend builds for this schema, as Apollo's docs describe it: `possibleTypes` for
 * fragments on the Node and Task interfaces, and `relayStylePagination()` on every field that
 * returns a connection, keyed by its non-paging arguments.
 */
export function gatewayCache(): InMemoryCache {
  const possibleTypes: Record<string, string[]> = {};
  const typePolicies: TypePolicies = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isAbstractType(type)) possibleTypes[type.name] = schema.getPossibleTypes(type).map((t) => t.name);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!getNamedType(field.type).name.endsWith('Connection')) continue;
      const keyArgs = field.args.map((a) => a.name).filter((name) => !PAGING_ARGS.has(name));
      const fields = ((typePolicies[type.name] ??= {}).fields ??= {}) as Record<string, unknown>;
      fields[field.name] = relayStylePagination(keyArgs.length ? keyArgs : false);
    }
  }
  return new InMemoryCache({ possibleTypes, typePolicies });
}

/** One request Apollo Client sent and what the gateway answered, as seen on the wire. */
export interface HttpExchange {
  headers: Headers;
  body: { operationName?: string; query: string; variables?: Record<string, unknown> };
  status: number;
  contentType: string | null;
  response: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * Apollo Client over HttpLink with Node's global fetch, and a record of every exchange. Only the
 * `authorization` header is set: everything else (Accept, Content-Type) is Apollo's default.
 */
export function apolloClient(uri: string, headers: Record<string, string> = {}) {
  const exchanges: HttpExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    exchanges.push({
      headers: new Headers(init?.headers),
      body: JSON.parse(String(init?.body)),
      status: response.status,
      contentType: response.headers.get('content-type'),
      response: (await response.clone().json()) as HttpExchange['response'],
    });
    return response;
  };
  const cache = gatewayCache();
  const client = new ApolloClient({ link: new HttpLink({ uri, headers, fetch: recordingFetch }), cache });
  return { client, cache, exchanges };
}
