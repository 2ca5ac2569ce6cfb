// First: @peculiar/x509 (the simulators' certificates) needs the Reflect polyfill as it loads.
import 'reflect-metadata';

import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/load';
import { startSimulators, writeSimulatorsJson } from '../simulators/start-simulators';

/**
 * `npm run simulate`: the three simulators alone, as a stand-in Kaspersky estate. Prints their URLs
 * and credentials and writes them to $STATE_DIR/simulators.json for gateways and other clients.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const simulators = await startSimulators(config.simulators, config.stateDir, { fixedPorts: true });
  const file = writeSimulatorsJson(config.stateDir, simulators.info);
  const { mdr, ksc, kata } = simulators.info;
  const lines = [
    '',
    `Simulators running (seed ${config.simulators.seed}, scale ${config.simulators.scale}, latency ${config.simulators.latencyMs} ms, fault rate ${config.simulators.faultRate}).`,
    `Everything below is also in ${file}.`,
    '',
    `MDR   ${mdr.url}   client id ${mdr.clientId}`,
    ...mdr.connections.map(
      (c) => `      connection "${c.name}" role ${c.role}${c.tenants.length ? ` tenants ${c.tenants.join(', ')}` : ''}: refresh token in simulators.json`,
    ),
    `KSC   ${ksc.url}   user ${ksc.username} (password and CA file in simulators.json)`,
    `KATA  ${kata.url}   external system ${kata.externalSystemId} (certificate, key and CA files in simulators.json)`,
    '',
    'Start a gateway against them (not in demo mode):',
    `  MDR_URL=${mdr.url} MDR_CLIENT_ID=${mdr.clientId} MDR_REFRESH_TOKEN=… \\`,
    `  KSC_URL=${ksc.url} KSC_USERNAME=${ksc.username} KSC_PASSWORD=… KSC_CA_FILE=${ksc.caFile} \\`,
    `  KATA_URL=${kata.url} KATA_EXTERNAL_SYSTEM_ID=${kata.externalSystemId} KATA_CERT_FILE=${kata.certFile} KATA_KEY_FILE=${kata.keyFile} KATA_CA_FILE=${kata.caFile} \\`,
    '  npm start',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void simulators.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`simulate: ${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
