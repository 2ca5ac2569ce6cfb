import { GraphQLError } from 'graphql';
import type { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

import { buildGatewaySchema } from '../../src/graph/schema';

const dateTime = () => buildGatewaySchema().getType('DateTime') as GraphQLScalarType;

describe('the DateTime scalar', () => {
  test('serializes a Date to its ISO 8601 string as the field completes, not a Date left for JSON', () => {
    const value = dateTime().serialize(new Date('2026-01-02T03:04:05.678Z'));
    expect(value).toBe('2026-01-02T03:04:05.678Z');
  });

  test('writes the same text JSON.stringify wrote for the Date, for dates and date strings alike', () => {
    for (const input of [new Date('2026-01-02T03:04:05Z'), '2026-01-02T05:04:05+02:00', '2026-01-02T03:04:05Z']) {
      expect(dateTime().serialize(input)).toBe(JSON.parse(JSON.stringify(DateTimeResolver.serialize(input))));
    }
  });

  test('a time no Date can hold is a field error, never null in a non-null field', () => {
    for (const input of [new Date(Number.NaN), Number.NaN, 8.64e15 + 1, 'yesterday']) {
      expect(() => dateTime().serialize(input)).toThrow(GraphQLError);
    }
  });

  test('keeps the SDL of graphql-scalars: name, description and specification URL', () => {
    expect(dateTime()).toMatchObject({
      name: 'DateTime',
      description: DateTimeResolver.description,
      specifiedByURL: DateTimeResolver.specifiedByURL,
    });
  });

  test('parses arguments into Dates, as before', () => {
    expect(dateTime().parseValue('2026-01-02T03:04:05Z')).toEqual(new Date('2026-01-02T03:04:05Z'));
  });
});
