/**
 * KSC search filters (ksc-protocol.md §5): the RFC 2254-like language of `wstrFilter`, `strFilter`,
 * `KLEVP_RFC2254_FILTER` and SrvView filters. One parser serves both sides: the client validates a
 * caller's raw `kscFilter` before sending it, and the simulator evaluates filters with it, so the
 * two cannot disagree about what a filter means.
 *
 * Choices where the documentation is silent (also in the simulator README):
 * - `Pos n` is the 0-based offset into the filter text of the token at fault (so `(ol=1)` reports
 *   `Pos 1. Unknown attribute 'ol'.`, as the SOAR sample does).
 * - `((a)(b))`, a filter list without an operator (used in the SOAR examples), is an implicit AND.
 * - A bare item without brackets (`A = "x"`) and whitespace between tokens are accepted.
 * - String comparisons with `=` are case-insensitive wildcard matches; `<`, `>` compare text.
 * - `CURTIME(n)` is now + n seconds; `true`/`false` are accepted as 1/0.
 */

import { KscLong } from './wire';

export type FilterOperator = '=' | '<>' | '>' | '<';

export type FilterValue =
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'time'; value: Date }
  | { kind: 'curtime'; deltaSeconds: number }
  | { kind: 'binary'; hex: string };

export type FilterNode =
  | { kind: 'and'; items: FilterNode[] }
  | { kind: 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  | { kind: 'item'; attr: string; mask?: number; op: FilterOperator; value: FilterValue; pos: number };

export class FilterSyntaxError extends Error {
  constructor(
    readonly pos: number,
    readonly detail: string,
  ) {
    super(`Pos ${pos}. ${detail}`);
    this.name = 'FilterSyntaxError';
  }
}

export interface ParseOptions {
  /** Attribute names allowed (case-sensitive); others fail with `Unknown attribute`. */
  attributes?: ReadonlySet<string> | readonly string[];
}

const ATTR_START = /[A-Za-z_]/;
const ATTR_CHAR = /[A-Za-z0-9_.-]/;

export function parseFilter(text: string, options: ParseOptions = {}): FilterNode {
  const known = options.attributes ? new Set(options.attributes) : undefined;
  let i = 0;

  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (ch: string, what: string) => {
    ws();
    if (text[i] !== ch) throw new FilterSyntaxError(i, what);
    i++;
  };

  const filter = (): FilterNode => {
    ws();
    if (text[i] !== '(') throw new FilterSyntaxError(i, "Opening bracket '(' expected.");
    i++;
    ws();
    const node = filterComp();
    expect(')', "Closing bracket ')' expected.");
    return node;
  };

  const filterList = (): FilterNode[] => {
    const items: FilterNode[] = [];
    ws();
    if (text[i] !== '(') throw new FilterSyntaxError(i, "Opening bracket '(' expected.");
    while (true) {
      ws();
      if (text[i] !== '(') break;
      items.push(filter());
    }
    return items;
  };

  const filterComp = (): FilterNode => {
    const ch = text[i];
    if (ch === '&') {
      i++;
      return { kind: 'and', items: filterList() };
    }
    if (ch === '|') {
      i++;
      return { kind: 'or', items: filterList() };
    }
    if (ch === '!') {
      i++;
      return { kind: 'not', item: filter() };
    }
    if (ch === '(') {
      const items = filterList();
      return items.length === 1 ? items[0]! : { kind: 'and', items };
    }
    return item();
  };

  const item = (): FilterNode => {
    ws();
    const pos = i;
    if (i >= text.length || !ATTR_START.test(text[i]!)) throw new FilterSyntaxError(i, 'Attribute name expected.');
    while (i < text.length && ATTR_CHAR.test(text[i]!)) i++;
    const attr = text.slice(pos, i);
    if (known && !known.has(attr)) throw new FilterSyntaxError(pos, `Unknown attribute '${attr}'.`);
    ws();
    let mask: number | undefined;
    if (text[i] === '&') {
      i++;
      ws();
      const start = i;
      const m = /^(0x[0-9a-fA-F]+|\d+)/.exec(text.slice(i));
      if (!m) throw new FilterSyntaxError(start, 'Integer bit mask expected.');
      i += m[0].length;
      mask = Number(m[0]);
      ws();
    }
    const op = operator();
    ws();
    const value = literal();
    return { kind: 'item', attr, mask, op, value, pos };
  };

  const operator = (): FilterOperator => {
    if (text.startsWith('<>', i)) {
      i += 2;
      return '<>';
    }
    const ch = text[i];
    if (ch === '=' || ch === '>' || ch === '<') {
      i++;
      return ch;
    }
    throw new FilterSyntaxError(i, 'Comparison operator expected.');
  };

  const quoted = (): string => {
    // text[i] is the opening quote
    const start = i;
    i++;
    let out = '';
    while (true) {
      if (i >= text.length) throw new FilterSyntaxError(start, "Closing quote '\"' expected.");
      const ch = text[i]!;
      if (ch === '"') {
        if (text[i + 1] === '"') {
          out += '"';
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      out += ch;
      i++;
    }
  };

  const literal = (): FilterValue => {
    const start = i;
    const ch = text[i];
    if (ch === '"') return { kind: 'string', value: quoted() };
    if ((ch === 'T' || ch === 't') && text[i + 1] === '"') {
      i++;
      const raw = quoted();
      const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/.exec(raw.trim());
      const date = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw new FilterSyntaxError(start, 'Invalid time value.');
      return { kind: 'time', value: date };
    }
    const rest = text.slice(i);
    const cur = /^CURTIME\s*\(\s*([+-]?\d+)\s*\)/i.exec(rest);
    if (cur) {
      i += cur[0].length;
      return { kind: 'curtime', deltaSeconds: Number(cur[1]) };
    }
    const bin = /^0x([0-9a-fA-F]*)/.exec(rest);
    if (bin) {
      i += bin[0].length;
      return { kind: 'binary', hex: bin[1]!.toLowerCase() };
    }
    const int = /^[+-]?\d+/.exec(rest);
    if (int) {
      i += int[0].length;
      return { kind: 'int', value: Number(int[0]) };
    }
    const bool = /^(true|false)\b/i.exec(rest);
    if (bool) {
      i += bool[0].length;
      return { kind: 'int', value: bool[1]!.toLowerCase() === 'true' ? 1 : 0 };
    }
    throw new FilterSyntaxError(start, 'Value expected.');
  };

  ws();
  if (i >= text.length) throw new FilterSyntaxError(0, 'Empty filter.');
  const root = text[i] === '(' ? filter() : item();
  ws();
  if (i < text.length) throw new FilterSyntaxError(i, `Unexpected character '${text[i]}'.`);
  return root;
}

/** Throws FilterSyntaxError with KSC's `Pos n. …` text when `text` is not a valid filter. */
export function validateFilter(text: string, options: ParseOptions = {}): void {
  parseFilter(text, options);
}

// ---------------------------------------------------------------- evaluation (simulator side)

/** A record value as the simulator stores it: plain JS, Date for datetimes, Buffer for binary. */
export type FilterRecord = Record<string, unknown>;

type ItemNode = Extract<FilterNode, { kind: 'item' }>;
type OrNode = Extract<FilterNode, { kind: 'or' }>;

const hasWildcard = (pattern: string) => /[*?[]/.test(pattern);

/** A record value as string comparisons see it (datetimes in ISO form). */
const textOf = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/**
 * `(| (a = "x") (a = "y") …)` over one attribute with plain strings (how a batch of names is
 * asked for): one set lookup instead of a comparison per name. Built once per parsed filter.
 */
const equalityOneOf = new WeakMap<OrNode, { attr: string; values: Set<string> } | null>();

function oneOf(node: OrNode): { attr: string; values: Set<string> } | null {
  let found = equalityOneOf.get(node);
  if (found !== undefined) return found;
  const items = node.items as ItemNode[];
  const attr = items[0]?.kind === 'item' ? items[0].attr : undefined;
  const plain =
    attr !== undefined &&
    items.every(
      (i) =>
        i.kind === 'item' &&
        i.attr === attr &&
        i.op === '=' &&
        i.mask === undefined &&
        i.value.kind === 'string' &&
        !hasWildcard(i.value.value),
    );
  found = plain
    ? { attr, values: new Set(items.map((i) => (i.value as { value: string }).value.toLowerCase())) }
    : null;
  equalityOneOf.set(node, found);
  return found;
}

export function matchFilter(node: FilterNode, record: FilterRecord, nowMs: number): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => matchFilter(n, record, nowMs));
    case 'or': {
      const set = node.items.length > 2 ? oneOf(node) : null;
      if (set) {
        const raw = record[set.attr];
        return raw !== undefined && raw !== null && set.values.has(textOf(raw).toLowerCase());
      }
      return node.items.some((n) => matchFilter(n, record, nowMs));
    }
    case 'not':
      return !matchFilter(node.item, record, nowMs);
    case 'item':
      return matchItem(node, record[node.attr], nowMs);
  }
}

function matchItem(node: ItemNode, raw: unknown, nowMs: number): boolean {
  if (raw === undefined || raw === null) return node.op === '<>';
  let actual: unknown = raw;
  if (node.mask !== undefined) actual = Number(toNumber(raw)) & node.mask;
  const { value, op } = node;
  if (value.kind === 'string') {
    const text = textOf(actual);
    if (op === '=') {
      return hasWildcard(value.value)
        ? wildcardToRegExp(value.value).test(text)
        : text.toLowerCase() === value.value.toLowerCase();
    }
    const a = text.toLowerCase();
    const b = value.value.toLowerCase();
    return op === '<>' ? a !== b : op === '>' ? a > b : a < b;
  }
  let expected: number;
  let got: number;
  if (value.kind === 'time' || value.kind === 'curtime') {
    expected = value.kind === 'time' ? value.value.getTime() : nowMs + value.deltaSeconds * 1000;
    got =
      actual instanceof Date
        ? actual.getTime()
        : typeof actual === 'string'
          ? Date.parse(actual)
          : Number(actual) * 1000;
  } else if (value.kind === 'binary') {
    const hex = Buffer.isBuffer(actual) ? actual.toString('hex') : String(actual).toLowerCase().replace(/^0x/, '');
    return op === '='
      ? hex === value.hex
      : op === '<>'
        ? hex !== value.hex
        : op === '>'
          ? hex > value.hex
          : hex < value.hex;
  } else {
    expected = value.value;
    got = toNumber(actual);
  }
  if (Number.isNaN(got)) return op === '<>';
  return op === '=' ? got === expected : op === '<>' ? got !== expected : op === '>' ? got > expected : got < expected;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof KscLong) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number(v);
  return Number.NaN;
}

