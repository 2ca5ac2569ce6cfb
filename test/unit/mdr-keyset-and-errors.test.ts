import { incidentConnection, incidentKeyAfter } from '../../src/graph/connections/incident-keyset';
import type { IncidentRecord } from '../../src/domain/mdr';
import { errorFromResponse } from '../../src/upstreams/mdr/client';

const at = (ms: number, id: string) => ({ incidentId: id, creationTime: new Date(ms) }) as IncidentRecord;

describe('incident keyset cursors', () => {
  it('remember the incidents of the last millisecond by id, across pages', () => {
    const page1 = incidentConnection([at(1, 'a'), at(2, 'b'), at(2, 'c'), at(2, 'd')], null, 3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const key = incidentKeyAfter(page1.pageInfo.endCursor);
    expect(key).toEqual({ creationTime: 2, seen: ['b', 'c'] });
    const page2 = incidentConnection([at(2, 'd'), at(3, 'e')], key, 3);
    expect(incidentKeyAfter(page2.edges[0]!.cursor)).toEqual({ creationTime: 2, seen: ['b', 'c', 'd'] });
    expect(incidentKeyAfter(page2.edges[1]!.cursor)).toEqual({ creationTime: 3, seen: ['e'] });
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('refuses malformed or foreign cursors with BAD_USER_INPUT', () => {
    for (const bad of [
      '',
      'garbage',
      Buffer.from('mdr-assets:{"o":1}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":"x","i":["a"]}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"i":[]}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"i":[7]}').toString('base64url'),
      Buffer.from('mdr-incidents:{"t":1,"s":1}').toString('base64url'),
    ]) {
      expect(() => incidentKeyAfter(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
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
