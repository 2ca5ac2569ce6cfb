import { randomBytes, randomUUID } from 'node:crypto';

import { jwtVerify, SignJWT } from 'jose';

import type { OpenResources, SimReply, SimRequest, SimulatorRoutes } from '../../sim/simulator-server';
import type * as wire from '../wire';
import { estateClock } from '../../sim/estate';
import {
  buildAssets,
  buildIncidentCore,
  buildIncidentCores,
  esId,
  IncidentCore,
  incidentIndexOfResponse,
  materializeIncident,
  setStatus,
} from './data';
import type { MdrAssets } from './data';
import { MDR_ENDPOINTS, MDR_LOGINS } from './endpoints';
import { markdownToHtml } from './markdown';
import { Random, hashString } from '../../sim/random';

export type MdrRole = 'administrator' | 'senior_security_officer' | 'security_officer';

export interface MdrConnection {
  name: string;
  role: MdrRole;
  /** Tenant names this connection sees; '' is "Root without tenants"; [] = every tenant. */
  tenants: string[];
}

export interface MdrRoutesOptions {
  seed: number;
  scale: number;
  /** The instant the data set is generated around. @default the wall clock at construction */
  epochMs?: number;
  clientId: string;
  connections: MdrConnection[];
  /** @default 3600 */
  accessTokenTtlS?: number;
  /** @default 86400 (console-made tokens; API-made ones last 7 days) */
  refreshTokenTtlS?: number;
  /** Token clock: real time, as the gateway checks `exp` against its own. @default Date.now */
  now?: () => number;
  /** Data clock: new incidents, comments and decisions. @default the estate's clock from `epochMs` */
  dataNow?: () => number;
  /** Status for a bad or expired access token: 401, or 403 as some clients suggest MDR does. @default 401 */
  expiredTokenStatus?: 401 | 403;
}

const ENDPOINTS: ReadonlySet<string> = new Set(MDR_ENDPOINTS);
const ROUTE = /^\/api\/v1\/([^/]+)\/(.+)$/;
/** Elasticsearch's result window (AT: "Incidents list max 10000"). */
const MAX_WINDOW = 10_000;
const INCIDENT_SORTS = new Set(['creation_time', 'update_time', 'incident_number']);
const ASSET_SORTS = new Set(['first_seen', 'last_seen', 'host_name', 'computer_name_hostname']);

const json = (status: number, body: unknown): SimReply => ({ status, json: body });
const error = (status: number, message: string): SimReply => json(status, { error: message });

class Refusal extends Error {
  constructor(readonly reply: SimReply) {
    super('refused');
  }
}
const refuse = (status: number, message: string): never => {
  throw new Refusal(error(status, message));
};

interface Caller {
  connection: MdrConnection;
}

/** An incident as stored: its core until it is shown in full or written to. */
type IncidentRow = IncidentCore | wire.Incident;

/**
 * The MDR REST API over an in-memory data set: rotating single-use refresh tokens, roles and
 * tenant scopes per API connection, every documented filter. Choices the notes leave open are in README.md.
 */
export class MdrRoutes implements SimulatorRoutes {
  readonly logins = MDR_LOGINS;
  private readonly secret = randomBytes(32);
  private readonly liveRefresh = new Map<string, { connection: string; expMs: number }>(); // by jti
  /** Refresh tokens used once (by jti): presenting one again is what a client must never do. */
  private readonly spentRefresh = new Set<string>();
  private spentPresentations = 0;
  private confirmHold?: { spend: boolean; released: Promise<void>; release: () => void };
  /** session/confirm calls that reached a hold (holdConfirms) since the simulator started. */
  heldConfirms = 0;
  /** Held calls (`spend: false`) left unprocessed because their client went. */
  droppedConfirms = 0;
  /** When each access token of the current generation expires (sessions in `/_simulator/stats`). */
  private accessExpiries: number[] = [];
  private generation = 0;
  private mdrCache?: MdrAssets;
  /**
   * Every incident in (creation_time, incident_id) order, then those added: a core until it is
   * shown in full (`incidents`) or written to, then the full incident, which is the truth from then on.
   */
  private rowsCache?: IncidentRow[];
  /** Position in `rows` per core index (the sort moved a few within shared milliseconds). */
  private positionOfIndex?: Int32Array;
  private incidentIndex?: Map<string, number>;
  /** Bumped by every write, so cached sort orders of the whole list are rebuilt. */
  private version = 0;
  private readonly sorted = new Map<string, { version: number; rows: IncidentRow[] }>();
  private readonly sortedAssets = new Map<string, wire.Asset[]>();
  /** Positions in `incidents` per affected asset id, for the lists that name asset ids. */
  private incidentsByAsset?: RowIndex;
  /** Positions in `assets` per lower-cased host name, for the lists that name hosts. */
  private assetsByHost?: RowIndex;
  /** Access tokens already verified, with their claims (the signature is the costly part). */
  private readonly verified = new Map<string, { typ?: unknown; gen?: unknown; conn?: unknown; exp?: number }>();
  private readonly writes: Random;
  readonly accessTokenTtlS: number;
  readonly refreshTokenTtlS: number;
  readonly epochMs: number;
  now: () => number;
  dataNow: () => number;

