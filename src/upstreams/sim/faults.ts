import { STATUS_CODES } from 'node:http';

/**
 * What an injected fault does to a call: `mixed` is SIM_FAULT_RATE's blend (5xx, 429, resets);
 * a status answers it with an error body; `reset` drops the connection before any work, `lost`
 * after the work is done (the answer is lost: what a client must not "fix" by re-sending a write).
 */
export type FaultAction = 'mixed' | 'reset' | 'lost' | { status: number };

export interface FaultRule {
  /** Share of the endpoint's calls (0..1) that get the fault. */
  rate: number;
  action: FaultAction;
}

/** Per-endpoint settings of one simulator, by endpoint name as `/_simulator/stats` counts it; `*` = the simulator's other endpoints. */
export interface EndpointFaults {
  faults?: Readonly<Record<string, FaultRule>>;
  latencyMs?: Readonly<Record<string, number>>;
}

export class FaultSpecError extends Error {}

const STATUS = /^[45]\d\d$/;

/**
 * `endpoint:rate[:fault][,…]` (SIM_MDR_FAULTS, SIM_KSC_FAULTS, SIM_KATA_FAULTS): fault is an HTTP
 * status 400..599, `reset`, `lost` or, left out, the global blend. Endpoints must be ones the
 * simulator serves (`known`), or `*`. The endpoint is everything before the last `:`s, so KATA's
 * `GET sensors` reads as written.
 */
export function parseFaultRules(text: string, known: readonly string[]): Record<string, FaultRule> {
  const rules: Record<string, FaultRule> = {};
  for (const entry of entries(text)) {
    const parts = entry.split(':').map((p) => p.trim());
    const last = parts[parts.length - 1]!;
    const hasAction =
      parts.length >= 3 && (STATUS.test(last) || last === 'reset' || last === 'lost' || last === 'mixed');
    const action = hasAction ? parts.pop()! : 'mixed';
    const rateText = parts.pop();
    const endpoint = parts.join(':');
    if (rateText === undefined || !endpoint) throw new FaultSpecError(`"${entry}" is not endpoint:rate[:fault].`);
    const rate = Number(rateText);
    if (rateText === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
      throw new FaultSpecError(`"${entry}": the rate must be a number from 0 to 1.`);
    if (!STATUS.test(action) && !['reset', 'lost', 'mixed'].includes(action))
      throw new FaultSpecError(`"${entry}": the fault must be an HTTP status 400..599, reset or lost.`);
    rules[checkEndpoint(endpoint, known, entry)] = {
      rate,
      action: STATUS.test(action) ? { status: Number(action) } : (action as 'reset' | 'lost' | 'mixed'),
    };
  }
  return rules;
}

/** `endpoint:ms[,…]` (SIM_MDR_LATENCY_MS, …): each named endpoint's answer time; `*` = the simulator's default. */
export function parseLatencies(text: string, known: readonly string[], maxMs: number): Record<string, number> {
  const latencies: Record<string, number> = {};
  for (const entry of entries(text)) {
    const cut = entry.lastIndexOf(':');
    const endpoint = entry.slice(0, Math.max(0, cut)).trim();
    const msText = entry.slice(cut + 1).trim();
    const ms = Number(msText);
    if (cut < 0 || !endpoint) throw new FaultSpecError(`"${entry}" is not endpoint:milliseconds.`);
    if (msText === '' || !Number.isInteger(ms) || ms < 0 || ms > maxMs)
      throw new FaultSpecError(`"${entry}": the latency must be an integer from 0 to ${maxMs}.`);
    latencies[checkEndpoint(endpoint, known, entry)] = ms;
  }
  return latencies;
}

function entries(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
}

function checkEndpoint(endpoint: string, known: readonly string[], entry: string): string {
  if (endpoint === '*' || known.includes(endpoint)) return endpoint;
  const near = known.filter((k) => k.toLowerCase().includes(endpoint.toLowerCase().split(/[./ ]/).pop() ?? ''));
  throw new FaultSpecError(
    `"${entry}": unknown endpoint "${endpoint}"${near.length && near.length <= 5 ? ` (did you mean ${near.join(', ')}?)` : ''}.`,
  );
}

/** The error body a status fault answers with (429 says when to come back, as a rate limit does). */
export function faultReply(status: number): { status: number; headers?: Record<string, string>; json: unknown } {
  return {
    status,
    ...(status === 429 ? { headers: { 'retry-after': '1' } } : {}),
    json: { error: status === 503 ? 'Service Unavailable, repeat later' : (STATUS_CODES[status] ?? 'Error') },
  };
}
