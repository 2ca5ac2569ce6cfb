import { randomUUID } from 'node:crypto';
import { once, setMaxListeners } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, HTTPGraphQLRequest } from '@apollo/server';

import { gatewayAuthChecker } from '../auth/auth-checker';
import { createAuthenticator } from '../auth/authenticator';
import type { Authenticate } from '../auth/authenticator';
import { TokenBucketRateLimiter } from '../auth/rate-limiter';
import { RedisRateLimiter } from '../auth/redis-rate-limiter';
import type { RateLimiter } from '../auth/rate-limiter';
import { ConfigError } from '../config/config-error';
import { isLoopbackHost } from '../config/loopback';
import type { Config } from '../config/settings';
import type { Caller } from '../domain/caller';
import { formatError } from '../errors/format-error';
import { GatewayError } from '../errors/gateway-error';
import { setPageLimits } from '../graph/connections/page-window';
import { createContext } from '../graph/context';
import { LiveHub } from '../graph/live/live-hub';
import { TenantDirectory } from '../graph/tenancy';
import type { Context } from '../graph/context';
import { buildGatewaySchema } from '../graph/schema';
import { createLogger } from '../logger';
import type { Logger } from '../logger';
import { GatewayMetrics } from '../metrics';
import { SharedRedis } from '../state/redis';
import { closeUpstreams, configuredClients, createUpstreams } from '../upstreams';
import type { Upstreams } from '../upstreams';
import { GRAPHQL_RESPONSE_JSON, prefersGraphqlResponseJson } from './accept';
import { armorProtection } from './limits/armor';
import { FieldRepeatsScreen } from './limits/field-repeats';
import { attachWebSocket, sseHandler } from './live/live-transports';
import { PLAYGROUND_CSP, Playground } from './playground';
import { authorizationPlugin } from './plugins/authorization.plugin';
import { compiledExecutionPlugin } from './plugins/compiled-execution.plugin';
import { jsonStatusPlugin } from './plugins/json-status.plugin';
import { limitsPlugin } from './plugins/limits.plugin';
import { observabilityPlugin } from './plugins/observability.plugin';
import { operationReadsPlugin } from './plugins/operation-reads.plugin';
import { operationTypesPlugin } from './plugins/operation-types.plugin';
import { partialFailuresPlugin } from './plugins/partial-failures.plugin';
import { repeatedErrorsPlugin } from './plugins/repeated-errors.plugin';
import { ReadinessProbe } from './readiness';

export type { Authenticate };

export interface GatewayOptions {
  logger?: Logger;
  /** Clients to use instead of building them from the config (demo mode, tests). */
  upstreams?: Upstreams;
  /** @default from `config.auth`: bearer JWTs verified against the configured key set (auth/authenticator.ts) */
  authenticate?: Authenticate;
  /** @default from RATE_LIMIT_PER_MINUTE and RATE_LIMIT_BURST: per caller, shared through Redis with REDIS_URL */
  rateLimiter?: RateLimiter;
  /** Headers pre-filled in the playground (demo mode: a demo token, minted per page load when a function). */
  playgroundHeaders?: Record<string, string> | (() => Promise<Record<string, string>>);
  metrics?: GatewayMetrics;
}

