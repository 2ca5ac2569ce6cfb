import { FullGcLog } from '../../bench/lib/memory';

// Lines as Node 20 prints them under --trace-gc.
const MARK_COMPACT =
  '[17586:0x414b3f00]      533 ms: Mark-Compact 90.9 (123.1) -> 76.0 (109.4) MB, 75.42 / 0.01 ms  (+ 41.3 ms in 84 steps since start of marking, biggest step 6.3 ms, walltime since start of marking 201 ms) (average mu = 1.000, current mu = 1.000) finalize incremental marking via stack guard; GC in old space requested';
const REDUCE =
  '[17586:0x414b3f00]     9120 ms: Mark-Compact (reduce) 40.2 (77.1) -> 27.3 (73.0) MB, 12.02 / 0.00 ms  (average mu = 0.990, current mu = 0.990) memory reducer; GC in old space requested';
const SCAVENGE =
  '[17586:0x414b3f00]      700 ms: Scavenge 60.1 (77.8) -> 45.2 (78.1) MB, 2.31 / 0.00 ms  (average mu = 0.947, current mu = 0.947) allocation failure;';

describe('the bench reading the live heap from --trace-gc', () => {
  it('takes what survived the latest mark-compact and ignores scavenges and log lines', () => {
    const log = new FullGcLog();
    expect(log.liveMb()).toBeNull();
    log.onLine('{"level":40,"msg":"Mark-Compact mentioned in a log line"}');
    expect(log.liveMb()).toBeNull();
    log.onLine(MARK_COMPACT);
    expect(log.liveMb()).toBe(76);
    log.onLine(SCAVENGE);
    expect(log.liveMb()).toBe(76);
    log.onLine(REDUCE);
    expect(log.liveMb()).toBe(27.3);
  });
});
