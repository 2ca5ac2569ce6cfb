import 'reflect-metadata';

import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load';
import type { Config } from './config/settings';
import { createLogger } from './logger';
import { startGateway } from './server/gateway';
import { configForSimulators, startSimulators } from './simulators/start-simulators';
import type { EstateSimulators } from './simulators/start-simulators';

async function main(): Promise<void> {
  let config: Readonly<Config> = loadConfig();
  const logger = createLogger(config.logLevel);

  let simulators: EstateSimulators | undefined;
  if (config.demo) {
    simulators = await startSimulators(config.simulators, config.stateDir);
    config = configForSimulators(config, simulators.info);
  }
  const gateway = await startGateway(config, { logger });

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
