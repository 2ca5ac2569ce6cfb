import { keysetConnection, keysetPage } from '../../src/graph/connections/keyset';
import type { RowKey } from '../../src/graph/connections/keyset';
import { errorFromResponse } from '../../src/upstreams/mdr/client';

interface Row {
  id: string;
  ms: number;
}
const at = (ms: number, id: string): Row => ({ id, ms });
const keyOf = (r: Row): RowKey => ({ at: r.ms, id: r.id });
const KIND = 'mdr-incidents';
const forward = (after: string | null, count = 3) => keysetPage(KIND, { first: count, after });
const backward = (before: string | null, count = 3) => keysetPage(KIND, { last: count, before });

describe('keyset cursors', () => {
  it('remember the rows of the last instant by id, across pages', () => {
    const page1 = keysetConnection(KIND, [at(1, 'a'), at(2, 'b'), at(2, 'c'), at(2, 'd')], forward(null), keyOf);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const next = forward(page1.pageInfo.endCursor);
    expect(next.from).toEqual({ at: 2, ids: ['b', 'c'] });
    const page2 = keysetConnection(KIND, [at(2, 'd'), at(3, 'e')], next, keyOf);
    expect(forward(page2.edges[0]!.cursor).from).toEqual({ at: 2, ids: ['b', 'c', 'd'] });
    expect(forward(page2.edges[1]!.cursor).from).toEqual({ at: 3, ids: ['e'] });
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('work the other way: before a forward cursor are the rows of its instant it had passed, only those', () => {
    const page = keysetConnection(KIND, [at(1, 'a'), at(2, 'b'), at(2, 'c')], forward(null), keyOf);
    // Before c: at instant 2 only b is left (c itself is not), then everything before instant 2.
    expect(backward(page.edges[2]!.cursor).from).toEqual({ at: 2, ids: ['b'], only: true });
    expect(forward(page.edges[2]!.cursor).from).toEqual({ at: 2, ids: ['b', 'c'] });
  });

  it('made walking backward, they list the rows ahead in the list, and page forward from them exactly', () => {
    // A backward walk meets the rows newest first: d, c, b (all at instant 2), then a.
    const page = keysetConnection(KIND, [at(2, 'd'), at(2, 'c'), at(2, 'b'), at(1, 'a')], backward(null), keyOf);
    expect(page.nodes.map((n) => n.id)).toEqual(['b', 'c', 'd']);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const [b, c] = page.edges;
    // Before b (going on backward): instant 2 without d, c, b.
    expect(backward(b!.cursor).from).toEqual({ at: 2, ids: ['d', 'c', 'b'] });
    // After c (forward): at instant 2 only d is left.
    expect(forward(c!.cursor).from).toEqual({ at: 2, ids: ['d'], only: true });
    // Walking forward from there, d's cursor lists what is left after it: nothing but itself.
    const on = keysetConnection(KIND, [at(2, 'd'), at(3, 'e')], forward(c!.cursor), keyOf);
    expect(forward(on.edges[0]!.cursor).from).toEqual({ at: 2, ids: [], only: true });
    expect(backward(on.edges[0]!.cursor).from).toEqual({ at: 2, ids: ['d'] });
  });

  it('carry the priority group of a walk by priority', () => {
    const page = keysetConnection(KIND, [{ ...at(5, 'x') }], forward(null, 1), (r) => ({
      ...keyOf(r),
      priority: 'HIGH',
    }));
    expect(forward(page.pageInfo.endCursor).from).toEqual({ at: 5, ids: ['x'], priority: 'HIGH' });
  });

  it('refuses malformed or foreign cursors, and first with last, with BAD_USER_INPUT', () => {
    for (const bad of [
      '',
      'garbage',
      Buffer.from('mdr-assets:{"o":1}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":"x","i":["a"]}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"i":[]}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"i":[7]}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"s":1}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"i":["a"],"p":"URGENT"}').toString('base64url'),
    ]) {
      expect(() => forward(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
    expect(() => keysetPage(KIND, { first: 1, last: 1 })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('MDR status → error code choke point', () => {
  const res = (status: number) => ({
    status,
    headers: {},
    text: '{"error":"secret detail"}',
    json: { error: 'secret detail' },
  });

  it.each([
    [400, 'UPSTREAM_REJECTED'],
    [401, 'UPSTREAM_AUTH_FAILED'],
    [403, 'UPSTREAM_FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [429, 'UPSTREAM_RATE_LIMITED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
  ])('%i → %s, without the upstream body in the message', (status, code) => {
    const error = errorFromResponse('incidents/list', res(status));
    expect(error).toMatchObject({ code, upstream: 'mdr', status });
    expect(error.message).not.toContain('secret');
  });
});
