import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Transport } from '../../src/upstreams/transport';

type Step = 'ok' | '500' | '503' | '429' | 'reset' | 'hang' | '400';

/** A real HTTP server answering each request with the next scripted step. */
async function scriptedServer(steps: Step[]) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    const step = steps[Math.min(calls, steps.length - 1)]!;
    calls++;
    req.resume();
    if (step === 'reset') return req.socket.destroy();
    if (step === 'hang') return;
    if (step === '429') return res.writeHead(429, { 'retry-after': '0' }).end('{"error":"slow down"}');
    if (step === '503') return res.writeHead(503).end('{"error":"repeat later"}');
    if (step === '500') return res.writeHead(500).end('{"error":"failed"}');
    if (step === '400') return res.writeHead(400).end('{"error":"bad"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    calls: () => calls,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 };

describe('Transport', () => {
  test('retries idempotent calls through 503, 429 and resets, then returns the answer', async () => {
    const server = await scriptedServer(['503', '429', 'reset', 'ok']);
    const transport = new Transport({ upstream: 'mdr', origin: server.origin, retry: fast, keepAliveTimeoutMs: 10 });
    const response = await transport.request({ method: 'POST', path: '/x', label: 'x', body: {}, idempotent: true });
    expect(response).toMatchObject({ status: 200, json: { ok: true } });
    expect(server.calls()).toBe(4);
    await transport.close();
    await server.close();
  });

  test('never re-sends a call that is not idempotent', async () => {
    const server = await scriptedServer(['reset', 'ok']);
    const transport = new Transport({ upstream: 'mdr', origin: server.origin, retry: fast, keepAliveTimeoutMs: 10 });
    await expect(
      transport.request({ method: 'POST', path: '/x', label: 'x', body: {}, idempotent: false }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'mdr',
    });
    expect(server.calls()).toBe(1);
    await transport.close();
    await server.close();
  });

  test('stops after maxRetries and hands the last answer to the client', async () => {
    const server = await scriptedServer(['503']);
    const transport = new Transport({
      upstream: 'kata',
      origin: server.origin,
      retry: { ...fast, maxRetries: 2 },
      keepAliveTimeoutMs: 10,
    });
    const response = await transport.request({ method: 'GET', path: '/x', label: 'x', idempotent: true });
    expect(response.status).toBe(503);
    expect(server.calls()).toBe(3);
    await transport.close();
    await server.close();
  });

  test('does not retry client errors', async () => {
    const server = await scriptedServer(['400', 'ok']);
    const transport = new Transport({ upstream: 'ksc', origin: server.origin, retry: fast, keepAliveTimeoutMs: 10 });
    expect((await transport.request({ method: 'GET', path: '/x', label: 'x', idempotent: true })).status).toBe(400);
    expect(server.calls()).toBe(1);
    await transport.close();
    await server.close();
  });

  test('a silent upstream becomes UPSTREAM_TIMEOUT', async () => {
    const server = await scriptedServer(['hang']);
    const transport = new Transport({
      upstream: 'ksc',
      origin: server.origin,
      headersTimeoutMs: 50,
      retry: { maxRetries: 0 },
      keepAliveTimeoutMs: 10,
    });
    await expect(transport.request({ method: 'GET', path: '/x', label: 'x', idempotent: true })).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      message: 'KSC did not answer in time.',
    });
    await transport.close();
    await server.close();
  });

  test('an aborted request becomes DEADLINE_EXCEEDED and is not retried', async () => {
    const server = await scriptedServer(['hang']);
    const transport = new Transport({ upstream: 'mdr', origin: server.origin, retry: fast, keepAliveTimeoutMs: 10 });
    const controller = new AbortController();
    const pending = transport.request({
      method: 'GET',
      path: '/x',
      label: 'x',
      idempotent: true,
      signal: controller.signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(server.calls()).toBeLessThanOrEqual(1);
    await transport.close();
    await server.close();
  });

  test('an unreachable origin is UPSTREAM_UNAVAILABLE', async () => {
    const server = await scriptedServer(['ok']);
    await server.close();
    const transport = new Transport({ upstream: 'kata', origin: server.origin, retry: { maxRetries: 0 } });
    await expect(transport.request({ method: 'GET', path: '/x', label: 'x', idempotent: true })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    await transport.close();
  });

  test.each([
    [['429', '503', '503'], false],
    [['400'], false],
    [['500'], true],
    [['reset', '503', '429'], true],
    [['500', '503', '400'], true],
  ] as [Step[], boolean][])(
    'a call answered %j may have been carried out: %s (429, 503 and 4xx say it was not)',
    async (steps, mayHaveLanded) => {
      const server = await scriptedServer(steps);
      const transport = new Transport({
        upstream: 'mdr',
        origin: server.origin,
        retry: { ...fast, maxRetries: steps.length - 1 },
        keepAliveTimeoutMs: 10,
      });
      const response = await transport.request({ method: 'POST', path: '/x', label: 'x', body: {}, idempotent: true });
      expect(server.calls()).toBe(steps.length);
      expect(response.status).toBe(Number(steps.at(-1)));
      expect(response.mayHaveLanded ?? false).toBe(mayHaveLanded);
      await transport.close();
      await server.close();
    },
  );

  test('a reset after sending may have landed; an unreachable origin cannot have', async () => {
    const server = await scriptedServer(['reset']);
    const transport = new Transport({ upstream: 'mdr', origin: server.origin, retry: fast, keepAliveTimeoutMs: 10 });
    await expect(
      transport.request({ method: 'POST', path: '/x', label: 'x', body: {}, idempotent: false }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveLanded: true });
    await transport.close();
    await server.close();
    const gone = new Transport({ upstream: 'mdr', origin: server.origin, retry: { maxRetries: 0 } });
    await expect(
      gone.request({ method: 'POST', path: '/x', label: 'x', body: {}, idempotent: true }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', mayHaveLanded: false });
    await gone.close();
  });
});
