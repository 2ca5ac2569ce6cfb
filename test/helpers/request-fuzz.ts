import { createHash } from 'node:crypto';

import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
} from 'graphql';
import type { GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';

/** One HTTP request to the gateway, as the fuzzer sends it. */
export interface FuzzRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Real values of the estate (ids, cursors), for the fuzzer to send as they are or bent. */
export interface FuzzSeeds {
  ids: string[];
  cursors: string[];
  /** The body size limit the gateway under test was given. */
  maxBodyBytes: number;
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Strings a hostile or careless client sends: control characters, lone surrogates, injections, long runs. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\uFFFF', '\u202E', '\n', '"', '\\', '%'),
    maxLength: 8,
  }),
  fc.constantFrom(
    '',
    ' ',
    '*',
    '"',
    '\\',
    '\u0000',
    '\uD800',
    '\uDC00x',
    '%00',
    '%ZZ',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '__MAGIC_DATE__',
    '(KLHST_WKS_DN="*")',
    "' OR 1=1 --",
    '../../etc/passwd',
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    'Incident:',
    ':',
    'Host:\u0000',
    '😀'.repeat(50),
    'a'.repeat(5000),
  ),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, 5e-324, -0, 0.5),
);

/**
 * Values nested thousands deep. They stand in the generated request as a marker string, which
 * `withDeepValues` expands in the JSON text: JSON.stringify itself would overflow on them.
 */
const deepJson = fc
  .tuple(fc.integer({ min: 500, max: 6_000 }), fc.constantFrom('[', '{'))
  .map(([depth, open]) => `${DEEP_MARK}${depth}:${open}`);
const DEEP_MARK = '\u0001deep:';

