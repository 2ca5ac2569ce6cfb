import type { Role } from '../domain/caller';
import type { TenantMapping } from '../domain/tenants';
import type { EndpointFaults } from '../upstreams/sim/faults';

/** Settings of one MDR API connection (docs/operations.md: MDR_*). */
export interface MdrSettings {
  /** Base up to and including `/api/v1`. */
  url: string;
  clientId: string;
  /** The first refresh token; the token store's copy wins once one exists. */
  refreshToken: string;
  /**
   * MDR_REFRESH_TOKEN_FILE, when the token came from a file: watched, so a new token written there
   * (a Kubernetes Secret update) replaces a refused one without a restart.
   */
  refreshTokenFile?: string;
  /** How long one replica may hold the rotation lock (MDR_ROTATION_LOCK_MS). @default 15000 */
  rotationLockMs?: number;
  /** Extra CA bundle (PEM) trusted besides the system store. */
  ca?: Buffer;
}

/** Settings of one Security Center server (docs/operations.md: KSC_*). */
export interface KscSettings {
  /** `https://ksc.example:13299` */
  url: string;
  username: string;
  password: string;
  /** KSC-internal user (`internal="1"`) rather than a domain account. */
  internalUser: boolean;
  /** Virtual server name; '' for the main server. */
  vserver: string;
  ca?: Buffer;
  /** Requests in flight at once against this server. */
  maxConcurrency: number;
}

/** Settings of one KATA Central Node (docs/operations.md: KATA_*). */
export interface KataSettings {
  /** `https://kata.example:443` */
  url: string;
  externalSystemId: string;
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

export interface AuthSettings {
  /** No caller authentication at all (explicit opt-in; loopback only). */
  disabled: boolean;
  jwksUrl?: string;
  jwksFile?: string;
  issuer?: string;
  audience?: string;
  rolesClaim: string;
  tenantsClaim: string;
  /** Seconds of clock skew tolerated on `exp`/`nbf`. */
  clockToleranceS: number;
  /** JWS algorithms accepted on caller tokens (asymmetric only). */
  algorithms: string[];
  /**
   * AUTH_ALL_TENANTS_ROLES: roles whose callers see every tenant when their token carries no tenants
   * claim; any other caller without the claim sees none. @default ['administrator']
   */
  allTenantsRoles: Role[];
}

export interface LimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Size assumed for a list field that takes no `first` (cost estimate only). */
  costListSize: number;
  maxTokens: number;
  maxDirectives: number;
  /** Times one field (response key) may be selected in one selection set, fragments included. */
  maxFieldRepeats: number;
  defaultPageSize: number;
  maxPageSize: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  rateLimitPerMinute: number;
  rateLimitBurst: number;
  /** Failed authentications per client address per minute before it is refused without checking. */
  authFailuresPerMinute: number;
  authFailuresBurst: number;
}

export interface SimulatorSettings {
  seed: number;
  scale: number;
  /** SIM_EPOCH: the instant the estate is generated around; undefined = the wall clock at start. */
  epochMs: number | undefined;
  latencyMs: number;
  faultRate: number;
  /** SIM_MDR_FAULTS / SIM_MDR_LATENCY_MS, and the same for KSC and KATA: per-endpoint overrides. */
  mdrEndpoints: EndpointFaults;
  kscEndpoints: EndpointFaults;
  kataEndpoints: EndpointFaults;
  mdrAccessTokenTtlS: number;
  mdrPort: number;
  kscPort: number;
  kataPort: number;
  /**
   * SIM_ACTIVITY_PER_MINUTE: steps of the estate's own activity (new incidents, status changes, new
   * events) per minute. Unset: 6 for `npm start` and `npm run simulate`, none elsewhere (tests).
   */
  activityPerMinute?: number;
}

export interface LiveSettings {
  /** LIVE_MDR_POLL_MS: time between two polls of MDR's incidents while someone listens. */
  mdrPollMs: number;
  /** LIVE_KSC_POLL_MS: the shortest time between two KSC polls (KSC may ask for longer). */
  kscPollMs: number;
  /** LIVE_RETENTION_MINUTES: how long changes are kept for subscribers resuming with a cursor. */
  retentionMinutes: number;
}

/** State shared between gateway replicas (REDIS_*); absent: one process, STATE_DIR and memory. */
export interface RedisSettings {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` (TLS). */
  url: string;
  /** Put before every key, so several gateways (or other applications) can share one Redis. */
  keyPrefix: string;
  /** Replicas that must have a rotated MDR token before it is used (Redis WAIT); 0: the primary alone. */
  waitReplicas: number;
}

export interface Config {
  port: number;
  host: string;
  stateDir: string;
  logLevel: string;
  /** No upstream configured: the simulators are started in-process and the gateway uses them. */
  demo: boolean;
  mdr?: MdrSettings;
  ksc?: KscSettings;
  kata?: KataSettings;
  redis?: RedisSettings;
  auth: AuthSettings;
  introspection: boolean;
  corsOrigins: string[];
  limits: LimitSettings;
  simulators: SimulatorSettings;
  /**
   * TENANTS_FILE: each MDR tenant with its KSC groups and KATA sensors. Unset: no caller limited to
   * tenants sees any KSC or KATA object (demo mode maps the simulated estate).
   */
  tenants?: readonly TenantMapping[];
  /** Live updates (subscriptions): LIVE_* settings. */
  live: LiveSettings;
  /**
   * GATEWAY_LOADERS: `naive` turns DataLoader batching and caching off (benchmarks only, to show
   * what they save). @default 'batched'
   */
  loaderMode?: 'batched' | 'naive';
  /**
   * GRAPHQL_EXECUTOR: `compiled` runs a query that has run before as a function compiled for it
   * (graphql-jit); `interpreted` runs every operation with graphql-js. @default 'compiled'
   */
  executor?: 'compiled' | 'interpreted';
  /** GRAPHQL_COMPILE_AFTER: interpreted runs of a query before it is compiled. @default 1 */
  compileAfter?: number;
}
