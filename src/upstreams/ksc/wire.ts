/**
 * KSC OpenAPI wire shapes and the KLPAR typed-value encoding (ksc-protocol.md §2–3). Shared by the
 * client and the simulator; graph code never sees these.
 */

/** `PxgError` of a method-level failure (answered with HTTP 200). */
export interface PxgError {
  code: number;
  subcode?: number;
  module?: string;
  file?: string;
  line?: number;
  message: string;
  locdata?: unknown;
}

/** A typed wrapper as it appears inside containers and arrays. */
export interface Typed {
  type: 'long' | 'datetime' | 'date' | 'binary' | 'float' | 'double' | 'params';
  value: unknown;
}

/** A long that must be wrapped `{"type":"long"}` inside containers (plain at top level). */
export class KscLong {
  constructor(readonly value: number) {}
}

/** `YYYY-MM-DDTHH:MM:SSZ`, no fractional seconds (KlAkOAPI rejects them). */
export function formatKscDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Encodes a plain JS value as KSC does inside a container: Date → datetime, KscLong → long,
 * Buffer → binary, object → params. `topLevel` leaves containers and longs bare, as KSC sends
 * PxgRetVal and out-params.
 */
export function encodeValue(value: unknown, topLevel = false): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return { type: 'datetime', value: formatKscDate(value) };
  if (value instanceof KscLong) return topLevel ? value.value : { type: 'long', value: value.value };
  if (Buffer.isBuffer(value)) return { type: 'binary', value: value.toString('base64') };
  if (Array.isArray(value)) return value.map((v) => encodeValue(v));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeValue(v);
    return topLevel ? out : { type: 'params', value: out };
  }
  return value;
}

/**
 * Decodes typed values into JSON-friendly plain values: datetimes → ISO strings (or null for ""),
 * longs → numbers, binary → base64 strings, params → objects. Accepts bare and wrapped forms.
 * Never throws on a value: one odd attribute must not fail a whole page of hosts.
 */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.type === 'string' && 'value' in v && ownKeysAtMost(v, 2)) {
      switch (v.type) {
        case 'datetime':
          return decodeDatetime(v.value);
        case 'date':
        case 'binary':
          return v.value;
        case 'long':
        case 'float':
        case 'double':
          return Number(v.value);
        case 'params':
          return decodeValue(v.value);
      }
    }
    const out: Record<string, unknown> = {};
    for (const k in v) if (Object.hasOwn(v, k)) out[k] = decodeValue(v[k]);
    return out;
  }
  return value;
}

/** Counts without building the key list: every row of a chunk and each of its values is asked. */
function ownKeysAtMost(v: object, max: number): boolean {
  let n = 0;
  for (const k in v) if (Object.hasOwn(v, k) && ++n > max) return false;
  return true;
}

/** A datetime that is no date (a server bug, a format we do not know) stays as sent. */
function decodeDatetime(value: unknown): string | null {
  if (!value) return null;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** Items of `KLCSP_ITERATOR_ARRAY` / `KLEVP_EVENT_RANGE_ARRAY` etc., decoded. */
export function decodeRows(container: unknown, key: string): Record<string, unknown>[] {
  const arr = (container as Record<string, unknown> | undefined)?.[key];
  if (!Array.isArray(arr)) return [];
  return arr.map((item) => decodeValue(item) as Record<string, unknown>);
}

export interface ChunkAnswer {
  pChunk?: { KLCSP_ITERATOR_ARRAY?: unknown[] };
  PxgRetVal?: number;
}
