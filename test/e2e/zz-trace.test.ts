import { loadConfig } from '../../src/config/load';
import { configForSimulators, startSimulators } from '../../src/simulators/start-simulators';
import { PICK_INCIDENT_QUERY, WORKLOADS, pickIncident } from '../../bench/lib/workloads';
import { startTestGateway, tempStateDir } from '../helpers/gateway';

test('trace', async () => {
  const stateDir = tempStateDir();
  const sims = await startSimulators(loadConfig({}).simulators, stateDir);
  const upstreams = configForSimulators(loadConfig({ STATE_DIR: stateDir }), sims.info);
  const gw = await startTestGateway({ mdr: upstreams.mdr, ksc: upstreams.ksc, kata: upstreams.kata, stateDir });
  const incidentId = pickIncident(await gw.gql(PICK_INCIDENT_QUERY));
  let t0 = 0;
  const log: string[] = [];
  for (const [name, s] of Object.entries({ mdr: sims.mdr, ksc: sims.ksc, kata: sims.kata })) {
    const srv: any = s.server;
    const orig = srv.onRequest.bind(srv);
    srv.onRequest = async (req: any, res: any) => {
      const st = performance.now() - t0;
      res.once('finish', () => log.push(`${name} ${req.method} ${req.url.slice(0, 60)} ${st.toFixed(1)} → ${(performance.now() - t0).toFixed(1)}`));
      return orig(req, res);
    };
    srv.latencyMs = 20;
  }
  for (const w of WORKLOADS) {
    const vars = w.name === 'incidentDetail' ? { incidentId } : {};
    await gw.gql(w.query, vars);
    log.length = 0;
    t0 = performance.now();
    await gw.gql(w.query, vars);
    console.log(w.name, (performance.now() - t0).toFixed(1), '\n' + log.join('\n'));
  }
  await gw.stop();
  await sims.close();
}, 120_000);
