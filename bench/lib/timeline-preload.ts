import diagnosticsChannel from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

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

process.on('exit', () => {
  if (file) writeFileSync(file, JSON.stringify(events));
});
