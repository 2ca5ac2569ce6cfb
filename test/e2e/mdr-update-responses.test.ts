import type * as wire from '../../src/upstreams/mdr/wire';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';

const UPDATE = `mutation ($i: UpdateResponsesInput!) {
  updateResponses(input: $i) { responses { responseId status vendorStatus comment incident { incidentId } } }
}`;

/** MDR `updateResponses`: one responses/update call for many decisions, all or nothing. */
describe('MDR updateResponses (batch confirm/decline) against the simulator data', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
    await gw.gql('{ assets(first: 1) { nodes { assetId } } }');
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });
  beforeEach(() => sim.server.resetStats());

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

  test('an unknown response id among known ones gets NOT_FOUND and changes none of them', async () => {
    const ids = waiting(2).map(({ r }) => r.response_id);
    const before = decisions();
    const { body } = await gw.gqlRaw(UPDATE, {
      i: {
        responseIds: [ids[0], 'MDR_00000000-0000-4000-a000-000000000000', ids[1]],
        status: 'CONFIRMED',
        comment: 'x',
      },
    });
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['updateResponses'],
      extensions: { code: 'NOT_FOUND', upstream: 'MDR' },
    });
    expect(decisions()).toEqual(before);
  });

  test('no ids is BAD_USER_INPUT without an MDR call', async () => {
    const { body } = await gw.gqlRaw(UPDATE, { i: { responseIds: [], status: 'CONFIRMED', comment: 'x' } });
    expect(body.errors?.[0]).toMatchObject({ path: ['updateResponses'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(sim.server.callCount('responses/update')).toBe(0);
  });

  test("a tenant-limited caller cannot include another tenant's response: NOT_FOUND, nothing changes", async () => {
    const tenant = 'Northwind Retail';
    const [own] = waiting(1, (i) => i.tenant_name === tenant);
    const [foreign] = waiting(1, (i) => i.tenant_name !== tenant);
    const senior = await gw.as({ role: 'senior_security_officer', tenant });
    const before = decisions();
    const { body } = await gw.gqlRaw(
      UPDATE,
      { i: { responseIds: [own!.r.response_id, foreign!.r.response_id], status: 'CONFIRMED', comment: 'x' } },
      senior,
    );
    expect(body.errors?.[0]).toMatchObject({ path: ['updateResponses'], extensions: { code: 'NOT_FOUND' } });
    expect(decisions()).toEqual(before);
    expect(sim.server.callCount('responses/update')).toBe(0);
    const ok = await gw.gql(
      UPDATE,
      { i: { responseIds: [own!.r.response_id], status: 'CONFIRMED', comment: 'mine' } },
      senior,
    );
    expect(ok.updateResponses.responses).toEqual([
      expect.objectContaining({ responseId: own!.r.response_id, status: 'CONFIRMED', comment: 'mine' }),
    ]);
  });
});
