import { GraphQLError, buildSchema, execute, parse } from 'graphql';
import type { GraphQLFieldResolver, GraphQLObjectType } from 'graphql';

import { BadInputError } from '../../src/errors/gateway-error';
import { takePartialFailures, withPartialFailures } from '../../src/graph/partial-failures';

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

describe('partial failures of non-null lists and connections', () => {
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
