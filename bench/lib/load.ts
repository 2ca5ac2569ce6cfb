import path from 'node:path';
import { fork } from 'node:child_process';

export interface LoadOptions {
  url: string;
  body?: string;
  method?: string;
  headers?: Record<string, string>;
  connections: number;
  /** Stop after this many requests (else after `durationS`). */
  amount?: number;
  durationS?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/**
 * One autocannon run, in a child process so the generator never shares an event loop (or a core's
 * time slice) with the simulators running in the bench process. Not a worker thread: autocannon
 * takes any non-main thread for one of its own workers. The same generator and settings for every
 * target, so ratios are fair.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-worker.js'), [JSON.stringify(options)], { stdio: 'inherit' });
    child.once('message', (result: LoadResult) => resolve(result));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
