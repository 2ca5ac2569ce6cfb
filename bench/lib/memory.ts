import { readFileSync } from 'node:fs';

/** Current and peak resident set size of a process, in MB (Linux /proc: VmRSS and VmHWM). */
export function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/**
 * The live heap after each full collection, read from a process started with `--trace-gc`. RSS
 * follows the heap V8 has committed, which grows and shrinks with its collection schedule (here
 * 140–195 MB from one reading to the next under the same load); what survives a mark-compact is
 * what a leak would grow.
 */
export class FullGcLog {
  private lastLiveMb: number | null = null;

  /** One line of the process's stdout; lines other than a mark-compact's are ignored. */
  readonly onLine = (line: string): void => {
    const match = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/.exec(line);
    if (match) this.lastLiveMb = Number(match[1]);
  };

  /** MB live after the latest full collection so far; null before the first. */
  liveMb(): number | null {
    return this.lastLiveMb;
  }
}