  constructor(private readonly options: MdrRoutesOptions) {
    this.accessTokenTtlS = options.accessTokenTtlS ?? 3600;
    this.refreshTokenTtlS = options.refreshTokenTtlS ?? 86_400;
    this.now = options.now ?? Date.now;
    this.epochMs = options.epochMs ?? Date.now();
    this.dataNow = options.dataNow ?? estateClock(this.epochMs);
    this.writes = new Random(hashString(`mdr:writes:${options.seed}`));
  }

  private get mdr(): MdrAssets {
    return (this.mdrCache ??= buildAssets(this.options.seed, this.options.scale, this.epochMs));
  }

  get assets(): wire.Asset[] {
    return this.mdr.assets;
  }

  /** One incident in full by its position in creation order (tests: without drawing every other). */
  incident(position: number): wire.Incident | undefined {
    const row = this.rows[position];
    return row && this.full(row);
  }

  /** How many incidents there are (without drawing any). */
  get incidentCount(): number {
    return this.rows.length;
  }

  /** Builds the data set now rather than on the first call. */
  prepare(): void {
    void this.rows;
    this.positionOf('');
  }

  /** Built on first use so start-up stays instant. */
  private get rows(): IncidentRow[] {
    if (this.rowsCache) return this.rowsCache;
    const rows = buildIncidentCores(this.options.seed, this.options.scale, this.epochMs, this.mdr);
    this.positionOfIndex = new Int32Array(rows.length);
    rows.forEach((row, position) => (this.positionOfIndex![(row as IncidentCore).index] = position));
    return (this.rowsCache = rows);
  }

