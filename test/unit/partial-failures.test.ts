import { GraphQLError, buildSchema, execute, parse } from 'graphql';
import type { GraphQLFieldResolver, GraphQLObjectType } from 'graphql';

import { BadInputError } from '../../src/errors/gateway-error';
import { oneErrorPerUpstream, takePartialFailures, withPartialFailures } from '../../src/graph/partial-failures';

/** A schema whose non-null list `Query.items` resolves with `resolve`, wrapped for partial failures. */
function schemaWith(resolve: GraphQLFieldResolver<unknown, object>) {
  const schema = buildSchema('type Query { items: [String!]! other: String }');
  (schema.getType('Query') as GraphQLObjectType).getFields().items!.resolve = resolve;
  return withPartialFailures(schema);
}

const run = async (resolve: GraphQLFieldResolver<unknown, object>) => {
  const contextValue = {};
  const result = await execute({
    schema: schemaWith(resolve),
    document: parse('{ items other }'),
    contextValue,
    rootValue: { other: 'still here' },
  });
  return { result, kept: takePartialFailures(contextValue) };
};

describe('partial failures of non-null lists', () => {
  test('a resolver that answers synchronously stays synchronous (no promise per plain field)', () => {
    const items = (schemaWith(() => ['a']).getType('Query') as GraphQLObjectType).getFields().items!;
    const answer = items.resolve!({}, {}, {}, { fieldNodes: [], path: { key: 'items', prev: undefined } } as never);
    expect(answer).toEqual(['a']);
  });

  test.each([
    [
      'thrown',
      () => {
        throw new BadInputError('bad filter');
      },
    ],
    ['rejected', () => Promise.reject(new BadInputError('bad filter'))],
  ])('a coded error %s becomes an empty list plus the error at its path; the rest arrives', async (_how, resolve) => {
    const { result, kept } = await run(resolve);
    expect(result).toEqual({ data: { items: [], other: 'still here' } });
    expect(kept).toEqual([expect.objectContaining({ message: 'bad filter', path: ['items'] })]);
  });

  test('a bug still propagates as the field error GraphQL makes of it', async () => {
    const { result, kept } = await run(() => Promise.reject(new TypeError('undefined is not a function')));
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.any(GraphQLError)]);
    expect(kept).toEqual([]);
  });
});

describe('one error per upstream failure per response', () => {
  const down = (path: (string | number)[], line: number, message = 'KSC is unreachable (ECONNREFUSED).') => ({
    message,
    locations: [{ line, column: 3 }],
    path,
    extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'KSC' },
  });

  test("an outage's errors become one, at the first path, with every path in extensions", () => {
    const merged = oneErrorPerUpstream([
      down(['hosts'], 2),
      { message: 'bad', path: ['incidents'], extensions: { code: 'BAD_USER_INPUT' } },
      down(['assets', 'nodes', 0, 'host'], 4, 'KSC answered HTTP 503.'),
      down(['assets', 'nodes', 1, 'host'], 4),
    ]);
    expect(merged).toEqual([
      {
        message: 'KSC is unreachable (ECONNREFUSED).',
        locations: [
          { line: 2, column: 3 },
          { line: 4, column: 3 },
        ],
        path: ['hosts'],
        extensions: {
          code: 'UPSTREAM_UNAVAILABLE',
          upstream: 'KSC',
          paths: [['hosts'], ['assets', 'nodes', 0, 'host'], ['assets', 'nodes', 1, 'host']],
        },
      },
      { message: 'bad', path: ['incidents'], extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });

  test('upstreams and codes stay apart; errors that are not outages merge only when identical', () => {
    const rejected = (path: string[], message: string) => ({
      message,
      path,
      extensions: { code: 'BAD_USER_INPUT', upstream: 'KSC' },
    });
    const merged = oneErrorPerUpstream([
      down(['hosts'], 2),
      { ...down(['assets'], 3), extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'MDR' } },
      { ...down(['events'], 5), extensions: { code: 'UPSTREAM_TIMEOUT', upstream: 'KSC' } },
      rejected(['a'], 'KSC rejected the filter: Pos 1.'),
      rejected(['b'], 'KSC rejected the filter: Pos 1.'),
      rejected(['c'], 'KSC rejected the filter: Pos 7.'),
    ]);
    expect(merged.map((e) => [e.path, e.extensions?.paths])).toEqual([
      [['hosts'], [['hosts']]],
      [['assets'], [['assets']]],
      [['events'], [['events']]],
      [['a'], [['a'], ['b']]],
      [['c'], [['c']]],
    ]);
  });
});
