// Like every entry point, so no import added later (x509, type-graphql) can break it at load time.
import 'reflect-metadata';

import { parseArgs } from 'node:util';

import { DemoKey } from '../auth/demo-key';
import { hasRole, isRole } from '../auth/roles';
import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/load';
import { ROLES } from '../domain/caller';

const USAGE = `usage: npm run -s token -- --role <${ROLES.join('|')}> [--tenant <name>|'*']... [--subject <sub>] [--hours <n>]`;

/**
 * `npm run token`: prints a caller token signed by the demo key in $STATE_DIR (created if missing),
 * which a gateway trusts in demo mode or with AUTH_JWKS_FILE naming its key set. The token alone
 * goes to stdout, for `$(...)`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      subject: { type: 'string' },
      hours: { type: 'string', default: '8' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30)
    throw new UsageError('--hours must be a number from 0 to 720.');

  const config = loadConfig();
  // A gateway trusts the demo key in demo mode, or when told to with AUTH_JWKS_FILE (the command
  // `npm run simulate` prints); for any other key set, tokens come from its identity provider.
  const trusted = config.auth.jwksFile
    ? config.auth.jwksFile === DemoKey.jwksFileIn(config.stateDir)
    : config.demo && !config.auth.jwksUrl;
  if (!trusted) {
    throw new UsageError(
      'the gateway trusts the demo key only in demo mode (no MDR_URL, KSC_URL, KATA_URL, AUTH_JWKS_URL or AUTH_JWKS_FILE set) or with AUTH_JWKS_FILE=$STATE_DIR/demo-auth/jwks.json; get tokens from your identity provider.',
    );
  }
  const key = await DemoKey.open(config.stateDir);
  const token = await key.sign(
    { role: values.role, tenants: values.tenant, subject: values.subject, ttlS: Math.round(hours * 3600) },
    config.auth,
  );
  process.stdout.write(`${token}\n`);
  const caller = { subject: '', roles: [values.role], tenants: null };
  if (!values.tenant?.length && !config.auth.allTenantsRoles.some((role) => hasRole(caller, role))) {
    process.stderr.write(
      `token: without --tenant a ${values.role} sees no tenant (AUTH_ALL_TENANTS_ROLES); --tenant '*' grants every tenant.\n`,
    );
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`token: ${error.message}\n${USAGE}\n`);
  else if (error instanceof ConfigError) process.stderr.write(`token: ${error.message}\n`);
  else process.stderr.write(`token: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
