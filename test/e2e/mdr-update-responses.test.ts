import type * as wire from '../../src/upstreams/mdr/wire';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import { recordRequests } from '../helpers/simulator-requests';
import type { MdrSimulator } from '../helpers/mdr';

const UPDATE = `mutation ($i: UpdateResponsesInput!) {
  updateResponses(input: $i) { responses { responseId status vendorStatus comment incident { incidentId } } }
}`;

/** MDR `updateResponses`: one responses/update call for many decisions, each id answering its own result. */
describe('MDR updateResponses (batch confirm/decline) against the simulator data', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  let sent: ReturnType<typeof recordRequests>;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
    sent = recordRequests(sim.routes);
    await gw.gql('{ assets(first: 1) { nodes { assetId } } }');
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => {
    sim.server.resetStats();
    sent.clear();
  });

  const responsesWithIncident = () =>
    sim.routes.incidents.flatMap((i) => (i.responses ?? []).map((r) => ({ r, incident: i })));

  /** Every response's decision state, by id (to show what a mutation did not touch). */
  const decisions = () =>
    new Map(responsesWithIncident().map(({ r }) => [r.response_id, { status: r.status, comment: r.comment }]));

  /** `n` waiting responses, each from a different incident, not used by an earlier test. */
  const used = new Set<string>();
  const waiting = (n: number, where: (i: wire.Incident) => boolean = () => true) => {
    const seen = new Set<string>();
    const picked = responsesWithIncident().filter(({ r, incident }) => {
      if (r.status !== 'Waiting' || used.has(r.response_id) || seen.has(incident.incident_id) || !where(incident))
        return false;
      seen.add(incident.incident_id);
      return true;
    });
    expect(picked.length).toBeGreaterThanOrEqual(n);
    const chosen = picked.slice(0, n);
    for (const { r } of chosen) used.add(r.response_id);
    return chosen;
  };

  const unchangedExcept = (before: Map<string, unknown>, ids: string[]) => {
    const after = decisions();
    for (const id of ids) {
      before.delete(id);
      after.delete(id);
    }
    expect(after).toEqual(before);
  };

  test('confirms several responses in one MDR call: exactly those change, the payload reports each', async () => {
    const targets = waiting(3);
    const ids = targets.map(({ r }) => r.response_id);
    const before = decisions();
    const data = await gw.gql(UPDATE, { i: { responseIds: ids, status: 'CONFIRMED', comment: 'batch ok' } });
    expect(data.updateResponses.responses).toEqual(
      targets.map(({ r, incident }) => ({
        responseId: r.response_id,
        status: 'CONFIRMED',
        vendorStatus: 'Confirmed',
        comment: 'batch ok',
        incident: { incidentId: incident.incident_id },
      })),
    );
    for (const { r } of targets)
      // MDR keeps the comment with the line naming the caller (mdr/attribution.ts).
      expect({ status: r.status, comment: r.comment }).toEqual({
        status: 'Confirmed',
        comment: '[via gateway: test-administrator]\n\nbatch ok',
      });
    unchangedExcept(before, ids);
    expect(sim.server.callCount('responses/update')).toBe(1);
    expect(sim.server.callCount('response/update')).toBe(0);
  });

  test('declines several responses; the incidents read back through the gateway show the decision', async () => {
    const targets = waiting(2);
    const ids = targets.map(({ r }) => r.response_id);
    const before = decisions();
    const data = await gw.gql(UPDATE, { i: { responseIds: ids, status: 'DECLINED', comment: 'not now' } });
    expect(
      data.updateResponses.responses.map((r: { responseId: string; status: string }) => [r.responseId, r.status]),
    ).toEqual(ids.map((id) => [id, 'DECLINED']));
    unchangedExcept(before, ids);
    for (const { r, incident } of targets) {
      expect(r.status).toBe('Declined');
      const read = await gw.gql(
        'query ($id: String!) { incident(incidentId: $id) { responses { nodes { responseId status comment } } } }',
        { id: incident.incident_id },
      );
      expect(read.incident.responses.nodes).toContainEqual({
        responseId: r.response_id,
        status: 'DECLINED',
        comment: 'not now',
      });
    }
  });

  test('a security officer MDR connection gets UPSTREAM_FORBIDDEN and nothing changes', async () => {
    const ids = waiting(2).map(({ r }) => r.response_id);
    const before = decisions();
    const officer = await startTestGateway({ mdr: mdrSettings(sim, 'security_officer') });
    try {
      const { status, body } = await officer.gqlRaw(UPDATE, {
        i: { responseIds: ids, status: 'CONFIRMED', comment: 'officer' },
      });
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({
        path: ['updateResponses'],
        extensions: { code: 'UPSTREAM_FORBIDDEN', upstream: 'MDR' },
      });
    } finally {
      await officer.stop();
    }
    expect(decisions()).toEqual(before);
  });

  test('a bulk decision of 5 with one unknown id applies the 4 in one MDR call and names the fifth', async () => {
    const targets = waiting(4);
    const unknown = 'MDR_00000000-0000-4000-a000-000000000000';
    const ids = [
      targets[0]!.r.response_id,
      targets[1]!.r.response_id,
      unknown,
      ...targets.slice(2).map(({ r }) => r.response_id),
    ];
    const before = decisions();
    const data = await gw.gql(
      `mutation ($i: UpdateResponsesInput!) {
        updateResponses(input: $i) { responses { responseId } results { responseId response { status } error { code message } } }
      }`,
      { i: { responseIds: ids, status: 'CONFIRMED', comment: 'four of five' } },
    );
    expect(data.updateResponses.results).toEqual(
      ids.map((responseId) =>
        responseId === unknown
          ? { responseId, response: null, error: { code: 'NOT_FOUND', message: 'No such response.' } }
          : { responseId, response: { status: 'CONFIRMED' }, error: null },
      ),
    );
    expect(data.updateResponses.responses.map((r: { responseId: string }) => r.responseId)).toEqual(
      ids.filter((id) => id !== unknown),
    );
    for (const { r } of targets) expect(r.status).toBe('Confirmed');
    unchangedExcept(
      before,
      targets.map(({ r }) => r.response_id),
    );
    expect(sim.server.callCount('responses/update')).toBe(1);
    expect(sent.take<{ responses_ids: string[] }>('responses/update').map((b) => b.responses_ids)).toEqual([
      ids.filter((id) => id !== unknown),
    ]);
  });

  test('an already decided response is refused with its current state, in bulk and alone; it stays as it was', async () => {
    const decidedOne = responsesWithIncident().find(({ r }) => r.status === 'Confirmed')!.r;
    const [open] = waiting(1);
    const before = decisions();
    const bulk = await gw.gql(
      `mutation ($i: UpdateResponsesInput!) {
        updateResponses(input: $i) { responses { responseId } results { responseId response { status vendorStatus } error { code } } }
      }`,
      { i: { responseIds: [decidedOne.response_id, open!.r.response_id], status: 'DECLINED', comment: 'flip?' } },
    );
    expect(bulk.updateResponses.results).toEqual([
      {
        responseId: decidedOne.response_id,
        response: { status: 'CONFIRMED', vendorStatus: 'Confirmed' },
        error: { code: 'CONFLICT' },
      },
      { responseId: open!.r.response_id, response: { status: 'DECLINED', vendorStatus: 'Declined' }, error: null },
    ]);
    expect(decidedOne.status).toBe('Confirmed');
    unchangedExcept(before, [open!.r.response_id]);

    sim.server.resetStats();
    const { body } = await gw.gqlRaw(
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: DECLINED, comment: "flip" }) { response { status } } }',
      { id: decidedOne.response_id },
    );
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['updateResponse'],
        extensions: expect.objectContaining({ code: 'CONFLICT', status: 'CONFIRMED', vendorStatus: 'Confirmed' }),
      }),
    ]);
    expect(decidedOne.status).toBe('Confirmed');
    expect(sim.server.callCount('response/update')).toBe(0);
  });

  test('nothing left to decide sends no update at all', async () => {
    const { updateResponses } = await gw.gql(
      `mutation ($i: UpdateResponsesInput!) { updateResponses(input: $i) { responses { responseId } results { error { code } } } }`,
      { i: { responseIds: ['MDR_00000000-0000-4000-a000-00000000000f'], status: 'CONFIRMED', comment: 'x' } },
    );
    expect(updateResponses).toEqual({ responses: [], results: [{ error: { code: 'NOT_FOUND' } }] });
    expect(sim.server.callCount('responses/update')).toBe(0);
  });

  test('no ids is BAD_USER_INPUT without an MDR call', async () => {
    const { body } = await gw.gqlRaw(UPDATE, { i: { responseIds: [], status: 'CONFIRMED', comment: 'x' } });
    expect(body.errors?.[0]).toMatchObject({ path: ['updateResponses'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(sim.server.callCount('responses/update')).toBe(0);
  });

  test("a tenant-limited caller's bulk decision names another tenant's response NOT_FOUND and sends only its own", async () => {
    const tenant = 'Northwind Retail';
    const [own] = waiting(1, (i) => i.tenant_name === tenant);
    const [foreign] = waiting(1, (i) => i.tenant_name !== tenant);
    const senior = await gw.as({ role: 'senior_security_officer', tenant });
    const before = decisions();
    const data = await gw.gql(
      `mutation ($i: UpdateResponsesInput!) { updateResponses(input: $i) { results { responseId response { status } error { code } } } }`,
      { i: { responseIds: [own!.r.response_id, foreign!.r.response_id], status: 'CONFIRMED', comment: 'mine' } },
      senior,
    );
    expect(data.updateResponses.results).toEqual([
      { responseId: own!.r.response_id, response: { status: 'CONFIRMED' }, error: null },
      { responseId: foreign!.r.response_id, response: null, error: { code: 'NOT_FOUND' } },
    ]);
    unchangedExcept(before, [own!.r.response_id]);
    expect(foreign!.r.status).toBe('Waiting');
    expect(sim.server.callCount('responses/update')).toBe(1);
    expect(sent.take<{ responses_ids: string[] }>('responses/update').map((b) => b.responses_ids)).toEqual([
      [own!.r.response_id],
    ]);
  });
});
