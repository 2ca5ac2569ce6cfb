import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

import { percentile } from './load';

/**
 * Where a request's time goes (BENCH_TIMELINE=1): moments from both processes on one clock
 * (process.hrtime is CLOCK_MONOTONIC, shared by every process of the machine), so a call can be
 * followed from the gateway's write to the simulator's arrival and back.
 *
 * Kinds: `send` / `in` (the bench client: request started, answer's last byte in), `request` /
 * `finished` (the gateway: request seen, answer handed to the socket), `call` / `written` /
 * `headers` / `body` (the gateway's upstream calls: created, written, answer's headers parsed,
 * answer's body in), `arrive` / `leave` (a simulator: call seen, answer handed to the socket).
 */
export interface TimelineEvent {
  /** Milliseconds on the monotonic clock. */
  t: number;
  kind: string;
  /** The upstream call's `<upstream> <endpoint>`; empty for the client's and the gateway's own. */
  label: string;
}

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * `<upstream> <endpoint>` for a call path: ids, versions and the `api` prefix dropped; KSC's
 * `Class.Method` and KATA's resource are the last segment, an MDR endpoint the last two
 * (`incidents/list`).
 */
export function endpointLabel(upstream: string, path: string): string {
  const segments = path
    .split('?', 1)[0]!
    .split('/')
    .filter((s) => s && s !== 'api' && !/^v\d+(\.\d+)?$/.test(s) && !/^[0-9a-f-]{16,}$/i.test(s));
  return `${upstream} ${segments.slice(upstream === 'mdr' ? -2 : -1).join('/')}`;
}

/** Upstream names by the port their simulator listens on, as the bench passes them to the gateway. */
export type PortNames = Record<string, string>;

/**
 * Records the simulators' side in the bench process: each call's arrival and its answer being
 * handed to the socket, by the port the simulator listens on. `mark` records the client's.
 */
export class TimelineRecorder {
  readonly events: TimelineEvent[] = [];
  recording = false;

  private readonly onStart = ({ request }: { request: IncomingMessage }) => this.simulator('arrive', request);
  private readonly onFinish = ({ request }: { request: IncomingMessage }) => this.simulator('leave', request);

  constructor(private readonly ports: PortNames) {
    diagnosticsChannel.subscribe('http.server.request.start', this.onStart as (message: unknown) => void);
    diagnosticsChannel.subscribe('http.server.response.finish', this.onFinish as (message: unknown) => void);
  }

  mark(kind: 'send' | 'in', t = nowMs()): void {
    if (this.recording) this.events.push({ t, kind, label: '' });
  }

  close(): void {
    diagnosticsChannel.unsubscribe('http.server.request.start', this.onStart as (message: unknown) => void);
    diagnosticsChannel.unsubscribe('http.server.response.finish', this.onFinish as (message: unknown) => void);
  }

  private simulator(kind: 'arrive' | 'leave', request: IncomingMessage): void {
    const upstream = this.ports[String(request.socket.localPort)];
    if (this.recording && upstream && !request.url?.startsWith('/_simulator/'))
      this.events.push({ t: nowMs(), kind, label: endpointLabel(upstream, request.url ?? '/') });
  }
}

export interface TimelineRow {
  /** `kind label`, with `#n` for the n-th time it happens in one request (n > 1). */
  moment: string;
  /** In how many of the requests it happened. */
  requests: number;
  /** Milliseconds after the client sent the request: quartiles over the requests it happened in. */
  q1: number;
  median: number;
  q3: number;
}

export interface TimelineSummary {
  requests: number;
  rows: TimelineRow[];
}

/**
 * Cuts the merged events into requests (from each `send` to its `in`) and gives, per moment, when
 * it happens after `send`. Events outside every request (another request's result-set release)
 * are left out; one that falls inside a request is that request's.
 */
export function summariseTimeline(events: readonly TimelineEvent[]): TimelineSummary {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const offsets = new Map<string, number[]>();
  let requests = 0;
  let start: number | undefined;
  let seen = new Map<string, number>();
  for (const event of sorted) {
    if (event.kind === 'send') {
      start = event.t;
      seen = new Map();
      requests++;
    }
    if (start === undefined) continue;
    const key = event.label ? `${event.kind} ${event.label}` : event.kind;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const moment = n > 1 ? `${key} #${n}` : key;
    const list = offsets.get(moment);
    if (list) list.push(event.t - start);
    else offsets.set(moment, [event.t - start]);
    if (event.kind === 'in') start = undefined;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  const rows = [...offsets].map(([moment, values]) => ({
    moment,
    requests: values.length,
    q1: round(percentile(values, 25)),
    median: round(percentile(values, 50)),
    q3: round(percentile(values, 75)),
  }));
  rows.sort((a, b) => a.median - b.median);
  return { requests, rows };
}

/** The rows as a markdown table; moments seen in fewer than half the requests are left out. */
export function timelineTable(name: string, { requests, rows }: TimelineSummary): string[] {
  return [
    `## Timeline: ${name} (${requests} requests; ms after the request was sent: median, quartiles)`,
    '',
    '| moment | median | 25 % | 75 % |',
    '| --- | ---: | ---: | ---: |',
    ...rows
      .filter((r) => r.requests * 2 >= requests)
      .map((r) => `| ${r.moment} | ${r.median.toFixed(2)} | ${r.q1.toFixed(2)} | ${r.q3.toFixed(2)} |`),
  ];
}
