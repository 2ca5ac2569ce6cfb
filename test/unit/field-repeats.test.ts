import { parse } from 'graphql';

import { FieldRepeatsScreen, fieldRepeatedOver } from '../../src/server/limits/field-repeats';

const repeated = (query: string, max = 3) => fieldRepeatedOver(parse(query), max);
const copies = (n: number, field: string) => Array.from({ length: n }, () => field).join(' ');

describe('fields repeated in one selection set', () => {
  test('up to the limit a field may repeat; one more is refused, by its response key', () => {
    expect(repeated(`{ ${copies(3, 'name')} }`)).toBeUndefined();
    expect(repeated(`{ ${copies(4, 'name')} }`)).toBe('name');
    expect(repeated(`{ ${copies(4, 'n: name')} }`)).toBe('n');
    expect(repeated(`{ a: name b: name c: name d: name }`)).toBeUndefined();
  });

  test('inline fragments and fragment spreads add to the selection set they are in', () => {
    expect(repeated('{ name ... on Query { name } ... { name ...F } } fragment F on Query { name }')).toBe('name');
    expect(repeated('{ name ...F } fragment F on Query { name ...G } fragment G on Query { name }')).toBeUndefined();
    expect(repeated('{ name ...F } fragment F on Query { name ...G } fragment G on Query { name name }')).toBe('name');
  });

  test('a fragment spread twice counts once, as GraphQL merges it', () => {
    expect(repeated('{ ...F ...F ...F ...F } fragment F on Query { name }')).toBeUndefined();
    expect(repeated('{ ...F ... { ...F } } fragment F on Query { name name }')).toBeUndefined();
  });

  test('each selection set counts its own fields, nested ones included', () => {
    expect(repeated(`{ a { ${copies(3, 'id')} } b { ${copies(3, 'id')} } }`)).toBeUndefined();
    expect(repeated(`{ a { b { c { ${copies(4, 'id')} } } } }`)).toBe('id');
    expect(repeated(`fragment F on T { a { ${copies(4, 'id')} } }`)).toBe('id');
  });

  test('fragments that spread each other end', () => {
    expect(repeated('{ ...F } fragment F on Query { name ...G } fragment G on Query { ...F }')).toBeUndefined();
    expect(repeated('{ ...constructor ...Missing name }')).toBeUndefined();
  });
});

describe('the screen before validation', () => {
  const screen = new FieldRepeatsScreen(3, 100);

  test('refuses with QUERY_TOO_COMPLEX and says which field', () => {
    const refusal = screen.refusal(`{ ${copies(4, 'name')} }`);
    expect(refusal?.message).toBe(
      'The field "name" is selected more than 3 times in one selection set (fragments included).',
    );
    expect(refusal?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
  });

  test('leaves to Apollo what does not parse, is not a string, or is beyond the token limit', () => {
    expect(screen.refusal('{ name')).toBeUndefined();
    expect(screen.refusal(undefined)).toBeUndefined();
    expect(screen.refusal({ query: '{ name name name name }' })).toBeUndefined();
    expect(screen.refusal(`{ ${copies(200, 'name')} }`)).toBeUndefined();
  });
});