/** The JSON text of a generated body, its deep-value markers expanded. */
export function withDeepValues(json: string): string {
  return json.replace(/"\\u0001deep:(\d+):([[{])"/g, (_, depth: string, open: string) => {
    const n = Number(depth);
    return open === '[' ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

/** A value of any JSON type, for where another type is expected. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    deepJson,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Cursors and ids: real ones, bent ones (cut, extended, re-encoded), and made-up ones. */
function opaque(seeds: FuzzSeeds): fc.Arbitrary<string> {
  const real = fc.constantFrom(...seeds.ids, ...seeds.cursors);
  return fc.oneof(
    real,
    fc.tuple(real, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
    fc.tuple(real, nastyString).map(([s, x]) => s + x),
    real.map((s) => Buffer.from(s, 'base64url').toString('utf8')),
    fc
      .tuple(fc.constantFrom('Host', 'Incident', 'Asset', 'Sensor', 'Response', 'Comment', 'x', ''), nastyString)
      .map(([type, id]) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url')),
    fc
      .tuple(fc.constantFrom('hosts', 'incidents', 'assets', 'events', ''), anyJson)
      .map(([kind, data]) => Buffer.from(`${kind}:${JSON.stringify(data)}`, 'utf8').toString('base64url')),
    nastyString,
  );
}

const DATE_TIMES = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '2026-01-01', 'now'),
  nastyString,
);

/** A value for an input type: mostly well-typed, at times anything at all. */
function valueFor(type: GraphQLInputType, seeds: FuzzSeeds, depth = 0): fc.Arbitrary<unknown> {
  const wrong = anyJson;
  if (isNonNullType(type)) return valueFor(type.ofType, seeds, depth);
  const right = ((): fc.Arbitrary<unknown> => {
    if (isListType(type)) {
      const item = valueFor(type.ofType, seeds, depth + 1);
      return fc.oneof(
        fc.array(item, { maxLength: depth > 1 ? 2 : 5 }),
        item,
        fc.array(item, { minLength: 51, maxLength: 120 }),
        // More wrong items than graphql-js reports (50).
        fc.integer({ min: 51, max: 200 }).map((n) => Array.from({ length: n }, () => ({ '\u0000': 1 }))),
      );
    }
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
    if (isInputObjectType(type)) {
      if (depth > 3) return fc.constant({});
      const fields = Object.values(type.getFields());
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, maybe(valueFor(f.type, seeds, depth + 1))])), {
        requiredKeys: [],
      });
    }
    switch (type.name) {
      case 'Int':
        return fc.oneof(fc.integer({ min: -5, max: 200 }), nastyNumber);
      case 'Float':
        return nastyNumber;
      case 'Boolean':
        return fc.boolean();
      case 'ID':
        return opaque(seeds);
      case 'DateTime':
        return DATE_TIMES;
      case 'JSON':
        return fc.oneof(
          anyJson,
          fc.dictionary(fc.constantFrom('GNRL_EA_SEVERITY', 'X', 'KLEVP_RFC2254_FILTER'), anyJson),
        );
      default:
        return fc.oneof(opaque(seeds), nastyString);
    }
  })();
  return fc.oneof(
    { weight: 8, arbitrary: right },
    { weight: 1, arbitrary: wrong },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** A GraphQL literal for a value (what valueFor makes), bare where the type is an enum. */
function literal(value: unknown, type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return isEnumType(getNamedType(inner)) && /^[_A-Za-z]\w*$/.test(value) ? value : JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  const fields = isInputObjectType(inner) ? inner.getFields() : {};
  const entries = Object.entries(value).map(([key, v]) => {
    const name = key.replace(/\W/g, '_').replace(/^(?=\d|$)/, '_');
    return `${name}: ${literal(v, fields[name]?.type ?? inner)}`;
  });
  return `{ ${entries.join(', ')} }`;
}

/** Arguments written into the document: literals of fuzzed values, for the arguments of a field. */
function literalArgs(field: GraphQLField<unknown, unknown>, seeds: FuzzSeeds): fc.Arbitrary<string> {
  if (field.args.length === 0) return fc.constant('');
  return fc
    .tuple(...field.args.map((a) => maybe(valueFor(a.type, seeds).map((v) => `${a.name}: ${literal(v, a.type)}`))))
    .map((parts) => {
      const given = parts.filter((p) => p !== undefined);
      return given.length ? `(${given.join(', ')})` : '';
    });
}

/**
 * Field selections of a type: a few leaves, at most one nested object field per level (its
 * arguments, if any, as fuzzed literals), and for an interface a fragment on one of its types.
 */
function selectionOf(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  seeds: FuzzSeeds,
  depth: number,
): fc.Arbitrary<string> {
  if (isLeafType(type)) return fc.constant('');
  if (isUnionType(type) || !(isObjectType(type) || isInterfaceType(type))) return fc.constant('{ __typename }');
  const fields = Object.values((type as GraphQLObjectType).getFields());
  const leaves = fields
    .filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type)))
    .map((f) => f.name);
  const objects = fields.filter((f) => !isLeafType(getNamedType(f.type)));
  const leafPick = leaves.length
    ? fc.subarray(leaves, { minLength: 0, maxLength: Math.min(4, leaves.length) })
    : fc.constant([] as string[]);
  const nested =
    depth >= 2 || objects.length === 0
      ? fc.constant('')
      : fc
          .constantFrom(...objects)
          .chain((f) =>
            fc
              .tuple(literalArgs(f, seeds), selectionOf(schema, getNamedType(f.type), seeds, depth + 1))
              .map(([args, sub]) => `${f.name}${args} ${sub}`),
          );
  const implementations = isInterfaceType(type) ? schema.getPossibleTypes(type) : [];
  const fragment =
    implementations.length === 0 || depth >= 2
      ? fc.constant('')
      : fc
          .constantFrom(...implementations)
          .chain((t) => selectionOf(schema, t, seeds, depth + 1).map((sub) => `... on ${t.name} ${sub}`));
  return fc
    .tuple(leafPick, maybe(nested), maybe(fragment))
    .map(([names, sub, on]) => `{ __typename ${names.join(' ')} ${sub ?? ''} ${on ?? ''} }`);
}

/**
 * A document for one root field of the schema, with fuzzed arguments: as variables, or written
 * into the document as literals (parsed by the scalars' parseLiteral, not parseValue).
 */
