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

  test('with only MDR configured: the KSC list is null and the KATA list empty, one UPSTREAM_NOT_CONFIGURED each; joins are null without error', async () => {
    const gw = await startTestGateway({ mdr: await freshMdrSettings() });
    try {
      const { status, body } = await gw.gqlRaw(QUERY);
      expect(status).toBe(200);
      expect(body.data?.incidents.nodes).toHaveLength(3);
      for (const incident of body.data!.incidents.nodes) {
        for (const asset of incident.affectedAssets) expect(asset).toMatchObject({ host: null, sensor: null });
      }
      expect(body.data?.hosts).toBeNull();
      expect(body.data?.sensors).toEqual([]);
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['hosts'],
          extensions: { code: 'UPSTREAM_NOT_CONFIGURED', upstream: 'KSC', paths: [['hosts']] },
        }),
        expect.objectContaining({
          path: ['sensors'],
          extensions: { code: 'UPSTREAM_NOT_CONFIGURED', upstream: 'KATA', paths: [['sensors']] },
        }),
      ]);
    } finally {
      await gw.stop();
    }
  });

  test('with KSC down: its list is null with one error naming KSC and every path it nulled; MDR data still arrives', async () => {
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
      expect(body.data?.hosts).toBeNull();
      // Each asset's host is null; the asset and its sensor still arrive.
      const nodes = body.data!.incidents.nodes as { affectedAssets: unknown[] }[];
      const hostPaths: (string | number)[][] = [];
      for (const [n, incident] of nodes.entries())
        for (const [a, asset] of incident.affectedAssets.entries()) {
          expect(asset).toMatchObject({ hostName: expect.any(String), host: null });
          hostPaths.push(['incidents', 'nodes', n, 'affectedAssets', a, 'host']);
        }
      expect(hostPaths.length).toBeGreaterThan(1);
      const ksc503 = body.errors!.filter((e) => e.extensions?.upstream === 'KSC');
      expect(ksc503).toEqual([
        {
          message: expect.any(String),
          locations: expect.any(Array),
          path: expect.any(Array),
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'KSC', paths: expect.any(Array) },
        },
      ]);
      const paths = ksc503[0]!.extensions!.paths as unknown[];
      expect(paths).toHaveLength(hostPaths.length + 1);
      expect(paths).toEqual(expect.arrayContaining([['hosts'], ...hostPaths]));
      expect(paths[0]).toEqual(ksc503[0]!.path);
      expect(body.errors?.map((e) => e.extensions?.upstream)).toEqual(['KSC', 'KATA']);
      expect(JSON.stringify(body.errors)).not.toMatch(/stack|at \/|https?:\/\//);
    } finally {
      await gw?.stop();
    }
  });

  test('with MDR down: incidents and assets are null with one error naming MDR', async () => {
    const gw = await startTestGateway({ mdr: await freshMdrSettings() });
    try {
      mdr.routes.failEndpoint('incidents/list', 503);
      mdr.routes.failEndpoint('assets/list', 503);
      const { body } = await gw.gqlRaw(
        '{ incidents(first: 2) { totalCount nodes { incidentId } } assets(first: 2) { nodes { hostName } } }',
      );
      expect(body.data).toEqual({ incidents: null, assets: null });
      // Whichever field failed first (retries run concurrently) gives the error its path.
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: expect.any(Array),
          extensions: {
            code: 'UPSTREAM_UNAVAILABLE',
            upstream: 'MDR',
            paths: expect.arrayContaining([['incidents'], ['assets']]),
          },
        }),
      ]);
      expect(body.errors![0]!.extensions!.paths).toHaveLength(2);
    } finally {
      mdr.routes.failEndpoint('incidents/list', null);
      mdr.routes.failEndpoint('assets/list', null);
      await gw.stop();
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
