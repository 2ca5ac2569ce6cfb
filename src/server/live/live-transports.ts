import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import { GraphQLError } from 'graphql';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createHandler } from 'graphql-sse/lib/use/http';
import { decodeJwt } from 'jose';
import { WebSocketServer } from 'ws';

import type { Authenticate } from '../../auth/authenticator';
import type { Caller } from '../../domain/caller';
import { formatError } from '../../errors/format-error';
import { GatewayError } from '../../errors/gateway-error';
import { createContext } from '../../graph/context';
import type { LiveHub } from '../../graph/live/live-hub';
import type { LoaderMode } from '../../graph/loaders/loader-mode';
import type { TenantDirectory } from '../../graph/tenancy';
import type { Logger } from '../../logger';
import type { Upstreams } from '../../upstreams';
import { admitSubscription } from './admission';
import type { AdmissionOptions } from './admission';

export interface LiveTransportOptions {
  admission: AdmissionOptions;
  authenticate: Authenticate;
  upstreams: Upstreams;
  tenants: TenantDirectory;
  live: LiveHub;
  logger: Logger;
  loaderMode?: LoaderMode;
}

/** A caller established for a long-lived connection, and when its token stops being valid. */
interface Connected {
  caller: Caller;
  /** ms since the epoch; undefined when the token has no end (auth disabled). */
  expiresAt?: number;
}

/** GraphQL over WebSocket (the graphql-ws protocol, `graphql-transport-ws`) on the GraphQL path. */
export function attachWebSocket(
  server: Server,
  path: string,
  options: LiveTransportOptions,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.admission.limits.maxBodyBytes });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== path) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const connections = new WeakMap<object, Connected & { signal: AbortController; timer?: NodeJS.Timeout }>();
  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      async onConnect(ctx) {
        const params = ctx.connectionParams ?? {};
        const header =
          stringParam(params.authorization) ??
          stringParam(params.Authorization) ??
          ctx.extra.request.headers.authorization;
        let connected: Connected;
        try {
          connected = await establish(options.authenticate, ctx.extra.request, header);
        } catch (error) {
          const code =
            error instanceof GatewayError && error.code === 'FORBIDDEN' ? CloseCode.Forbidden : CloseCode.Unauthorized;
          ctx.extra.socket.close(code, code === CloseCode.Forbidden ? 'Forbidden' : 'Unauthorized');
          return false;
        }
        const signal = new AbortController();
        const state = { ...connected, signal, timer: undefined as NodeJS.Timeout | undefined };
        if (connected.expiresAt !== undefined) {
          // A token that expires during a long connection ends it; the client reconnects with a new one.
          state.timer = setTimeout(
            () => ctx.extra.socket.close(CloseCode.Unauthorized, 'Token expired'),
            Math.max(0, connected.expiresAt - Date.now()),
          );
          state.timer.unref();
        }
        connections.set(ctx.extra.socket, state);
        return true;
      },
      onClose(ctx) {
        const state = connections.get(ctx.extra.socket);
        clearTimeout(state?.timer);
        state?.signal.abort();
      },
      onSubscribe(ctx, _id, payload) {
        const state = connections.get(ctx.extra.socket);
        if (!state) return [new GraphQLError('Not connected.', { extensions: { code: 'UNAUTHENTICATED' } })];
        return executionArgs(options, state.caller, state.signal.signal, payload);
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatted(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
    },
  };
}

/**
 * GraphQL over Server-Sent Events (graphql-sse, distinct connections mode): each subscription is one
 * `text/event-stream` request to `path`, authenticated like any request to /graphql.
 */
export function sseHandler(
  options: LiveTransportOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const callers = new WeakMap<IncomingMessage, { caller: Caller; signal: AbortSignal }>();
  const handler = createHandler<Record<PropertyKey, unknown>>({
    // Distinct connections only: a reservation token (single connection mode) would outlive the
    // request that authenticated it.
    authenticate: () => null,
    onSubscribe(req, params) {
      const known = callers.get(req.raw);
      if (!known)
        return { errors: [new GraphQLError('Not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })] };
      const args = executionArgs(options, known.caller, known.signal, params);
      if (Array.isArray(args)) return { errors: args.map((e) => formatError(e.toJSON(), e)) as GraphQLError[] };
      return { ...args, contextValue: args.contextValue as Record<PropertyKey, unknown> };
    },
    onNext: (_ctx, _req, result) => formatted(result as ExecutionResult),
  });
  return async (req, res) => {
    let connected: Connected;
    try {
      connected = await establish(options.authenticate, req, req.headers.authorization);
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : 'UNAUTHENTICATED';
      const status = code === 'FORBIDDEN' ? 403 : 401;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      });
      return void res.end(JSON.stringify({ errors: [{ message: (error as Error).message, extensions: { code } }] }));
    }
    const signal = new AbortController();
    res.once('close', () => signal.abort());
    if (connected.expiresAt !== undefined) {
      const timer = setTimeout(() => res.end(), Math.max(0, connected.expiresAt - Date.now()));
      timer.unref();
      res.once('close', () => clearTimeout(timer));
    }
    callers.set(req, { caller: connected.caller, signal: signal.signal });
    await handler(req, res);
  };
}

async function establish(
  authenticate: Authenticate,
  req: IncomingMessage,
  header: string | undefined,
): Promise<Connected> {
  const request = Object.create(req, {
    headers: { value: { ...req.headers, authorization: header } },
  }) as IncomingMessage;
  const caller = await authenticate(request);
  if (caller.roles.length === 0) throw new GatewayError('FORBIDDEN', 'Your token grants no gateway role.');
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  let expiresAt: number | undefined;
  try {
    const exp = token ? decodeJwt(token).exp : undefined;
    expiresAt = exp === undefined ? undefined : exp * 1000;
  } catch {
    expiresAt = undefined;
  }
  return { caller, expiresAt };
}

function executionArgs(
  options: LiveTransportOptions,
  caller: Caller,
  signal: AbortSignal,
  request: { query?: unknown; operationName?: string | null; variables?: Record<string, unknown> | null },
): ExecutionArgs | GraphQLError[] {
  const admitted = admitSubscription(options.admission, caller, request);
  if (Array.isArray(admitted)) return admitted;
  const contextValue = createContext({
    requestId: randomUUID(),
    logger: options.logger,
    caller,
    upstreams: options.upstreams,
    signal,
    loaderMode: options.loaderMode,
    tenants: options.tenants,
    live: options.live,
  });
  return {
    schema: options.admission.schema,
    document: admitted.document,
    operationName: request.operationName ?? undefined,
    variableValues: request.variables ?? undefined,
    contextValue,
  };
}

function formatted(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((e) => formatError(e.toJSON(), e) as GraphQLFormattedError as GraphQLError),
  };
}

function stringParam(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return /^Bearer\s/i.test(value) ? value : `Bearer ${value}`;
}
