import './config/production-mode';
import 'reflect-metadata';

import { DemoKey } from './auth/demo-key';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load';
import { isLoopbackHost } from './config/loopback';
import type { Config } from './config/settings';
import { ensureStateDir } from './config/state-dir';
import { createLogger } from './logger';
import { startGateway } from './server/gateway';
import type { GatewayOptions } from './server/gateway';
import { DEMO_ACTIVITY_PER_MINUTE, configForSimulators, startSimulators } from './simulators/start-simulators';
import type { EstateSimulators } from './simulators/start-simulators';

async function main(): Promise<void> {
  let config: Readonly<Config> = loadConfig();
  const logger = createLogger(config.logLevel);

  // Demo mode keeps its certificates and key there; MDR keeps its rotated refresh token there.
  if (config.demo || config.mdr) ensureStateDir(config.stateDir);
  let simulators: EstateSimulators | undefined;
  if (config.demo) {
    // The demo is alive: new incidents and status changes arrive by themselves.
    const activityPerMinute = config.simulators.activityPerMinute ?? DEMO_ACTIVITY_PER_MINUTE;
    simulators = await startSimulators({ ...config.simulators, activityPerMinute }, config.stateDir, {
      prepare: true,
    });
    config = configForSimulators(config, simulators.info);
  }
  // Demo mode trusts a key of its own (unless an identity provider is configured): tokens are still
  // verified exactly as in production; only who signs them differs.
  const auth = config.auth;
  const demoKey =
    config.demo && !auth.disabled && !auth.jwksUrl && !auth.jwksFile ? await DemoKey.open(config.stateDir) : undefined;
  const options: GatewayOptions = { logger };
  // The playground page carries an administrator token only where no one else can load it.
  const playgroundToken = demoKey !== undefined && isLoopbackHost(config.host);
  if (demoKey) config = Object.freeze({ ...config, auth: demoKey.authSettings(auth) });
  if (demoKey && playgroundToken) {
    options.playgroundHeaders = async () => ({
      authorization: `Bearer ${await demoKey.sign({ role: 'administrator', subject: 'demo-playground', ttlS: 12 * 3600 }, auth)}`,
    });
  }
  const gateway = await startGateway(config, options);

  const lines = [
    '',
    `  GraphQL     ${gateway.url}`,
    `  Playground  ${gateway.url}  (open it in a browser)`,
    `  Health      ${gateway.origin}/healthz  ${gateway.origin}/readyz  ${gateway.origin}/metrics`,
  ];
  if (simulators) {
    lines.push(
      '',
      '  Demo mode: no MDR_URL, KSC_URL or KATA_URL is set, so the three simulators run in-process',
      '  on loopback and the gateway talks to them over real sockets:',
      `    MDR   ${simulators.info.mdr.url}`,
      `    KSC   ${simulators.info.ksc.url}`,
      `    KATA  ${simulators.info.kata.url}`,
    );
  }
  if (demoKey) {
    lines.push(
      '',
      playgroundToken
        ? '  Callers need a bearer token. The playground above already sends an administrator token; for'
        : `  Callers need a bearer token. HOST=${config.host} is reachable from other machines, so the playground`,
      playgroundToken
        ? '  other clients, print one signed by the demo key in $STATE_DIR/demo-auth:'
        : '  carries none: paste one into its headers. Print one signed by the demo key in $STATE_DIR/demo-auth:',
      '    npm run -s token -- --role viewer|security_officer|senior_security_officer|administrator [--tenant <name>]',
      `    curl -H "Authorization: Bearer $(npm run -s token -- --role viewer)" -H 'content-type: application/json' \\`,
      `         -d '{"query":"{ upstreams { upstream reachable } }"}' ${gateway.url}`,
    );
  } else if (config.auth.disabled) {
    lines.push('', '  WARNING: AUTH_DISABLED=true: every caller is an anonymous administrator (loopback only).');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  logger.info({ url: gateway.url, demo: config.demo }, 'gateway started');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    void gateway
      .stop()
      .then(() => simulators?.close())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`gateway: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
