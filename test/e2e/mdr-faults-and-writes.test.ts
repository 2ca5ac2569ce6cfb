import { capturedLogs } from '../helpers/log-lines';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const ADD =
  'mutation ($id: String!, $text: String!) { addIncidentComment(input: { incidentId: $id, text: $text }) { comment { commentId authorName text } } }';

describe('MDR under injected faults', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  const { logger, lines } = capturedLogs();
  const audits = () => lines.filter((l) => l.audit === 'mutation');

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim), logger });
    await gw.gql('{ assets(first: 1) { nodes { assetId } } }'); // session established before faults
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  afterEach(() => {
    sim.server.faultRate = 0;
  });

  it('with fault rate 0.2, read queries still succeed (retried)', async () => {
    sim.server.faultRate = 0.2;
    sim.server.resetStats();
    for (let i = 0; i < 25; i++) {
      const data = await gw.gql(
        '{ incidents(first: 20) { totalCount nodes { incidentId affectedAssets { hostName } } } }',
      );
      expect(data.incidents.nodes).toHaveLength(20);
    }
    // 25 lists + 25 counts + 25 asset batches without faults; the surplus is retries.
    expect(sim.server.totalCalls()).toBeGreaterThan(75);
  });

  it('comments/create is sent exactly once per mutation, and a lost answer is reported as outcome unknown', async () => {
    const incident = sim.routes.incidents[5]!;
    const before = incident.comments?.length ?? 0;
    sim.server.faultRate = 0.5;
    sim.server.resetStats();
    let succeeded = 0;
    let unknown = 0;
    for (let i = 0; i < 40; i++) {
      const { body } = await gw.gqlRaw(ADD, { id: incident.incident_id, text: `note ${i}` });
      if (!body.errors) {
        succeeded++;
        expect(body.data?.addIncidentComment.comment).toMatchObject({
          authorName: 'Gateway administrator',
          text: `note ${i}`,
        });
        continue;
      }
      const error = body.errors[0]!;
      expect(error.path).toEqual(['addIncidentComment']);
      if (error.extensions?.outcome === 'UNKNOWN') {
        unknown++;
        expect(error.message).toMatch(/outcome unknown/);
      } else {
        expect(error.extensions?.code).toMatch(/^UPSTREAM_(UNAVAILABLE|RATE_LIMITED)$/);
      }
    }
    sim.server.faultRate = 0;
    expect(sim.server.callCount('comments/create')).toBe(40); // never re-sent
    expect(unknown).toBeGreaterThan(0);
    const created = (incident.comments?.length ?? 0) - before;
    expect(created).toBeGreaterThanOrEqual(succeeded);
    expect(created).toBeLessThanOrEqual(succeeded + unknown);
    // No text was stored twice.
    const texts = incident.comments!.map((c) => c.text).filter((t) => t.startsWith('note '));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('updateResponse (idempotent) is retried through faults and lands once', async () => {
    const target = sim.routes.incidents.flatMap((i) => i.responses ?? []).find((r) => r.status === 'Waiting')!;
    sim.server.faultRate = 0.3;
    const data = await gw.gql(
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: DECLINED, comment: "not needed" }) { response { status } } }',
      { id: target.response_id },
    );
    expect(data.updateResponse.response.status).toBe('DECLINED');
    expect(target.status).toBe('Declined');
  });

  describe('a decision whose answer never says whether MDR applied it reports outcome UNKNOWN', () => {
    const DECIDE =
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: DECLINED, comment: "not needed" }) { response { status } } }';
    const DECIDE_MANY =
      'mutation ($ids: [String!]!) { updateResponses(input: { responseIds: $ids, status: CONFIRMED, comment: "go" }) { responses { status } } }';
    const waiting = () => sim.routes.incidents.flatMap((i) => i.responses ?? []).filter((r) => r.status === 'Waiting');

    it('applied, answer lost, then refused on every retry: UNKNOWN, with the last refusal as its code', async () => {
      const target = waiting()[0]!;
      sim.server.resetStats();
      sim.server.injectFaults(
        'response/update',
        'reset-after',
        { status: 503 },
        { status: 503 },
        { status: 503 },
        { status: 503 },
      );
      const { status, body } = await gw.gqlRaw(DECIDE, { id: target.response_id });
      expect(status).toBe(200);
      expect(body).toEqual({
        data: null,
        errors: [
          {
            message:
              'MDR did not confirm the decision: it may or may not have been applied (outcome unknown). Deciding again is safe.',
            locations: [{ line: 1, column: 27 }],
            path: ['updateResponse'],
            extensions: {
              code: 'UPSTREAM_UNAVAILABLE',
              upstream: 'MDR',
              outcome: 'UNKNOWN',
              paths: [['updateResponse']],
            },
          },
        ],
      });
      expect(sim.server.callCount('response/update')).toBe(5);
      expect(target.status).toBe('Declined'); // the first attempt did land
      expect(audits().at(-1)).toMatchObject({
        fields: ['updateResponse'],
        result: 'unknown',
        codes: ['UPSTREAM_UNAVAILABLE'],
      });
    });

    it('a batch decision rate limited after a lost answer is UNKNOWN too', async () => {
      const targets = waiting().slice(0, 3);
      sim.server.resetStats();
      sim.server.injectFaults(
        'responses/update',
        'reset-before',
        { status: 500 },
        { status: 503 },
        { status: 503 },
        { status: 429 },
      );
      const { body } = await gw.gqlRaw(DECIDE_MANY, { ids: targets.map((r) => r.response_id) });
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['updateResponses'],
          extensions: {
            code: 'UPSTREAM_RATE_LIMITED',
            upstream: 'MDR',
            outcome: 'UNKNOWN',
            paths: [['updateResponses']],
          },
        }),
      ]);
      expect(body.errors![0]!.message).toMatch(/outcome unknown/);
      expect(sim.server.callCount('responses/update')).toBe(5);
    });

    it('refused with 503 or 429 on every attempt: a plain failure, and nothing was applied', async () => {
      const target = waiting()[0]!;
      sim.server.resetStats();
      sim.server.injectFaults(
        'response/update',
        { status: 503 },
        { status: 503 },
        { status: 503 },
        { status: 503 },
        { status: 503 },
      );
      const { body } = await gw.gqlRaw(DECIDE, { id: target.response_id });
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'MDR answered response/update with HTTP 503.',
          path: ['updateResponse'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'MDR', paths: [['updateResponse']] },
        }),
      ]);
      expect(sim.server.callCount('response/update')).toBe(5);
      expect(target.status).toBe('Waiting');
      expect(audits().at(-1)).toMatchObject({ fields: ['updateResponse'], result: 'failed' });
    });
  });
});