  /**
   * Every incident in full, live: changes to them are the simulator's data (tests). Costs a full
   * incident per core, so it is for small data sets; the routes themselves draw only what they show.
   */
  get incidents(): wire.Incident[] {
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) rows[i] = this.full(rows[i]!);
    this.version++;
    return rows as wire.Incident[];
  }

  private full(row: IncidentRow): wire.Incident {
    return row instanceof IncidentCore ? materializeIncident(this.options.seed, row, this.mdr) : row;
  }

  /** The incident at a position, made live (full and kept) so a write sticks. */
  private live(position: number): wire.Incident {
    const row = this.rows[position]!;
    if (!(row instanceof IncidentCore)) return row;
    return (this.rows[position] = this.full(row));
  }

  /** Positions by id, extended when incidents were added (the list only grows, ids never change). */
  private positionOf(id: string): number | undefined {
    const rows = this.rows;
    const index = (this.incidentIndex ??= new Map());
    for (let i = index.size; i < rows.length; i++) index.set(rows[i]!.incident_id, i);
    return index.get(id);
  }

  endpointOf(req: SimRequest): string | undefined {
    const m = ROUTE.exec(req.path);
    if (!m || req.method !== 'POST' || !ENDPOINTS.has(m[2]!)) return undefined;
    return m[2];
  }

  /**
   * `sessions`: what session/confirm opened and still works (MDR has no logout: a session ends when
   * its access token expires); `refreshTokens`: issued, unused and unexpired. No result sets in MDR.
   */
  open(): OpenResources {
    const now = this.now();
    this.accessExpiries = this.accessExpiries.filter((expMs) => expMs > now);
    for (const [jti, { expMs }] of this.liveRefresh) if (expMs <= now) this.liveRefresh.delete(jti);
    return { sessions: this.accessExpiries.length, accessors: 0, iterators: 0, refreshTokens: this.liveRefresh.size };
  }

  /** A new console-made refresh token for a connection (what an operator would paste). */
  async issueRefreshToken(connectionName: string, ttlS = this.refreshTokenTtlS): Promise<string> {
    const connection = this.options.connections.find((c) => c.name === connectionName);
    if (!connection) throw new Error(`no MDR connection named ${connectionName}`);
    const jti = randomUUID();
    const nowS = Math.floor(this.now() / 1000);
    this.liveRefresh.set(jti, { connection: connection.name, expMs: (nowS + ttlS) * 1000 });
    return new SignJWT({ typ: 'refresh', conn: connection.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`${connection.name}+${jti.replace(/-/g, '')}`)
      .setJti(jti)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + ttlS)
      .sign(this.secret);
  }

  /** Endpoints answering a fixed error status (tests: one failing upstream method). */
  readonly failing = new Map<string, number>();

  /** Makes `endpoint` answer `status` until called again with null. */
  failEndpoint(endpoint: string, status: number | null): void {
    if (status === null) this.failing.delete(endpoint);
    else this.failing.set(endpoint, status);
  }

  /**
   * Holds every session/confirm answer until releaseConfirms (tests: a gateway killed mid-rotation).
   * `spend`: MDR takes the token before holding (its answer is what gets lost); otherwise it holds
   * first, and a call whose client has gone by the release is never processed.
   */
  holdConfirms(spend: boolean): void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.confirmHold = { spend, released, release };
  }

  releaseConfirms(): void {
    this.confirmHold?.release();
    this.confirmHold = undefined;
  }

  counters(): Record<string, number> {
    return { spentRefreshTokenPresentations: this.spentPresentations };
  }

  resetCounters(): void {
    this.spentPresentations = 0;
  }

  /** Makes every access token issued so far invalid (tests drive expiry with it, not with sleeps). */
  expireAccessTokens(): void {
    this.generation++;
    this.accessExpiries = [];
  }

  /** Adds an incident now (tests: a new incident arriving mid-walk). */
  createIncident(overrides: Partial<wire.Incident> = {}): wire.Incident {
    const all = this.rows;
    const seed = this.options.seed + 7919;
    const core = buildIncidentCore(seed, all.length, all.length + 1, this.dataNow(), this.mdr);
    const base = materializeIncident(seed, core, this.mdr);
    const last = all.reduce((max, i) => Math.max(max, i.creation_time), 0);
    const t = Math.max(this.dataNow(), last + 1);
    const incident: wire.Incident = {
      ...base,
      incident_id: esId(this.writes),
      incident_number: 1_300_000 + all.length,
      creation_time: t,
      update_time: t,
      status: 'Open',
      resolution: '',
      ...overrides,
    };
    for (const r of incident.responses ?? []) r.incident_id = incident.incident_id;
    all.push(incident);
    this.version++;
    return incident;
  }

  /**
   * The SOC at work: half the time a new incident, else an open incident moves on (put on hold,
   * resolved, or a response proposed to it waits for a decision), its update time now.
   */
  activity(): void {
    const rows = this.rows;
    const active: number[] = [];
    for (let i = 0; i < rows.length; i++)
      if (rows[i]!.status === 'Open' || rows[i]!.status === 'On hold') active.push(i);
    if (active.length === 0 || this.writes.chance(0.5)) {
      this.createIncident();
      return;
    }
    const incident = this.live(this.writes.pick(active));
    const t = Math.max(this.dataNow(), incident.update_time + 1);
    const waiting = (incident.responses ?? []).find((r) => r.status === 'Waiting');
    if (waiting && this.writes.chance(0.5)) {
      waiting.status = this.writes.chance(0.8) ? 'Confirmed' : 'Declined';
      waiting.update_time = t;
    } else if (incident.status === 'Open' && this.writes.chance(0.3)) {
      setStatus(incident, 'On hold', t, this.writes);
    } else {
      setStatus(incident, 'Resolved', t, this.writes);
    }
    incident.update_time = t;
    this.version++;
  }

  async handle(req: SimRequest, endpoint: string): Promise<SimReply> {
    const m = ROUTE.exec(req.path)!;
    if (m[1] !== this.options.clientId) return error(404, 'Unknown client_id');
    let body: Record<string, unknown>;
    try {
      const parsed = req.json() ?? {};
      if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null)
        return error(400, 'The body must be a JSON object');
      body = parsed as Record<string, unknown>;
    } catch {
      return error(400, 'Malformed JSON body');
    }
    try {
      if (endpoint === 'session/confirm') return await this.confirm(body, req);
      const caller = await this.authenticate(req);
      const failing = this.failing.get(endpoint);
      if (failing !== undefined) return error(failing, 'Injected failure');
      return this.dispatch(endpoint, body, caller);
    } catch (e) {
      if (e instanceof Refusal) return e.reply;
      throw e;
    }
  }

  private async confirm(body: Record<string, unknown>, req: SimRequest): Promise<SimReply> {
    const hold = this.confirmHold;
    if (hold) this.heldConfirms++;
    if (hold && !hold.spend) {
      // A client that goes while its call is held leaves it unprocessed.
      const gone = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      await Promise.race([hold.released, gone]);
      if (req.socket.destroyed) {
        this.droppedConfirms++;
        return error(503, 'Not processed');
      }
    }
    const token = body.refresh_token;
    if (typeof token !== 'string' || !token) return error(400, 'refresh_token is required');
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, this.secret, { currentDate: new Date(this.now()) }));
    } catch {
      return error(401, 'Refresh token is invalid or expired');
    }
    const jti = claims.jti;
    if (claims.typ !== 'refresh' || !jti || !this.liveRefresh.has(jti)) {
      if (jti && this.spentRefresh.has(jti)) this.spentPresentations++;
      return error(401, 'Refresh token is invalid, expired or already used');
    }
    const connectionName = this.liveRefresh.get(jti)!.connection;
    this.liveRefresh.delete(jti);
    this.spentRefresh.add(jti);
    const connection = this.options.connections.find((c) => c.name === connectionName)!;
    const nowS = Math.floor(this.now() / 1000);
    const accessToken = await new SignJWT({ typ: 'access', conn: connection.name, gen: this.generation })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`${connection.name}+${jti.replace(/-/g, '')}`)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + this.accessTokenTtlS)
      .sign(this.secret);
    this.accessExpiries.push((nowS + this.accessTokenTtlS) * 1000);
    // API-made refresh tokens live 7 days (help 204470).
    const refreshToken = await this.issueRefreshToken(connection.name, 7 * 86_400);
    if (hold?.spend) await hold.released;
    return json(200, { access_token: accessToken, refresh_token: refreshToken });
  }

  private async authenticate(req: SimRequest): Promise<Caller> {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!token) return refuse(401, 'Access token is missing');
    let claims = this.verified.get(token);
    if (claims && (claims.exp ?? 0) * 1000 <= this.now()) claims = undefined;
    if (!claims) {
      try {
        ({ payload: claims } = await jwtVerify(token, this.secret, { currentDate: new Date(this.now()) }));
      } catch {
        return refuse(this.options.expiredTokenStatus ?? 401, 'Access token is invalid or expired');
      }
      if (this.verified.size >= 1_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    if (claims.typ !== 'access' || claims.gen !== this.generation)
      return refuse(this.options.expiredTokenStatus ?? 401, 'Access token is invalid or expired');
    const connection = this.options.connections.find((c) => c.name === claims.conn);
    if (!connection) return refuse(this.options.expiredTokenStatus ?? 401, 'Access token is invalid or expired');
    return { connection };
  }

  private dispatch(endpoint: string, body: Record<string, unknown>, caller: Caller): SimReply {
    const html = body.markdown_to_html === true;
    switch (endpoint) {
      case 'assets/count':
        return json(200, { count: this.filterAssets(body, caller).length });
      case 'assets/list': {
        const rows = sortRows(this.filterAssets(body, caller), body.sort, ASSET_SORTS, 'first_seen', 'asset_id');
        return json(
          200,
          paginate(rows, body).map((a) => project(a, body.fields)),
        );
      }
      case 'assets/details': {
        const id = requireString(body, 'asset_id');
        const asset = this.assetById(id);
        if (asset && !visible(caller, asset.tenant_name)) return error(404, 'Asset not found');
        return asset ? json(200, project(asset, body.fields)) : error(404, 'Asset not found');
      }
      case 'incidents/count':
        return json(200, { count: this.filterIncidents(body, caller).length });
      case 'incidents/list': {
        const rows = this.filterIncidents(body, caller, true);
        return json(
          200,
          paginate(rows, body).map((i) => project(renderIncident(this.full(i), html), body.fields)),
        );
      }
      case 'incidents/details': {
        const incident = this.full(this.rows[this.incidentFor(body, caller)]!);
        return json(200, project(renderIncident(incident, html), body.fields));
      }
      case 'responses/list': {
        const incident = this.full(this.rows[this.incidentFor(body, caller)]!);
        const rows = [...(incident.responses ?? [])].sort(
          (a, b) => (a.creation_time ?? 0) - (b.creation_time ?? 0) || cmp(a.response_id, b.response_id),
        );
        return json(
          200,
          paginate(rows, body).map((r) => project(r, body.fields)),
        );
      }
      case 'response/update': {
        this.mayUpdateResponses(caller);
        const id = requireString(body, 'response_id');
        const { status, comment } = decision(body);
        const found = this.findResponse(id, caller);
        if (!found) return error(404, 'Response not found');
        return json(200, this.applyDecision(found, status, comment));
      }
      case 'responses/update': {
        this.mayUpdateResponses(caller);
        const ids = body.responses_ids;
        if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string'))
          return error(400, 'responses_ids must be a non-empty array of strings');
        const { status, comment } = decision(body);
        const found = ids.map((id: string) => this.findResponse(id, caller));
        if (found.some((f) => !f)) return error(404, 'Response not found');
        return json(
          200,
          found.map((f) => this.applyDecision(f!, status, comment)),
        );
      }
      case 'comments/list': {
        const incident = this.full(this.rows[this.incidentFor(body, caller)]!);
        const rows = [...(incident.comments ?? [])].sort(
          (a, b) => a.creation_time - b.creation_time || cmp(a.comment_id, b.comment_id),
        );
        const page = body.page === undefined ? rows : paginate(rows, body);
        return json(
          200,
          page.map((c) => project(html ? { ...c, text: markdownToHtml(c.text) } : c, body.fields)),
        );
      }
      case 'comments/create': {
        const position = this.incidentFor(body, caller);
        const text = requireString(body, 'text');
        if (text.length > 10_000) return error(400, 'text is too long');
        const incident = this.live(position);
        const t = this.dataNow();
        const comment: wire.Comment = {
          comment_id: esId(this.writes),
          author_name: caller.connection.name,
          text,
          creation_time: t,
          origin: 'Client',
          was_read: true,
        };
        (incident.comments ??= []).push(comment);
        incident.update_time = Math.max(incident.update_time, t);
        this.version++;
        return json(200, html ? { ...comment, text: markdownToHtml(text) } : comment);
      }
      default:
        return error(404, 'Not Found');
    }
  }

  private mayUpdateResponses(caller: Caller): void {
    // A role refusal is a 403; a bad or expired token is a 401 (README.md): clients can tell them apart.
    if (caller.connection.role === 'security_officer')
      refuse(403, 'Forbidden: the Security Officer role cannot confirm or decline responses');
  }

  private applyDecision(
    found: { response: wire.Response; incident: wire.Incident },
    status: string,
    comment: string,
  ): wire.Response {
    const t = this.dataNow();
    found.response.status = status;
    found.response.comment = comment;
    found.response.update_time = t;
    found.incident.update_time = Math.max(found.incident.update_time, t);
    this.version++;
    return { ...found.response };
  }

  /**
   * A response by id: its id names its incident's index (data.ts), so one incident is drawn, not
   * every one; responses of added incidents, or changed by tests, are searched among live ones.
   */
  private findResponse(id: string, caller: Caller): { response: wire.Response; incident: wire.Incident } | undefined {
    const rows = this.rows;
    const index = incidentIndexOfResponse(id);
    const base = this.positionOfIndex!;
    const guess = index === undefined ? undefined : index < base.length ? base[index] : index;
    const at = (position: number) => {
      const row = rows[position];
      if (!row) return undefined;
      const has = row instanceof IncidentCore ? this.full(row) : row;
      if (!has.responses?.some((r) => r.response_id === id)) return undefined;
      const incident = this.live(position);
      return { response: incident.responses!.find((r) => r.response_id === id)!, incident };
    };
    let found = guess === undefined ? undefined : at(guess);
    for (let i = 0; !found && i < rows.length; i++) if (!(rows[i] instanceof IncidentCore)) found = at(i);
    if (!found) return undefined;
    return visible(caller, found.incident.tenant_name) ? found : undefined;
  }

  /** The position of the incident the body names, if the caller may see it; else a 404. */
  private incidentFor(body: Record<string, unknown>, caller: Caller): number {
    const id = requireString(body, 'incident_id');
    const position = this.positionOf(id);
    const row = position === undefined ? undefined : this.rows[position];
    return row && visible(caller, row.tenant_name) ? position! : refuse(404, 'Incident not found');
  }

  private assetById(id: string): wire.Asset | undefined {
    this.assetsById ??= new Map(this.assets.map((a) => [a.asset_id, a]));
    return this.assetsById.get(id);
  }

  private assetsById?: Map<string, wire.Asset>;

  /** The asset ids an incident row names (a core by asset positions, a full incident by its pairs). */
  private assetIdsOf(row: IncidentRow): string[] {
    return row instanceof IncidentCore
      ? row.hosts.map((p) => this.assets[p]!.asset_id)
      : (row.affected_hosts ?? []).map(assetIdOf);
  }

  private hostNamesOf(row: IncidentRow): readonly string[] {
    return row instanceof IncidentCore
      ? row.hosts.map((p) => this.assets[p]!.host_name)
      : (row.affected_hosts ?? []).map(hostOf);
  }

  private affectedHostsOf(row: IncidentRow): readonly string[] {
    return row instanceof IncidentCore
      ? row.hosts.map((p) => `${this.assets[p]!.host_name}:${this.assets[p]!.asset_id}`)
      : (row.affected_hosts ?? []);
  }

  /**
   * The incidents a filter by asset ids can match, in stored order: through an index by affected
   * asset (rebuilt when incidents are added), not a scan of every incident's hosts.
   */
  private incidentCandidates(assetIds: Set<string> | undefined): IncidentRow[] {
    const rows = this.rows;
    if (!assetIds) return rows;
    this.incidentsByAsset = indexRows(this.incidentsByAsset, rows, (row) => this.assetIdsOf(row), this.version);
    return rowsOf(this.incidentsByAsset, rows, assetIds);
  }

  /** All incidents in a sort order, kept until the next write (a sort of a million incidents per page would not do). */
  private sortedIncidents(sort: unknown): IncidentRow[] {
    const key = String(sort ?? '');
    const cached = this.sorted.get(key);
    if (cached?.version === this.version && cached.rows.length === this.rows.length) return cached.rows;
    const rows = sortRows(this.rows, sort, INCIDENT_SORTS, 'creation_time', 'incident_id');
    this.sorted.set(key, { version: this.version, rows });
    return rows;
  }

  /** Every asset in a sort order, sorted once (assets never change their sort keys). */
  private assetsSorted(sort: unknown): wire.Asset[] {
    const key = String(sort ?? '');
    let rows = this.sortedAssets.get(key);
    if (!rows) this.sortedAssets.set(key, (rows = sortRows(this.assets, sort, ASSET_SORTS, 'first_seen', 'asset_id')));
    return rows;
  }

  private filterAssets(body: Record<string, unknown>, caller: Caller): wire.Asset[] {
    const f = body as wire.AssetFilter;
    checkArrays(body, ['host_names', 'statuses', 'tenants_names', 'related_incidents_ids']);
    const hostNames = f.host_names && new Set(f.host_names.map((h) => h.toLowerCase()));
    const related =
      f.related_incidents_ids &&
      new Set(
        f.related_incidents_ids.flatMap((id) => {
          const position = this.positionOf(id);
          return position === undefined ? [] : this.assetIdsOf(this.rows[position]!);
        }),
      );
    const phrase = f.search_phrase?.toLowerCase();
    if (hostNames) this.assetsByHost = indexRows(this.assetsByHost, this.assets, (a) => [a.host_name.toLowerCase()], 0);
    // By host name through the index, in the data set's order as a full scan would find them;
    // else every asset in the asked order, sorted once (filtering keeps it).
    const candidates = hostNames ? rowsOf(this.assetsByHost!, this.assets, hostNames) : this.assetsSorted(body.sort);
    return candidates.filter(
      (a) =>
        visible(caller, a.tenant_name) &&
        (!hostNames || hostNames.has(a.host_name.toLowerCase())) &&
        (!f.domain || a.domain === f.domain) &&
        (f.is_isolated === undefined || a.isolation === f.is_isolated) &&
        inRange(a.first_seen, f.min_first_seen, f.max_first_seen) &&
        inRange(a.last_seen, f.min_last_seen, f.max_last_seen) &&
        (!f.network_interface ||
          (a.network_interfaces ?? []).some(
            (n) => (n.ip ?? '').split('|').includes(f.network_interface!) || n.mac === f.network_interface,
          )) &&
        (!f.os_version || (a.os_version ?? '').toLowerCase().includes(f.os_version.toLowerCase())) &&
        (!f.product || (a.installed_product_info ?? '').toLowerCase().includes(f.product.toLowerCase())) &&
        (!related || related.has(a.asset_id)) &&
        (!phrase || a.host_name.toLowerCase().includes(phrase) || (a.domain ?? '').toLowerCase().includes(phrase)) &&
        (!f.statuses || f.statuses.includes(a.status)) &&
        (!f.tenants_names || f.tenants_names.includes(a.tenant_name ?? '')),
    );
  }

  /** The incidents a body's filters select; in the body's sort order when `ordered` (lists). */
  private filterIncidents(body: Record<string, unknown>, caller: Caller, ordered = false): IncidentRow[] {
    const f = body as wire.IncidentFilter;
    checkArrays(body, [
      'affected_hosts',
      'asset_ids',
      'detection_technologies',
      'mitre_tactics',
      'mitre_techniques',
      'priorities',
      'resolutions',
      'response_statuses',
      'response_types',
      'statuses',
      'tenants_names',
    ]);
    const phrase = f.search_phrase?.toLowerCase();
    // Sets built once per call: a page of 100 asset ids over 10,000 incidents stays cheap.
    const set = (wanted: string[] | undefined) => (wanted ? new Set(wanted) : undefined);
    const hosts = set(f.affected_hosts);
    const assetIds = set(f.asset_ids);
    const technologies = set(f.detection_technologies);
    const tactics = set(f.mitre_tactics);
    const techniques = set(f.mitre_techniques);
    const priorities = set(f.priorities);
    const resolutions = set(f.resolutions);
    const responseStatuses = set(f.response_statuses);
    const responseTypes = set(f.response_types);
    const statuses = set(f.statuses);
    const tenants = set(f.tenants_names);
    const one = (wanted: Set<string> | undefined, have: string) => !wanted || wanted.has(have);
    const anyOf = <T>(wanted: Set<string> | undefined, have: readonly T[] | undefined, key: (t: T) => string) =>
      !wanted || (have ?? []).some((h) => wanted.has(key(h)));
    const same = (h: string) => h;
    const base = !ordered
      ? this.incidentCandidates(assetIds)
      : assetIds
        ? sortRows(this.incidentCandidates(assetIds), body.sort, INCIDENT_SORTS, 'creation_time', 'incident_id')
        : this.sortedIncidents(body.sort);
    return base.filter(
      (i) =>
        visible(caller, i.tenant_name) &&
        one(statuses, i.status) &&
        one(priorities, i.priority) &&
        anyOf(hosts, hosts && this.affectedHostsOf(i), same) &&
        anyOf(assetIds, assetIds && this.assetIdsOf(i), same) &&
        one(technologies, i.detection_technology ?? '') &&
        inRange(i.creation_time, f.min_creation_time, f.max_creation_time) &&
        inRange(i.update_time, f.min_update_time, f.max_update_time) &&
        anyOf(tactics, i.mitre_tactics, same) &&
        (!techniques || (i.mitre_techniques ?? []).some((t) => matchesTechnique(techniques, t))) &&
        one(resolutions, i.resolution ?? '') &&
        anyOf(responseStatuses, i.responses, (r) => r.status) &&
        anyOf(responseTypes, i.responses, (r) => r.type) &&
        one(tenants, i.tenant_name ?? '') &&
        (!phrase ||
          String(i.incident_number) === phrase ||
          i.summary.toLowerCase().includes(phrase) ||
          i.incident_id.toLowerCase() === phrase ||
          this.hostNamesOf(i).some((h) => h.toLowerCase().includes(phrase))),
    );
  }
}

