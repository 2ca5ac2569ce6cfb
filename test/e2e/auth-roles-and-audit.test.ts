import { Writable } from 'node:stream';

import { getNullableType } from 'graphql';

import { requiredRole } from '../../src/auth/permissions';
import type { Role } from '../../src/domain/caller';
import { buildGatewaySchema } from '../../src/graph/schema';
import { createLogger } from '../../src/logger';
import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';

const schema = buildGatewaySchema();
const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});

/** Weakest first; each role may do everything the ones before it may (issue 6). */
const ORDER: readonly Role[] = ['viewer', 'security_officer', 'senior_security_officer', 'administrator'];

/**
 * Who may run each mutation, written out from issue 6 and docs/security.md rather than read from
 * src/auth/permissions.ts, so a wrong entry there fails here: a viewer reads; a security_officer
 * also comments; a senior_security_officer also confirms or declines responses, creates and deletes
 * KATA tasks, isolates, scans and quarantines (KATA prevention rules with them, as docs/security.md
 * lists); an administrator everything, including any mutation not named here.
 */
const MINIMUM_ROLE: Readonly<Record<string, Role>> = {
  addIncidentComment: 'security_officer',
  updateResponse: 'senior_security_officer',
  updateResponses: 'senior_security_officer',
  createKataTask: 'senior_security_officer',
  deleteKataTask: 'senior_security_officer',
  isolateHosts: 'senior_security_officer',
  unisolateHosts: 'senior_security_officer',
  isolateSensor: 'senior_security_officer',
  releaseSensorIsolation: 'senior_security_officer',
  scanHosts: 'senior_security_officer',
  quarantineFiles: 'senior_security_officer',
  scanQuarantinedFiles: 'senior_security_officer',
  restoreQuarantinedFiles: 'senior_security_officer',
  addPreventionRules: 'senior_security_officer',
  removePreventionRules: 'senior_security_officer',
};
const minimumRole = (mutation: string): Role => MINIMUM_ROLE[mutation] ?? 'administrator';

/** `mutation ($input: XInput!) { field(input: $input) { __typename } }` for any mutation. */
function mutationDocument(name: string): string {
  const field = schema.getMutationType()!.getFields()[name]!;
  const vars = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const returns = getNullableType(field.type);
  const selection = 'getFields' in returns || 'getTypes' in returns ? ' { __typename }' : '';
  return `mutation ${vars ? `(${vars})` : ''} { ${name}${args ? `(${args})` : ''}${selection} }`;
}

