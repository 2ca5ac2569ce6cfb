import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';

import { createLogger } from '../../src/logger';
import { startTestGateway, tempStateDir } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { eventually } from '../helpers/replicas';

const QUERY = '{ assets(first: 1) { nodes { assetId } } }';
const SET = 'mutation ($t: String!) { setMdrRefreshToken(refreshToken: $t) { accessTokenExpiresAt } }';

/** Spends a refresh token as if another client had used it. */
async function spend(sim: MdrSimulator, token: string): Promise<void> {
  const res = await fetch(`${sim.info.url}/${sim.info.clientId}/session/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: token }),
  });
  expect(res.status).toBe(200);
}

describe('a lost MDR session (MDR refused the refresh token)', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;
  let file: string;
  const lines: string[] = [];

  beforeAll(async () => {
    sim = await startSmallMdr();
    const stateDir = tempStateDir();
    file = path.join(stateDir, 'mdr-refresh-token');
    const spent = await sim.issueRefreshToken('Gateway administrator');
    await spend(sim, spent);
    writeFileSync(file, `${spent}\n`);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    gw = await startTestGateway({
      mdr: { ...mdrSettings(sim), refreshToken: spent, refreshTokenFile: file },
      stateDir,
      logger: createLogger('info', sink),
    });
    sim.server.resetStats();
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  test('is presented once: MDR fields then fail at once with what to do, and /readyz and a metric say so', async () => {
    const first = await gw.gqlRaw(QUERY);
    expect(first.body.errors?.[0]).toMatchObject({
      path: ['assets'],
      extensions: { code: 'UPSTREAM_AUTH_FAILED', upstream: 'MDR' },
      message: expect.stringMatching(/MDR_REFRESH_TOKEN_FILE.*setMdrRefreshToken/),
    });
    for (let i = 0; i < 20; i++) {
      const { body } = await gw.gqlRaw(QUERY);
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_AUTH_FAILED');
    }
    expect(sim.server.callCount('session/confirm')).toBe(1);
    expect(sim.server.stats().counters).toEqual({ spentRefreshTokenPresentations: 1 });

    const readyz = (await (await fetch(`${gw.origin}/readyz`)).json()) as { upstreams: unknown[] };
    expect(readyz.upstreams).toEqual([
      expect.objectContaining({
        upstream: 'MDR',
        session: 'lost',
        reason: expect.stringContaining('setMdrRefreshToken'),
      }),
    ]);
    expect(await (await fetch(`${gw.origin}/metrics`)).text()).toMatch(/^gateway_mdr_session_lost 1$/m);
    expect(sim.server.callCount('session/confirm')).toBe(1);
  });

  test('a new token written to MDR_REFRESH_TOKEN_FILE is used within seconds, without a restart', async () => {
    writeFileSync(file, `${await sim.issueRefreshToken('Gateway administrator')}\n`);
    await eventually(async () => !(await gw.gqlRaw(QUERY)).body.errors);
    expect(sim.server.callCount('session/confirm')).toBe(2);
    expect(sim.server.stats().counters).toEqual({ spentRefreshTokenPresentations: 1 });
    expect(await (await fetch(`${gw.origin}/metrics`)).text()).toMatch(/^gateway_mdr_session_lost 0$/m);
  });

  test('setMdrRefreshToken: administrators of every tenant only, presented at once, audited, never echoed or logged', async () => {
    const token = await sim.issueRefreshToken('Gateway administrator');
    const refused = await Promise.all([
      gw.gqlRaw(SET, { t: token }, await gw.as({ role: 'senior_security_officer' })),
      gw.gqlRaw(SET, { t: token }, await gw.as({ role: 'administrator', tenant: 'Northwind Retail' })),
    ]);
    for (const { body } of refused) expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(sim.server.callCount('session/confirm')).toBe(2);

    lines.length = 0;
    const { status, body } = await gw.gqlRaw(SET, { t: token });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { setMdrRefreshToken: { accessTokenExpiresAt: expect.any(String) } } });
    expect(sim.server.callCount('session/confirm')).toBe(3);
    await gw.gql(QUERY);
    expect(sim.server.callCount('session/confirm')).toBe(3);

    const audit = lines.map((l) => JSON.parse(l)).find((l) => l.audit === 'mutation');
    expect(audit).toMatchObject({ fields: ['setMdrRefreshToken'], result: 'ok', subject: 'test-administrator' });
    expect(lines.join('')).not.toContain(token);
    expect(JSON.stringify(body)).not.toContain(token);

    // A token MDR refuses: the answer says so, and the session is lost again until the next one.
    const spent = await sim.issueRefreshToken('Gateway administrator');
    await spend(sim, spent);
    const again = await gw.gqlRaw(SET, { t: spent });
    expect(again.body.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_AUTH_FAILED' } });
    expect(JSON.stringify(again.body)).not.toContain(spent);
    expect((await gw.gqlRaw(QUERY)).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(sim.server.callCount('session/confirm')).toBe(5);
  });
});
