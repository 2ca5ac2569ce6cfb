import { createClient as createSseClient } from 'graphql-sse';

import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';
import { closeOf, collect, wsClient } from '../helpers/live';

const INCIDENT_CHANGED = `subscription ($filter: IncidentFilter, $cursor: String) {
  incidentChanged(filter: $filter, cursor: $cursor) {
    cursor kind changedFields
    incident { incidentId tenantName status affectedAssets { hostName tenantName } }
  }
}`;

describe('live updates: incidentChanged and responseChanged over graphql-ws and graphql-sse', () => {
  let estate: TestEstate;
  const clients: { dispose(): void | Promise<void> }[] = [];

  beforeAll(async () => {
    estate = await startTestEstate({ LIVE_MDR_POLL_MS: '100' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    // Each test starts with no one listening: a feed still held by the last one would race its first change.
    await waitFor(() => estate.gw.live.activeFeeds === 0);
  });
  afterAll(() => estate?.stop());

  const bearer = async (options: Parameters<TestEstate['gw']['as']>[0]) => (await estate.gw.as(options)).authorization!;
  const admin = () => bearer({ role: 'administrator', subject: 'live-admin' });
  const open = async (authorization: string) => {
    const client = wsClient(estate.gw.url, authorization);
    clients.push(client);
    return client;
  };

  test('200 subscribers share one feed: MDR is asked once per poll, and every subscriber gets the new incident', async () => {
    const client = await open(await admin());
    const subs = Array.from({ length: 200 }, () => collect(client, INCIDENT_CHANGED));
    const feed = estate.gw.live.incidents({ subject: 'x', roles: ['administrator'], tenants: null });
    // Subscribed once every subscription has started the feed (it polls from its first subscriber).
    await waitFor(() => feed.polls >= 2);
    await feed.settled();
    estate.sims.mdr.server.resetStats();
    const pollsBefore = feed.polls;

    const created = estate.sims.mdr.createIncident();
    await Promise.all(
      subs.map((s) =>
        s.until(() => s.received.some((r) => r.incidentChanged.incident.incidentId === created.incident_id)),
      ),
    );
    await feed.settled();
    const polls = feed.polls - pollsBefore;
    expect(polls).toBeGreaterThan(0);
    expect(estate.sims.mdr.server.callCount('incidents/list')).toBe(polls);
    expect(estate.gw.live.activeFeeds).toBe(1);
    const first = subs[0]!.received.find((r) => r.incidentChanged.incident.incidentId === created.incident_id)!;
    expect(first.incidentChanged).toMatchObject({ kind: 'CREATED', incident: { status: 'OPEN' } });
    expect(first.incidentChanged.cursor).toEqual(expect.any(String));
    subs.forEach((s) => s.dispose());
  });

  test('a change made through a mutation reaches the subscriber, with what changed; responses too', async () => {
    const { incidents } = await estate.gw.gql(
      '{ incidents(first: 100, filter: { statuses: [OPEN], responseStatuses: [PENDING] }) { nodes { incidentId responses(statuses: [PENDING]) { nodes { responseId } } } } }',
    );
    const target = incidents.nodes.find((i: any) => i.responses.nodes.length);
    const client = await open(await admin());
    const incidentSub = collect(client, INCIDENT_CHANGED);
    const responseSub = collect(
      client,
      'subscription ($id: ID) { responseChanged(incidentId: $id) { cursor response { responseId status } incident { incidentId } } }',
      { id: target.incidentId },
    );
    await waitFor(() => estate.gw.live.activeFeeds === 1);
    const responseId = target.responses.nodes[0].responseId;
    await estate.gw.gql(
      'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: CONFIRMED, comment: "contained" }) { response { status } } }',
      { id: responseId },
    );
    await responseSub.until(() => responseSub.received.length > 0);
    expect(responseSub.received[0]!.responseChanged).toMatchObject({
      response: { responseId, status: 'CONFIRMED' },
      incident: { incidentId: target.incidentId },
    });
    await incidentSub.until(() =>
      incidentSub.received.some((r) => r.incidentChanged.incident.incidentId === target.incidentId),
    );
  });

  test("a subscriber of another tenant never receives a tenant's change", async () => {
    const northwind = collect(
      await open(await bearer({ role: 'viewer', tenants: ['Northwind Retail'] })),
      INCIDENT_CHANGED,
    );
    const fabrikam = collect(
      await open(await bearer({ role: 'viewer', tenants: ['Fabrikam Health'] })),
      INCIDENT_CHANGED,
    );
    await waitFor(() => estate.gw.live.activeFeeds === 2);
    const asset = estate.sims.mdr.routes.assets.find((a) => a.tenant_name === 'Northwind Retail')!;
    const created = estate.sims.mdr.createIncident({
      tenant_name: 'Northwind Retail',
      affected_hosts: [`${asset.host_name}:${asset.asset_id}`],
    });
    await northwind.until(() =>
      northwind.received.some((r) => r.incidentChanged.incident.incidentId === created.incident_id),
    );
    // Fabrikam's feed has polled past the change (its watermark is beyond it) without delivering it.
    const feed = estate.gw.live.incidents({ subject: 'x', roles: ['viewer'], tenants: ['Fabrikam Health'] });
    const polls = feed.polls;
    await waitFor(() => feed.polls >= polls + 2);
    expect(fabrikam.received.map((r) => r.incidentChanged.incident.incidentId)).not.toContain(created.incident_id);
    for (const r of northwind.received) {
      expect(r.incidentChanged.incident.tenantName).toBe('Northwind Retail');
      for (const a of r.incidentChanged.incident.affectedAssets) expect(a.tenantName).toBe('Northwind Retail');
    }
  });

  test('a client that reconnects with its last cursor receives every change it missed, in order, none twice', async () => {
    const authorization = await admin();
    const first = collect(await open(authorization), INCIDENT_CHANGED);
    await waitFor(() => estate.gw.live.activeFeeds >= 1);
    const a = estate.sims.mdr.createIncident();
    await first.until(() => first.received.some((r) => r.incidentChanged.incident.incidentId === a.incident_id));
    const cursor = first.received.at(-1)!.incidentChanged.cursor;
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => estate.gw.live.activeFeeds === 0);

    // While nobody listens nothing is polled; the changes wait in MDR.
    estate.sims.mdr.server.resetStats();
    const missed = [
      estate.sims.mdr.createIncident(),
      estate.sims.mdr.createIncident(),
      estate.sims.mdr.createIncident(),
    ];
    expect(estate.sims.mdr.server.callCount('incidents/list')).toBe(0);

    const again = collect(await open(authorization), INCIDENT_CHANGED, { cursor });
    const ids = missed.map((i) => i.incident_id);
    await again.until(() =>
      ids.every((id) => again.received.some((r) => r.incidentChanged.incident.incidentId === id)),
    );
    const seen = again.received.map((r) => r.incidentChanged.incident.incidentId);
    expect(seen).not.toContain(a.incident_id);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  test('graphql-sse (distinct connections) delivers the same changes with the same auth', async () => {
    const client = createSseClient({
      url: `${estate.gw.origin}/graphql/stream`,
      headers: { authorization: await admin() },
      retryAttempts: 0,
    });
    clients.push(client);
    const received: any[] = [];
    const dispose = client.subscribe(
      { query: INCIDENT_CHANGED },
      { next: (v) => received.push(v.data), error: () => undefined, complete: () => undefined },
    );
    clients.push({ dispose });
    await waitFor(() => estate.gw.live.activeFeeds >= 1);
    const created = estate.sims.mdr.createIncident();
    await waitFor(() => received.some((r) => r?.incidentChanged.incident.incidentId === created.incident_id));

    const refused = await fetch(`${estate.gw.origin}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: INCIDENT_CHANGED }),
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('a missing or expired token is refused with 4401; a token that expires during the connection ends it', async () => {
    expect(await closeOf(await open(''))).toMatchObject({ code: 4401 });
    expect(await closeOf(await open(await bearer({ role: 'viewer', tenants: ['*'], expiresIn: -120 })))).toMatchObject({
      code: 4401,
    });
    const roleless = await bearer({ role: [], tenants: ['*'] });
    expect(await closeOf(await open(roleless))).toMatchObject({ code: 4403 });
    // Valid for two seconds: the gateway closes the connection when it expires.
    const short = await open(await bearer({ role: 'viewer', tenants: ['*'], expiresIn: 2 }));
    const sub = collect(short, INCIDENT_CHANGED);
    expect(await closeOf(short)).toMatchObject({ code: 4401, reason: 'Token expired' });
    await sub.until(() => sub.done);
  });

  test('the query limits and roles apply to subscription documents; queries go to POST /graphql', async () => {
    const client = await open(await admin());
    const deep = collect(
      client,
      'subscription { incidentChanged { incident { affectedAssets { host { group { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } } }',
    );
    await deep.until(() => deep.done);
    expect(deep.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) }),
    ]);
    const query = collect(client, '{ viewer { subject } }');
    await query.until(() => query.done);
    expect(query.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'OPERATION_NOT_SUPPORTED' }) }),
    ]);
    const expired = collect(client, INCIDENT_CHANGED, { cursor: 'AAAA.1' });
    await expired.until(() => expired.done);
    expect(expired.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'CURSOR_EXPIRED' }) }),
    ]);
  });
});

/** Waits (bounded) for a condition that the gateway's own timers make true. */
async function waitFor(test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('live updates: kscEvent from ConEvents, taskChanged from task state and the KATA events API', () => {
  let estate: TestEstate;
  const clients: { dispose(): void | Promise<void> }[] = [];

  beforeAll(async () => {
    estate = await startTestEstate({ LIVE_KSC_POLL_MS: '100' });
    // ConEvents asks for its own period; keep it short so the test does not wait on it.
    estate.sims.ksc.routes.conEventsPeriodMs = 100;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => estate?.stop());

  const open = async (options: Parameters<TestEstate['gw']['as']>[0]) => {
    const client = wsClient(estate.gw.url, (await estate.gw.as(options)).authorization!);
    clients.push(client);
    return client;
  };

  test("new KSC events arrive through ConEvents, each subscriber keeping to its tenants' hosts", async () => {
    const query = `subscription ($f: EventFilter) { kscEvent(filter: $f) { cursor event { eventId eventType severity hostName host { hostId } } } }`;
    const all = collect(await open({ role: 'administrator' }), query);
    const critical = collect(await open({ role: 'administrator' }), query, {
      f: { since: '2000-01-01T00:00:00Z', severities: ['CRITICAL'] },
    });
    const northwind = collect(await open({ role: 'viewer', tenants: ['Northwind Retail'] }), query);
    const feed = estate.gw.live.kscEvents();
    await waitFor(() => feed.polls >= 2);
    estate.sims.ksc.server.resetStats();
    const rows = Array.from({ length: 30 }, () => {
      estate.sims.ksc.routes.activity();
      return estate.sims.ksc.data.events[0]!;
    });
    const ids = rows.map((r) => String((r.event_id as { value: number }).value));
    await all.until(() => ids.every((id) => all.received.some((r) => r.kscEvent.event.eventId === id)));
    expect(estate.sims.ksc.server.callCount('ConEvents.Subscribe')).toBe(0);
    expect(estate.sims.ksc.server.callCount('ConEvents.Retrieve')).toBeGreaterThan(0);

    const severe = rows
      .filter((r) => r.GNRL_EA_SEVERITY === 4)
      .map((r) => String((r.event_id as { value: number }).value));
    await critical.until(() => severe.every((id) => critical.received.some((r) => r.kscEvent.event.eventId === id)));
    expect(critical.received.every((r) => r.kscEvent.event.severity === 'CRITICAL')).toBe(true);

    const data = estate.sims.ksc.data;
    const tenantOf = (hostId: string) => {
      const host = data.hostById(hostId)!;
      return data
        .groupChain(host.groupId)
        .map((id) => data.groupById(id)!)
        .find((g) => g.parentId === 0)?.name;
    };
    const theirs = rows.filter((r) => tenantOf(String(r.hostname)) === 'Northwind Retail');
    const theirIds = theirs.map((r) => String((r.event_id as { value: number }).value));
    await northwind.until(() =>
      theirIds.every((id) => northwind.received.some((r) => r.kscEvent.event.eventId === id)),
    );
    for (const r of northwind.received) expect(tenantOf(r.kscEvent.event.host.hostId)).toBe('Northwind Retail');
  });

  test('taskChanged follows a KSC task and a KATA task to their end', async () => {
    const { hosts } = await estate.gw.gql('{ hosts(first: 2, filter: { online: true }) { nodes { hostId } } }');
    const { isolateHosts } = await estate.gw.gql(
      'mutation ($h: [String!]!) { isolateHosts(input: { hostIds: $h }) { task { id taskId state } } }',
      { h: hosts.nodes.map((h: { hostId: string }) => h.hostId) },
    );
    const sub = collect(
      await open({ role: 'viewer', tenants: ['*'] }),
      'subscription ($id: ID!) { taskChanged(taskId: $id) { cursor task { __typename taskId state } } }',
      { id: isolateHosts.task.id },
    );
    const feed = () =>
      estate.gw.live.task(
        { subject: '', roles: ['viewer'], tenants: null },
        { ...isolateHosts.task, upstream: 'KSC', __typename: 'KscTask' },
      );
    await waitFor(() => feed().hasBaseline);
    await feed().settled();
    estate.sims.ksc.advance(120_000);
    await sub.until(() => sub.received.some((r) => r.taskChanged.task.state === 'COMPLETED'));
    expect(sub.received.at(-1)!.taskChanged.task).toMatchObject({
      __typename: 'KscTask',
      taskId: isolateHosts.task.taskId,
    });

    // A KATA task: the events API says when it changed (TaskStateChanged); the task is read then.
    const { sensors } = await estate.gw.gql('{ sensors { sensorId } }');
    const { createKataTask } = await estate.gw.gql(
      'mutation ($s: String!) { createKataTask(input: { sensorId: $s, execCommand: "ipconfig.exe" }) { task { id taskId state } } }',
      { s: sensors[0].sensorId },
    );
    const kataSub = collect(
      await open({ role: 'viewer', tenants: ['*'] }),
      'subscription ($id: ID!) { taskChanged(taskId: $id) { task { __typename taskId state } } }',
      { id: createKataTask.task.id },
    );
    const kataFeed = () =>
      estate.gw.live.task(
        { subject: '', roles: ['viewer'], tenants: null },
        { ...createKataTask.task, upstream: 'KATA', __typename: 'KataTask' },
      );
    await waitFor(() => estate.gw.live.kataEvents().completedPolls >= 1);
    await kataFeed().settled();
    estate.sims.kata.server.resetStats();
    // Someone else looks at the task: KATA moves it on and says so in its events.
    await estate.gw.gql('query ($t: String!) { kataTask(taskId: $t) { state } }', { t: createKataTask.task.taskId });
    await estate.gw.gql('query ($t: String!) { kataTask(taskId: $t) { state } }', { t: createKataTask.task.taskId });
    await kataSub.until(() => kataSub.received.some((r) => r.taskChanged.task.state === 'COMPLETED'));
    expect(kataSub.received.at(-1)!.taskChanged.task).toMatchObject({ __typename: 'KataTask' });
    expect(estate.sims.kata.server.callCount('GET events')).toBeGreaterThan(0);

    const other = collect(
      await open({ role: 'viewer', tenants: ['Nobody'] }),
      'subscription ($id: ID!) { taskChanged(taskId: $id) { cursor } }',
      { id: isolateHosts.task.taskId },
    );
    await other.until(() => other.done);
    expect(other.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
  });
});
