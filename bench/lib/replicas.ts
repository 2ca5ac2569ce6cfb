import { Agent, request } from 'undici';

import { startMdrSimulator } from '../../src/upstreams/mdr/simulator';
import { percentile, runLoad } from './load';
import type { LoadResult } from './load';
import { startRedisServer } from './redis-server';

/** A running gateway process of the bench. */
export interface GatewayChild {
  url: string;
  stop(): Promise<void>;
}

export interface ReplicasBenchDeps {
  /** Starts a gateway process against the bench's simulators, with extra settings. */
  gateway(extra: Record<string, string>): Promise<GatewayChild>;
  headers(): Promise<Record<string, string>>;
  /** A refresh token of the bench's MDR simulator (one chain for every replica of a run). */
  refreshToken(): Promise<string>;
  /** A body the gateways answer through MDR with a live access token (no rotation). */
  body: string;
  connections: number;
  durationS: number;
  /** How long the rotation run lasts (two replicas, 2-second MDR access tokens). */
  rotationS: number;
  log(line: string): void;
}

export interface RotationRun {
  replicas: number;
  store: 'file' | 'redis';
  seconds: number;
  requests: number;
  errors: number;
  confirms: number;
  /** session/confirm calls per access-token lifetime (2 s), all replicas together. */
  confirmsPerLifetime: number;
  spentPresentations: number;
  /** From the confirm answer read to the new tokens durable (gateway_mdr_rotation_window_seconds). */
  windowMeanMs: number;
  windowP99AtMostMs: number;
}

export interface ReplicasResults {
  throughput: { setup: string; rps: number; p50Ms: number; p99Ms: number }[];
  /** Sequential requests: p50 with Redis (shared rate limit) minus without. */
  redisPathExtraP50Ms: number;
  rotation: RotationRun[];
}

/** Throughput with several gateways: one load generator per replica, at once, connections split. */
async function loadOn(urls: string[], deps: ReplicasBenchDeps, connections: number, durationS: number) {
  const headers = await deps.headers();
  const runs = await Promise.all(
    urls.map((url) =>
      runLoad({
        url,
        headers,
        body: deps.body,
        connections: Math.max(1, Math.round(connections / urls.length)),
        durationS,
      }),
    ),
  );
  const sum = (pick: (r: LoadResult) => number) => runs.reduce((total, r) => total + pick(r), 0);
  return {
    rps: Math.round(sum((r) => r.rps)),
    p50Ms: Math.max(...runs.map((r) => r.p50Ms)),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    errors: sum((r) => r.errors),
    requests: sum((r) => r.requests),
  };
}

/** p50 of sequential requests (latency, not queueing), to a hundredth of a millisecond. */
async function oneAtATime(url: string, deps: ReplicasBenchDeps, samples = 1_000): Promise<number> {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const headers = { 'content-type': 'application/json', ...(await deps.headers()) };
  const times: number[] = [];
  try {
    for (let i = 0; i < samples + 100; i++) {
      const started = process.hrtime.bigint();
      const res = await request(url, { method: 'POST', headers, body: deps.body, dispatcher });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`gateway answered ${res.statusCode}`);
      if (i >= 100) times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    await dispatcher.close();
  }
  return Math.round(percentile(times, 50) * 100) / 100;
}

