import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { promisify } from 'node:util';

import { tempStateDir } from '../helpers/gateway';
import { outputUntil } from '../helpers/processes';

const root = path.join(__dirname, '..', '..');
const { PATH, HOME } = process.env;

/** `npm run token` and `npm start` are "build if needed, then node dist/…": this suite runs the built CLIs. */
beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'ignore' });
}, 180_000);

interface Answer {
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('npm run token --tenant against the demo gateway', () => {
  const stateDir = tempStateDir();
  let gateway: ChildProcessWithoutNullStreams;
  let url: string;

  /** `node dist/cli/token.js …` in a shell holding only STATE_DIR, as `npm run -s token -- …` runs it. */
  async function token(...args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'dist', 'cli', 'token.js'), ...args],
      {
        cwd: root,
        env: { PATH, HOME, STATE_DIR: stateDir },
      },
    );
    return stdout.trim();
  }

  async function query(bearer: string, document: string, variables: Record<string, unknown> = {}): Promise<Answer> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query: document, variables }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  }

  const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

  beforeAll(async () => {
    gateway = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
      cwd: root,
      env: { PATH, HOME, STATE_DIR: stateDir, PORT: '0', SIM_SCALE: '0.05', LOG_LEVEL: 'warn' },
    });
    const banner = await outputUntil(gateway, /Callers need a bearer token[\s\S]*npm run[^\n]*\n/);
    url = /GraphQL\s+(http:\/\/\S+)/.exec(banner)![1]!;
  }, 60_000);
  afterAll(async () => {
    if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
      const exited = once(gateway, 'exit');
      gateway.kill('SIGTERM');
      await exited;
    }
  });

  test("a viewer token for one tenant sees only that tenant's MDR incidents and assets, all of them", async () => {
    const admin = await token('--role', 'administrator');
    const everything = await query(admin, '{ incidents(first: 100) { totalCount nodes { tenantName } } }');
    expect(everything.errors).toBeUndefined();
    const tenants = [
      ...new Set(everything.data!.incidents.nodes.map((i: { tenantName: string | null }) => i.tenantName)),
    ]
      .filter((t): t is string => typeof t === 'string' && t !== '')
      .sort();
    expect(tenants.length).toBeGreaterThan(1);
    const tenant = tenants[0]!;

    const viewer = await token('--role', 'viewer', '--tenant', tenant);
    expect(claims(viewer)).toMatchObject({ roles: ['viewer'], tenants: [tenant] });

    const counts = `query ($t: [String!]) { incidents(first: 1, filter: { tenantNames: $t }) { totalCount }
      assets(first: 1, filter: { tenantNames: $t }) { totalCount } }`;
    const ofTenant = await query(admin, counts, { t: [tenant] });
    expect(ofTenant.errors).toBeUndefined();
    expect(ofTenant.data!.incidents.totalCount).toBeGreaterThan(0);
    expect(ofTenant.data!.incidents.totalCount).toBeLessThan(everything.data!.incidents.totalCount);

    const seen = await query(
      viewer,
      '{ incidents(first: 100) { totalCount nodes { tenantName } } assets(first: 100) { totalCount nodes { tenantName } } }',
    );
    expect(seen.errors).toBeUndefined();
    expect(new Set(seen.data!.incidents.nodes.map((i: { tenantName: string }) => i.tenantName))).toEqual(
      new Set([tenant]),
    );
    expect(new Set(seen.data!.assets.nodes.map((a: { tenantName: string }) => a.tenantName))).toEqual(
      new Set([tenant]),
    );
    expect(seen.data!.incidents.totalCount).toBe(ofTenant.data!.incidents.totalCount);
    expect(seen.data!.assets.totalCount).toBe(ofTenant.data!.assets.totalCount);

    // Asking for the other tenants by filter gives nothing of them.
    const others = await query(viewer, counts, { t: tenants.slice(1) });
    expect(others).toEqual({ data: { incidents: { totalCount: 0 }, assets: { totalCount: 0 } } });
  });

  test('the viewer token may read but not comment', async () => {
    const viewer = await token('--role', 'viewer', '--tenant', 'any-tenant');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
      body: JSON.stringify({
        query: 'mutation { addIncidentComment(input: { incidentId: "x", text: "y" }) { __typename } }',
      }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as Answer).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
