import diagnosticsChannel from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';

import { endpointLabel, nowMs } from './timeline';
import type { PortNames, TimelineEvent } from './timeline';

/*
 * Loaded into the gateway process with `--require` (BENCH_TIMELINE=1): records the gateway's side
 * of each request from Node's and undici's diagnostics channels, without a line of gateway code,
 * and writes it to BENCH_TIMELINE_FILE as the process exits. Upstream calls are named by the port
 * of their simulator (BENCH_TIMELINE_PORTS, JSON).
 */

interface UndiciRequest {
  origin?: string | URL;
  path: string;
}

const file = process.env.BENCH_TIMELINE_FILE;
const ports = JSON.parse(process.env.BENCH_TIMELINE_PORTS ?? '{}') as PortNames;
const events: TimelineEvent[] = [];
const labels = new WeakMap<object, string>();

const record = (kind: string, label = '') => events.push({ t: nowMs(), kind, label });
const on = (channel: string, handler: (message: { request: UndiciRequest }) => void) =>
  diagnosticsChannel.subscribe(channel, handler as (message: unknown) => void);

on('http.server.request.start', () => record('request'));
on('http.server.response.finish', () => record('finished'));
on('undici:request:create', ({ request }) => {
  const port = new URL(String(request.origin)).port;
  const label = endpointLabel(ports[port] ?? port, request.path);
  labels.set(request, label);
  record('call', label);
});
on('undici:client:sendHeaders', ({ request }) => record('written', labels.get(request)));
on('undici:request:headers', ({ request }) => record('headers', labels.get(request)));
on('undici:request:trailers', ({ request }) => record('body', labels.get(request)));

// Collections, as pauses of the event loop: their entries carry performance.now() times, which the
// offset puts on the monotonic clock of every other moment.
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'young-generation',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const performanceOffset = nowMs() - performance.now();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    // A gc entry's `detail` (Node 16+) is missing from the PerformanceEntry type.
    const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1;
    events.push({
      t: entry.startTime + performanceOffset,
      kind: 'gc',
      label: GC_KINDS[kind] ?? 'other',
      ms: entry.duration,
    });
  }
}).observe({ entryTypes: ['gc'] });

process.on('exit', () => {
  if (file) writeFileSync(file, JSON.stringify(events));
});