export interface RunningGateway {
  /** `http://host:port` */
  origin: string;
  /** The GraphQL endpoint. */
  url: string;
  upstreams: Upstreams;
  metrics: GatewayMetrics;
  /** The live feeds behind subscriptions. */
  live: LiveHub;
  /** Stop accepting, finish in-flight requests, close upstream pools. */
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
/** GraphQL over SSE (graphql-sse); GraphQL over WebSocket shares GRAPHQL_PATH. */
const LIVE_SSE_PATH = '/graphql/stream';
const SHUTDOWN_GRACE_MS = 10_000;

export async function startGateway(config: Readonly<Config>, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = options.metrics ?? new GatewayMetrics();
  // Before any upstream pool exists: a gateway without caller authentication must not start at all.
  const authenticate = options.authenticate ?? createAuthenticator(config.auth);
  // One connection for everything replicas share; without REDIS_URL, this process keeps it all.
  const redis = config.redis ? new SharedRedis({ settings: config.redis, logger, metrics }) : undefined;
  if (redis && !(await redis.ready())) logger.warn('Redis not reachable yet; /readyz waits for it');
  const shared = redis && config.redis ? { redis, waitReplicas: config.redis.waitReplicas } : undefined;
  const upstreams =
    options.upstreams ?? (await createUpstreams(config, { logger, metrics, stateDir: config.stateDir, shared }));
  const limit = (name: string, perMinute: number, burst: number): RateLimiter =>
    redis ? new RedisRateLimiter({ redis, name, perMinute, burst }) : new TokenBucketRateLimiter({ perMinute, burst });
  const rateLimiter =
    options.rateLimiter ?? limit('caller', config.limits.rateLimitPerMinute, config.limits.rateLimitBurst);
  // Keyed by client address: a client that keeps sending bad tokens is refused before we verify more.
  const authFailures = limit('auth-failures', config.limits.authFailuresPerMinute, config.limits.authFailuresBurst);
  let bindHost = config.host;
  if (config.auth.disabled && !options.authenticate) {
    if (!isLoopbackHost(config.host)) bindHost = '127.0.0.1';
    logger.warn(
      { host: bindHost, configuredHost: config.host },
      'AUTH_DISABLED=true: every caller is an anonymous administrator; listening on loopback only',
    );
  }
  setPageLimits({ defaultSize: config.limits.defaultPageSize, maxSize: config.limits.maxPageSize });

  const armor = armorProtection(config.limits);
  const fieldRepeats = new FieldRepeatsScreen(config.limits.maxFieldRepeats, config.limits.maxTokens);
  const observability = observabilityPlugin(metrics);
  const schema = buildGatewaySchema({ authChecker: gatewayAuthChecker });
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    csrfPrevention: true,
    // Shutdown is ours (main.ts): Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: armor.validationRules,
    formatError,
    plugins: [
      // No HTTP caching of answers (callers' data differs by role and tenant), so no per-field
      // cache hints: Apollo would otherwise wrap every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      // The playground is ours (every asset from this server); Apollo's page loads its own from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      observability,
      partialFailuresPlugin(metrics),
      // First of the didResolveOperation checks: Apollo answers with the first one that throws.
      operationTypesPlugin(),
      ...(armor.plugins as ApolloServerPlugin<Context>[]),
      limitsPlugin(config.limits),
      authorizationPlugin(),
      jsonStatusPlugin(),
      repeatedErrorsPlugin(),
      operationReadsPlugin(),
      compiledExecutionPlugin({
        compileAfter: config.executor === 'interpreted' ? null : (config.compileAfter ?? 1),
        metrics,
        formatError,
        onErrors: observability.recordErrors,
      }),
    ],
  });
  await apollo.start();

  const playground = new Playground();
  const readiness = new ReadinessProbe(configuredClients(upstreams), { redis });
  const tenants = new TenantDirectory(config.tenants ?? [], logger);
  const live = new LiveHub(upstreams, tenants, config.live, logger);
  const liveOptions = {
    admission: { schema, limits: config.limits, rules: armor.validationRules, introspection: config.introspection },
    authenticate,
    upstreams,
    tenants,
    live,
    logger,
    loaderMode: config.loaderMode,
  };
  const sse = sseHandler(liveOptions);
  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const requestId = validRequestId(req.headers['x-request-id']) ?? randomUUID();
    const log = logger.child({ reqId: requestId });
    const url = new URL(req.url ?? '/', 'http://gateway');
    res.setHeader('x-request-id', requestId);
    setSecurityHeaders(res);
    applyCors(req, res, config.corsOrigins);
    let operation: string | undefined;
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        operation,
      };
      if (url.pathname === GRAPHQL_PATH) log.info(entry, 'request');
      else log.debug(entry, 'request');
    });

    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    switch (url.pathname) {
      case '/favicon.ico':
        return void res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz': {
        const state = await readiness.check();
        return sendJson(
          res,
          state.ready && !stopping ? 200 : 503,
          stopping ? { ...state, ready: false, stopping } : state,
        );
      }
      case '/metrics': {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        return void res.end(await metrics.registry.metrics());
      }
    }
    if (url.pathname.startsWith(`${GRAPHQL_PATH}/assets/`) && req.method === 'GET') {
      const asset = playground.asset(url.pathname.slice(`${GRAPHQL_PATH}/assets/`.length));
      if (!asset) return sendJson(res, 404, { error: 'Not Found' });
      res.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=86400' });
      return void res.end(asset.body);
    }
    if (url.pathname === LIVE_SSE_PATH) return sse(req, res);
    if (url.pathname !== GRAPHQL_PATH) return sendJson(res, 404, { error: 'Not Found' });
    if (req.method === 'GET' && !url.search && prefersHtml(req)) {
      res.setHeader('content-security-policy', PLAYGROUND_CSP);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const headers =
        typeof options.playgroundHeaders === 'function' ? await options.playgroundHeaders() : options.playgroundHeaders;
      return void res.end(playground.html(GRAPHQL_PATH, headers));
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendErrors(res, 405, 'Use GET or POST.', 'METHOD_NOT_ALLOWED');
    }

    const body = await readBody(req, config.limits.maxBodyBytes);
    // The client went away mid-body: no one to answer, and nothing of ours went wrong.
    if (body === 'aborted') return void res.destroy();
    if (body === 'too-large') {
      return sendErrors(res, 413, `The request body exceeds ${config.limits.maxBodyBytes} bytes.`, 'BAD_REQUEST', {
        reason: 'body_too_large',
      });
    }
    let parsed: unknown = body;
    if (req.method === 'POST' && /^application\/(graphql-response\+)?json/i.test(req.headers['content-type'] ?? '')) {
      try {
        parsed = body.length ? JSON.parse(body) : {};
      } catch {
        return sendErrors(res, 400, 'The request body is not valid JSON.', 'BAD_REQUEST', { reason: 'body_not_json' });
      }
    }

    let caller: Caller;
    const client = `ip:${req.socket.remoteAddress}`;
    try {
      const throttled = await authFailures.peek(client);
      if (!throttled.allowed) {
        res.setHeader('retry-after', String(throttled.retryAfterS));
        throw new GatewayError(
          'RATE_LIMITED',
          `Too many failed authentications; retry in ${throttled.retryAfterS} s.`,
          {
            details: { retryAfterS: throttled.retryAfterS },
          },
        );
      }
      try {
        caller = await authenticate(req);
      } catch (error) {
        if (error instanceof GatewayError && error.code === 'UNAUTHENTICATED') await authFailures.take(client);
        throw error;
      }
      const allowance = await rateLimiter.take(caller.subject === 'anonymous' ? client : `sub:${caller.subject}`);
      if (!allowance.allowed) {
        res.setHeader('retry-after', String(allowance.retryAfterS));
        throw new GatewayError('RATE_LIMITED', `Too many requests; retry in ${allowance.retryAfterS} s.`, {
          details: { retryAfterS: allowance.retryAfterS },
        });
      }
    } catch (error) {
      if (error instanceof GatewayError) {
        const status = AUTH_FAILURE_STATUS[error.code] ?? 403;
        if (status === 401) res.setHeader('www-authenticate', wwwAuthenticate(req, error));
        metrics.errors.inc({ code: error.code });
        if (status >= 500)
          log.warn({ code: error.code, cause: (error.cause as Error | undefined)?.message }, error.message);
        else log.info({ code: error.code, reason: error.details?.reason }, 'caller refused');
        return sendErrors(res, status, error.message, error.code, error.details);
      }
      throw error;
    }

    const query = req.method === 'GET' ? url.searchParams.get('query') : (parsed as { query?: unknown } | null)?.query;
    const refusal = fieldRepeats.refusal(query);
    if (refusal) {
      metrics.errors.inc({ code: 'QUERY_TOO_COMPLEX' });
      log.info({ code: 'QUERY_TOO_COMPLEX' }, refusal.message);
      // The status of every other document limit (see jsonStatusPlugin).
      const status = prefersGraphqlResponseJson(req.headers.accept) ? 400 : 200;
      return sendErrors(res, status, refusal.message, 'QUERY_TOO_COMPLEX');
    }

    const deadline = new AbortController();
    // One query can have many upstream calls in flight, each listening on this signal.
    setMaxListeners(0, deadline.signal);
    const timer = setTimeout(
      () => deadline.abort(new GatewayError('DEADLINE_EXCEEDED', 'The request took too long.')),
      config.limits.requestTimeoutMs,
    );
    res.once('close', () => {
      if (!res.writableFinished) deadline.abort(new GatewayError('DEADLINE_EXCEEDED', 'The client went away.'));
    });
    inFlight++;
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const httpRequest: HTTPGraphQLRequest = { method: req.method, headers, search: url.search, body: parsed };
      const context = createContext({
        requestId,
        logger: log,
        caller,
        upstreams,
        signal: deadline.signal,
        loaderMode: config.loaderMode,
        tenants,
        live,
      });
      // Only a string: String() of a client's object can throw (no toString) or recurse without end.
      const named = (parsed as { operationName?: unknown } | null)?.operationName;
      if (typeof named === 'string') operation = named || undefined;
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: httpRequest,
        context: async () => context,
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } finally {
      clearTimeout(timer);
      inFlight--;
      if (stopping && inFlight === 0) drained?.();
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request handler failed');
      if (!res.headersSent) sendErrors(res, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  const webSocket = attachWebSocket(server, GRAPHQL_PATH, liveOptions);
  try {
    await listen(server, config.port, bindHost);
  } catch (error) {
    await apollo.stop();
    await closeUpstreams(upstreams);
    await redis?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const origin = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  void readiness.check();

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      live.close();
      await webSocket.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
      await apollo.stop();
      await closeUpstreams(upstreams);
      await redis?.close();
    })());

  return { origin, url: `${origin}${GRAPHQL_PATH}`, upstreams, metrics, live, stop };
}