const regexCache = new Map<string, RegExp>();

/** `*`, `?`, `[a-f]`, `[^a-f]` → an anchored, case-insensitive RegExp. */
export function wildcardToRegExp(pattern: string): RegExp {
  const cached = regexCache.get(pattern);
  if (cached) return cached;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^') && body.length > 1) {
        negate = true;
        body = body.slice(1);
      }
      let set = '';
      for (let j = 0; j < body.length; j++) {
        const c = body[j]!;
        if (c === '-' && j > 0 && j < body.length - 1) set += '-';
        else set += c.replace(/[\\\][^-]/g, '\\$&');
      }
      out += `[${negate ? '^' : ''}${set}]`;
      i = close;
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const re = new RegExp(`^${out}$`, 'iu');
  if (regexCache.size > 5000) regexCache.clear();
  regexCache.set(pattern, re);
  return re;
}

// ---------------------------------------------------------------- building (client side)

/**
 * A quoted string literal matching `value` exactly: quotes doubled, and the wildcard characters
 * `*`, `?` and `[` wrapped in one-character sets (`[*]`), the grammar's only way to match them
 * literally. Nothing a value contains can end the literal or change the filter's structure.
 */
export function literal(value: string): string {
  return `"${value.replace(/"/g, '""').replace(/[*?[]/g, (c) => `[${c}]`)}"`;
}

