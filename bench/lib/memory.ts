import { readFileSync } from 'node:fs';

/** Current and peak resident set size of a process, in MB (Linux /proc: VmRSS and VmHWM). */
export function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/**
 * RSS of a process sampled on a timer while it runs: an instant reading lands anywhere between
 * a collection and the next (here ±25 MB around the median as old space fills before a
 * mark-compact), so a steady state is told by the median of a window of samples.
 */
export class RssSampler {
  private readonly samples: { atMs: number; rssMb: number }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.samples.push({ atMs: performance.now(), rssMb: rssOf(this.pid).rssMb }), everyMs);
    this.timer.unref();
  }

  /** A mark for `medianMb`: now, on the samples' clock. */
  now(): number {
    return performance.now();
  }

  /** Median RSS of the samples taken between two marks; null when there were none. */
  medianMb(fromMs: number, toMs: number): number | null {
    const window = this.samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs).map((s) => s.rssMb);
    if (window.length === 0) return null;
    window.sort((a, b) => a - b);
    return window[Math.floor(window.length / 2)]!;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