describe('who may do what, decided before anything runs', () => {
  let estate: EdgeEstate;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    estate = await startEdgeEstate({ logger: createLogger('info', sink) });
  });
  afterAll(() => estate?.stop());
  beforeEach(async () => {
    await estate.resetCalls();
    lines.length = 0;
  });
  const audits = () => lines.filter((l) => l.audit === 'mutation');

  test('the schema has mutations to check', () => {
    expect(mutations.map((m) => m.name)).toEqual(
      expect.arrayContaining(['createKataTask', 'isolateHosts', 'scanHosts']),
    );
  });

  test('the permission table gives every mutation the minimum role issue 6 says, and every query viewer', () => {
    const table = Object.fromEntries(mutations.map((m) => [m.name, requiredRole('Mutation', m.name)]));
    expect(table).toEqual(Object.fromEntries(mutations.map((m) => [m.name, minimumRole(m.name)])));
    // Every mutation named above exists, so none of the table's entries guards a field that is gone.
    expect(Object.keys(MINIMUM_ROLE).filter((name) => !(name in table))).toEqual([]);
    const queries = Object.keys(schema.getQueryType()?.getFields() ?? {});
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.filter((name) => requiredRole('Query', name) !== 'viewer')).toEqual([]);
    // Deny by default: a mutation nobody listed needs administrator.
    expect(requiredRole('Mutation', 'someMutationAddedLater')).toBe('administrator');
  });

  // Every mutation the schema has (MDR's, KSC's, KATA's, and any added later, which default to
  // administrator) against every role: refused ones get 403 FORBIDDEN and call no upstream.
  const cases = mutations.flatMap((m) => ORDER.map((role) => [m.name, role] as [string, Role]));
  test.each(cases)('%s as %s', async (name, role) => {
    const { status, body } = await estate.gw.gqlRaw(mutationDocument(name), {}, await estate.gw.as({ role }));
    const allowed = ORDER.indexOf(role) >= ORDER.indexOf(minimumRole(name));
    if (allowed) {
      // Let through: it fails on the missing variables, not on authorization.
      expect(body.errors?.map((e) => e.extensions?.code)).not.toContain('FORBIDDEN');
    } else {
      expect(status).toBe(403);
      expect(body).toEqual({
        errors: [
          {
            message: `Your role may not use Mutation.${name}.`,
            extensions: {
              code: 'FORBIDDEN',
              fields: [name],
              requiredRoles: { [name]: minimumRole(name) },
            },
          },
        ],
      });
    }
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('a security_officer cannot create a KATA task; a senior_security_officer can', async () => {
    const sensorId = estate.kata.routes.sensorList()[0]!.sensorId;
    const create = `mutation Create($input: CreateKataTaskInput!) { createKataTask(input: $input) { task { taskId } } }`;
    const input = { sensorId, execCommand: 'cmd.exe', cmdLineParameters: '/c whoami' };

    const refused = await estate.gw.gqlRaw(
      create,
      { input },
      await estate.gw.as({ role: 'security_officer', subject: 'officer-1' }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      requiredRoles: { createKataTask: 'senior_security_officer' },
    });
    expect(estate.upstreamCalls()).toBe(0);
    expect(audits()).toEqual([
      expect.objectContaining({
        audit: 'mutation',
        subject: 'officer-1',
        operationName: 'Create',
        fields: ['createKataTask'],
        targets: { createKataTask: { sensorId } },
        result: 'refused',
        codes: ['FORBIDDEN'],
      }),
    ]);

    lines.length = 0;
    const done = await estate.gw.gqlRaw(
      create,
      { input },
      await estate.gw.as({ role: 'senior_security_officer', subject: 'senior-1', tenants: ['*'] }),
    );
    expect(done.body.errors).toBeUndefined();
    expect(estate.upstreamCalls()).toBeGreaterThan(0);
    expect(audits()).toEqual([
      expect.objectContaining({
        subject: 'senior-1',
        fields: ['createKataTask'],
        targets: { createKataTask: { sensorId } },
        result: 'ok',
        codes: [],
      }),
    ]);
  });

  test('a viewer cannot isolate hosts, even hidden in a fragment next to an allowed field', async () => {
    const document = `mutation { ...M } fragment M on Mutation { isolateHosts(input: { hostIds: ["h1"] }) { __typename } }`;
    const { status, body } = await estate.gw.gqlRaw(document, {}, await estate.gw.as({ role: 'viewer' }));
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(estate.upstreamCalls()).toBe(0);
    expect(audits()).toEqual([
      expect.objectContaining({
        fields: ['isolateHosts'],
        targets: { isolateHosts: { hostIds: ['h1'] } },
        result: 'refused',
      }),
    ]);
  });

  test('one refused field refuses the whole operation: the allowed one does not run either', async () => {
    const scan = `scanHosts(input: { hostNames: ["x"], scanType: "full", displayName: "t" }) { __typename }`;
    const document = `mutation { a: ${scan} b: isolateHosts(input: { hostIds: ["h1"] }) { __typename } }`;
    const sensorCaller = await estate.gw.as({ role: 'security_officer' });
    const { status } = await estate.gw.gqlRaw(document, {}, sensorCaller);
    expect(status).toBe(403);
    expect(estate.upstreamCalls()).toBe(0);
  });

  test('every mutation, even a failed one, writes exactly one audit line without secrets', async () => {
    const { body } = await estate.gw.gqlRaw(
      `mutation { deleteKataTask(input: { taskId: "no-such-task" }) { deletedTaskId } }`,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(audits()).toHaveLength(1);
    expect(audits()[0]).toMatchObject({
      subject: 'test-administrator',
      roles: ['administrator'],
      tenants: null,
      targets: { deleteKataTask: { taskId: 'no-such-task' } },
      result: 'failed',
      codes: ['BAD_USER_INPUT'],
    });
    expect(JSON.stringify(lines)).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  test('targets are found inside lists of inputs (prevention rules by hash)', async () => {
    const sha256 = 'a'.repeat(64);
    const md5 = 'b'.repeat(32);
    await estate.gw.gqlRaw(
      `mutation ($i: PreventionRulesInput!) { addPreventionRules(input: $i) { sensorId } }`,
      { i: { sensorId: 'all', rules: [{ sha256, name: 'evil.exe' }, { md5 }] } },
      await estate.gw.as({ role: 'viewer' }),
    );
    expect(audits()).toEqual([
      expect.objectContaining({
        fields: ['addPreventionRules'],
        targets: { addPreventionRules: { sensorId: 'all', sha256, md5 } },
        result: 'refused',
      }),
    ]);
  });

  test('queries write no audit line', async () => {
    await estate.gw.gql('{ sensors { sensorId } }');
    expect(audits()).toHaveLength(0);
  });
});
