import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';

import { faultReply } from './faults';
import type { EndpointFaults, FaultAction, FaultRule } from './faults';
import { Random } from './random';

/** Settings every simulator shares (docs/operations.md: SIM_*). */
export interface SimulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Seed of the data set and of the fault sequence. @default 1 */
  seed?: number;
  /** Data-set size multiplier. @default 1 */
  scale?: number;
  /**
   * The instant the data set is generated around (SIM_EPOCH): its newest records lie just before
   * it, and the simulator's data clock runs on from it. @default the wall clock at start
   */
  epochMs?: number;
  /** The wall-clock instant the data clock reads `epochMs` at (simulators of one start share it). @default the start */
  startedAtMs?: number;
  /** Added latency per vendor call: the answer leaves this long after the call arrived, its work done meanwhile. @default 0 */
  latencyMs?: number;
  /** Share of vendor calls (0..1) answered with a 5xx, a 429 or a connection reset; logins are spared. @default 0 */
  faultRate?: number;
  /** Steps of the estate's own activity per minute (see SimulatorRoutes.activity). @default 0 */
  activityPerMinute?: number;
  /** Per-endpoint faults and latencies (SIM_<NAME>_FAULTS, SIM_<NAME>_LATENCY_MS): they win over the two above. */
  endpoints?: EndpointFaults;
}

export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  socket: Socket | TLSSocket;
  /** The body parsed as JSON; undefined when empty; throws SyntaxError when malformed. */
  json(): unknown;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** JSON serialised ahead (answers that never change); sent as is, `json` and `text` ignored. */
  jsonBytes?: Buffer;
  /** Sent as text/plain (ignored when `json` is set). */
  text?: string;
}

export interface SimulatorRoutes {
  /**
   * The vendor method a request addresses (`incidents/list`, `HostGroup.FindHosts`): the key it is
   * counted under in `/_simulator/stats`. Undefined means "not a vendor path" (404, not counted).
   */
  endpointOf(req: SimRequest): string | undefined;
  handle(req: SimRequest, endpoint: string): Promise<SimReply> | SimReply;
  /** Live server-side resources, for `/_simulator/stats`. */
  open(): OpenResources;
  /**
   * One step of the estate's own life (a new incident, a status change, a new event), as a real
   * deployment changes while nobody calls it: run every so often (SIM_ACTIVITY_PER_MINUTE) and on
   * `POST /_simulator/activity`.
   */
  activity?(): void;
  /** Endpoints that log in: the global fault rate spares them (a named rule does not). */
  readonly logins?: ReadonlySet<string>;
  /** Events a simulator counts besides calls (`counters` in `/_simulator/stats`), zeroed with the calls. */
  counters?(): Record<string, number>;
  resetCounters?(): void;
}

/**
 * `open` in `/_simulator/stats` (docs/operations.md): the three promised counts, 0 where the vendor has
 * no such thing, so a test can assert "nothing leaked" the same way against any simulator.
 * Simulators may add counts of their own.
 */
export interface OpenResources {
  /** Server-side sessions a client holds open. */
  sessions: number;
  /** Result sets read by chunks (KSC `ChunkAccessor`), not yet released. */
  accessors: number;
  /** Result sets read by iterating (KSC event iterators, `SrvView`), not yet released. */
  iterators: number;
  [extra: string]: number;
}

export interface TlsIdentity {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA that client certificates must chain to (mutual TLS). */
  ca?: string | Buffer;
  /** Ask for a client certificate (the route decides what a missing one means). */
  requestCert?: boolean;
}

export interface SimulatorStats {
  calls: Record<string, number>;
  open: OpenResources;
  counters?: Record<string, number>;
}

export type FaultKind = { status: number } | 'reset-before' | 'reset-after';

/**
 * The HTTP(S) server under every simulator: routing to the vendor handler, call counting,
 * added latency and injected faults, and the `/_simulator/*` control paths (docs/operations.md).
 */
export class SimulatorServer {
  readonly server: http.Server;
  private calls = new Map<string, number>();
  /** Milliseconds from each counted call's arrival to its answer having been written, summed per endpoint. */
  private answering = new Map<string, number>();
  private readonly faults: Random;
  private readonly sockets = new Set<Socket>();
  /** The default answer time of every endpoint (SIM_LATENCY_MS). */
  latencyMs: number;
  /** The default fault rate of every endpoint but logins (SIM_FAULT_RATE). */
  faultRate: number;
  /** Per-endpoint faults; `*` stands for every endpoint not named but logins. Tests may change them. */
  readonly endpointFaults: Map<string, FaultRule>;
  /** Per-endpoint answer times; `*` stands for every endpoint not named. */
  readonly endpointLatencyMs: Map<string, number>;
  /** Faults queued for the next calls of an endpoint (injectFaults), taken before faultRate is. */
  private readonly queuedFaults = new Map<string, FaultKind[]>();
  /**
   * Tests: awaited before a counted call is answered, to order calls across simulators by events
   * rather than by time (hold one call until another arrives).
   */
  beforeAnswer?: (endpoint: string) => Promise<void> | void;

