import { startTestEstate } from '../helpers/gateway';
import type { TestEstate } from '../helpers/gateway';

/**
 * The demo mapping (each MDR tenant owns the KSC group named after it, and the KATA sensors on those
 * hosts), checked from outside with one token per tenant: no list, count, join or lookup answers an
 * object of another tenant, and no mutation reaches another tenant's object.
 */
describe('tenant isolation across MDR, KSC and KATA', () => {
  let estate: TestEstate;
  /** KSC host id → tenant ('' = MDR root tenant, "Head Office"; null = Unassigned devices). */
  const tenantOfHost = new Map<string, string | null>();
  const tenantOfHostName = new Map<string, string | null>();
  let sensors: { id: string; sensorId: string; hostName: string | null }[];

  const TENANTS = ['Northwind Retail', 'Contoso Energy', 'Fabrikam Health', ''];

  const writes = () => {
    const { mdr, ksc, kata } = estate.sims;
    const count = (stats: Record<string, number>, write: (endpoint: string) => boolean) =>
      Object.entries(stats)
        .filter(([endpoint]) => write(endpoint))
        .reduce((n, [, c]) => n + c, 0);
    return (
      count(mdr.server.stats().calls, (e) => /create|update/.test(e)) +
      count(ksc.server.stats().calls, (e) => /AddTask|RunTask|AddListItemsTask|AddIncident/.test(e)) +
      count(kata.server.stats().calls, (e) => /^(POST|PUT|DELETE) /.test(e))
    );
  };

  beforeAll(async () => {
    estate = await startTestEstate();
    const { data } = estate.sims.ksc;
    for (const host of data.hosts) {
      const top = data
        .groupChain(host.groupId)
        .map((id) => data.groupById(id)!)
        .find((g) => g.parentId === 0);
      const tenant = top ? (top.name === 'Head Office' ? '' : top.name) : null;
      tenantOfHost.set(host.id, tenant);
      tenantOfHostName.set(host.name.toLowerCase(), tenant);
    }
    sensors = (await estate.gw.gql('{ sensors { id sensorId hostName } }')).sensors;
  });
  afterAll(() => estate?.stop());

  const as = (tenant: string, role: 'viewer' | 'senior_security_officer' = 'viewer') =>
    estate.gw.as({ role, tenants: [tenant], subject: `${role}@${tenant || 'root'}` });

  test.each(TENANTS)('a viewer of "%s" sees only its own objects, in lists, counts and joins', async (tenant) => {
    const data = await estate.gw.gql(
      `{
        incidents(first: 100) { totalCount nodes { tenantName affectedAssets { tenantName host { hostId } sensor { sensorId } } } }
        assets(first: 100) { totalCount nodes { tenantName host { hostId group { groupId } } } }
        hosts(first: 100) { totalCount nodes { hostId name group { groupId } asset { tenantName } sensor { sensorId hostName } } }
        hostGroups(first: 100) { nodes { groupId hosts(first: 5) { nodes { hostId } } } }
        events(first: 100, filter: { since: "2000-01-01T00:00:00Z" }) { nodes { hostName host { hostId } } }
        sensors { sensorId hostName host { hostId } asset { tenantName } }
        kscUsers(first: 100) { nodes { principal } }
        quarantinedFiles(first: 100) { nodes { host { hostId } } }
        executableFiles(first: 100) { nodes { host { hostId } } }
      }`,
      {},
      await as(tenant),
    );
    const mine = (hostId: string | undefined) => hostId === undefined || tenantOfHost.get(hostId) === tenant;

    expect(data.incidents.nodes.length).toBeGreaterThan(0);
    for (const i of data.incidents.nodes) {
      expect(i.tenantName ?? '').toBe(tenant);
      for (const a of i.affectedAssets) {
        expect(a.tenantName ?? '').toBe(tenant);
        expect(mine(a.host?.hostId)).toBe(true);
      }
    }
    for (const a of data.assets.nodes) {
      expect(a.tenantName ?? '').toBe(tenant);
      expect(mine(a.host?.hostId)).toBe(true);
    }

    const hostsOfTenant = [...tenantOfHost.values()].filter((t) => t === tenant).length;
    expect(hostsOfTenant).toBeGreaterThan(0);
    expect(data.hosts.totalCount).toBe(hostsOfTenant);
    for (const h of data.hosts.nodes) {
      expect(tenantOfHost.get(h.hostId)).toBe(tenant);
      if (h.asset) expect(h.asset.tenantName ?? '').toBe(tenant);
      if (h.sensor) expect(tenantOfHostName.get(h.sensor.hostName.toLowerCase())).toBe(tenant);
    }
    const groupIds = new Set(estate.sims.ksc.data.groups.map((g) => g.id));
    for (const g of data.hostGroups.nodes) {
      expect(groupIds.has(g.groupId)).toBe(true);
      const top = estate.sims.ksc.data
        .groupChain(g.groupId)
        .map((id) => estate.sims.ksc.data.groupById(id)!)
        .find((x) => x.parentId === 0)!;
      expect(top.name === 'Head Office' ? '' : top.name).toBe(tenant);
      for (const h of g.hosts.nodes) expect(tenantOfHost.get(h.hostId)).toBe(tenant);
    }
    expect(data.hostGroups.nodes.length).toBeGreaterThan(0);

    expect(data.events.nodes.length).toBeGreaterThan(0);
    for (const e of data.events.nodes) expect(tenantOfHostName.get(e.hostName.toLowerCase())).toBe(tenant);

    const expectedSensors = sensors.filter(
      (s) => s.hostName && tenantOfHostName.get(s.hostName.toLowerCase()) === tenant,
    );
    expect(expectedSensors.length).toBeGreaterThan(0);
    expect(data.sensors.map((s: { sensorId: string }) => s.sensorId).sort()).toEqual(
      expectedSensors.map((s) => s.sensorId).sort(),
    );
    for (const s of data.sensors) if (s.asset) expect(s.asset.tenantName ?? '').toBe(tenant);

    const domains = new Set(
      estate.sims.ksc.data.hosts.filter((h) => tenantOfHost.get(h.id) === tenant).map((h) => h.machine.domain),
    );
    for (const u of data.kscUsers.nodes) expect(domains.has(String(u.principal).split('@')[1])).toBe(true);
    for (const f of [...data.quarantinedFiles.nodes, ...data.executableFiles.nodes])
      expect(mine(f.host?.hostId)).toBe(true);
  });

  test.each(TENANTS)('another tenant\'s objects are null by id and by global id for "%s"', async (tenant) => {
    const other = TENANTS.find((t) => t !== tenant)!;
    const theirs = await estate.gw.gql(
      `{
        incidents(first: 20) { nodes { id incidentId responses(first: 1) { nodes { id } } comments(first: 1) { nodes { id } } } }
        assets(first: 5) { nodes { id assetId } }
        hosts(first: 5) { nodes { id hostId group { id groupId } events(first: 1) { nodes { id } } } }
        sensors { id sensorId }
      }`,
      {},
      await estate.gw.as({ role: 'viewer', tenants: [other], subject: 'other' }),
    );
    const incident = theirs.incidents.nodes.find((i: any) => i.responses.nodes.length && i.comments.nodes.length);
    const host = theirs.hosts.nodes.find((h: any) => h.events.nodes.length);
    expect(incident && host && theirs.sensors.length).toBeTruthy();
    const ids = [
      incident.id,
      incident.responses.nodes[0].id,
      incident.comments.nodes[0].id,
      theirs.assets.nodes[0].id,
      host.id,
      host.group.id,
      host.events.nodes[0].id,
      theirs.sensors[0].id,
    ];
    const { body } = await estate.gw.gqlRaw(
      `query ($ids: [ID!]!, $iid: String!, $aid: String!, $hid: String!) {
        nodes(ids: $ids) { id }
        incident(incidentId: $iid) { id }
        asset(assetId: $aid) { id }
        host(hostId: $hid) { id }
      }`,
      { ids, iid: incident.incidentId, aid: theirs.assets.nodes[0].assetId, hid: host.hostId },
      await as(tenant),
    );
    expect(body.data).toEqual({ nodes: ids.map(() => null), incident: null, asset: null, host: null });
    expect(body.errors ?? []).toEqual([]);
  });

  test("every mutation on another tenant's object is NOT_FOUND and writes nothing upstream", async () => {
    const other = await estate.gw.gql(
      `{
        incidents(first: 50) { nodes { incidentId responses(first: 1) { nodes { responseId } } } }
        hosts(first: 5) { nodes { hostId name } }
        quarantinedFiles(first: 1) { nodes { fileId } }
        sensors { sensorId }
      }`,
      {},
      await estate.gw.as({ role: 'viewer', tenant: 'Fabrikam Health', subject: 'other' }),
    );
    const responseId = other.incidents.nodes.find((i: any) => i.responses.nodes.length).responses.nodes[0].responseId;
    const [host] = other.hosts.nodes;
    const sensorId = other.sensors[0].sensorId;
    const fileId = other.quarantinedFiles.nodes[0]?.fileId;
    expect(fileId).toBeDefined();
    const mutations: [string, Record<string, unknown>][] = [
      [
        'addIncidentComment(input: $input) { comment { commentId } }',
        { incidentId: other.incidents.nodes[0].incidentId, text: 'x' },
      ],
      ['updateResponse(input: $input) { response { responseId } }', { responseId, status: 'CONFIRMED', comment: 'x' }],
      [
        'updateResponses(input: $input) { results { error { code } } }',
        { responseIds: [responseId], status: 'DECLINED', comment: 'x' },
      ],
      ['isolateHosts(input: $input) { hosts { hostId } }', { hostIds: [host.hostId] }],
      ['unisolateHosts(input: $input) { hosts { hostId } }', { hostIds: [host.hostId] }],
      [
        'scanHosts(input: $input) { hosts { hostId } }',
        { hostNames: [host.name], displayName: 'x', scanType: 'KES_WINDOWS' },
      ],
      [
        'quarantineFiles(input: $input) { hosts { hostId } }',
        { hostNames: [host.name], displayName: 'x', paths: ['C:\\x.exe'] },
      ],
      ['scanQuarantinedFiles(input: $input) { files { fileId } }', { fileIds: [fileId] }],
      ['restoreQuarantinedFiles(input: $input) { files { fileId } }', { fileIds: [fileId] }],
      ['createKataTask(input: $input) { task { taskId } }', { sensorId, execCommand: 'cmd.exe' }],
      ['isolateSensor(input: $input) { sensorId }', { sensorId, timeoutHours: 1 }],
      ['releaseSensorIsolation(input: $input) { sensorId }', { sensorId }],
      [
        'addPreventionRules(input: $input) { sensorId }',
        { sensorId, rules: [{ md5: 'd41d8cd98f00b204e9800998ecf8427e' }] },
      ],
      [
        'removePreventionRules(input: $input) { sensorId }',
        { sensorId, rules: [{ md5: 'd41d8cd98f00b204e9800998ecf8427e' }] },
      ],
      [
        'addPreventionRules(input: $input) { sensorId }',
        { sensorId: 'all', rules: [{ md5: 'd41d8cd98f00b204e9800998ecf8427e' }] },
      ],
    ];
    const inputTypes: Record<string, string> = {
      addIncidentComment: 'AddIncidentCommentInput',
      updateResponse: 'UpdateResponseInput',
      updateResponses: 'UpdateResponsesInput',
      isolateHosts: 'IsolateHostsInput',
      unisolateHosts: 'UnisolateHostsInput',
      scanHosts: 'ScanHostsInput',
      quarantineFiles: 'QuarantineFilesInput',
      scanQuarantinedFiles: 'QuarantinedFilesInput',
      restoreQuarantinedFiles: 'QuarantinedFilesInput',
      createKataTask: 'CreateKataTaskInput',
      isolateSensor: 'IsolateSensorInput',
      releaseSensorIsolation: 'ReleaseSensorIsolationInput',
      addPreventionRules: 'PreventionRulesInput',
      removePreventionRules: 'PreventionRulesInput',
    };
    const headers = await as('Northwind Retail', 'senior_security_officer');
    for (const [selection, input] of mutations) {
      const field = selection.slice(0, selection.indexOf('('));
      for (const sim of [estate.sims.mdr, estate.sims.ksc, estate.sims.kata]) sim.server.resetStats();
      const { body } = await estate.gw.gqlRaw(
        `mutation ($input: ${inputTypes[field]}!) { ${selection} }`,
        { input },
        headers,
      );
      // A bulk mutation answers per item: another tenant's id is that item's NOT_FOUND.
      const itemCodes = ((body.data as any)?.[field]?.results ?? []).map((r: any) => r.error?.code);
      expect({ field, codes: [...(body.errors ?? []).map((e) => e.extensions?.code), ...itemCodes] }).toEqual({
        field,
        codes: ['NOT_FOUND'],
      });
      expect({ field, writes: writes() }).toEqual({ field, writes: 0 });
    }
  });

  test("another tenant's KSC and KATA tasks are unreadable and cannot be deleted", async () => {
    const fabrikam = await as('Fabrikam Health', 'senior_security_officer');
    const northwind = await as('Northwind Retail', 'senior_security_officer');
    const { hosts, sensors: theirSensors } = await estate.gw.gql(
      '{ hosts(first: 1) { nodes { hostId } } sensors { sensorId } }',
      {},
      fabrikam,
    );
    const created = await estate.gw.gql(
      `mutation ($hosts: [String!]!, $sensor: String!) {
        isolateHosts(input: { hostIds: $hosts }) { task { id taskId } }
        createKataTask(input: { sensorId: $sensor, execCommand: "ipconfig.exe" }) { task { id taskId } }
      }`,
      { hosts: [hosts.nodes[0].hostId], sensor: theirSensors[0].sensorId },
      fabrikam,
    );
    const ksc = created.isolateHosts.task;
    const kata = created.createKataTask.task;
    const read = `query ($k: String!, $t: String!, $ids: [ID!]!) { kscTask(taskId: $k) { taskId } kataTask(taskId: $t) { taskId } nodes(ids: $ids) { id } }`;
    const variables = { k: ksc.taskId, t: kata.taskId, ids: [ksc.id, kata.id] };
    expect(await estate.gw.gql(read, variables, fabrikam)).toEqual({
      kscTask: { taskId: ksc.taskId },
      kataTask: { taskId: kata.taskId },
      nodes: [{ id: ksc.id }, { id: kata.id }],
    });
    expect(await estate.gw.gql(read, variables, northwind)).toEqual({
      kscTask: null,
      kataTask: null,
      nodes: [null, null],
    });

    for (const sim of [estate.sims.mdr, estate.sims.ksc, estate.sims.kata]) sim.server.resetStats();
    const { body } = await estate.gw.gqlRaw(
      'mutation ($t: String!) { deleteKataTask(input: { taskId: $t }) { deletedTaskId } }',
      { t: kata.taskId },
      northwind,
    );
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(writes()).toBe(0);
  });

  test('a caller without a tenants claim sees every tenant only with a role that allows it', async () => {
    const query =
      '{ viewer { tenants allTenants } incidents(first: 1) { totalCount } hosts(first: 1) { totalCount } sensors { sensorId } }';
    const viewer = await estate.gw.gql(query, {}, await estate.gw.as({ role: 'viewer' }));
    expect(viewer).toEqual({
      viewer: { tenants: [], allTenants: false },
      incidents: { totalCount: 0 },
      hosts: { totalCount: 0 },
      sensors: [],
    });
    const everyTenant = await estate.gw.gql(query, {}, await estate.gw.as({ role: 'viewer', tenants: ['*'] }));
    const admin = await estate.gw.gql(query);
    expect(everyTenant.viewer).toEqual({ tenants: null, allTenants: true });
    expect(admin.viewer).toEqual({ tenants: null, allTenants: true });
    expect(everyTenant.hosts.totalCount).toBe(tenantOfHost.size);
    expect(admin.incidents.totalCount).toBe(everyTenant.incidents.totalCount);
  });
});