function visible(caller: Caller, tenant: string | undefined): boolean {
  const scope = caller.connection.tenants;
  return scope.length === 0 || scope.includes(tenant ?? '');
}

/** A technique (`T1059.001: PowerShell`) matches its full text, its id, or its parent's id (`T1059`). */
function matchesTechnique(wanted: Set<string>, technique: string): boolean {
  if (wanted.has(technique)) return true;
  const id = technique.split(':', 1)[0]!.trim();
  return wanted.has(id) || wanted.has(id.split('.', 1)[0]!);
}

function hostOf(affected: string): string {
  const at = affected.lastIndexOf(':');
  return at > 0 ? affected.slice(0, at) : affected;
}

function assetIdOf(affected: string): string {
  return affected.slice(affected.lastIndexOf(':') + 1);
}

function inRange(value: number | undefined, min: number | undefined, max: number | undefined): boolean {
  if (min === undefined && max === undefined) return true;
  if (value === undefined) return false;
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > 100)
    return refuse(400, `${key} is required and must be a string of at most 100 characters`);
  return value;
}

function checkArrays(body: Record<string, unknown>, keys: string[]): void {
  for (const key of keys) {
    const v = body[key];
    if (v !== undefined && (!Array.isArray(v) || !v.every((x) => typeof x === 'string')))
      refuse(400, `${key} must be an array of strings`);
  }
}

