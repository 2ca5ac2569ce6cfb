/**
 * The instant tests pin the simulators' estate to (SIM_EPOCH / `epochMs`), so dates in a test
 * name the same records on every run; the default, the wall clock, is for people.
 */
export const TEST_EPOCH_MS = Date.UTC(2026, 10, 1);
