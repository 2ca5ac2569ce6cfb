import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadConfig } from '../../src/config/load';
import type { Config, KataSettings, KscSettings, MdrSettings } from '../../src/config/settings';
import type { TenantMapping } from '../../src/domain/tenants';
import { silentLogger } from '../../src/logger';
import { startGateway } from '../../src/server/gateway';
import { configForSimulators, startSimulators } from '../../src/simulators/start-simulators';
import type { EstateSimulators } from '../../src/simulators/start-simulators';
import type { GatewayOptions, RunningGateway } from '../../src/server/gateway';
import { TestIdentityProvider } from './tokens';
import type { TestTokenOptions } from './tokens';

export interface TestGatewayOptions extends GatewayOptions {
  mdr?: MdrSettings;
  ksc?: KscSettings;
  kata?: KataSettings;
  /** The tenant mapping (TENANTS_FILE's content); startTestEstate passes the estate's. */
  tenants?: readonly TenantMapping[];
  /** A fresh temporary directory unless given (pass the same one to simulate a restart). */
  stateDir?: string;
  /** Settings as environment variables (limits, introspection, ...). */
  env?: Record<string, string>;
  /** Extra headers sent with every request; they win over the default administrator token. */
  headers?: Record<string, string>;
  /**
   * `'jwt'` (default): the gateway verifies tokens exactly as in production, trusting a test key,
   * and every request carries an administrator token unless `headers` says otherwise.
   * `'disabled'`: AUTH_DISABLED=true (every caller is an anonymous administrator).
   */
  auth?: 'jwt' | 'disabled';
}

export interface GraphQLBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway extends RunningGateway {
  config: Readonly<Config>;
  stateDir: string;
  /** The test identity provider the gateway trusts (auth 'jwt'). */
  idp: TestIdentityProvider;
  /** A token the gateway accepts: `await gw.token({ role: 'viewer', tenant: 'acme' })`. */
  token(options?: TestTokenOptions): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for such a token, to pass as `headers`. */
  as(options?: TestTokenOptions): Promise<Record<string, string>>;
  /** Runs an operation; fails the test when the answer has any `errors`. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<T>;
  /** Runs an operation and returns the whole answer, errors included. */
  gqlRaw<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLBody<T> }>;
}

export function tempStateDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'gateway-state-'));
}

/** The real gateway, in-process, on a free loopback port, with the given upstream settings. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const stateDir = options.stateDir ?? tempStateDir();
  const idp = await TestIdentityProvider.get();
  const jwt = (options.auth ?? 'jwt') === 'jwt';
  const base = loadConfig({
    STATE_DIR: stateDir,
    PORT: '0',
    HOST: '127.0.0.1',
    GRAPHQL_INTROSPECTION: 'true',
    // Suites fire requests back to back; tests of the rate limit set their own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_FAILURES_BURST: '1000000',
    // Queries run compiled from their first run, so every suite checks the compiled executor;
    // graphql-js runs mutations, and compiled-execution.test.ts compares the two.
    GRAPHQL_COMPILE_AFTER: '0',
    ...(jwt ? idp.writeJwks(stateDir) : { AUTH_DISABLED: 'true' }),
    ...options.env,
  });
  const config: Readonly<Config> = Object.freeze({
    ...base,
    demo: false,
    mdr: options.mdr,
    ksc: options.ksc,
    kata: options.kata,
    tenants: options.tenants ?? base.tenants,
  });
  const gateway = await startGateway(config, { ...options, logger: options.logger ?? silentLogger });

  const defaultHeaders = jwt
    ? await idp.bearer({ role: 'administrator', subject: 'test-administrator', expiresIn: 24 * 3600 })
    : {};
  const gqlRaw: TestGateway['gqlRaw'] = async (query, variables, headers) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...defaultHeaders, ...options.headers, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLBody<any>;
    // KSC result sets are released after the answer; tests count calls once they are.
    await gateway.upstreams.ksc?.settled();
    return { status: response.status, body };
  };
  const gql: TestGateway['gql'] = async (query, variables, headers) => {
    const { status, body } = await gqlRaw(query, variables, headers);
    if (body.errors?.length || status !== 200) {
      throw new Error(`GraphQL answered ${status} with errors: ${JSON.stringify(body.errors, null, 2)}`);
    }
    return body.data as any;
  };
  const token = (tokenOptions?: TestTokenOptions) => idp.token(tokenOptions);
  const as = (tokenOptions?: TestTokenOptions) => idp.bearer(tokenOptions);
  return { ...gateway, config, stateDir, idp, token, as, gql, gqlRaw };
}

export interface TestEstate {
  gw: TestGateway;
  sims: EstateSimulators;
  /** Stops the gateway, then the simulators. */
  stop(): Promise<void>;
}

/** All three simulators (SIM_SCALE=0.1) and a gateway configured for them, as demo mode wires them. */
export async function startTestEstate(env: Record<string, string> = {}): Promise<TestEstate> {
  const stateDir = tempStateDir();
  // On the start instant, as demo mode runs: live feeds watch for changes from now on.
  const base = loadConfig({ STATE_DIR: stateDir, SIM_SCALE: '0.1' });
  const sims = await startSimulators(base.simulators, stateDir);
  const { mdr, ksc, kata, tenants } = configForSimulators(base, sims.info);
  const gw = await startTestGateway({ mdr, ksc, kata, tenants, stateDir, env }).catch(async (error: unknown) => {
    await sims.close();
    throw error;
  });
  return {
    gw,
    sims,
    async stop() {
      await gw.stop();
      await sims.close();
    },
  };
}
