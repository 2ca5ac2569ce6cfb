import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway, tempStateDir } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const QUERY = '{ assets(first: 2) { nodes { assetId } } }';

describe('MDR rotating tokens', () => {
  let sim: MdrSimulator;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    sim = await startSmallMdr();
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  it('50 concurrent queries across 20 expiries: all succeed, one session/confirm per expiry; a restart continues from the stored token', async () => {
    const stateDir = tempStateDir();
    const settings = mdrSettings(sim);
    gw = await startTestGateway({ mdr: settings, stateDir });
    await gw.gql(QUERY);
    expect(sim.server.callCount('session/confirm')).toBe(1);

    for (let expiry = 1; expiry <= 20; expiry++) {
      sim.expireAccessTokens();
      const results = await Promise.all(Array.from({ length: 50 }, () => gw!.gqlRaw(QUERY)));
      for (const { status, body } of results) {
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data?.assets.nodes).toHaveLength(2);
      }
      expect(sim.server.callCount('session/confirm')).toBe(1 + expiry);
    }

    const [file] = readdirSync(stateDir).filter((f) => f.startsWith('mdr-tokens-'));
    expect(statSync(path.join(stateDir, file!)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(stateDir, file!), 'utf8')).not.toContain(settings.refreshToken);

    // The configured refresh token was spent long ago: a restart must use the stored one.
    await gw.stop();
    gw = await startTestGateway({ mdr: settings, stateDir });
    await gw.gql(QUERY);
    expect(sim.server.callCount('session/confirm')).toBe(21); // stored access token still valid
    sim.expireAccessTokens();
    await gw.gql(QUERY);
    expect(sim.server.callCount('session/confirm')).toBe(22);
  }, 120_000);

  it('a spent refresh token is refused by the simulator (single use)', async () => {
    const token = await sim.issueRefreshToken('Gateway administrator');
    const confirm = () =>
      fetch(`${sim.info.url}/${sim.info.clientId}/session/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
    const first = await confirm();
    expect(first.status).toBe(200);
    expect(Object.keys((await first.json()) as object).sort()).toEqual(['access_token', 'refresh_token']);
    const second = await confirm();
    expect(second.status).toBe(401);
    expect(await second.json()).toEqual({ error: expect.any(String) });
  });

  it('a dead configured token and no stored one gives UPSTREAM_AUTH_FAILED, not a crash', async () => {
    const token = await sim.issueRefreshToken('Gateway senior officer');
    await fetch(`${sim.info.url}/${sim.info.clientId}/session/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    });
    const other = await startTestGateway({ mdr: { ...mdrSettings(sim), refreshToken: token } });
    try {
      const { body } = await other.gqlRaw(QUERY);
      expect(body.errors?.[0]).toMatchObject({
        path: ['assets'],
        extensions: { code: 'UPSTREAM_AUTH_FAILED', upstream: 'MDR' },
      });
    } finally {
      await other.stop();
    }
  });
});

describe('an MDR that answers 403 for expired tokens', () => {
  it('is renewed and retried, while a 403 role refusal is not', async () => {
    const sim = await startSmallMdr({ expiredTokenStatus: 403 });
    const gw = await startTestGateway({ mdr: mdrSettings(sim, 'security_officer') });
    try {
      await gw.gql(QUERY);
      sim.expireAccessTokens();
      await gw.gql(QUERY);
      expect(sim.server.callCount('session/confirm')).toBe(2);
      const target = sim.routes.incidents.flatMap((i) => i.responses ?? []).find((r) => r.status === 'Waiting')!;
      const { body } = await gw.gqlRaw(
        'mutation ($id: String!) { updateResponse(input: { responseId: $id, status: CONFIRMED, comment: "x" }) { response { status } } }',
        { id: target.response_id },
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_FORBIDDEN');
      expect(sim.server.callCount('session/confirm')).toBe(2);
    } finally {
      await gw.stop();
      await sim.close();
    }
  });
});
