import { readFileSync } from 'node:fs';
import path from 'node:path';

import { isRole } from '../auth/roles';
import { ROLES } from '../domain/caller';
import type { Role } from '../domain/caller';
import { KATA_ENDPOINTS } from '../upstreams/kata/simulator/endpoints';
import { KSC_ENDPOINTS } from '../upstreams/ksc/simulator/endpoints';
import { MDR_ENDPOINTS } from '../upstreams/mdr/simulator/endpoints';
import { FaultSpecError, parseFaultRules, parseLatencies } from '../upstreams/sim/faults';
import type { EndpointFaults } from '../upstreams/sim/faults';
import { pemCertificates } from './certificates';
import { ConfigError } from './config-error';
import { isLoopbackHost } from './loopback';
import { readTenantsFile } from './tenants-file';
import type { Config, KataSettings, KscSettings, MdrSettings, RedisSettings } from './settings';

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment once. The only reader of `process.env`; every other module
 * receives what it needs. Secrets may come as `NAME_FILE` (a path), never logged.
 */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const read = new EnvReader(env);
  const mdrUrl = read.url('MDR_URL');
  const kscUrl = read.url('KSC_URL');
  const kataUrl = read.url('KATA_URL');
  const demo = !mdrUrl && !kscUrl && !kataUrl;

  const mdr: MdrSettings | undefined = mdrUrl
    ? {
        url: mdrUrl.replace(/\/+$/, ''),
        clientId: read.required('MDR_CLIENT_ID'),
        refreshToken: read.requiredSecret('MDR_REFRESH_TOKEN'),
        refreshTokenFile: optionalPath(read.string('MDR_REFRESH_TOKEN_FILE')),
        rotationLockMs: read.int('MDR_ROTATION_LOCK_MS', 15_000, 1_000, 300_000),
        ca: read.caFile('MDR_CA_FILE'),
      }
    : undefined;

  const ksc: KscSettings | undefined = kscUrl
    ? {
        url: kscUrl.replace(/\/+$/, ''),
        username: read.required('KSC_USERNAME'),
        password: read.requiredSecret('KSC_PASSWORD'),
        internalUser: read.bool('KSC_INTERNAL_USER', true),
        vserver: read.string('KSC_VSERVER') ?? '',
        ca: read.caFile('KSC_CA_FILE'),
        maxConcurrency: read.int('KSC_MAX_CONCURRENCY', 4, 1, 64),
      }
    : undefined;

  const kata: KataSettings | undefined = kataUrl
    ? {
        url: kataUrl.replace(/\/+$/, ''),
        externalSystemId: read.required('KATA_EXTERNAL_SYSTEM_ID'),
        cert: read.requiredFile('KATA_CERT_FILE'),
        key: read.requiredSecretFile('KATA_KEY_FILE'),
        ca: read.caFile('KATA_CA_FILE'),
      }
    : undefined;

  const redisUrl = read.redisUrl('REDIS_URL');
  const redis: RedisSettings | undefined = redisUrl
    ? {
        url: redisUrl,
        keyPrefix: read.string('REDIS_KEY_PREFIX') ?? 'gateway:',
        waitReplicas: read.int('REDIS_WAIT_REPLICAS', 0, 0, 16),
      }
    : undefined;

  const authDisabled = read.bool('AUTH_DISABLED', false);
  const tenantsFile = optionalPath(read.string('TENANTS_FILE'));
  const config: Config = {
    port: read.int('PORT', 4000, 0, 65535),
    host: read.string('HOST') ?? '127.0.0.1',
    stateDir: path.resolve(read.string('STATE_DIR') ?? '.state'),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    demo,
    mdr,
    ksc,
    kata,
    redis,
    auth: {
      disabled: authDisabled,
      jwksUrl: read.url('AUTH_JWKS_URL'),
      jwksFile: optionalPath(read.string('AUTH_JWKS_FILE')),
      issuer: read.string('AUTH_ISSUER'),
      audience: read.string('AUTH_AUDIENCE'),
      rolesClaim: read.string('AUTH_ROLES_CLAIM') ?? 'roles',
      tenantsClaim: read.string('AUTH_TENANTS_CLAIM') ?? 'tenants',
      clockToleranceS: read.int('AUTH_CLOCK_TOLERANCE_S', 30, 0, 600),
      algorithms: read.list('AUTH_ALGORITHMS') ?? [...ASYMMETRIC_ALGORITHMS],
      allTenantsRoles: read.roles('AUTH_ALL_TENANTS_ROLES') ?? ['administrator'],
    },
    tenants: tenantsFile ? readTenantsFile(tenantsFile) : undefined,
    live: {
      mdrPollMs: read.int('LIVE_MDR_POLL_MS', 5_000, 50, 600_000),
      kscPollMs: read.int('LIVE_KSC_POLL_MS', 5_000, 50, 600_000),
      retentionMinutes: read.int('LIVE_RETENTION_MINUTES', 60, 1, 24 * 60),
    },
    introspection: read.bool('GRAPHQL_INTROSPECTION', demo),
    corsOrigins: (read.string('CORS_ORIGINS') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    limits: {
      maxDepth: read.int('GRAPHQL_MAX_DEPTH', 12, 1, 100),
      maxAliases: read.int('GRAPHQL_MAX_ALIASES', 30, 1, 1000),
      maxCost: read.int('GRAPHQL_MAX_COST', 50_000, 1, 10_000_000),
      costListSize: read.int('GRAPHQL_COST_LIST_SIZE', 10, 1, 10_000),
      maxTokens: read.int('GRAPHQL_MAX_TOKENS', 2_000, 10, 1_000_000),
      maxDirectives: read.int('GRAPHQL_MAX_DIRECTIVES', 20, 1, 1000),
      maxFieldRepeats: read.int('GRAPHQL_MAX_FIELD_REPEATS', 50, 1, 10_000),
      defaultPageSize: read.int('GRAPHQL_DEFAULT_PAGE_SIZE', 25, 1, 1000),
      maxPageSize: read.int('GRAPHQL_MAX_PAGE_SIZE', 100, 1, 1000),
      maxBodyBytes: read.int('GRAPHQL_MAX_BODY_BYTES', 100_000, 1_000, 10_000_000),
      requestTimeoutMs: read.int('GRAPHQL_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      rateLimitBurst: read.int('RATE_LIMIT_BURST', 60, 1, 1_000_000),
      authFailuresPerMinute: read.int('RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', 30, 1, 1_000_000),
      authFailuresBurst: read.int('RATE_LIMIT_AUTH_FAILURES_BURST', 30, 1, 1_000_000),
    },
    simulators: {
      seed: read.int('SIM_SEED', 1, 0, 2 ** 31),
      scale: read.number('SIM_SCALE', 1, 0.01, 100),
      epochMs: read.instant('SIM_EPOCH'),
      latencyMs: read.int('SIM_LATENCY_MS', 0, 0, 60_000),
      faultRate: read.number('SIM_FAULT_RATE', 0, 0, 1),
      mdrEndpoints: read.endpointFaults('SIM_MDR', MDR_ENDPOINTS),
      kscEndpoints: read.endpointFaults('SIM_KSC', KSC_ENDPOINTS),
      kataEndpoints: read.endpointFaults('SIM_KATA', KATA_ENDPOINTS),
      mdrAccessTokenTtlS: read.int('SIM_MDR_ACCESS_TOKEN_TTL_S', 3600, 1, 86_400 * 7),
      mdrPort: read.int('SIM_MDR_PORT', 0, 0, 65535),
      kscPort: read.int('SIM_KSC_PORT', 0, 0, 65535),
      kataPort: read.int('SIM_KATA_PORT', 0, 0, 65535),
      activityPerMinute: env.SIM_ACTIVITY_PER_MINUTE?.trim()
        ? read.number('SIM_ACTIVITY_PER_MINUTE', 0, 0, 6_000)
        : undefined,
    },
    loaderMode: read.oneOf('GATEWAY_LOADERS', ['batched', 'naive'] as const, 'batched'),
    executor: read.oneOf('GRAPHQL_EXECUTOR', ['compiled', 'interpreted'] as const, 'compiled'),
    compileAfter: read.int('GRAPHQL_COMPILE_AFTER', 1, 0, 1_000_000),
  };
  checkAuth(config);
  if (config.limits.defaultPageSize > config.limits.maxPageSize) {
    throw new ConfigError(
      'GRAPHQL_DEFAULT_PAGE_SIZE',
      `must not exceed GRAPHQL_MAX_PAGE_SIZE (${config.limits.maxPageSize}).`,
    );
  }
  return Object.freeze(config);
}

/** What caller tokens may be signed with: public-key algorithms only, so a public key never verifies an HMAC. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

function checkAuth({ auth }: Config): void {
  const bad = auth.algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (bad.length) {
    throw new ConfigError(
      'AUTH_ALGORITHMS',
      `only asymmetric algorithms are accepted (${ASYMMETRIC_ALGORITHMS.join(', ')}), got "${bad.join(', ')}".`,
    );
  }
  if (!auth.algorithms.length) throw new ConfigError('AUTH_ALGORITHMS', 'must name at least one algorithm.');
  if (auth.jwksUrl && auth.jwksFile)
    throw new ConfigError('AUTH_JWKS_URL', 'set either AUTH_JWKS_URL or AUTH_JWKS_FILE, not both.');
  const keys = auth.jwksUrl ? 'AUTH_JWKS_URL' : auth.jwksFile ? 'AUTH_JWKS_FILE' : undefined;
  if (auth.jwksUrl && new URL(auth.jwksUrl).protocol === 'http:' && !isLoopbackUrl(auth.jwksUrl)) {
    // Whoever can change the key set in transit can mint tokens.
    throw new ConfigError('AUTH_JWKS_URL', 'must be https (plain http only on loopback).');
  }
  if (keys && auth.disabled) throw new ConfigError('AUTH_DISABLED', `is true but ${keys} is set; choose one.`);
  // Without both, any token the identity provider issued for any application (or issuer) would do.
  if (keys && !auth.issuer) throw new ConfigError('AUTH_ISSUER', `is required with ${keys}.`);
  if (keys && !auth.audience) throw new ConfigError('AUTH_AUDIENCE', `is required with ${keys}.`);
}

function isLoopbackUrl(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}

function optionalPath(value: string | undefined): string | undefined {
  return value === undefined ? undefined : path.resolve(value);
}

class EnvReader {
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** A comma-separated list; undefined when unset. */
  list(name: string): string[] | undefined {
    const value = this.string(name);
    return value === undefined
      ? undefined
      : value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
  }

  /** A comma-separated list of gateway role names; undefined when unset. */
  roles(name: string): Role[] | undefined {
    const values = this.list(name);
    if (values === undefined) return undefined;
    const unknown = values.find((v) => !isRole(v));
    if (unknown !== undefined) throw new ConfigError(name, `"${unknown}" is not a role (${ROLES.join(', ')}).`);
    return values as Role[];
  }

  required(name: string): string {
    const value = this.string(name);
    if (!value) throw new ConfigError(name, 'is required.');
    return value;
  }

  /** A secret from `NAME` or from the file named by `NAME_FILE` (trailing newline trimmed). */
  secret(name: string): string | undefined {
    const file = this.string(`${name}_FILE`);
    if (file) {
      const text = readSetting(`${name}_FILE`, file).toString('utf8').trim();
      if (!text) throw new ConfigError(`${name}_FILE`, `the file ${file} is empty.`);
      return text;
    }
    return this.string(name);
  }

  requiredSecret(name: string): string {
    const value = this.secret(name);
    if (!value) throw new ConfigError(name, `is required (or ${name}_FILE).`);
    return value;
  }

  /** The content of the file a `*_FILE` setting names. */
  file(name: string): Buffer | undefined {
    const file = this.string(name);
    return file ? readSetting(name, file) : undefined;
  }

  /** A CA bundle: every block parsed now, so a wrong file names its setting instead of failing TLS later. */
  caFile(name: string): Buffer | undefined {
    const content = this.file(name);
    if (content) pemCertificates(name, content);
    return content;
  }

  requiredFile(name: string): Buffer {
    const content = this.file(name);
    if (!content) throw new ConfigError(name, 'is required.');
    return content;
  }

  /** A key file: its path comes from `NAME`, or `NAME_FILE` for symmetry with other secrets. */
  requiredSecretFile(name: string): Buffer {
    const content = this.file(name) ?? this.file(`${name}_FILE`);
    if (!content) throw new ConfigError(name, 'is required.');
    return content;
  }

  url(name: string): string | undefined {
    const value = this.string(name);
    if (!value) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(name, `"${value}" is not a URL.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(name, `must be an http(s) URL, got "${parsed.protocol}".`);
    }
    if (parsed.username || parsed.password) throw new ConfigError(name, 'must not contain credentials.');
    return value;
  }

  /** A Redis URL (a secret: it may hold a password), from `NAME` or `NAME_FILE`; never echoed back. */
  redisUrl(name: string): string | undefined {
    const value = this.secret(name);
    if (!value) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(name, 'is not a URL (redis://host:port or rediss://host:port).');
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new ConfigError(name, `must be a redis:// or rediss:// URL, got "${parsed.protocol}".`);
    }
    if (!parsed.hostname) throw new ConfigError(name, 'names no host.');
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.string(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    throw new ConfigError(name, `must be true or false, got "${value}".`);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.number(name, fallback, min, max);
    if (!Number.isInteger(value)) throw new ConfigError(name, `must be an integer, got "${this.string(name)}".`);
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new ConfigError(name, `must be a number from ${min} to ${max}, got "${raw}".`);
    }
    return value;
  }

  /** An instant as epoch milliseconds or an ISO 8601 date-time; undefined when unset. */
  instant(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const ms = /^\d+$/.test(raw)
      ? Number(raw)
      : /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(raw)
        ? Date.parse(raw)
        : NaN;
    if (!Number.isFinite(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2100, 0, 1))
      throw new ConfigError(
        name,
        `must be an ISO 8601 date-time or epoch milliseconds between 2000 and 2100, got "${raw}".`,
      );
    return ms;
  }

  /** `<PREFIX>_FAULTS` and `<PREFIX>_LATENCY_MS`: per-endpoint rules of one simulator. */
  endpointFaults(prefix: string, known: readonly string[]): EndpointFaults {
    const parse = <T>(name: string, fn: (text: string) => T): T | undefined => {
      const raw = this.string(name);
      if (raw === undefined) return undefined;
      try {
        return fn(raw);
      } catch (error) {
        if (error instanceof FaultSpecError) throw new ConfigError(name, error.message);
        throw error;
      }
    };
    return {
      faults: parse(`${prefix}_FAULTS`, (text) => parseFaultRules(text, known)),
      latencyMs: parse(`${prefix}_LATENCY_MS`, (text) => parseLatencies(text, known, 60_000)),
    };
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T))
      throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}".`);
    return value as T;
  }
}

function readSetting(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
    throw new ConfigError(name, `the file ${file} ${why}.`);
  }
}
