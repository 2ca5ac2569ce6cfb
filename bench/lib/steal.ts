import { readFileSync } from 'node:fs';

/** The machine's CPU ticks so far (all cores), from the first line of /proc/stat. */
export interface CpuTicks {
  total: number;
  steal: number;
}

/** `null` off Linux, or where /proc/stat cannot be read. */
export function cpuTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    if (line.split(/\s+/)[0] !== 'cpu' || fields.length < 8 || fields.some(Number.isNaN)) return null;
    // guest and guest_nice are already counted in user and nice.
    return { total: fields.slice(0, 8).reduce((sum, n) => sum + n, 0), steal: fields[7]! };
  } catch {
    return null;
  }
}

/**
 * The share of CPU time the hypervisor gave to other guests between two readings, in percent. On a
 * shared virtual machine it is the one figure that says whether a run was measured while the host
 * was busy: the gateway, the simulators and every packet between them then wait their turn.
 */
export function stealPercent(before: CpuTicks | null, after: CpuTicks | null): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return Math.round(((after.steal - before.steal) / (after.total - before.total)) * 1000) / 10;
}
