import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { decodeJwt } from 'jose';

import { UpstreamError } from '../../errors/upstream-error';
import type { Logger } from '../../logger';
import type { GatewayMetrics } from '../../metrics';
import type { Transport } from '../transport';

/** What the token store keeps for one API connection: the one live refresh token, and the access token while it lasts. */
export interface StoredTokens {
  /** session/confirm's answer as it came (JSON with `access_token` and `refresh_token`), stored unparsed. */
  confirm?: string;
  /** A refresh token given without a confirm answer (an older store's format). */
  refreshToken?: string;
  /** An older store's access token, beside `refreshToken`. */
  accessToken?: string;
  /**
   * Hashes of the configured tokens this chain has taken in, newest last: a configured token not
   * among them is new and starts the chain again; one among them was spent long ago.
   */
  seen?: string[];
  /** An older store's single `seen` entry. */
  configured?: string;
  /** MDR refused the chain's refresh token: nothing is presented again until a new token is given. */
  refused?: { atMs: number; status: number };
}

/** Where the rotating tokens live: a file of STATE_DIR (one process), or Redis (replicas). */
export interface TokenStore {
  load(): Promise<StoredTokens | undefined>;
  /**
   * The right to rotate, held by one holder at a time for at most `ttlMs`; undefined while another
   * holds it. Throws when the store cannot be reached.
   */
  lock(ttlMs: number): Promise<RotationLease | undefined>;
}

export interface RotationLease {
  /**
   * Replaces the stored tokens, unless a later holder of the lock has written since this lease
   * began (fencing). Resolves once the new tokens are durable.
   */
  save(tokens: StoredTokens): Promise<void>;
  release(): Promise<void>;
}

/** The file name and Redis key part of one API connection: its client id and connection name, hashed. */
export function connectionKey(clientId: string, connection: string): string {
  return createHash('sha256').update(`${clientId}\n${connection}`).digest('hex').slice(0, 16);
}

/**
 * One JSON file per API connection (keyed by client id and connection name, so another
 * connection never picks up this one's token), written atomically: temp file, fsync, rename, 0600.
 * One process owns the directory, so its lock is that process's single-flight.
 */
export class FileTokenStore implements TokenStore {
  readonly file: string;

  /** `connection` tells API connections under one client id apart (the token's `sub` before '+'). */
  constructor(stateDir: string, clientId: string, connection = '') {
    this.file = path.join(stateDir, `mdr-tokens-${connectionKey(clientId, connection)}.json`);
  }

  async load(): Promise<StoredTokens | undefined> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as StoredTokens;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async lock(): Promise<RotationLease> {
    return { save: (tokens) => this.save(tokens), release: async () => undefined };
  }

  async save(tokens: StoredTokens): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(tokens));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}

export interface MdrTokensOptions {
  http: Transport;
  /** Path prefix up to the client id: `/api/v1/<client_id>`. */
  basePath: string;
  /** The configured refresh token; the store's chain wins once it has taken this one in. */
  initialRefreshToken: string;
  store: TokenStore;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** Refresh this long before the access token's `exp`. @default 60000 */
  refreshMarginMs?: number;
  /**
   * How long one holder may keep the rotation lock; its confirm is abandoned well before. A holder
   * that dies leaves the others waiting this long. @default 15000
   */
  lockMs?: number;
  /** How long a renewal waits for the lock or an unreachable store before failing. @default 30000 */
  waitMs?: number;
  now?: () => number;
}

/** How many times a confirm refused with 429/503 is sent again (the server did not take the token). */
const CONFIRM_RETRIES = 3;
/** Configured tokens remembered as taken in. */
const SEEN_KEPT = 20;

const LOST_MESSAGE =
  "MDR refused the gateway's refresh token, so its MDR session is lost. Issue a new refresh token " +
  'for the API connection in the MDR console, then write it to MDR_REFRESH_TOKEN_FILE or give it ' +
  'with the setMdrRefreshToken mutation (administrator); no restart is needed.';

interface Pair {
  accessToken: string;
  refreshToken: string;
}

/** What a renewal found in the store: a fresh access token to use, or a refresh token to present. */
type Found =
  { kind: 'fresh'; accessToken: string } | { kind: 'rotate'; refreshToken: string; seen: string[] } | { kind: 'lost' };

/**
 * The rotating MDR session: a refresh token works once, so only one confirm is ever in flight
 * (single-flight here, a lock in the store across replicas), every confirm's answer is durable in
 * the store before its access token is used, and every other holder reads the fresh access token
 * instead of rotating. After MDR refuses the refresh token the session is lost: nothing is
 * presented again until a new token is configured.
 */
