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
    // Over the run's exact wall time: autocannon's `duration` is in whole seconds.
    rps: Math.round(result.requests.total / Math.max((result.finish.getTime() - result.start.getTime()) / 1000, 0.001)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

// Forked by runLoad with the options as its one argument; answers once over IPC, then exits.
void main(JSON.parse(process.argv[2]!) as LoadOptions).then((result) => process.send!(result, () => process.exit(0)));
