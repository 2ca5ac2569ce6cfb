import { spawnSync } from 'node:child_process';

/**
 * The cores a latency run gives the gateway and the cores it leaves to this process (the
 * simulators and the client), so the simulators stand apart from the gateway as remote servers do.
 * Sharing every core, the kernel runs a simulator woken by the gateway's write on the gateway's own
 * core, and the write returns only once the simulator has run (measured on two cores: the 85 kB
 * triage answer's write took 1.18 ms at p50 shared, 0.17 ms split).
 */
export interface CoreSplit {
  gateway: number[];
  bench: number[];
  all: number[];
}

/** The `taskset --cpu-list` spelling of a set of cores. */
export const cpuList = (cores: readonly number[]): string => cores.join(',');

/** `null` when BENCH_PIN=0, with fewer than two cores, or where util-linux's taskset is missing or refused. */
export function splitCores(setting: string | undefined): { split: CoreSplit | null; why: string } {
  if (setting === '0') return { split: null, why: 'BENCH_PIN=0' };
  const all = affinityOf(process.pid);
  if (!all) return { split: null, why: 'taskset (util-linux) is not available' };
  if (all.length < 2) return { split: null, why: 'one core only' };
  // Setting the affinity it already has shows whether this environment lets it be set at all.
  const refused = setAffinity(process.pid, all);
  if (refused) return { split: null, why: `taskset may not set affinities here (${refused})` };
  const half = Math.floor(all.length / 2);
  return { split: { gateway: all.slice(0, half), bench: all.slice(half), all }, why: '' };
}

/** Binds every thread of `pid` to `cores` (threads and children it starts later inherit them). */
export function pin(pid: number, cores: readonly number[]): void {
  const refused = setAffinity(pid, cores);
  if (refused) throw new Error(`taskset could not pin pid ${pid} to ${cpuList(cores)}: ${refused}`);
}

/** Why taskset could not bind `pid` to `cores`, or `null` once it has. */
function setAffinity(pid: number, cores: readonly number[]): string | null {
  const run = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList(cores), String(pid)], {
    encoding: 'utf8',
  });
  if (run.status === 0) return null;
  return run.error?.message ?? (run.stderr?.trim() || `exit ${run.status}`);
}

/** The cores `pid` may run on, or `null` without taskset. */
function affinityOf(pid: number): number[] | null {
  const run = spawnSync('taskset', ['--cpu-list', '--pid', String(pid)], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  // "pid 123's current affinity list: 0-3,6"
  const list = /list:\s*(\S+)/.exec(run.stdout)?.[1];
  if (!list) return null;
  return list.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number) as [number, number?];
    return Array.from({ length: to! - from + 1 }, (_, i) => from + i);
  });
}
