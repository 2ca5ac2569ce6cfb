import { decodeCursor, encodeCursor, offsetAfter, offsetCursor } from '../../src/graph/connections/cursor';

describe('cursors', () => {
  test('round-trip their payload and stay opaque', () => {
    const cursor = encodeCursor('incidents', { o: 5, t: 1700000000000 });
    expect(cursor).not.toContain('incidents');
    expect(decodeCursor('incidents', cursor)).toEqual({ o: 5, t: 1700000000000 });
  });

  test('the next offset follows the cursor', () => {
    expect(offsetAfter('hosts', null)).toBe(0);
    expect(offsetAfter('hosts', offsetCursor('hosts', 9))).toBe(10);
  });

  test.each([
    ['garbage'],
    [''],
    [offsetCursor('assets', 3)],
    [encodeCursor('hosts', { o: -1 })],
    [encodeCursor('hosts', { o: 'x' })],
  ])('a malformed or foreign cursor (%s) is BAD_USER_INPUT', (cursor) => {
    expect(() => offsetAfter('hosts', cursor)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