/** The mean and the bucket bound under which 99% fall, from a Prometheus histogram's text. */
function histogram(texts: string[], name: string): { count: number; meanMs: number; p99AtMostMs: number } {
  const buckets = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const bucket = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`).exec(line);
      const le = bucket?.[1] === '+Inf' ? Infinity : Number(bucket?.[1]);
      if (bucket) buckets.set(le, (buckets.get(le) ?? 0) + Number(bucket[2]));
      if (line.startsWith(`${name}_sum `)) sum += Number(line.split(' ')[1]);
      if (line.startsWith(`${name}_count `)) count += Number(line.split(' ')[1]);
    }
  }
  const p99 = [...buckets].sort(([a], [b]) => a - b).find(([, n]) => n >= count * 0.99)?.[0] ?? Infinity;
  return { count, meanMs: count ? (sum / count) * 1000 : 0, p99AtMostMs: p99 * 1000 };
}

/**
 * `npm run bench`, replicas: throughput of one gateway without Redis, one with, two with; the
 * extra latency of the Redis path; and a rotation run under load with 2-second MDR access tokens
 * (confirms, spent-token presentations, and the window between a confirm answer and its tokens
 * being durable, for the file store and for Redis).
 */
export async function replicasBench(deps: ReplicasBenchDeps): Promise<{ results: ReplicasResults; lines: string[] }> {
  const redis = await startRedisServer();
  try {
    const throughput: ReplicasResults['throughput'] = [];
    const setups: [string, number, Record<string, string>][] = [
      ['1 replica, no Redis (file store, in-memory limits)', 1, {}],
      ['1 replica, Redis', 1, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-1:' }],
      ['2 replicas, one Redis', 2, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-2:' }],
    ];
    let sequential: Record<string, number> = {};
    for (const [setup, count, extra] of setups) {
      const token = await deps.refreshToken();
      const gateways: GatewayChild[] = [];
      for (let i = 0; i < count; i++) gateways.push(await deps.gateway({ ...extra, MDR_REFRESH_TOKEN: token }));
      try {
        const urls = gateways.map((g) => g.url);
        await loadOn(urls, deps, 1, 1);
        if (count === 1)
          sequential = { ...sequential, [extra.REDIS_URL ? 'redis' : 'memory']: await oneAtATime(urls[0]!, deps) };
        deps.log(`replicas: ${setup}, ${deps.connections} connections, ${deps.durationS} s`);
        const run = await loadOn(urls, deps, deps.connections, deps.durationS);
        if (run.errors) throw new Error(`${setup}: ${run.errors} failed requests`);
        throughput.push({ setup, rps: run.rps, p50Ms: run.p50Ms, p99Ms: run.p99Ms });
      } finally {
        await Promise.all(gateways.map((g) => g.stop()));
      }
    }

    const rotation: RotationRun[] = [];
    for (const [store, count, seconds] of [
      ['file', 1, Math.max(5, Math.round(deps.rotationS / 4))],
      ['redis', 2, deps.rotationS],
    ] as const) {
      const sim = await startMdrSimulator({ scale: 0.02, accessTokenTtlS: 2 });
      const token = await sim.issueRefreshToken('Gateway administrator');
      const extra = {
        MDR_URL: sim.info.url,
        MDR_CLIENT_ID: sim.info.clientId,
        MDR_REFRESH_TOKEN: token,
        ...(store === 'redis' ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench-rotation:' } : {}),
      };
      const gateways: GatewayChild[] = [];
      try {
        for (let i = 0; i < count; i++) gateways.push(await deps.gateway(extra));
        const body = JSON.stringify({ query: '{ assets(first: 1) { nodes { assetId } } }' });
        deps.log(`replicas: rotation, ${count} × ${store} store, 2 s MDR access tokens, ${seconds} s`);
        sim.server.resetStats();
        const run = await loadOn(
          gateways.map((g) => g.url),
          { ...deps, body },
          8 * count,
          seconds,
        );
        const metrics = await Promise.all(gateways.map(async (g) => (await fetch(new URL('/metrics', g.url))).text()));
        const window = histogram(metrics, 'gateway_mdr_rotation_window_seconds');
        const stats = sim.server.stats();
        const confirms = stats.calls['session/confirm'] ?? 0;
        rotation.push({
          replicas: count,
          store,
          seconds,
          requests: run.requests,
          errors: run.errors,
          confirms,
          confirmsPerLifetime: Math.round((confirms / (seconds / 2)) * 100) / 100,
          spentPresentations: stats.counters?.spentRefreshTokenPresentations ?? 0,
          windowMeanMs: Math.round(window.meanMs * 1000) / 1000,
          windowP99AtMostMs: window.p99AtMostMs,
        });
      } finally {
        await Promise.all(gateways.map((g) => g.stop()));
        await sim.close();
      }
    }

    const redisPathExtraP50Ms = Math.round(((sequential.redis ?? 0) - (sequential.memory ?? 0)) * 100) / 100;
    const lines = [
      '',
      '## Replicas',
      '',
      `| setup | req/s | p50 ms | p99 ms |`,
      '| --- | ---: | ---: | ---: |',
      ...throughput.map((t) => `| ${t.setup} | ${t.rps} | ${t.p50Ms} | ${t.p99Ms} |`),
      '',
      `Redis path, one request at a time (the shared rate limit: one round trip): p50 ${sequential.redis} ms against ${sequential.memory} ms in memory, **${redisPathExtraP50Ms} ms extra**.`,
      '',
      '| rotation run | s | requests | errors | session/confirm | per 2 s lifetime | spent tokens presented | confirm answer → durable, mean ms | p99 ≤ ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rotation.map(
        (r) =>
          `| ${r.replicas} × ${r.store} store | ${r.seconds} | ${r.requests} | ${r.errors} | ${r.confirms} | ${r.confirmsPerLifetime} | ${r.spentPresentations} | ${r.windowMeanMs} | ${Number.isFinite(r.windowP99AtMostMs) ? r.windowP99AtMostMs : '> 1000'} |`,
      ),
    ];
    return { results: { throughput, redisPathExtraP50Ms, rotation }, lines };
  } finally {
    await redis.stop();
  }
}
