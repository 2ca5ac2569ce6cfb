import fc from 'fast-check';

import { pagesForWindow, pageSize, pastResultWindow } from '../../src/graph/connections/page-window';

describe('pagesForWindow', () => {
  test('the first page is one upstream page of count + 1', () => {
    expect(pagesForWindow(0, 50)).toEqual([{ page: 1, pageSize: 51, skip: 0 }]);
  });

  test('a Relay walk costs one upstream call per page', () => {
    expect(pagesForWindow(37, 37)).toEqual([{ page: 1, pageSize: 75, skip: 37 }]);
    expect(pagesForWindow(370, 37)).toEqual([{ page: 10, pageSize: 41, skip: 0 + 370 - 9 * 41 }]);
  });

  test('every window is covered exactly, for any offset and count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 100 }), (offset, count) => {
        const pages = pagesForWindow(offset, count, 10_000);
        const covered: number[] = [];
        for (const { page, pageSize: size, skip } of pages) {
          const start = (page - 1) * size;
          for (let i = start + skip; i < start + size; i++) covered.push(i);
        }
        const wanted = Array.from({ length: count + 1 }, (_, i) => offset + i);
        expect(covered.slice(0, count + 1)).toEqual(wanted);
        expect(pages.length).toBeLessThanOrEqual(2);
        for (const p of pages) expect(p.pageSize).toBeLessThanOrEqual(Math.max(10_000, count + 1));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('pagesForWindow within a result window (page × size, as Elasticsearch limits it)', () => {
  test('picks pages that end within it whenever the rows lie within it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 1_000 }), (offset, count) => {
        const pages = pagesForWindow(offset, count, 10_000, 10_000);
        expect(pastResultWindow(pages, 10_000)).toBe(offset + count + 1 > 10_000);
      }),
      { seed: 7, numRuns: 300 },
    );
    // Without the bound, the near end of the window picked page 9 of 1,112 rows (10,008: refused).
    expect(pagesForWindow(8_999, 1_000, 10_000, 10_000)).toEqual([{ page: 8, pageSize: 1_250, skip: 249 }]);
  });
});

describe('pageSize', () => {
  test('defaults, accepts the range and refuses the rest with BAD_USER_INPUT', () => {
    expect(pageSize(undefined)).toBe(25);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(101)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => pageSize(-1)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
