import { parentPort, workerData } from 'node:worker_threads';

import autocannon from 'autocannon';

import type { LoadOptions, LoadResult } from './load';

async function main(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
  });
  return {
    requests: result.requests.total,
    // Mean over the run's whole seconds; with `amount` the last partial second would skew the average.
    rps: Math.round(result.requests.total / Math.max(result.duration, 0.001)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

void main(workerData as LoadOptions).then((result) => parentPort!.postMessage(result));