export class MdrTokens {
  private current?: { accessToken: string; expMs: number; refreshAtMs: number };
  private configured: string;
  /** A confirm answer not yet durable (the store failed): written before anything else. */
  private pending?: StoredTokens;
  private lost = false;
  private lostCheckedMs = 0;
  private inflight?: Promise<string>;
  private readonly margin: number;
  private readonly lockMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(private readonly options: MdrTokensOptions) {
    this.margin = options.refreshMarginMs ?? 60_000;
    this.lockMs = options.lockMs ?? 15_000;
    this.waitMs = options.waitMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.configured = options.initialRefreshToken;
  }

  /** A usable access token, refreshing first when it is missing or about to expire. */
  async access(): Promise<string> {
    if (this.lost) await this.recheckLost();
    const current = this.current;
    if (current && current.refreshAtMs > this.now()) return current.accessToken;
    return this.refreshOnce(current?.accessToken);
  }

  /**
   * The upstream refused `rejected`: refresh unless someone already did (then the newer token is
   * returned without another confirm). Concurrent callers share one confirm.
   */
  async renew(rejected: string): Promise<string> {
    if (this.current && this.current.accessToken !== rejected) return this.current.accessToken;
    if (this.lost) await this.recheckLost();
    return this.refreshOnce(rejected);
  }

  /** Whether `token` is, by its own `exp`, still valid (a 403 with a valid token is a role refusal). */
  isFresh(token: string): boolean {
    return this.current?.accessToken === token && this.current.expMs > this.now();
  }

  /** Whether the session is lost (MDR refused the refresh token), as this process last saw it. */
  get sessionLost(): boolean {
    return this.lost;
  }

  /** The lost-session state, read again from the store (another replica may have been given a token). */
  async checkSession(): Promise<{ lost: boolean; reason?: string }> {
    if (this.lost) await this.recheckLost(true).catch(() => undefined);
    return this.lost ? { lost: true, reason: LOST_MESSAGE } : { lost: false };
  }

  /**
   * A new refresh token from the operator (MDR_REFRESH_TOKEN_FILE changed). Nothing is presented
   * now: the next renewal starts the chain from it, unless the store has taken it in already.
   */
  configure(refreshToken: string): void {
    if (refreshToken === this.configured) return;
    this.configured = refreshToken;
    this.setLost(false);
    this.options.logger.info({ upstream: 'mdr' }, 'MDR refresh token configured anew');
  }

  /**
   * A new refresh token from an administrator (setMdrRefreshToken): presented at once, so the
   * answer says whether MDR takes it. Resolves with the new access token's expiry.
   */
  async replace(refreshToken: string): Promise<Date> {
    await this.inflight?.catch(() => undefined);
    this.configured = refreshToken;
    this.setLost(false);
    this.current = undefined;
    await this.refreshOnce(undefined);
    return new Date(this.current!.expMs);
  }

  private setLost(lost: boolean): void {
    this.lost = lost;
    this.options.metrics?.mdrSessionLost.set(lost ? 1 : 0);
  }

  private lostError(): UpstreamError {
    return new UpstreamError('mdr', 'UPSTREAM_AUTH_FAILED', LOST_MESSAGE);
  }

  /**
   * While lost, fails at once, except that about once a second the store is read again: another
   * replica may have been given a new token meanwhile.
   */
  private async recheckLost(force = false): Promise<void> {
    if (!force && this.now() - this.lostCheckedMs < 1_000) throw this.lostError();
    this.lostCheckedMs = this.now();
    if (this.found(await this.options.store.load(), undefined).kind === 'lost') throw this.lostError();
    this.setLost(false);
  }

  /**
   * When to renew: `margin` before `exp`, but never more than a quarter of the token's lifetime
   * (a 5-second demo token would otherwise be renewed before every call).
   */
  private timesOf(token: string): { expMs: number; refreshAtMs: number } | undefined {
    try {
      const { exp, iat } = decodeJwt(token);
      if (typeof exp !== 'number') return undefined;
      const expMs = exp * 1000;
      const lifetime = typeof iat === 'number' ? expMs - iat * 1000 : Infinity;
      return { expMs, refreshAtMs: expMs - Math.min(this.margin, lifetime / 4) };
    } catch {
      return undefined;
    }
  }

