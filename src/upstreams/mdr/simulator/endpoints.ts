/** The vendor methods the MDR simulator serves, as `/_simulator/stats` counts them (SIM_MDR_FAULTS names these). */
export const MDR_ENDPOINTS = [
  'session/confirm',
  'assets/count',
  'assets/list',
  'assets/details',
  'incidents/count',
  'incidents/list',
  'incidents/details',
  'responses/list',
  'response/update',
  'responses/update',
  'comments/list',
  'comments/create',
] as const;

/** Spared by SIM_FAULT_RATE unless named. */
export const MDR_LOGINS: ReadonlySet<string> = new Set(['session/confirm']);
