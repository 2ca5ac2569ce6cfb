import fc from 'fast-check';

import {
  FilterSyntaxError,
  kscFilter,
  literal,
  matchFilter,
  parseFilter,
  pattern,
  validateFilter,
} from '../../src/upstreams/ksc/filter';
import { KscLong } from '../../src/upstreams/ksc/wire';

const HOST_ATTRS = [
  'KLHST_WKS_DN',
  'KLHST_WKS_FQDN',
  'KLHST_WKS_OS_NAME',
  'KLHST_WKS_STATUS',
  'KLHST_WKS_LAST_VISIBLE',
  'name',
  'parentId',
  'KLHSTUSER_BINID',
];
const now = Date.UTC(2026, 10, 1);

function errorOf(text: string, attributes: string[] = HOST_ATTRS): string {
  try {
    parseFilter(text, { attributes });
  } catch (error) {
    expect(error).toBeInstanceOf(FilterSyntaxError);
    return (error as Error).message;
  }
  throw new Error(`parsed: ${text}`);
}

const match = (text: string, record: Record<string, unknown>) => matchFilter(parseFilter(text), record, now);

describe('KSC filter grammar', () => {
  test('and, or, not, every operator', () => {
    expect(parseFilter('(&(a=1)(b<>"x")(!(c>2))(|(d<3)(e="y")))')).toMatchObject({
      kind: 'and',
      items: [
        { kind: 'item', attr: 'a', op: '=', value: { kind: 'int', value: 1 } },
        { kind: 'item', attr: 'b', op: '<>', value: { kind: 'string', value: 'x' } },
        { kind: 'not', item: { kind: 'item', attr: 'c', op: '>' } },
        { kind: 'or', items: [{ op: '<' }, { op: '=' }] },
      ],
    });
  });

  test('implicit AND of a bracketed list (the SOAR examples)', () => {
    const f = '((KLHST_WKS_FQDN="kasper*")(KLHST_WKS_OS_NAME="*Server 2019"))';
    expect(parseFilter(f, { attributes: HOST_ATTRS })).toMatchObject({
      kind: 'and',
      items: [{ attr: 'KLHST_WKS_FQDN' }, { attr: 'KLHST_WKS_OS_NAME' }],
    });
    expect(match(f, { KLHST_WKS_FQDN: 'kasper1.local', KLHST_WKS_OS_NAME: 'Windows Server 2019' })).toBe(true);
    expect(match(f, { KLHST_WKS_FQDN: 'kasper1.local', KLHST_WKS_OS_NAME: 'Windows 10' })).toBe(false);
    expect(match('((name="*group*")(parentId=1))', { name: 'My Group A', parentId: 1 })).toBe(true);
  });

  test('bare item, whitespace and newlines between tokens', () => {
    expect(match('KLHST_WKS_DN = "WS-1"', { KLHST_WKS_DN: 'ws-1' })).toBe(true);
    expect(match(' (\n\t& ( a = 1 )\n ( b = 2 ) ) ', { a: 1, b: 2 })).toBe(true);
  });

  test('values: doubled quotes, T"…", CURTIME, 0x…, signed integers, booleans', () => {
    expect(parseFilter('(a="some ""computer""")')).toMatchObject({
      value: { kind: 'string', value: 'some "computer"' },
    });
    expect(parseFilter('(a>T"2005-04-27 23:59:01")')).toMatchObject({
      value: { kind: 'time', value: new Date('2005-04-27T23:59:01Z') },
    });
    expect(parseFilter('(a<CURTIME(-86400))')).toMatchObject({ value: { kind: 'curtime', deltaSeconds: -86400 } });
    expect(parseFilter('(KLHSTUSER_BINID=0xDEADbeef)')).toMatchObject({ value: { kind: 'binary', hex: 'deadbeef' } });
    expect(parseFilter('(a=-12)')).toMatchObject({ value: { kind: 'int', value: -12 } });
    expect(parseFilter('(a=true)')).toMatchObject({ value: { kind: 'int', value: 1 } });
  });

  test('integers compare with long attributes (event_id, file ids) as the simulator stores them', () => {
    expect(match('(event_id = 1004999)', { event_id: new KscLong(1004999) })).toBe(true);
    expect(match('(event_id = 1004999)', { event_id: new KscLong(1005000) })).toBe(false);
    expect(match('(event_id > 1004999)', { event_id: new KscLong(1005000) })).toBe(true);
  });

  test('bit tests', () => {
    expect(match('(KLHST_WKS_STATUS&1<>0)', { KLHST_WKS_STATUS: 0x5 })).toBe(true);
    expect(match('(KLHST_WKS_STATUS&1<>0)', { KLHST_WKS_STATUS: 0x4 })).toBe(false);
    expect(match('(KLHST_WKS_STATUS&0x10=16)', { KLHST_WKS_STATUS: 0x14 })).toBe(true);
  });

  test('wildcards: * ? [a-f] [^a-f] [set], case-insensitive, only with =', () => {
    expect(match('(a="WS-*")', { a: 'ws-fin-0001' })).toBe(true);
    expect(match('(a="WS-??N*")', { a: 'WS-FIN-1' })).toBe(true);
    expect(match('(a="[a-c]x")', { a: 'bx' })).toBe(true);
    expect(match('(a="[a-c]x")', { a: 'dx' })).toBe(false);
    expect(match('(a="[^a-c]x")', { a: 'dx' })).toBe(true);
    expect(match('(a="[xyz]1")', { a: 'y1' })).toBe(true);
    expect(match('(a<>"WS-*")', { a: 'WS-1' })).toBe(true);
  });

  test('times and CURTIME compare against datetimes', () => {
    const rec = { t: new Date(now - 3600_000) };
    expect(match('(t>T"2026-10-31 22:00:00")', rec)).toBe(true);
    expect(match('(t>CURTIME(-7200))', rec)).toBe(true);
    expect(match('(t>CURTIME(-60))', rec)).toBe(false);
  });

  test.each([
    ['(KLHST_WKS_DN="x"', "Pos 17. Closing bracket ')' expected."],
    ['(ol="x")', "Pos 1. Unknown attribute 'ol'."],
    ['(&(KLHST_WKS_DN="a")(ol=1))', "Pos 21. Unknown attribute 'ol'."],
    ['(KLHST_WKS_DN "x")', 'Pos 14. Comparison operator expected.'],
    ['(KLHST_WKS_DN=)', 'Pos 14. Value expected.'],
    ['(KLHST_WKS_DN="abc)', "Pos 14. Closing quote '\"' expected."],
    ['(&)', "Pos 2. Opening bracket '(' expected."],
    ['(!x=1)', "Pos 2. Opening bracket '(' expected."],
    ['(=1)', 'Pos 1. Attribute name expected.'],
    ['(name=1))', "Pos 8. Unexpected character ')'."],
    ['(KLHST_WKS_LAST_VISIBLE>T"yesterday")', 'Pos 24. Invalid time value.'],
    ['(KLHST_WKS_STATUS&x=1)', 'Pos 18. Integer bit mask expected.'],
    ['   ', 'Pos 0. Empty filter.'],
  ])('error text for %s', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  test('the SOAR sample position: the bracket missing at offset 28', () => {
    expect(errorOf('((KLHST_WKS_DN="WIN10-12345")', HOST_ATTRS)).toBe("Pos 29. Closing bracket ')' expected.");
    expect(errorOf('(KLHST_WKS_FQDN="kaspersky1"', HOST_ATTRS)).toBe("Pos 28. Closing bracket ')' expected.");
  });
});

describe('KSC filter builder', () => {
  test.each([
    ['a")(|(KLHST_WKS_DN="*'],
    ['")(KLHST_WKS_DN=*'],
    ['*'],
    ['WS-?'],
    ['[a-z]'],
    ['x"y""z'],
    ['Ünïcødé-ホスト-🙂'],
    ['back\\slash ) ( & | !'],
  ])('a value with %j matches only itself and keeps the filter whole', (value) => {
    const f = kscFilter.and(kscFilter.eq('KLHST_WKS_DN', value), kscFilter.eq('KLHST_WKS_STATUS', 1))!;
    const ast = parseFilter(f, { attributes: HOST_ATTRS });
    expect(ast).toMatchObject({ kind: 'and', items: [{ attr: 'KLHST_WKS_DN' }, { attr: 'KLHST_WKS_STATUS' }] });
    expect(matchFilter(ast, { KLHST_WKS_DN: value, KLHST_WKS_STATUS: 1 }, now)).toBe(true);
    expect(matchFilter(ast, { KLHST_WKS_DN: `${value}x`, KLHST_WKS_STATUS: 1 }, now)).toBe(false);
    expect(matchFilter(ast, { KLHST_WKS_DN: 'other', KLHST_WKS_STATUS: 1 }, now)).toBe(false);
  });

  test('property: any string literal round-trips and matches only itself (case aside)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ maxLength: 30 }), (value, other) => {
        const ast = parseFilter(`(KLHST_WKS_DN=${literal(value)})`, { attributes: HOST_ATTRS });
        expect(matchFilter(ast, { KLHST_WKS_DN: value }, now)).toBe(true);
        if (other.toLowerCase() !== value.toLowerCase())
          expect(matchFilter(ast, { KLHST_WKS_DN: other }, now)).toBe(false);
      }),
    );
  });

  test('patterns keep * and ? as wildcards but [ literal', () => {
    expect(match(`(a=${pattern('WS-*')})`, { a: 'WS-1' })).toBe(true);
    expect(match(`(a=${pattern('[x]')})`, { a: '[x]' })).toBe(true);
    expect(match(`(a=${pattern('[x]')})`, { a: 'x' })).toBe(false);
  });

  test('property: an OR over many names matches exactly what one of its names matches alone', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9*?[\]_-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 1, maxLength: 12 }),
        fc.array(name, { maxLength: 12 }),
        (names, probes) => {
          const many = parseFilter(kscFilter.anyOf('KLHST_WKS_DN', names)!, { attributes: HOST_ATTRS });
          const alone = names.map((n) => parseFilter(`(KLHST_WKS_DN=${literal(n)})`, { attributes: HOST_ATTRS }));
          for (const probe of [...probes, ...names, ...names.map((n) => n.toUpperCase())]) {
            const record = { KLHST_WKS_DN: probe };
            expect(matchFilter(many, record, now)).toBe(alone.some((a) => matchFilter(a, record, now)));
          }
        },
      ),
      { seed: 7 },
    );
    const wild = parseFilter('(|(KLHST_WKS_DN="WS-*")(KLHST_WKS_DN="db-1")(KLHST_WKS_DN="x"))');
    expect(matchFilter(wild, { KLHST_WKS_DN: 'ws-9' }, now)).toBe(true);
    expect(matchFilter(wild, { KLHST_WKS_DN: 'DB-1' }, now)).toBe(true);
    expect(matchFilter(wild, { KLHST_WKS_DN: 'db-10' }, now)).toBe(false);
    expect(matchFilter(wild, {}, now)).toBe(false);
  });

  test('anyOf, or of one, empty and', () => {
    expect(kscFilter.anyOf('a', ['x'])).toBe('(a="x")');
    expect(kscFilter.anyOf('a', ['x', 'y'])).toBe('(|(a="x")(a="y"))');
    expect(kscFilter.and()).toBeUndefined();
    expect(() => kscFilter.eq('a)(b', 1)).toThrow();
    expect(() => validateFilter(kscFilter.bit('KLHST_WKS_STATUS', 1, true), { attributes: HOST_ATTRS })).not.toThrow();
  });
});