  private use(accessToken: string): string {
    this.current = {
      accessToken,
      ...(this.timesOf(accessToken) ?? { expMs: this.now() + 300_000, refreshAtMs: this.now() + 240_000 }),
    };
    return accessToken;
  }

  private refreshOnce(stale: string | undefined): Promise<string> {
    this.inflight ??= this.refresh(stale).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** What the store holds, against what this process was configured with and the token it saw refused. */
  private found(stored: StoredTokens | undefined, stale: string | undefined): Found {
    const configured = hashToken(this.configured);
    const chain = chainOf(stored);
    // An operator who configures a new token means it: the chain restarts from that one.
    if (!chain.seen.includes(configured)) {
      return { kind: 'rotate', refreshToken: this.configured, seen: [...chain.seen, configured].slice(-SEEN_KEPT) };
    }
    if (stored?.refused || !chain.refreshToken) return { kind: 'lost' };
    const times = chain.accessToken ? this.timesOf(chain.accessToken) : undefined;
    if (chain.accessToken && chain.accessToken !== stale && times && times.refreshAtMs > this.now()) {
      return { kind: 'fresh', accessToken: chain.accessToken };
    }
    return { kind: 'rotate', refreshToken: chain.refreshToken, seen: chain.seen };
  }

  /**
   * Waits its turn at the store's lock; meanwhile, a fresh access token that the holder wrote
   * ends the wait without a confirm. An unreachable store is waited for too, up to `waitMs`.
   */
  private async refresh(stale: string | undefined): Promise<string> {
    const deadline = this.now() + this.waitMs;
    let waitedFor = 'another replica renewing the MDR session';
    for (;;) {
      try {
        const found = this.pending ? undefined : this.found(await this.options.store.load(), stale);
        if (found?.kind === 'fresh') {
          this.options.metrics?.mdrRenewals.inc({ outcome: 'shared' });
          return this.use(found.accessToken);
        }
        if (found?.kind === 'lost') {
          this.setLost(true);
          throw this.lostError();
        }
        const lease = await this.options.store.lock(this.lockMs);
        if (lease) {
          try {
            return await this.rotate(lease, stale);
          } finally {
            await lease.release().catch(() => undefined);
          }
        }
        waitedFor = 'another replica renewing the MDR session';
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        waitedFor = 'the MDR token store';
        this.options.logger.warn({ upstream: 'mdr', err: (error as Error).message }, 'MDR token store unreachable');
      }
      if (this.now() > deadline) {
        throw new UpstreamError(
          'mdr',
          'UPSTREAM_UNAVAILABLE',
          `The MDR session is not renewed yet (waiting for ${waitedFor}); try again.`,
          {
            retryable: true,
          },
        );
      }
      await sleep(50 + Math.random() * 100);
    }
  }

  /** Under the lock: read again (the last holder may have just written), then confirm if still needed. */
  private async rotate(lease: RotationLease, stale: string | undefined): Promise<string> {
    if (this.pending) {
      await lease.save(this.pending);
      const pending = chainOf(this.pending);
      this.pending = undefined;
      const times = pending.accessToken ? this.timesOf(pending.accessToken) : undefined;
      if (pending.accessToken && times && times.refreshAtMs > this.now()) return this.use(pending.accessToken);
    }
    const found = this.found(await this.options.store.load(), stale);
    if (found.kind === 'fresh') {
      this.options.metrics?.mdrRenewals.inc({ outcome: 'shared' });
      return this.use(found.accessToken);
    }
    if (found.kind === 'lost') {
      this.setLost(true);
      throw this.lostError();
    }
    const pair = await this.confirm(found.refreshToken, found.seen, lease);
    this.options.metrics?.mdrRenewals.inc({ outcome: 'confirmed' });
    this.options.logger.info({ upstream: 'mdr' }, 'MDR session renewed');
    return this.use(pair.accessToken);
  }

  /**
   * session/confirm, its answer written to the store as it arrives (no parsing or logging first:
   * a crash between the answer and the write loses the session). Never re-sent after it may have
   * reached the server (a reset or timeout): the token might already be spent. Only 429/503
   * answers, which say "not processed", are repeated. After an ambiguous failure the old token is
   * kept: it still works if the call never landed, and otherwise MDR refuses it next time.
   */
  private async confirm(refreshToken: string, seen: string[], lease: RotationLease): Promise<Pair> {
    // Abandoned well inside the lock: no one else may present this token while it may be in flight.
    const signal = AbortSignal.timeout(Math.floor(this.lockMs * 0.6));
    for (let attempt = 0; ; attempt++) {
      let saveError: unknown;
      let saved = false;
      const window = this.options.metrics?.mdrRotationWindow;
      const res = await this.options.http.request({
        method: 'POST',
        path: `${this.options.basePath}/session/confirm`,
        label: 'session/confirm',
        body: { refresh_token: refreshToken },
        idempotent: false,
        signal,
        keep: (status, text) => {
          if (status !== 200) return Promise.resolve();
          const started = performance.now();
          return lease.save({ confirm: text, seen }).then(
            () => {
              saved = true;
              window?.observe((performance.now() - started) / 1000);
            },
            (error: unknown) => {
              saveError = error;
            },
          );
        },
      });
      if (res.status === 200) {
        const pair = pairOf(res.json);
        if (!pair) {
          this.setLost(true);
          throw new UpstreamError(
            'mdr',
            'UPSTREAM_AUTH_FAILED',
            `MDR answered session/confirm without tokens. ${LOST_MESSAGE}`,
            {
              status: 200,
            },
          );
        }
        if (!saved) await this.saveLate({ confirm: res.text, seen }, lease, saveError);
        return pair;
      }
      if ((res.status === 429 || res.status === 503) && attempt < CONFIRM_RETRIES) {
        const wait = Math.min(Number(res.headers['retry-after']) * 1000 || 100 * 2 ** attempt, 1_000);
        await sleep(Math.random() * wait);
        continue;
      }
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        this.setLost(true);
        this.options.metrics?.mdrRenewals.inc({ outcome: 'refused' });
        this.options.logger.error(
          { upstream: 'mdr', status: res.status },
          'MDR refused the refresh token: session lost',
        );
        await lease
          .save({ seen, refused: { atMs: this.now(), status: res.status } })
          .catch((error: unknown) =>
            this.options.logger.warn({ upstream: 'mdr', err: (error as Error).message }, 'MDR token store not updated'),
          );
        throw this.lostError();
      }
      this.options.metrics?.mdrRenewals.inc({ outcome: 'failed' });
      throw new UpstreamError(
        'mdr',
        res.status === 429 ? 'UPSTREAM_RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE',
        `MDR session/confirm failed (HTTP ${res.status}).`,
        { status: res.status, retryable: true },
      );
    }
  }