function schemaOperation(schema: GraphQLSchema, seeds: FuzzSeeds): fc.Arbitrary<{ query: string; variables: unknown }> {
  const roots: [string, GraphQLField<unknown, unknown>][] = [];
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    // Sent as a request, where no subscription runs.
    ['subscription', schema.getSubscriptionType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {}))
      // Replacing the MDR refresh token is an administrator's deliberate act: a fuzzed one would
      // end the MDR session, as it should, and leave nothing for the rest of the run to reach.
      if (field.name !== 'setMdrRefreshToken') roots.push([kind, field]);
  }
  return fc.tuple(fc.constantFrom(...roots), fc.boolean()).chain(([[kind, field], asLiterals]) => {
    const selection = selectionOf(schema, getNamedType(field.type), seeds, 0);
    if (asLiterals) {
      return fc
        .tuple(literalArgs(field, seeds), selection)
        .map(([args, sub]) => ({ query: `${kind} { ${field.name}${args} ${sub} }`, variables: {} }));
    }
    const args = field.args;
    const definitions = args.map((a, i) => `$a${i}: ${a.type.toString()}`).join(', ');
    const uses = args.map((a, i) => `${a.name}: $a${i}`).join(', ');
    const query = `${kind}${args.length ? ` (${definitions})` : ''} { ${field.name}${args.length ? `(${uses})` : ''} `;
    return fc.tuple(selection, fc.tuple(...args.map((a) => maybe(valueFor(a.type, seeds))))).map(([sub, values]) => ({
      query: `${query}${sub} }`,
      variables: Object.fromEntries(values.flatMap((v, i) => (v === undefined ? [] : [[`a${i}`, v]]))),
    }));
  });
}

/** A valid document bent: a character changed, cut short, or something inserted. */
const bentDocument = (documents: fc.Arbitrary<string>) =>
  fc
    .tuple(documents, fc.nat(), nastyString, fc.constantFrom('insert', 'cut', 'replace'))
    .map(([doc, at, text, how]) => {
      const i = at % (doc.length + 1);
      return how === 'cut'
        ? doc.slice(0, i)
        : how === 'insert'
          ? doc.slice(0, i) + text + doc.slice(i)
          : doc.slice(0, i) + text + doc.slice(i + text.length);
    });

const KNOWN_DOCUMENTS = fc.constantFrom(
  '{ __typename }',
  '{ upstreams { upstream configured } }',
  'subscription { upstreams { upstream } }',
  'subscription S { __typename }',
  'subscription { taskChanged(taskId: "1") { __typename } }',
  'subscription S { kscEvent { __typename } }',
  'query A { __typename } query B { __typename }',
  'fragment F on Query { __typename }',
  'query { ...F } fragment F on Query { ...F }',
  'query ($a: Int = "x") { __typename }',
  'query ($a: Int) { __typename }',
  'query ($a: NoSuchType) { __typename }',
  '{ __schema { types { name } } }',
  '{ __type(name: "Query") { name } }',
  '{ node(id: "x") { id } }',
  '{ nodes(ids: ["a", "b"]) { id } }',
  '{ hosts(first: 1) { pageInfo { endCursor } nodes { id name } } }',
  '{ incidents(first: 2, after: "x") { nodes { id } } }',
  'mutation { __typename }',
  '{ __typename @skip(if: true) }',
  '{ __typename @include(if: $undefined) }',
  '{ __typename @deprecated }',
  'query @nope { __typename }',
  '{ a: __typename a: upstreams { upstream } }',
  '{ hosts(first: 1e100) { totalCount } }',
  '{ hosts(first: -1) { totalCount } }',
  '{ hosts(first: 99999999999) { totalCount } }',
  '{ events(filter: { since: "x" }) { nodes { eventId } } }',
  '',
  ' ',
  '#',
  '{',
  '}',
  '"""',
  '{ "\\uD800" }',
);

const CONTENT_TYPES = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/graphql-response+json',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'text/html',
  'application/xml',
  '*/*',
  'application/json, text/plain',
  'garbage',
  '',
);

const ACCEPTS = fc.constantFrom(
  undefined,
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  'application/json;q=abc',
  'text/html',
  'text/event-stream',
  'multipart/mixed',
  'multipart/mixed; deferSpec=20220824',
  'application/xml',
  '*/*',
  '*/*;q=0',
  '',
  ',,,;;;',
);