const AUTH_FAILURE_STATUS: Partial<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
};

/** RFC 6750: no error code when no token was sent, `invalid_token` when the one sent was refused. */
function wwwAuthenticate(req: IncomingMessage, error: GatewayError): string {
  if (!req.headers.authorization?.trim()) return 'Bearer';
  return `Bearer error="invalid_token", error_description="${error.message.replace(/["\\]/g, '')}"`;
}

/** Not a name or address of this machine: unresolvable, not local, or not an IP family it has. */
const HOST_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL']);

/**
 * Binds the server; a failure to bind is a bad PORT or HOST, so it is reported as one (a ConfigError,
 * one line at start-up) rather than as a raw socket error.
 */
async function listen(server: http.Server, port: number, host: string): Promise<void> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    if (code === 'EADDRINUSE')
      throw new ConfigError('PORT', `${where} is already in use (EADDRINUSE); choose another PORT or HOST.`);
    if (code === 'EACCES')
      throw new ConfigError('PORT', `not allowed to listen on ${where} (EACCES); ports below 1024 need privileges.`);
    if (code && HOST_ERRORS.has(code)) throw new ConfigError('HOST', `cannot listen on ${host} (${syscall} ${code}).`);
    throw error;
  }
}

function validRequestId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(value) ? value : undefined;
}

function prefersHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  // Answers hold security data for one caller (and the demo playground a token): no cache keeps them.
  // The playground's static assets say otherwise for themselves.
  res.setHeader('cache-control', 'no-store');
}

function applyCors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (!origin || !allowed.includes(origin)) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-credentials', 'true');
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id',
    );
    res.setHeader('access-control-max-age', '600');
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        req.resume();
        return 'too-large';
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    return 'aborted';
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function sendErrors(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  details?: Record<string, unknown>,
): void {
  const payload = JSON.stringify({ errors: [{ message, extensions: { code, ...details } }] });
  // As Apollo answers: application/json unless the client prefers graphql-response+json.
  const type = prefersGraphqlResponseJson(res.req?.headers.accept) ? GRAPHQL_RESPONSE_JSON : 'application/json';
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
