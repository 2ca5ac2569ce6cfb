import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { SecureContext } from 'node:tls';

import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';

import { UpstreamError } from '../errors/upstream-error';
import type { UpstreamName } from '../errors/upstream-error';
import type { GatewayMetrics } from '../metrics';

export interface RetryPolicy {
  /** Attempts after the first. @default 3 */
  maxRetries?: number;
  /** First backoff step; doubles per attempt, with full jitter. @default 100 */
  baseDelayMs?: number;
  /** Cap of one wait, also of an upstream's `Retry-After`. @default 2000 */
  maxDelayMs?: number;
  /** No retry starts after this much time has passed since the first attempt. @default 10000 */
  budgetMs?: number;
}

export interface TransportOptions {
  upstream: UpstreamName;
  /** Scheme, host and port only: `https://ksc.example:13299`. */
  origin: string;
  /** Extra CA certificates to trust besides the system store (PEM). */
  ca?: string | Buffer;
  /** Client certificate and key for mutual TLS (PEM). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** @default 16 */
  connections?: number;
  /** @default 5000 */
  connectTimeoutMs?: number;
  /** Time to the response headers. @default 15000 */
  headersTimeoutMs?: number;
  /** @default 30000 */
  bodyTimeoutMs?: number;
  /** @default 4000 */
  keepAliveTimeoutMs?: number;
  retry?: RetryPolicy;
  metrics?: GatewayMetrics;
  /** Test hook: a dispatcher to use instead of the pool (e.g. undici MockAgent). */
  dispatcher?: Dispatcher;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Path and query, starting with `/`. */
  path: string;
  /** The method name for metrics and logs (`incidents/list`, `HostGroup.FindHosts`). */
  label: string;
  headers?: Record<string, string>;
  /** Serialised as JSON when not a string. */
  body?: unknown;
  /** Whether a failed attempt may be sent again. Writes that are not idempotent never are. */
  idempotent: boolean;
  signal?: AbortSignal;
  /**
   * Awaited with the answer's status and body as soon as its last byte is read, before anything
   * else happens to it (parsing, metrics, the next await): what must be durable before the answer
   * is used, like MDR's rotated refresh token. Must not throw.
   */
  keep?: (status: number, text: string) => Promise<void>;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** This answer, or that of an earlier attempt, leaves open whether the call was carried out (UpstreamError.mayHaveLanded). */
  mayHaveLanded?: boolean;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** 429 and 503 say "not processed"; any other 5xx may come from a server that did the work and then failed. */
const mayHaveBeenProcessed = (status: number) => status >= 500 && status !== 503;

/** Socket failures that happen before a request is written: it cannot have reached the upstream. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Resolves once calls started so far have been written to their sockets. undici writes a request
 * on a reused keep-alive socket only in the event loop's check phase (setImmediate, so bytes the
 * server sent meanwhile are seen first); CPU work that starts before would hold them back. Two
 * turns: the first lets undici queue its own.
 */
export async function callsWritten(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

/**
 * The TLS settings of one upstream, built once for all its connections. Given `ca`, Node replaces
 * the system store rather than adding to it, so the system's roots go in too; parsing them took
 * 40 ms, which every new connection (after an idle keep-alive timeout, or each one a burst opens)
 * spent on the event loop while the gateway served nothing else.
 */
function tlsContext(ca?: string | Buffer, cert?: string | Buffer, key?: string | Buffer): SecureContext {
  return createSecureContext({ ...(ca ? { ca: [...rootCertificates, ca] } : {}), cert, key });
}

/**
 * Parsing a large answer (and the GraphQL work it resumes) takes milliseconds: before that, the
 * answers already waiting on other sockets are read and the follow-up calls they start written. A
 * FindHosts answer's chunk request should not wait behind a 300 kB sensor list.
 */
const LARGE_BODY_CHARS = 32 * 1024;

/**
 * HTTP to one upstream origin: keep-alive pool, timeouts, retries of what is safe to repeat, and
 * the mapping of socket-level failures to coded errors. Status codes are left to each upstream's
 * client, the one place that knows what that vendor means by them.
 */
export class Transport {
  private readonly dispatcher: Dispatcher;
  private readonly retry: Required<RetryPolicy>;
  /** On a request's view (withSignal): the signal of every call that brings none of its own. */
  private readonly requestSignal?: AbortSignal;

  constructor(private readonly options: TransportOptions) {
    const {
      origin,
      ca,
      cert,
      key,
      connections = 16,
      connectTimeoutMs = 5_000,
      keepAliveTimeoutMs = 4_000,
      retry = {},
    } = options;
    this.dispatcher =
      options.dispatcher ??
      new Pool(origin, {
        connections,
        keepAliveTimeout: keepAliveTimeoutMs,
        connect: {
          timeout: connectTimeoutMs,
          ...(ca || cert || key ? { secureContext: tlsContext(ca, cert, key) } : {}),
        },
      });
    this.retry = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 2_000, budgetMs: 10_000, ...retry };
  }

  get upstream(): UpstreamName {
    return this.options.upstream;
  }

  /**
   * This transport as one GraphQL request uses it: calls without a signal of their own get the
   * request's (deadline passed, client gone). Same pool and policy; the view is one small object.
   */
  withSignal(signal: AbortSignal): Transport {
    // Assigned, not defined through a descriptor: Object.create's descriptors cost 0.6 µs a view.
    const view = Object.create(this) as Transport;
    (view as unknown as { requestSignal: AbortSignal }).requestSignal = signal;
    return view;
  }

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const scoped = this.requestSignal;
    const req = scoped && !request.signal ? { ...request, signal: scoped } : request;
    const started = Date.now();
    // Once one attempt may have been carried out, the call's outcome stays uncertain whatever the
    // later attempts answer: a retried write that ends refused may still have been done.
    let uncertain = false;
    for (let attempt = 0; ; attempt++) {
      let response: UpstreamResponse | undefined;
      let failure: UpstreamError | undefined;
      try {
        response = await this.once(req);
      } catch (error) {
        failure = error as UpstreamError;
      }
      uncertain ||= failure ? failure.mayHaveLanded : mayHaveBeenProcessed(response!.status);
      const retryable = failure ? failure.retryable : RETRYABLE_STATUS.has(response!.status);
      const canRetry =
        req.idempotent &&
        retryable &&
        attempt < this.retry.maxRetries &&
        Date.now() - started < this.retry.budgetMs &&
        !req.signal?.aborted;
      if (!canRetry) {
        if (failure) throw uncertain && !failure.mayHaveLanded ? landed(failure) : failure;
        return uncertain ? { ...response!, mayHaveLanded: true } : response!;
      }
      await sleep(this.backoff(attempt, response), undefined, { signal: req.signal }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private backoff(attempt: number, response?: UpstreamResponse): number {
    const retryAfter = Number(response?.headers['retry-after']);
    if (Number.isFinite(retryAfter) && retryAfter >= 0) {
      return Math.min(retryAfter * 1000, this.retry.maxDelayMs);
    }
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    return Math.random() * ceiling;
  }

  private async once(req: UpstreamRequest): Promise<UpstreamResponse> {
    const { upstream, headersTimeoutMs = 15_000, bodyTimeoutMs = 30_000, metrics } = this.options;
    const endTimer = metrics?.upstreamDuration.startTimer({ upstream, method: req.label });
    const body =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    try {
      const res = await this.dispatcher.request({
        origin: this.options.origin,
        method: req.method,
        path: req.path,
        headers,
        body,
        signal: req.signal,
        headersTimeout: headersTimeoutMs,
        bodyTimeout: bodyTimeoutMs,
      });
      const text = await res.body.text();
      if (req.keep) await req.keep(res.statusCode, text);
      if (text.length > LARGE_BODY_CHARS) await callsWritten();
      metrics?.upstreamCalls.inc({ upstream, method: req.label, outcome: String(res.statusCode) });
      return { status: res.statusCode, headers: res.headers, text, json: parseJson(text) };
    } catch (error) {
      const mapped = this.mapSocketError(error, req);
      metrics?.upstreamCalls.inc({ upstream, method: req.label, outcome: mapped.code });
      throw mapped;
    } finally {
      endTimer?.();
    }
  }

  private mapSocketError(error: unknown, req: UpstreamRequest): UpstreamError {
    const { upstream } = this.options;
    const name = upstream.toUpperCase();
    const code = (error as { code?: string }).code ?? '';
    if (req.signal?.aborted || (error as Error).name === 'AbortError') {
      return new UpstreamError(upstream, 'DEADLINE_EXCEEDED', `${name} call cancelled: the request deadline passed.`, {
        cause: error,
        mayHaveLanded: true,
      });
    }
    if (
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError
    ) {
      return new UpstreamError(upstream, 'UPSTREAM_TIMEOUT', `${name} did not answer in time.`, {
        cause: error,
        retryable: true,
        mayHaveLanded: !(error instanceof undiciErrors.ConnectTimeoutError),
      });
    }
    if (
      /CERT|SSL|TLS|SELF_SIGNED|ERR_OSSL|HOSTNAME|ALTNAME/i.test(code) ||
      /certificate|handshake|alert/i.test(String((error as Error).message))
    ) {
      return new UpstreamError(
        upstream,
        'UPSTREAM_AUTH_FAILED',
        `${name} TLS handshake failed (${code || 'certificate rejected'}).`,
        {
          cause: error,
        },
      );
    }
    return new UpstreamError(
      upstream,
      'UPSTREAM_UNAVAILABLE',
      `${name} is unreachable (${code || 'connection failed'}).`,
      {
        cause: error,
        retryable: true,
        mayHaveLanded: !NOT_SENT_CODES.has(code),
      },
    );
  }
}

/** The same failure, marked as the end of a call whose earlier attempt may have been carried out. */
function landed(error: UpstreamError): UpstreamError {
  const { upstream, code, message, cause, status, retryable, details } = error;
  return new UpstreamError(upstream, code, message, { cause, status, retryable, details, mayHaveLanded: true });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