function decision(body: Record<string, unknown>): { status: string; comment: string } {
  const status = body.status;
  if (status !== 'Confirmed' && status !== 'Declined') return refuse(400, 'status must be "Confirmed" or "Declined"');
  const comment = body.comment;
  if (typeof comment !== 'string') return refuse(400, 'comment is required');
  return { status, comment };
}

/** `field:asc|desc`; ties broken by the id so pages are stable (README.md). */
function sortRows<T extends object>(
  rows: T[],
  sort: unknown,
  allowed: Set<string>,
  fallback: string,
  idKey: keyof T,
): T[] {
  let field = fallback;
  let dir = 1;
  if (sort !== undefined) {
    const m = typeof sort === 'string' ? /^([a-z_]+):(asc|desc)$/.exec(sort) : null;
    if (!m || !allowed.has(m[1]!)) return refuse(400, 'sort must be "<field>:asc|desc" with a sortable field');
    field = m[1] === 'computer_name_hostname' ? 'host_name' : m[1]!;
    dir = m[2] === 'desc' ? -1 : 1;
  }
  const get = (r: T) => (r as Record<string, unknown>)[field] as number | string;
  const order = (a: T, b: T) => {
    const x = get(a);
    const y = get(b);
    const primary = typeof x === 'string' ? cmp(x, String(y)) : (x ?? 0) - ((y as number) ?? 0);
    return dir * primary || dir * cmp(String(a[idKey]), String(b[idKey]));
  };
  // Incidents are stored in creation order: the usual sort costs one pass, not a sort of thousands.
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = order(rows[i - 1]!, rows[i]!) <= 0;
  return sorted ? rows : [...rows].sort(order);
}

