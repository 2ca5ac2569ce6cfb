import type { KscSettings } from '../../config/settings';
import { UpstreamError } from '../../errors/upstream-error';
import type { Transport } from '../transport';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/**
 * One KSC token session (`Session.StartSession` → `X-KSC-Session`), shared by every request of the
 * process: started lazily, reused, renewed once when KSC says it is gone (single-flight: many
 * callers seeing the same dead token start one new session), ended on shutdown.
 *
 * Why token sessions and not `/login`: `/login` binds the authentication to one TCP connection, so
 * the pool could not run requests in parallel; a session token works on any connection.
 */
export class KscSession {
  private current?: Promise<string>;
  private value?: string;

  constructor(
    private readonly http: Transport,
    private readonly settings: Pick<KscSettings, 'username' | 'password' | 'internalUser' | 'vserver'>,
  ) {}

  /** The live session token, starting a session when there is none. */
  token(): Promise<string> {
    if (!this.current) {
      const started = this.start();
      this.current = started;
      started.then(
        (token) => {
          if (this.current === started) this.value = token;
        },
        () => {
          if (this.current === started) this.current = undefined;
        },
      );
    }
    return this.current;
  }

  /** Forgets `token` if it is still the current one (KSC answered 401/403 with it). */
  invalidate(token: string): void {
    if (this.value === token) {
      this.value = undefined;
      this.current = undefined;
    }
  }

  async end(): Promise<void> {
    const token = this.value;
    this.value = undefined;
    this.current = undefined;
    if (!token) return;
    await this.http
      .request({
        method: 'POST',
        path: '/api/v1.0/Session.EndSession',
        label: 'Session.EndSession',
        headers: { 'x-ksc-session': token },
        body: {},
        idempotent: false,
        signal: AbortSignal.timeout(3_000),
      })
      .catch(() => undefined);
  }

  private async start(): Promise<string> {
    const { username, password, internalUser, vserver } = this.settings;
    const res = await this.http.request({
      method: 'POST',
      path: '/api/v1.0/Session.StartSession',
      label: 'Session.StartSession',
      headers: {
        authorization: `KSCBasic user="${b64(username)}", pass="${b64(password)}", domain="", internal="${internalUser ? 1 : 0}"`,
        'x-ksc-vserver': b64(vserver),
      },
      body: {},
      // A second session at worst: safe to repeat. Not tied to one caller's deadline either, since
      // every waiting request shares this start.
      idempotent: true,
      signal: AbortSignal.timeout(20_000),
    });
    if (res.status === 401 || res.status === 403) {
      throw new UpstreamError(
        'ksc',
        'UPSTREAM_AUTH_FAILED',
        "KSC refused the gateway's credentials (check KSC_USERNAME / KSC_PASSWORD).",
        {
          status: res.status,
        },
      );
    }
    const token = (res.json as { PxgRetVal?: unknown } | undefined)?.PxgRetVal;
    if (res.status !== 200 || typeof token !== 'string' || !token) {
      throw new UpstreamError(
        'ksc',
        res.status >= 500 || res.status === 200 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_REJECTED',
        `KSC could not start a session (HTTP ${res.status}).`,
        {
          status: res.status,
          retryable: res.status >= 500,
        },
      );
    }
    return token;
  }
}
