import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { request } from 'undici';

import type { MdrSimulator } from './mdr';
import { outputUntil } from './processes';
import { tempStateDir } from './gateway';
import { TestIdentityProvider } from './tokens';

const root = path.join(__dirname, '..', '..');

/** `dist/` as `npm start` builds it: replica tests run the gateway as its own process. */
export function buildOnce(): void {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'ignore' });
}

export interface Replica {
  origin: string;
  child: ChildProcessWithoutNullStreams;
  /** POSTs a query with an administrator token; status and parsed body. */
  gql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  readyz(): Promise<any>;
  metrics(): Promise<string>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface ReplicaSettings {
  sim: MdrSimulator;
  redisUrl?: string;
  /** The file MDR_REFRESH_TOKEN_FILE names (every replica of one deployment shares one Secret). */
  refreshTokenFile: string;
  env?: Record<string, string>;
}

/** Writes a fresh console-made refresh token for the administrator connection; returns the file. */
export async function writeRefreshToken(sim: MdrSimulator, file = path.join(tempStateDir(), 'mdr-refresh-token')) {
  writeFileSync(file, `${await sim.issueRefreshToken('Gateway administrator')}\n`, { mode: 0o600 });
  return file;
}

/** One gateway process (node dist/main.js) against the MDR simulator alone, as a replica of a deployment. */
export async function startReplica({ sim, redisUrl, refreshTokenFile, env = {} }: ReplicaSettings): Promise<Replica> {
  const idp = await TestIdentityProvider.get();
  const stateDir = tempStateDir();
  const { PATH, HOME } = process.env;
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: {
      PATH,
      HOME,
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      STATE_DIR: stateDir,
      MDR_URL: sim.info.url,
      MDR_CLIENT_ID: sim.info.clientId,
      MDR_REFRESH_TOKEN_FILE: refreshTokenFile,
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST: '1000000',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...idp.writeJwks(stateDir),
      ...env,
    },
  });
  const banner = await outputUntil(child, /GraphQL\s+http:\/\/\S+/);
  child.stdout.resume();
  child.stderr.resume();
  const origin = new URL(/GraphQL\s+(http:\/\/\S+)/.exec(banner)![1]!).origin;
  const headers = { 'content-type': 'application/json', ...(await idp.bearer({ expiresIn: 3600 })) };
  const get = async (p: string) => (await fetch(`${origin}${p}`)).text();
  const exited = once(child, 'exit');
  return {
    origin,
    child,
    gql: async (query, variables) => {
      const res = await request(`${origin}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.statusCode, body: await res.body.json() };
    },
    readyz: async () => JSON.parse(await get('/readyz')),
    metrics: () => get('/metrics'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `check` until it holds, at most `timeoutMs` (bounded: a condition, not a sleep). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