/** Positions of rows by the keys each row is found under; `size` and `version` tell a stale index. */
interface RowIndex {
  size: number;
  /** The writes it saw (a test may change an incident's hosts). */
  version: number;
  positions: Map<string, number[]>;
}

function indexRows<T>(
  index: RowIndex | undefined,
  rows: readonly T[],
  keysOf: (row: T) => string[],
  version: number,
): RowIndex {
  if (index?.size === rows.length && index.version === version) return index;
  const positions = new Map<string, number[]>();
  rows.forEach((row, i) => {
    for (const key of new Set(keysOf(row))) {
      const list = positions.get(key);
      if (list) list.push(i);
      else positions.set(key, [i]);
    }
  });
  return { size: rows.length, version, positions };
}

/** The rows found under any of `keys`, once each, in stored order. */
function rowsOf<T>({ positions }: RowIndex, rows: readonly T[], keys: Iterable<string>): T[] {
  const found = new Set([...keys].flatMap((key) => positions.get(key) ?? []));
  return [...found].sort((a, b) => a - b).map((i) => rows[i]!);
}

function paginate<T>(rows: T[], body: Record<string, unknown>): T[] {
  const page = body.page ?? 1;
  const size = body.page_size ?? 100;
  if (!Number.isInteger(page) || (page as number) < 1) return refuse(400, 'page must be an integer ≥ 1');
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_WINDOW)
    return refuse(400, `page_size must be an integer from 1 to ${MAX_WINDOW}`);
  const start = ((page as number) - 1) * (size as number);
  if (start + (size as number) > MAX_WINDOW)
    return refuse(400, `Result window is too large: page × page_size must not exceed ${MAX_WINDOW}`);
  return rows.slice(start, start + (size as number));
}

function project<T extends object>(row: T, fields: unknown): T {
  if (fields === undefined) return { ...row };
  if (!Array.isArray(fields)) return refuse(400, 'fields must be an array');
  const out: Record<string, unknown> = {};
  for (const f of fields) if (typeof f === 'string' && f in row) out[f] = (row as Record<string, unknown>)[f];
  return out as T;
}

function renderIncident(incident: wire.Incident, html: boolean): wire.Incident {
  if (!html) return incident;
  return {
    ...incident,
    description: incident.description && markdownToHtml(incident.description),
    comments: incident.comments?.map((c) => ({ ...c, text: markdownToHtml(c.text) })),
  };
}