/** A quoted pattern: `*` and `?` stay wildcards, everything else (`[`, quotes) is literal. */
export function pattern(value: string): string {
  return `"${value.replace(/"/g, '""').replace(/\[/g, '[[]')}"`;
}

/** `T"YYYY-MM-DD hh:mm:ss"` (UTC). */
export function timeLiteral(date: Date): string {
  return `T"${date.toISOString().slice(0, 19).replace('T', ' ')}"`;
}

const ATTR_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function checkAttr(attr: string): string {
  if (!ATTR_NAME.test(attr)) throw new Error(`Invalid KSC attribute name: ${attr}`);
  return attr;
}

/** Filter builders: every value goes through `literal`/`pattern`, never string concatenation. */
export const kscFilter = {
  eq: (attr: string, value: string | number | boolean) =>
    `(${checkAttr(attr)}=${typeof value === 'string' ? literal(value) : Number(value)})`,
  like: (attr: string, value: string) => `(${checkAttr(attr)}=${pattern(value)})`,
  /** Contains `value` anywhere, literally (its own `*` and `?` are not wildcards); `=` ignores case. */
  contains: (attr: string, value: string) => `(${checkAttr(attr)}="*${literal(value).slice(1, -1)}*")`,
  cmp: (attr: string, op: FilterOperator, value: number | Date) =>
    `(${checkAttr(attr)}${op}${value instanceof Date ? timeLiteral(value) : Math.trunc(value)})`,
  bit: (attr: string, mask: number, set: boolean) => `(${checkAttr(attr)}&${Math.trunc(mask)}${set ? '<>' : '='}0)`,
  and: (...parts: (string | undefined)[]) => combine('&', parts),
  or: (...parts: (string | undefined)[]) => combine('|', parts),
  not: (part: string) => `(!${part})`,
  anyOf: (attr: string, values: readonly (string | number)[], wildcards = false) =>
    combine(
      '|',
      values.map((v) => (typeof v === 'string' && wildcards ? kscFilter.like(attr, v) : kscFilter.eq(attr, v))),
    ),
};

function combine(op: '&' | '|', parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => !!p);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return `(${op}${present.join('')})`;
}