  /**
   * The store refused the new tokens: tried again while the lock lasts (the access token waits).
   * Past that, kept in memory to be written first by the next renewal, and this call fails.
   */
  private async saveLate(tokens: StoredTokens, lease: RotationLease, error: unknown): Promise<void> {
    const until = this.now() + this.lockMs * 0.3;
    for (;;) {
      this.options.logger.warn(
        { upstream: 'mdr', err: (error as Error)?.message },
        'MDR token store could not be written',
      );
      await sleep(100);
      try {
        return await lease.save(tokens);
      } catch (again) {
        error = again;
      }
      if (this.now() > until) break;
    }
    this.pending = tokens;
    this.options.logger.error(
      { upstream: 'mdr', err: (error as Error)?.message },
      'MDR token store could not be written',
    );
    throw new UpstreamError('mdr', 'UPSTREAM_UNAVAILABLE', 'The MDR session could not be saved; try again.', {
      cause: error,
      retryable: true,
    });
  }
}

function pairOf(json: unknown): Pair | undefined {
  const body = json as { access_token?: unknown; refresh_token?: unknown } | undefined;
  return typeof body?.access_token === 'string' && typeof body.refresh_token === 'string'
    ? { accessToken: body.access_token, refreshToken: body.refresh_token }
    : undefined;
}

/** The tokens a stored record holds, whichever format wrote it. */
function chainOf(stored: StoredTokens | undefined): { refreshToken?: string; accessToken?: string; seen: string[] } {
  if (!stored) return { seen: [] };
  const seen = stored.seen ?? (stored.configured ? [stored.configured] : []);
  if (stored.confirm !== undefined) {
    let pair: Pair | undefined;
    try {
      pair = pairOf(JSON.parse(stored.confirm));
    } catch {
      pair = undefined;
    }
    return { ...pair, seen };
  }
  return { refreshToken: stored.refreshToken || undefined, accessToken: stored.accessToken, seen };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The API connection a token belongs to: its `sub` up to the session suffix (`name+<uuid>`). */
export function connectionOf(token: string): string {
  try {
    const sub = decodeJwt(token).sub ?? '';
    return sub.includes('+') ? sub.slice(0, sub.lastIndexOf('+')) : sub;
  } catch {
    return '';
  }
}
