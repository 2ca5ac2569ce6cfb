import { startTestGateway, tempStateDir } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { kscSettings } from '../helpers/ksc';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startKscSimulator } from '../../src/upstreams/ksc/simulator';

const QUERY = `{
  incidents(first: 3) {
    totalCount
    nodes { incidentId affectedAssets { hostName host { name } sensor { sensorId } } }
  }
  hosts(first: 2) { totalCount nodes { name } pageInfo { hasNextPage endCursor } }
  sensors { sensorId }
}`;

describe('one upstream missing or down never costs the rest of the answer', () => {
  let mdr: MdrSimulator;
  beforeAll(async () => {
    mdr = await startSmallMdr();
  });
  afterAll(() => mdr.close());

  /** Refresh tokens work once: every gateway here starts from a fresh one. */
  async function freshMdrSettings() {
    const settings = mdrSettings(mdr);
    const connection = mdr.info.connections.find((c) => c.refreshToken === settings.refreshToken)!;
    return { ...settings, refreshToken: await mdr.issueRefreshToken(connection.name) };
  }

  test('with only MDR configured: KSC and KATA fields are empty with UPSTREAM_NOT_CONFIGURED; joins are null without error', async () => {
    const gw = await startTestGateway({ mdr: await freshMdrSettings() });
    try {
      const { status, body } = await gw.gqlRaw(QUERY);
      expect(status).toBe(200);
      expect(body.data?.incidents.nodes).toHaveLength(3);
      for (const incident of body.data!.incidents.nodes) {
        for (const asset of incident.affectedAssets) expect(asset).toMatchObject({ host: null, sensor: null });
      }
      expect(body.data?.hosts).toEqual({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
      expect(body.data?.sensors).toEqual([]);
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['hosts'], extensions: { code: 'UPSTREAM_NOT_CONFIGURED', upstream: 'KSC' } }),
        expect.objectContaining({
          path: ['sensors'],
          extensions: { code: 'UPSTREAM_NOT_CONFIGURED', upstream: 'KATA' },
        }),
      ]);
    } finally {
      await gw.stop();
    }
  });

  test('with KSC down: its fields carry UPSTREAM_UNAVAILABLE at their paths and MDR data still arrives', async () => {
    const stateDir = tempStateDir();
    const ksc = await startKscSimulator({ scale: 0.05, stateDir });
    const settings = kscSettings(ksc);
    await ksc.close();
    let gw: TestGateway | undefined;
    try {
      gw = await startTestGateway({ mdr: await freshMdrSettings(), ksc: settings, stateDir });
      const { status, body } = await gw.gqlRaw(QUERY);
      expect(status).toBe(200);
      expect(body.data?.incidents.totalCount).toBeGreaterThan(0);
      expect(body.data?.hosts.nodes).toEqual([]);
      const codes = new Set(body.errors?.map((e) => `${e.path?.join('.')}:${e.extensions?.code}`));
      expect(codes.has('hosts:UPSTREAM_UNAVAILABLE')).toBe(true);
      // Each asset's host fails alone; the asset and its sensor still arrive.
      const nodes = body.data!.incidents.nodes as { affectedAssets: unknown[] }[];
      expect(nodes.flatMap((i) => i.affectedAssets).length).toBeGreaterThan(0);
      for (const [n, incident] of nodes.entries())
        for (const [a, asset] of incident.affectedAssets.entries()) {
          expect(asset).toMatchObject({ hostName: expect.any(String), host: null });
          expect(codes.has(`incidents.nodes.${n}.affectedAssets.${a}.host:UPSTREAM_UNAVAILABLE`)).toBe(true);
        }
      expect(JSON.stringify(body.errors)).not.toMatch(/stack|at \/|https?:\/\//);
    } finally {
      await gw?.stop();
    }
  });

  test('bad input on one root field leaves the others answered', async () => {
    const gw = await startTestGateway({ mdr: await freshMdrSettings() });
    try {
      const { body } = await gw.gqlRaw(
        '{ incidents(first: 1000) { totalCount } assets(first: 1) { nodes { hostName } } }',
      );
      expect(body.data?.assets.nodes).toHaveLength(1);
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['incidents'],
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    } finally {
      await gw.stop();
    }
  });
});
