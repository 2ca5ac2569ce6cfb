import {
  collectionsLine,
  endpointLabel,
  summariseCollections,
  summariseTimeline,
  timelineTable,
} from '../../bench/lib/timeline';
import type { TimelineEvent } from '../../bench/lib/timeline';

describe('the bench timeline', () => {
  it('names calls by upstream and vendor endpoint, without ids, versions or query strings', () => {
    expect(endpointLabel('mdr', '/api/v1/bf1a79648759bdd86f25bfb22583d155/incidents/list')).toBe('mdr incidents/list');
    expect(endpointLabel('ksc', '/api/v1.0/ChunkAccessor.GetItemsChunk')).toBe('ksc ChunkAccessor.GetItemsChunk');
    expect(
      endpointLabel('kata', '/kata/response_api/v1/4f0c6a1e-90b5-4bd1-8b7e-2f1c3a9d0e11/sensors?sensor_id=x'),
    ).toBe('kata sensors');
  });

  it('times each moment from its own request being sent, numbering repeats and leaving out what falls between requests', () => {
    const request = (start: number, chunk: number): TimelineEvent[] => [
      { t: start, kind: 'send', label: '' },
      { t: start + 0.5, kind: 'request', label: '' },
      { t: start + 2, kind: 'call', label: 'ksc ChunkAccessor.GetItemsChunk' },
      { t: start + chunk, kind: 'call', label: 'ksc ChunkAccessor.GetItemsChunk' },
      { t: start + 70, kind: 'in', label: '' },
    ];
    const events = [
      // A release written after the previous answer, before the next request: no request's.
      { t: 99, kind: 'written', label: 'ksc ChunkAccessor.Release' },
      ...request(200, 45),
      ...request(100, 44),
      ...request(300, 47),
    ];
    const { requests, rows } = summariseTimeline(events);
    expect(requests).toBe(3);
    expect(rows.map((r) => [r.moment, r.requests, r.q1, r.median, r.q3])).toEqual([
      ['send', 3, 0, 0, 0],
      ['request', 3, 0.5, 0.5, 0.5],
      ['call ksc ChunkAccessor.GetItemsChunk', 3, 2, 2, 2],
      ['call ksc ChunkAccessor.GetItemsChunk #2', 3, 44, 45, 47],
      ['in', 3, 70, 70, 70],
    ]);
    expect(timelineTable('triage', { requests, rows })).toContain(
      '| call ksc ChunkAccessor.GetItemsChunk #2 | 45.00 | 44.00 | 47.00 |',
    );
  });

  it('counts the collections that paused the gateway during a request and compares those requests with the others', () => {
    const request = (start: number, ms: number): TimelineEvent[] => [
      { t: start, kind: 'send', label: '' },
      { t: start + ms, kind: 'in', label: '' },
    ];
    const events: TimelineEvent[] = [
      ...request(0, 70),
      ...request(100, 74),
      ...request(200, 69),
      ...request(300, 71),
      // While the second request waits on its upstreams; one that began before the fourth was sent.
      { t: 130, kind: 'gc', label: 'young-generation', ms: 5 },
      { t: 298, kind: 'gc', label: 'young-generation', ms: 3 },
      // Between requests: no request's.
      { t: 180, kind: 'gc', label: 'full', ms: 10 },
    ];
    const collections = summariseCollections(events);
    expect(collections).toEqual({
      kinds: [{ kind: 'young-generation', count: 2, medianPauseMs: 3, medianStartMs: -2 }],
      requests: 4,
      requestsWithCollection: 2,
      withCollection: { p50Ms: 71, p95Ms: 74 },
      withoutCollection: { p50Ms: 69, p95Ms: 70 },
    });
    expect(collectionsLine(collections)).toContain(
      'the 2 requests they overlapped took p50 71 / p95 74 ms, the others 69 / 70',
    );
    // Collections are not moments of a request: the timeline's rows leave them out.
    expect(summariseTimeline(events).rows.map((r) => r.moment)).toEqual(['send', 'in']);
  });
});
