/**
 * The calls the KATA simulator serves, as `/_simulator/stats` counts them (SIM_KATA_FAULTS names
 * these). KATA has no login: every request authenticates by its client certificate.
 */
export const KATA_ENDPOINTS = [
  'GET sensors',
  'GET settings',
  'POST settings',
  'DELETE settings',
  'GET tasks',
  'POST tasks',
  'DELETE tasks',
  'GET events',
] as const;
