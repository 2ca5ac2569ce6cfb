import { connectionFromArrayPage } from '../../src/graph/connections/connection';
import { encodeCursor, offsetCursor } from '../../src/graph/connections/cursor';

const ITEMS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const at = (item: string) => offsetCursor('letters', ITEMS.indexOf(item));
const page = (args: Parameters<typeof connectionFromArrayPage>[2]) => {
  const { nodes, pageInfo, totalCount } = connectionFromArrayPage('letters', ITEMS, args);
  return { nodes: nodes.join(''), next: pageInfo.hasNextPage, previous: pageInfo.hasPreviousPage, totalCount };
};

describe('pages of a list held in memory, as Relay slices them', () => {
  test('forward: the default page, first, and after a cursor', () => {
    expect(page({})).toEqual({ nodes: 'abcdefghij', next: false, previous: false, totalCount: 10 });
    expect(page({ first: 3 })).toEqual({ nodes: 'abc', next: true, previous: false, totalCount: 10 });
    expect(page({ first: 3, after: at('c') })).toEqual({ nodes: 'def', next: true, previous: true, totalCount: 10 });
  });

  test('backward: last alone is the end of the list, before a cursor the items just ahead of it', () => {
    expect(page({ last: 3 })).toEqual({ nodes: 'hij', next: false, previous: true, totalCount: 10 });
    expect(page({ last: 3, before: at('h') })).toEqual({ nodes: 'efg', next: true, previous: true, totalCount: 10 });
    expect(page({ last: 20, before: at('c') })).toEqual({ nodes: 'ab', next: true, previous: false, totalCount: 10 });
  });

  test('both bounds and both sizes: first is applied before last', () => {
    expect(page({ after: at('b'), before: at('g') })).toMatchObject({ nodes: 'cdef' });
    expect(page({ first: 4, last: 2 })).toMatchObject({ nodes: 'cd' });
    expect(page({ after: at('e'), before: at('e') })).toMatchObject({ nodes: '', next: true, previous: true });
  });

  test("a backward page's cursors lead on forward", () => {
    const { edges } = connectionFromArrayPage('letters', ITEMS, { last: 2, before: at('f') });
    expect(edges.map((e) => e.node)).toEqual(['d', 'e']);
    expect(page({ first: 2, after: edges.at(-1)!.cursor })).toMatchObject({ nodes: 'fg' });
  });

  test('a size out of bounds or a foreign cursor is BAD_USER_INPUT naming its argument', () => {
    expect(() => page({ last: 101 })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { argument: 'last' } }),
    );
    expect(() => page({ last: -1 })).toThrow(expect.objectContaining({ details: { argument: 'last' } }));
    expect(() => page({ before: encodeCursor('numbers', { o: 2 }) })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { argument: 'before' } }),
    );
  });
});
