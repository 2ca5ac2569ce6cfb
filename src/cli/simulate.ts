// First: @peculiar/x509 (the simulators' certificates) needs the Reflect polyfill as it loads.
import 'reflect-metadata';

import path from 'node:path';

import { DEMO_AUDIENCE, DEMO_ISSUER, DemoKey } from '../auth/demo-key';
import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/load';
import { writePrivateFile } from '../config/state-dir';
import {
  DEMO_ACTIVITY_PER_MINUTE,
  startSimulators,
  writeSimulatorsJson,
  writeTenantsFile,
} from '../simulators/start-simulators';

/**
 * `npm run simulate`: the three simulators alone, as a stand-in Kaspersky estate. Prints their URLs
 * and credentials and writes them to $STATE_DIR/simulators.json for gateways and other clients, and
 * prints a gateway command that works as printed: secrets go by `*_FILE` (so they stay out of
 * terminals and CI logs), and callers authenticate with tokens of the demo key in $STATE_DIR.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const activityPerMinute = config.simulators.activityPerMinute ?? DEMO_ACTIVITY_PER_MINUTE;
  const simulators = await startSimulators({ ...config.simulators, activityPerMinute }, config.stateDir, {
    fixedPorts: true,
    prepare: true,
  });
  const file = writeSimulatorsJson(config.stateDir, simulators.info);
  const demoKey = await DemoKey.open(config.stateDir);
  const { mdr, ksc, kata } = simulators.info;
  const admin =
    mdr.connections.find((c) => c.role === 'administrator' && c.tenants.length === 0) ?? mdr.connections[0]!;
  const secrets = path.join(config.stateDir, 'simulator-credentials');
  const refreshTokenFile = writeSecret(secrets, 'mdr-refresh-token', admin.refreshToken);
  const passwordFile = writeSecret(secrets, 'ksc-password', ksc.password);
  const stateDir = shellWord(config.stateDir);
  const tenantsFile = writeTenantsFile(config.stateDir);

  const lines = [
    '',
    `Simulators running (seed ${config.simulators.seed}, scale ${config.simulators.scale}, latency ${config.simulators.latencyMs} ms, fault rate ${config.simulators.faultRate}).`,
    `Everything below is also in ${file}.`,
    '',
    `MDR   ${mdr.url}   client id ${mdr.clientId}`,
    ...mdr.connections.map(
      (c) =>
        `      connection "${c.name}" role ${c.role}${c.tenants.length ? ` tenants ${c.tenants.join(', ')}` : ''}: refresh token in simulators.json`,
    ),
    `KSC   ${ksc.url}   user ${ksc.username} (password and CA file in simulators.json)`,
    `KATA  ${kata.url}   external system ${kata.externalSystemId} (certificate, key and CA files in simulators.json)`,
    '',
    `Start a gateway against them (not in demo mode; MDR as "${admin.name}", whose refresh token works`,
    'once: the gateway keeps its successor in STATE_DIR, so restart it with the same STATE_DIR):',
    `  STATE_DIR=${stateDir} \\`,
    `  MDR_URL=${shellWord(mdr.url)} MDR_CLIENT_ID=${shellWord(mdr.clientId)} MDR_REFRESH_TOKEN_FILE=${shellWord(refreshTokenFile)} \\`,
    `  KSC_URL=${shellWord(ksc.url)} KSC_USERNAME=${shellWord(ksc.username)} KSC_PASSWORD_FILE=${shellWord(passwordFile)} KSC_CA_FILE=${shellWord(ksc.caFile)} \\`,
    `  KATA_URL=${shellWord(kata.url)} KATA_EXTERNAL_SYSTEM_ID=${shellWord(kata.externalSystemId)} KATA_CERT_FILE=${shellWord(kata.certFile)} KATA_KEY_FILE=${shellWord(kata.keyFile)} KATA_CA_FILE=${shellWord(kata.caFile)} \\`,
    `  AUTH_JWKS_FILE=${shellWord(demoKey.jwksFile)} AUTH_ISSUER=${shellWord(DEMO_ISSUER)} AUTH_AUDIENCE=${shellWord(DEMO_AUDIENCE)} \\`,
    `  TENANTS_FILE=${shellWord(tenantsFile)} \\`,
    '  npm start',
    '',
    'It trusts the demo key in STATE_DIR; print a caller token signed by it (roles: viewer,',
    'security_officer, senior_security_officer, administrator; --tenant <name> to limit it):',
    `  STATE_DIR=${stateDir} npm run -s token -- --role administrator`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void simulators.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** A secret for a `*_FILE` setting, readable by the owner only. */
function writeSecret(dir: string, name: string, value: string): string {
  const file = path.join(dir, name);
  writePrivateFile(file, `${value}\n`);
  return file;
}

/** `value` as one POSIX shell word (quoted only when it has to be), so the command pastes as printed. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `simulate: ${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