/** Headers a client may add: auth in odd shapes, forwarding, ids, encodings. */
function oddHeaders(authorizations: string[]): fc.Arbitrary<Record<string, string>> {
  const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ012 =-_.;,:/*"\'\t'.split('')), maxLength: 40 });
  return fc.record(
    {
      authorization: fc.oneof(
        { weight: 30, arbitrary: fc.constantFrom(...authorizations) },
        fc.constantFrom(
          '',
          'Bearer',
          'Bearer ',
          'Basic YTpi',
          'bearer x.y.z',
          'Bearer a.b',
          `${authorizations[0]} extra`,
        ),
        printable.map((s) => `Bearer ${s}`),
      ),
      'x-request-id': printable,
      'apollo-require-preflight': fc.constantFrom('true', '', 'false'),
      'x-apollo-operation-name': printable,
      'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x'),
      origin: fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1'),
      'x-forwarded-for': printable,
      cookie: printable,
      'graphql-preflight': fc.constant('1'),
    },
    { requiredKeys: ['authorization'] },
  );
}

/** Every kind of request a client might send to `/graphql`, right and wrong. */
export function fuzzRequests(
  schema: GraphQLSchema,
  seeds: FuzzSeeds,
  /** `Bearer …` values of real callers; most requests carry one. */
  authorizations: string[],
): fc.Arbitrary<FuzzRequest> {
  const operations = schemaOperation(schema, seeds);
  const documents = fc.oneof(
    { weight: 3, arbitrary: operations.map((o) => o.query) },
    { weight: 2, arbitrary: KNOWN_DOCUMENTS },
    {
      weight: 2,
      arbitrary: bentDocument(
        fc.oneof(
          operations.map((o) => o.query),
          KNOWN_DOCUMENTS,
        ),
      ),
    },
    { weight: 1, arbitrary: nastyString },
  );
  const standard = fc
    .tuple(
      fc.constantFrom(...authorizations),
      maybe(fc.constantFrom('application/json', 'application/graphql-response+json')),
    )
    .map(([authorization, accept]) => ({
      authorization,
      'content-type': 'application/json',
      ...(accept ? { accept } : {}),
    }));
  const odd = fc
    .tuple(
      oddHeaders(authorizations),
      maybe(ACCEPTS),
      fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, CONTENT_TYPES),
    )
    .map(([extra, accept, contentType]) => ({
      ...extra,
      ...(accept === undefined ? {} : { accept }),
      'content-type': contentType,
    }));
  const headers: fc.Arbitrary<Record<string, string>> = fc.oneof(
    { weight: 3, arbitrary: standard },
    { weight: 1, arbitrary: odd },
  );
  const persistedQuery = fc.oneof(
    fc.record(
      {
        version: fc.constantFrom(1, 2, 0, '1', null),
        sha256Hash: fc.oneof(
          nastyString,
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 }),
        ),
      },
      { requiredKeys: [] },
    ),
    documents.map((q) => ({ version: 1, sha256Hash: createHash('sha256').update(q).digest('hex') })),
    anyJson,
  );
  const extensions = fc.oneof(fc.record({ persistedQuery }), anyJson);

  /** A POST whose JSON body is a GraphQL request, right or bent in any of its members. */
  const member = {
    query: fc.oneof({ weight: 3, arbitrary: documents }, { weight: 1, arbitrary: anyJson }),
    variables: fc.oneof(
      anyJson,
      fc.string().map((s) => JSON.stringify(s)),
    ),
    operationName: fc.oneof(fc.constantFrom('A', 'B', 'S', 'C', ''), anyJson),
    extensions,
  };
  const bentMember = fc.oneof(
    ...Object.entries(member).map(([key, value]) => value.map((v) => ({ [key]: v }) as Record<string, unknown>)),
    fc.constantFrom({ query: undefined }, { variables: undefined }, { query: null }, { __proto__: null, extra: 1 }),
  );
  const graphqlPost = fc.oneof(
    { weight: 3, arbitrary: operations.map((o) => ({ ...o }) as Record<string, unknown>) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(operations, fc.array(bentMember, { minLength: 1, maxLength: 2 }))
        .map(([operation, bends]) => {
          const body: Record<string, unknown> = { ...operation };
          for (const bend of bends) Object.assign(body, bend);
          return body;
        }),
    },
  );

  const postJson = fc.tuple(graphqlPost, headers).map(([body, h]) => ({
    method: 'POST',
    path: '/graphql',
    headers: { ...h, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }));

  const postRaw = fc
    .tuple(
      fc.oneof(
        graphqlPost.map((b) => JSON.stringify(b)),
        graphqlPost.map((b) => JSON.stringify([b, b])),
        fc.constantFrom(
          '',
          '{',
          '[]',
          '[',
          'null',
          'true',
          '1',
          '"x"',
          '{"query":',
          '{"query": "{ __typename }"}x',
          '\u0000',
          '\uFEFF{"query":"{ __typename }"}',
        ),
        documents,
        fc.tuple(graphqlPost, fc.nat()).map(([b, n]) => {
          const s = JSON.stringify(b);
          return s.slice(0, n % (s.length + 1));
        }),
        graphqlPost.map((b) => `query=${encodeURIComponent(JSON.stringify(b.query ?? ''))}`),
      ),
      headers,
    )
    .map(([body, h]) => ({ method: 'POST', path: '/graphql', headers: h, body }));

  const oversize = headers.map((h) => ({
    method: 'POST',
    path: '/graphql',
    headers: { ...h, 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ __typename }${' '.repeat(seeds.maxBodyBytes)}` }),
  }));

  const binary = fc.tuple(fc.uint8Array({ maxLength: 300 }), headers).map(([bytes, h]) => ({
    method: 'POST',
    path: '/graphql',
    headers: h,
    body: Buffer.from(bytes),
  }));

  // A URL carries UTF-8 only: lone surrogates become U+FFFD on the way (raw bytes are below).
  const param = (name: string, value: fc.Arbitrary<string>) =>
    value.map((v) => `${name}=${encodeURIComponent(Buffer.from(v, 'utf8').toString('utf8'))}`);
  const rawParam = fc.oneof(
    param('query', documents),
    param(
      'variables',
      fc.oneof(
        anyJson.map((v) => JSON.stringify(v)),
        nastyString,
      ),
    ),
    param('operationName', nastyString),
    param(
      'extensions',
      fc.oneof(
        extensions.map((v) => JSON.stringify(v)),
        nastyString,
      ),
    ),
    fc.constantFrom(
      'query',
      'query=',
      '%ZZ',
      '&&',
      '=',
      'query=%',
      'query=%E0%A4%A',
      'query[]=x',
      'query=%7B&query=%7D',
      '__proto__=1',
      'variables=%00',
      'query=%ED%A0%80',
      'query=%C0%80',
      'query=%7B__typename%00%7D',
    ),
  );
  const get = fc
    .tuple(fc.array(rawParam, { minLength: 0, maxLength: 4 }), headers, fc.boolean())
    .map(([params, h, withBody]) => ({
      method: 'GET',
      path: `/graphql${params.length ? `?${params.join('&')}` : ''}`,
      headers: h,
      body: withBody ? '{"query":"{ __typename }"}' : undefined,
    }));

  const otherMethod = fc
    .tuple(
      fc.constantFrom('PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'get', 'Post'),
      headers,
      maybe(graphqlPost),
    )
    .map(([method, h, body]) => ({
      method,
      path: '/graphql',
      headers: h,
      // undici sends no body with these.
      body: body && !/^(HEAD|TRACE)$/.test(method) ? JSON.stringify(body) : undefined,
    }));

  const otherPath = fc
    .tuple(
      fc.constantFrom(
        '/graphql/',
        '/GRAPHQL',
        '/graphql/assets/../../package.json',
        '/graphql/assets/%2e%2e%2fpackage.json',
        '/graphql/assets/\u0000',
        '/graphql//',
        '//graphql',
        '/graphql?',
        '/graphql#x',
        '/healthz?x',
        '/readyz',
        '/metrics',
        '/nope',
        '/%ZZ',
        '/graphql%00',
      ),
      headers,
    )
    .map(([path, h]) => ({ method: 'GET', path, headers: h }));

  return fc.oneof(
    { weight: 10, arbitrary: postJson },
    { weight: 2, arbitrary: postRaw },
    { weight: 2, arbitrary: get },
    { weight: 1, arbitrary: otherMethod },
    { weight: 1, arbitrary: otherPath },
    { weight: 1, arbitrary: binary },
    { weight: 1, arbitrary: oversize },
  );
}