  private activityTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly routes: SimulatorRoutes,
    private readonly options: SimulatorOptions & { tls?: TlsIdentity; name: string },
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.faultRate = options.faultRate ?? 0;
    this.endpointFaults = new Map(Object.entries(options.endpoints?.faults ?? {}));
    this.endpointLatencyMs = new Map(Object.entries(options.endpoints?.latencyMs ?? {}));
    this.faults = new Random(options.seed ?? 1).fork(`faults:${options.name}`);
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'Internal simulator error' }));
        }
        process.emitWarning(`simulator ${options.name}: ${(error as Error).stack ?? String(error)}`);
      });
    };
    const tls = options.tls;
    this.server = tls
      ? https.createServer(
          {
            key: tls.key,
            cert: tls.cert,
            ca: tls.ca,
            requestCert: tls.requestCert ?? false,
            rejectUnauthorized: false,
          },
          listener,
        )
      : http.createServer(listener);
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<string> {
    this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    await once(this.server, 'listening');
    const perMinute = this.options.activityPerMinute ?? 0;
    if (perMinute > 0 && this.routes.activity) {
      this.activityTimer = setInterval(() => this.routes.activity!(), 60_000 / perMinute);
      this.activityTimer.unref();
    }
    return this.origin;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    const host = this.options.host ?? '127.0.0.1';
    return `${this.options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  stats(): SimulatorStats {
    const counters = this.routes.counters?.();
    return { calls: Object.fromEntries(this.calls), open: this.routes.open(), ...(counters ? { counters } : {}) };
  }

  /** How many times one vendor method was called since the last reset. */
  callCount(endpoint: string): number {
    return this.calls.get(endpoint) ?? 0;
  }

  /** All vendor calls since the last reset. */
  totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  /**
   * Mean milliseconds from a call's arrival to its answer, per endpoint since the last reset
   * (added latency included): what a client waited on the simulator. In-process only (benchmarks).
   */
  answerTimes(): Record<string, number> {
    return Object.fromEntries(
      [...this.answering].map(([endpoint, ms]) => [endpoint, ms / (this.calls.get(endpoint) ?? 1)]),
    );
  }

  /**
   * Tests: the next calls of `endpoint` get these faults, one each in order, whatever faultRate
   * says; a fault sequence a client must survive, without waiting for the seeded one to bring it.
   */
  injectFaults(endpoint: string, ...faults: FaultKind[]): void {
    this.queuedFaults.set(endpoint, [...(this.queuedFaults.get(endpoint) ?? []), ...faults]);
  }

  resetStats(): void {
    this.calls = new Map();
    this.answering = new Map();
    this.routes.resetCounters?.();
  }

  async close(): Promise<void> {
    clearInterval(this.activityTimer);
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await once(this.server, 'close').catch(() => undefined);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://simulator');

    if (url.pathname === '/_simulator/stats' && req.method === 'GET')
      return send(res, { status: 200, json: this.stats() });
    if (url.pathname === '/_simulator/reset-stats' && req.method === 'POST') {
      this.resetStats();
      return send(res, { status: 200, json: { ok: true } });
    }
    if (url.pathname === '/_simulator/activity' && req.method === 'POST') {
      if (!this.routes.activity) return send(res, { status: 404, json: { error: 'No activity here' } });
      this.routes.activity();
      return send(res, { status: 200, json: { ok: true } });
    }

    const simReq: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      socket: req.socket,
      json: () => (body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))),
    };
    const endpoint = this.routes.endpointOf(simReq);
    if (!endpoint) return send(res, { status: 404, json: { error: 'Not Found' } });
    this.calls.set(endpoint, (this.calls.get(endpoint) ?? 0) + 1);
    // As the answer leaves (not at 'finish', which waits for the socket to take a large body).
    const answering = this.answering;
    const answered = () => void answering.set(endpoint, (answering.get(endpoint) ?? 0) + performance.now() - arrived);

    // A test's hold (beforeAnswer) delays the answer by itself: the latency then counts from its end.
    const from = this.beforeAnswer ? (await this.beforeAnswer(endpoint), performance.now()) : arrived;
    // The latency is the upstream's answer time, counted from the call's arrival: the call's own
    // work (handling, encoding) runs while it passes, as on a server of its own, instead of adding
    // to it. Here the simulators share one thread and the gateway's cores; counting their work on
    // top would bill it to the gateway. The work waits one turn, so calls that arrived meanwhile
    // (another simulator's, in this thread) are taken in first and their clocks start on time.
    const latencyMs = this.latencyOf(endpoint);
    const answerDue = latencyMs > 0 ? answerAt(from + latencyMs) : undefined;
    if (answerDue) await nextTurn();
    const fault = this.queuedFaults.get(endpoint)?.shift() ?? this.nextFault(endpoint);
    if (fault === 'reset-before') {
      await answerDue;
      answered();
      return void req.socket.destroy();
    }
    const reply =
      fault && fault !== 'reset-after' ? faultReply(fault.status) : await this.routes.handle(simReq, endpoint);
    const encoded = encode(reply);
    await answerDue;
    answered();
    // The work is done but the answer is lost: what a client must not "fix" by blindly re-sending a write.
    if (fault === 'reset-after') return void req.socket.destroy();
    writeReply(res, encoded);
  }

  /** The answer time an endpoint gets: its own, else the simulator's `*`, else the global one. */
  latencyOf(endpoint: string): number {
    return this.endpointLatencyMs.get(endpoint) ?? this.endpointLatencyMs.get('*') ?? this.latencyMs;
  }

  /** A named rule, else `*`, else the global rate (not for logins: a login storm is its own test). */
  private ruleOf(endpoint: string): FaultRule | undefined {
    const named = this.endpointFaults.get(endpoint);
    if (named) return named;
    if (this.routes.logins?.has(endpoint)) return undefined;
    return this.endpointFaults.get('*') ?? (this.faultRate > 0 ? { rate: this.faultRate, action: 'mixed' } : undefined);
  }

  private nextFault(endpoint: string): FaultKind | undefined {
    const rule = this.ruleOf(endpoint);
    if (!rule || rule.rate <= 0 || !this.faults.chance(rule.rate)) return undefined;
    return kindOf(rule.action, this.faults);
  }
}

function kindOf(action: FaultAction, rng: Random): FaultKind {
  if (typeof action === 'object') return action;
  if (action === 'reset') return 'reset-before';
  if (action === 'lost') return 'reset-after';
  const r = rng.next();
  return r < 0.3
    ? { status: 503 }
    : r < 0.45
      ? { status: 500 }
      : r < 0.65
        ? { status: 429 }
        : r < 0.85
          ? 'reset-before'
          : 'reset-after';
}

/** Answers in their last millisecond, turning the event loop (all simulators of this process). */
let finishing = 0;
/** Beyond this many, the rest wait on the timer alone: under load, turning the loop would take a core. */
const MAX_FINISHING = 4;

/**
 * Resolves at `due` (performance.now() time) to a tenth of a millisecond while few answers are
 * due together. Node's timers fire on whole milliseconds of the event loop's clock, up to about
 * one late; every call would take that much longer than SIM_LATENCY_MS. A timer brings it to
 * within a millisecond, turns of the event loop the rest. The timer is unreferenced: a pending
 * answer does not keep a closing process alive.
 */
function answerAt(due: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const left = due - performance.now();
      if (left > 2) setTimeout(check, Math.floor(left) - 1).unref();
      else if (left <= 0) resolve();
      else if (finishing >= MAX_FINISHING) setTimeout(resolve, Math.ceil(left)).unref();
      else {
        finishing++;
        const turn = () => {
          if (due - performance.now() > 0) return void setImmediate(turn);
          finishing--;
          resolve();
        };
        turn();
      }
    };
    check();
  });
}

interface EncodedReply {
  status: number;
  headers: Record<string, string>;
  payload: Buffer;
}

function encode(reply: SimReply): EncodedReply {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer;
  if (reply.jsonBytes !== undefined || reply.json !== undefined) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    payload = reply.jsonBytes ?? Buffer.from(JSON.stringify(reply.json));
  } else {
    if (reply.text !== undefined) headers['content-type'] ??= 'text/plain; charset=utf-8';
    payload = Buffer.from(reply.text ?? '');
  }
  // Bytes, not a string: writing a 100 kB string to the socket measured several times slower
  // than encoding it first, and the length is known without a second pass.
  headers['content-length'] = String(payload.length);
  return { status: reply.status, headers, payload };
}

function writeReply(res: http.ServerResponse, { status, headers, payload }: EncodedReply): void {
  res.writeHead(status, headers);
  res.end(payload);
}

function send(res: http.ServerResponse, reply: SimReply): void {
  writeReply(res, encode(reply));
}
