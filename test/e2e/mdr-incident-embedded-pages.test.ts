import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const PAGE = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

describe("an incident's embedded responses and comments page backward and filter by status", () => {
  let sim: MdrSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  /** An incident the seeded data gives three comments and waiting as well as decided responses. */
  const busy = () =>
    sim.routes.incidents.find(
      (i) =>
        i.comments?.length === 3 &&
        i.responses?.some((r) => r.status === 'Waiting') &&
        i.responses?.some((r) => r.status !== 'Waiting'),
    )!;

  it('comments(last:) are the latest ones, and before their first cursor come the earlier ones', async () => {
    const incident = busy();
    const ids = incident.comments!.map((c) => c.comment_id);
    const query = `query ($id: String!, $before: String) { incident(incidentId: $id) {
      comments(last: 2, before: $before) { nodes { commentId } ${PAGE} } } }`;
    const latest = (await gw.gql(query, { id: incident.incident_id })).incident.comments;
    expect(latest.nodes.map((c: { commentId: string }) => c.commentId)).toEqual(ids.slice(1));
    expect(latest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const earlier = (await gw.gql(query, { id: incident.incident_id, before: latest.pageInfo.startCursor })).incident
      .comments;
    expect(earlier.nodes.map((c: { commentId: string }) => c.commentId)).toEqual(ids.slice(0, 1));
    expect(earlier.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('responses(statuses: [PENDING]) keeps the waiting ones, from the page of one list call', async () => {
    const incident = busy();
    const waiting = incident.responses!.filter((r) => r.status === 'Waiting').map((r) => r.response_id);
    sim.server.resetStats();
    // Busy incidents are recent (open): the page starts at this one.
    const data = await gw.gql(
      `query ($from: DateTime) { incidents(first: 100, filter: { createdAfter: $from }) { nodes { incidentId
      responses(statuses: [PENDING]) { nodes { responseId status } ${PAGE} } } } }`,
      { from: new Date(incident.creation_time).toISOString() },
    );
    const mine = data.incidents.nodes.find((i: { incidentId: string }) => i.incidentId === incident.incident_id);
    expect(mine.responses.nodes).toEqual(waiting.map((responseId) => ({ responseId, status: 'PENDING' })));
    expect(mine.responses.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    // Embedded in the list's answer: no call per incident.
    expect(sim.server.stats().calls).toEqual({ 'incidents/list': 1 });
  });

  it("a cursor of the filtered list is refused on another filter's list, naming the argument", async () => {
    const incident = busy();
    const query = `query ($id: String!, $after: String, $statuses: [ResponseStatus!]) { incident(incidentId: $id) {
      responses(first: 1, after: $after, statuses: $statuses) { nodes { responseId } pageInfo { endCursor } } } }`;
    const first = await gw.gql(query, { id: incident.incident_id, statuses: ['PENDING'] });
    const { body } = await gw.gqlRaw(query, {
      id: incident.incident_id,
      after: first.incident.responses.pageInfo.endCursor,
      statuses: ['CONFIRMED', 'DECLINED'],
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});
