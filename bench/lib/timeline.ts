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
 * answer's body in), `arrive` / `leave` (a simulator: call seen, answer handed to the socket),
 * `gc` (the gateway's event loop paused by a garbage collection; `label` its kind, `ms` its length).
 */
export interface TimelineEvent {
  /** Milliseconds on the monotonic clock. */
  t: number;
  kind: string;
  /** The upstream call's `<upstream> <endpoint>`; empty for the client's and the gateway's own. */
  label: string;
  /** A collection's pause. */
  ms?: number;
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
    // Collections fall in some requests and not others: summariseCollections tells their effect.
    if (event.kind === 'gc') continue;
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

export interface CollectionSummary {
  /** Per kind of collection that overlapped a request: how many, their pause, when they started. */
  kinds: { kind: string; count: number; medianPauseMs: number; medianStartMs: number }[];
  requests: number;
  /** Requests whose time (sent to last byte in) a collection's pause overlapped. */
  requestsWithCollection: number;
  /** End to end, of the requests a collection overlapped and of the others. */
  withCollection: { p50Ms: number; p95Ms: number };
  withoutCollection: { p50Ms: number; p95Ms: number };
}

/**
 * What the gateway's garbage collections did to the requests: a young-generation collection
 * pauses the event loop for milliseconds, which costs a request nothing while the gateway waits
 * on its upstreams and its whole length while the gateway has work on the request's path. Starts
 * are ms after the overlapped request was sent (negative: the pause began before it).
 */
export function summariseCollections(events: readonly TimelineEvent[]): CollectionSummary {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const windows: { from: number; to: number; collected: boolean }[] = [];
  let from: number | undefined;
  for (const event of sorted) {
    if (event.kind === 'send') from = event.t;
    else if (event.kind === 'in' && from !== undefined) {
      windows.push({ from, to: event.t, collected: false });
      from = undefined;
    }
  }
  const byKind = new Map<string, { pauses: number[]; starts: number[] }>();
  for (const gc of sorted) {
    if (gc.kind !== 'gc') continue;
    const end = gc.t + (gc.ms ?? 0);
    const overlapped = windows.filter((w) => gc.t < w.to && end > w.from);
    if (overlapped.length === 0) continue;
    for (const w of overlapped) w.collected = true;
    const kind = byKind.get(gc.label) ?? { pauses: [], starts: [] };
    kind.pauses.push(gc.ms ?? 0);
    kind.starts.push(gc.t - overlapped[0]!.from);
    byKind.set(gc.label, kind);
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  const times = (collected: boolean) => {
    const ms = windows.filter((w) => w.collected === collected).map((w) => w.to - w.from);
    return { p50Ms: round(percentile(ms, 50)), p95Ms: round(percentile(ms, 95)) };
  };
  return {
    kinds: [...byKind].map(([kind, { pauses, starts }]) => ({
      kind,
      count: pauses.length,
      medianPauseMs: round(percentile(pauses, 50)),
      medianStartMs: round(percentile(starts, 50)),
    })),
    requests: windows.length,
    requestsWithCollection: windows.filter((w) => w.collected).length,
    withCollection: times(true),
    withoutCollection: times(false),
  };
}

/** One line on the collections that overlapped a workload's requests. */
export function collectionsLine(c: CollectionSummary): string {
  if (c.requestsWithCollection === 0)
    return `Garbage collections in the gateway: none during the ${c.requests} requests.`;
  const kinds = c.kinds
    .map(
      (k) =>
        `${k.count} ${k.kind} (median pause ${k.medianPauseMs} ms, starting ${k.medianStartMs} ms after the request was sent)`,
    )
    .join(', ');
  return (
    `Garbage collections in the gateway during the ${c.requests} requests: ${kinds}; ` +
    `the ${c.requestsWithCollection} requests they overlapped took p50 ${c.withCollection.p50Ms} / p95 ${c.withCollection.p95Ms} ms, ` +
    `the others ${c.withoutCollection.p50Ms} / ${c.withoutCollection.p95Ms}.`
  );
}
