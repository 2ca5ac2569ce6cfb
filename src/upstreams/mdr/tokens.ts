import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

import { decodeJwt } from 'jose';

import { UpstreamError } from '../../errors/upstream-error';
import type { Logger } from '../../logger';
import type { Transport } from '../transport';

/** What survives a restart: the one live refresh token, and the access token while it lasts. */
export interface StoredTokens {
  refreshToken: string;
  accessToken?: string;
  /** Hash of the configured token this chain started from: a newly configured token wins over it. */
  configured?: string;
}

/** Where the rotating tokens live. A file today; a shared store (Redis) can replace it. */
export interface TokenStore {
  load(): Promise<StoredTokens | undefined>;
  save(tokens: StoredTokens): Promise<void>;
}

/**
 * One JSON file per API connection (keyed by client id and the configured token's hash, so another
 * connection never picks up this one's token), written atomically: temp file, fsync, rename, 0600.
 */
export class FileTokenStore implements TokenStore {
  readonly file: string;

  /** `connection` tells API connections under one client id apart (the token's `sub` before '+'). */
  constructor(stateDir: string, clientId: string, connection = '') {
    const key = createHash('sha256').update(`${clientId}\n${connection}`).digest('hex').slice(0, 16);
    this.file = path.join(stateDir, `mdr-tokens-${key}.json`);
  }

  async load(): Promise<StoredTokens | undefined> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as StoredTokens;
      return typeof data.refreshToken === 'string' && data.refreshToken ? data : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
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
  /** The configured first refresh token; the store's copy wins once it exists. */
  initialRefreshToken: string;
  store: TokenStore;
  logger: Logger;
  /** Refresh this long before the access token's `exp`. @default 60000 */
  refreshMarginMs?: number;
  now?: () => number;
}

/** How many times a confirm refused with 429/503 is sent again (the server did not take the token). */
const CONFIRM_RETRIES = 3;

/**
 * The rotating MDR session: a refresh token works once, so every confirm's new refresh token is
 * saved before its access token is used, and only one confirm is ever in flight (single-flight).
 */
export class MdrTokens {
  private current?: { accessToken: string; expMs: number; refreshAtMs: number };
  private refreshToken?: string;
  private loaded = false;
  private inflight?: Promise<string>;
  private readonly margin: number;
  private readonly now: () => number;

  constructor(private readonly options: MdrTokensOptions) {
    this.margin = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A usable access token, refreshing first when it is missing or about to expire. */
  async access(): Promise<string> {
    if (!this.loaded) await this.refreshOnce(undefined);
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
    return this.refreshOnce(rejected);
  }

  /** Whether `token` is, by its own `exp`, still valid (a 403 with a valid token is a role refusal). */
  isFresh(token: string): boolean {
    return this.current?.accessToken === token && this.current.expMs > this.now();
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

  private refreshOnce(stale: string | undefined): Promise<string> {
    this.inflight ??= this.refresh(stale).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(stale: string | undefined): Promise<string> {
    if (!this.loaded) {
      const configured = hashToken(this.options.initialRefreshToken);
      let stored = await this.options.store.load();
      // An operator who configures a new token means it: the chain restarts from that one.
      if (stored?.configured && stored.configured !== configured) stored = undefined;
      this.loaded = true;
      this.refreshToken = stored?.refreshToken ?? this.options.initialRefreshToken;
      const access = stored?.accessToken ? this.timesOf(stored.accessToken) : undefined;
      if (stored?.accessToken && access && access.refreshAtMs > this.now()) {
        this.current = { accessToken: stored.accessToken, ...access };
      }
      if (this.current && this.current.accessToken !== stale) return this.current.accessToken;
    } else if (this.current && stale !== undefined && this.current.accessToken !== stale) {
      return this.current.accessToken;
    }
    const pair = await this.confirm(this.refreshToken!);
    // The presented token is spent whatever happens next, so the new one is kept in memory first:
    // if saving fails, this call fails but the next renewal still holds a live token.
    this.refreshToken = pair.refresh_token;
    // Saved before use: if we crashed after using the access token but before saving, the next
    // start would present a dead refresh token.
    try {
      await this.options.store.save({
        refreshToken: pair.refresh_token,
        accessToken: pair.access_token,
        configured: hashToken(this.options.initialRefreshToken),
      });
    } catch (error) {
      this.options.logger.error({ upstream: 'mdr', err: error }, 'MDR token store could not be written');
      throw new UpstreamError('mdr', 'UPSTREAM_UNAVAILABLE', 'The MDR session could not be saved; try again.', {
        cause: error,
        retryable: true,
      });
    }
    this.current = {
      accessToken: pair.access_token,
      ...(this.timesOf(pair.access_token) ?? { expMs: this.now() + 300_000, refreshAtMs: this.now() + 240_000 }),
    };
    this.options.logger.info({ upstream: 'mdr' }, 'MDR session renewed');
    return pair.access_token;
  }

  /**
   * session/confirm is never re-sent after it may have reached the server (a reset or timeout):
   * the token might already be spent. Only 429/503 answers, which say "not processed", are repeated.
   * After an ambiguous failure the old token is kept: it still works if the call never landed,
   * and otherwise the next attempt fails with UPSTREAM_AUTH_FAILED (a new token must be configured).
   */
  private async confirm(refreshToken: string): Promise<{ access_token: string; refresh_token: string }> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.options.http.request({
        method: 'POST',
        path: `${this.options.basePath}/session/confirm`,
        label: 'session/confirm',
        body: { refresh_token: refreshToken },
        idempotent: false,
      });
      if (res.status === 200) {
        const body = res.json as { access_token?: unknown; refresh_token?: unknown } | undefined;
        if (typeof body?.access_token === 'string' && typeof body.refresh_token === 'string') {
          return { access_token: body.access_token, refresh_token: body.refresh_token };
        }
        throw new UpstreamError('mdr', 'UPSTREAM_UNAVAILABLE', 'MDR answered session/confirm without tokens.', {
          status: 200,
        });
      }
      if ((res.status === 429 || res.status === 503) && attempt < CONFIRM_RETRIES) {
        const wait = Math.min(Number(res.headers['retry-after']) * 1000 || 100 * 2 ** attempt, 1_000);
        await new Promise((r) => setTimeout(r, Math.random() * wait));
        continue;
      }
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        throw new UpstreamError(
          'mdr',
          'UPSTREAM_AUTH_FAILED',
          'MDR refused the refresh token; configure a new one (MDR_REFRESH_TOKEN).',
          { status: res.status },
        );
      }
      throw new UpstreamError(
        'mdr',
        res.status === 429 ? 'UPSTREAM_RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE',
        `MDR session/confirm failed (HTTP ${res.status}).`,
        { status: res.status, retryable: true },
      );
    }
  }
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
