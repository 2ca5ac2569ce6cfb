import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

import type { OpenResources, SimReply, SimRequest, SimulatorRoutes } from '../../sim/simulator-server';
import {
  EVENT_ATTRIBUTES,
  EXE_FILE_ATTRIBUTES,
  GROUP_ATTRIBUTES,
  HOST_ATTRIBUTES,
  OPEN_PORT_ATTRIBUTES,
  QUARANTINE_ATTRIBUTES,
  USER_ATTRIBUTES,
} from '../attributes';
import { FilterSyntaxError, matchFilter, parseFilter } from '../filter';
import type { FilterNode } from '../filter';
import { decodeValue, encodeValue, KscLong } from '../wire';
import type { PxgError } from '../wire';
import { EVENT_KINDS, TASK_STATE_BITS } from './data';
import { KSC_LOGINS } from './endpoints';
import type { KscData, Row, SimHost, SimTask, TaskKind } from './data';
import type { Rows } from './events';

export const KSC_API_PREFIX = '/api/v1.0/';

/** Task types the simulator knows, by TASK_NAME (README: the payloads are our own where KSC's are unknown). */
export const KSC_TASK_TYPES: Record<string, TaskKind> = {
  ODS: 'scan',
  Scan: 'scan',
  ScanOnDemand: 'scan',
  KLEDR_MoveFileToQuarantine: 'quarantine',
  KLEDR_NetworkIsolation: 'isolate',
  KLEDR_NetworkIsolationOff: 'unisolate',
};

export interface KscRoutesOptions {
  data: KscData;
  username: string;
  password: string;
  /** A second account whose writes are refused with `Access denied.` */
  viewer: { username: string; password: string };
  /** The wall-clock instant simulated time reads the data set's epoch at. @default construction */
  startedAtMs?: number;
  /** Idle time after which a session (and its result sets) is gone. @default 1_800_000 */
  sessionIdleMs?: number;
  /** How long a started task takes to finish on all its hosts. @default 60_000 */
  taskDurationMs?: number;
  /** The ConEvents polling period (nPeriod). @default 1_000 */
  conEventsPeriodMs?: number;
}

class PxgFault extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly args?: string[],
  ) {
    super(message);
  }
}

interface Session {
  token: string;
  user: string;
  lastUsed: number;
}

interface ResultSet {
  id: string;
  family: 'chunk' | 'event' | 'srvview';
  owner: string;
  rows: Rows;
  fields?: string[];
  lifetimeMs: number;
  lastUsed: number;
}

type Params = Record<string, unknown>;
type Handler = (p: Params, ctx: CallContext) => Record<string, unknown>;
interface CallContext {
  owner: string;
  user: string;
}

const SEARCH_ONLY = new Set(['KLHSTUSER_LOGGEDIN_HOST']);
/** Host event types a ConEvents subscription may name (the ones hosts of this estate report). */
const EVENT_TYPES = new Set<string>(EVENT_KINDS.map((k) => k.type));
const CON_EVENTS_PER_RETRIEVE = 100;

const WRITES = new Set([
  'Tasks.AddTask',
  'Tasks.RunTask',
  'QBTNetworkListApi.AddListItemsTask',
  'QBTNetworkListApi.AddListItemTask',
]);

/**
 * KSC OpenAPI routes: connection-bound `/login` and token sessions, the `Class.Method` envelope
 * with `PxgRetVal`/out-params/`PxgError`, three result-set families, and the methods the SOAR
 * commands use. Time comes from `now()`, which tests advance explicitly.
 */
export class KscRoutes implements SimulatorRoutes {
  readonly logins = KSC_LOGINS;
  private readonly data: KscData;
  private readonly sessions = new Map<string, Session>();
  private readonly ended = new Set<string>();
  private readonly sockets = new WeakMap<Socket, { user: string; owner: string; lastUsed: number }>();
  private readonly oneTimeTokens = new Map<string, { user: string; expires: number }>();
  private readonly results = new Map<string, ResultSet>();
  private readonly handlers: Record<string, Handler>;
  private offsetMs = 0;
  private readonly realStart: number;
  /** ConEvents subscriptions, bound to the session (or connection login) that made them. */
  private readonly conEvents = new Map<number, { owner: string; type: string; queue: Row[] }>();
  private readonly conEventsRetrieved = new Map<string, number>();
  private nextConEventsId = 1;
  /** The polling period ConEvents asks for (nPeriod), ms. */
  conEventsPeriodMs: number;
  sessionIdleMs: number;
  taskDurationMs: number;

  constructor(private readonly options: KscRoutesOptions) {
    this.data = options.data;
    this.realStart = options.startedAtMs ?? Date.now();
    this.sessionIdleMs = options.sessionIdleMs ?? 1_800_000;
    this.conEventsPeriodMs = options.conEventsPeriodMs ?? 1_000;
    this.taskDurationMs = options.taskDurationMs ?? 60_000;
    this.handlers = this.buildHandlers();
  }

  /** Simulated time: the data set's epoch plus real time since start plus what tests advanced. */
  now(): number {
    return this.data.epochMs + (Date.now() - this.realStart) + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Ends every session and connection login now, as an idle timeout would (their result sets die too). */
  expireSessions(): void {
    for (const token of this.sessions.keys()) this.dropOwner(token);
    this.sessions.clear();
    this.socketEpoch++;
  }

  private socketEpoch = 0;

  /** Token sessions (connection-bound `/login`s are not counted) and unreleased result sets by family. */
  open(): OpenResources {
    this.sweep();
    let accessors = 0;
    let iterators = 0;
    for (const r of this.results.values()) {
      if (r.family === 'chunk') accessors++;
      else iterators++;
    }
    return { sessions: this.sessions.size, accessors, iterators };
  }

  endpointOf(req: SimRequest): string | undefined {
    if (req.method !== 'POST' || !req.path.startsWith(KSC_API_PREFIX)) return undefined;
    const name = req.path.slice(KSC_API_PREFIX.length);
    return /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,2}$/.test(name) ? name : undefined;
  }

  /**
   * Test hook: runs before each vendor call is handled (e.g. to expire sessions mid-walk); a reply
   * it returns is sent instead of the method's own.
   */
  onCall?: (endpoint: string) => SimReply | void;

  async handle(req: SimRequest, endpoint: string): Promise<SimReply> {
    const injected = this.onCall?.(endpoint);
    if (injected) return injected;
    this.sweep();
    if (endpoint === 'login') return this.login(req);
    const parts = endpoint.split('.');
    const method = parts.slice(-2).join('.');

    let ctx: CallContext;
    if (method === 'Session.StartSession') {
      const user = this.authorize(req) ?? this.socketUser(req)?.user;
      if (!user) return unauthorized();
      const token = `n${randomBytes(16).toString('base64')}`;
      this.sessions.set(token, { token, user, lastUsed: this.now() });
      return ok({ PxgRetVal: token });
    }
    const token = header(req, 'x-ksc-session');
    if (token) {
      const session = this.sessions.get(token);
      if (!session) return this.ended.has(token) ? { status: 403, text: 'Forbidden' } : unauthorized();
      session.lastUsed = this.now();
      ctx = { owner: token, user: session.user };
    } else {
      const bound = this.socketUser(req);
      if (!bound) return unauthorized();
      bound.lastUsed = this.now();
      ctx = { owner: bound.owner, user: bound.user };
    }

    if (method === 'Session.EndSession') {
      if (token) {
        this.sessions.delete(token);
        this.ended.add(token);
        this.dropOwner(token);
      }
      return ok({});
    }

    let params: Params;
    try {
      const body = req.json();
      params = body && typeof body === 'object' ? (body as Params) : {};
    } catch {
      return { status: 400, text: 'Malformed JSON body' };
    }
    const handler = this.handlers[method];
    if (!handler)
      return pxg({
        code: 1,
        subcode: 0,
        module: 'KLSTD',
        file: 'pxg.cpp',
        line: 120,
        message: `Method '${endpoint}' not found.`,
      });
    if (WRITES.has(method) && ctx.user === this.options.viewer.username) {
      return pxg({
        code: 1184,
        subcode: 0,
        module: 'KLSTD',
        file: 'srvrights.cpp',
        line: 241,
        message: 'Access denied.',
      });
    }
    try {
      return ok(handler(params, ctx));
    } catch (error) {
      if (error instanceof PxgFault) {
        const args = error.args;
        return pxg({
          code: error.code,
          subcode: 0,
          module: 'KLSTD',
          file: 'kloapi.cpp',
          line: 1,
          message: error.message,
          ...(args
            ? {
                locdata: {
                  type: 'params',
                  value: { format: error.message, 'format-id': error.code, locmodule: 'KLSTD', args },
                },
              }
            : {}),
        });
      }
      throw error;
    }
  }

  // ------------------------------------------------------------------ auth

  private login(req: SimRequest): SimReply {
    const user = this.authorize(req);
    if (!user) return unauthorized();
    this.sockets.set(req.socket, {
      user,
      owner: `socket:${randomBytes(6).toString('hex')}:${this.socketEpoch}`,
      lastUsed: this.now(),
    });
    return ok({});
  }

  private socketUser(req: SimRequest) {
    const bound = this.sockets.get(req.socket);
    if (!bound) return undefined;
    if (!bound.owner.endsWith(`:${this.socketEpoch}`) || this.now() - bound.lastUsed > this.sessionIdleMs) {
      this.sockets.delete(req.socket);
      this.dropOwner(bound.owner);
      return undefined;
    }
    return bound;
  }

  /** The user named by a valid Authorization header (KSCBasic in any client's variant, or KSCT). */
  private authorize(req: SimRequest): string | undefined {
    const auth = header(req, 'authorization');
    if (!auth) return undefined;
    const [scheme, ...rest] = auth.trim().split(/\s+/);
    const value = rest.join(' ');
    if (scheme === 'KSCT') {
      const t = this.oneTimeTokens.get(value);
      this.oneTimeTokens.delete(value);
      return t && t.expires > this.now() ? t.user : undefined;
    }
    if (scheme !== 'KSCBasic') return undefined;
    const fields: Record<string, string> = {};
    for (const m of value.matchAll(/([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g))
      fields[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
    const decode = (v: string | undefined) => (v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8'));
    const user = decode(fields.user);
    const pass = decode(fields.pass);
    const accounts = [{ username: this.options.username, password: this.options.password }, this.options.viewer];
    return accounts.find((a) => a.username === user && a.password === pass)?.username;
  }

  // ------------------------------------------------------------------ result sets

  private sweep(): void {
    const now = this.now();
    for (const [token, s] of this.sessions) {
      if (now - s.lastUsed > this.sessionIdleMs) {
        this.sessions.delete(token);
        this.dropOwner(token);
      }
    }
    for (const [id, r] of this.results) if (now - r.lastUsed > r.lifetimeMs) this.results.delete(id);
  }

  private dropOwner(owner: string): void {
    for (const [id, r] of this.results) if (r.owner === owner) this.results.delete(id);
  }

  private openSet(
    family: ResultSet['family'],
    ctx: CallContext,
    rows: Rows,
    fields: string[] | undefined,
    lifetimeSec: unknown,
  ): string {
    const id = randomBytes(12).toString('base64url');
    const life = Math.min(7200, Math.max(1, Number(lifetimeSec) || 7200));
    this.results.set(id, { id, family, owner: ctx.owner, rows, fields, lifetimeMs: life * 1000, lastUsed: this.now() });
    return id;
  }

  private getSet(id: unknown, family: ResultSet['family'], ctx: CallContext, param: string): ResultSet {
    const set = typeof id === 'string' ? this.results.get(id) : undefined;
    if (!set || set.family !== family || set.owner !== ctx.owner) throw new PxgFault(1186, `Bad parameter "${param}".`);
    set.lastUsed = this.now();
    return set;
  }

  private page(set: ResultSet, start: number, end: number): unknown[] {
    const from = Math.max(0, Math.trunc(start) || 0);
    const to = Math.min(set.rows.length, Math.max(from, Math.trunc(end) || 0));
    const out: unknown[] = [];
    for (let i = from; i < to; i++) out.push(encodeValue(project(set.rows.at(i)!, set.fields)));
    return out;
  }

  /** The estate at work: a host reports a new event, delivered to ConEvents subscribers of its type. */
  activity(): void {
    const row = this.data.addEvent(new Date(Math.floor(this.now() / 1000) * 1000));
    for (const sub of this.conEvents.values()) if (sub.type === row.event_type) sub.queue.push(row);
  }

  // ------------------------------------------------------------------ methods

  private buildHandlers(): Record<string, Handler> {
    const d = this.data;
    const find =
      (rows: () => Row[], attrs: readonly string[], filterKey: string, fieldsKey: string, orderKey: string) =>
      (p: Params, ctx: CallContext) => {
        const filter = compile(p[filterKey], attrs);
        const now = this.now();
        // Sorted before filtering: the order of a stable list (hosts) is then sorted once, not per call.
        const sorted = sortedOnce(rows(), p[orderKey]);
        const out = filter ? sorted.filter((r) => matchFilter(filter, r, now)) : sorted;
        const id = this.openSet('chunk', ctx, out, fieldList(p[fieldsKey]), p.lMaxLifeTime);
        return { strAccessor: id, PxgRetVal: out.length };
      };

    return {
      'Session.Ping': () => ({}),
      'Session.CreateToken': (_p, ctx) => {
        const token = randomBytes(18).toString('base64');
        this.oneTimeTokens.set(token, { user: ctx.user, expires: this.now() + 180_000 });
        return { PxgRetVal: token };
      },

      'HostGroup.FindHosts': find(
        () => d.hostRows,
        HOST_ATTRIBUTES,
        'wstrFilter',
        'vecFieldsToReturn',
        'vecFieldsToOrder',
      ),
      'HostGroup.FindGroups': find(
        () => d.groupRows(),
        GROUP_ATTRIBUTES,
        'wstrFilter',
        'vecFieldsToReturn',
        'vecFieldsToOrder',
      ),
      'HostGroup.FindUsers': find(() => d.users, USER_ATTRIBUTES, 'strFilter', 'pFieldsToReturn', 'pFieldsToOrder'),
      'HostGroup.GroupIdGroups': () => ({ PxgRetVal: 0 }),
      'HostGroup.GroupIdUnassigned': () => ({ PxgRetVal: 1 }),
      'HostGroup.GetHostInfo': (p) => {
        const host = d.hostById(String(p.strHostName ?? ''));
        if (!host) throw new PxgFault(1190, "Unknown name of device '%1'.", [String(p.strHostName ?? '')]);
        return { PxgRetVal: encodeValue(project(host.row, fieldList(p.pFields2Return)), true) };
      },

      'ChunkAccessor.GetItemsCount': (p, ctx) => ({
        PxgRetVal: this.getSet(p.strAccessor, 'chunk', ctx, 'strAccessor').rows.length,
      }),
      'ChunkAccessor.GetItemsChunk': (p, ctx) => {
        const set = this.getSet(p.strAccessor, 'chunk', ctx, 'strAccessor');
        const start = Number(p.nStart) || 0;
        const rows = this.page(set, start, start + Math.max(0, Number(p.nCount) || 0));
        return { pChunk: { KLCSP_ITERATOR_ARRAY: rows }, PxgRetVal: rows.length };
      },
      'ChunkAccessor.Release': (p) => {
        if (typeof p.strAccessor === 'string') this.results.delete(p.strAccessor);
        return {};
      },

      'InventoryApi.GetHostInvProducts': (p) => {
        const host = d.hostById(String(p.szwHostId ?? ''));
        if (!host) throw new PxgFault(1186, 'Bad parameter "szwHostId".');
        return { PxgRetVal: { GNRL_EA_PARAM_1: encodeValue(d.applicationsOf(host)) } };
      },
      'InventoryApi.GetInvProductsList': () => {
        const seen = new Map<string, Row>();
        for (const h of d.hosts.slice(0, 200)) for (const a of d.applicationsOf(h)) seen.set(String(a.DisplayName), a);
        return { PxgRetVal: { GNRL_EA_PARAM_1: encodeValue([...seen.values()]) } };
      },

      'Tasks.GetAllTasksOfHost': (p) => {
        const host = d.hostByIdOrName(String(p.strHostName ?? ''));
        if (!host) throw new PxgFault(1186, 'Bad parameter "strHostName".');
        const chain = d.groupChain(host.groupId);
        const ids = [...d.tasks.values()]
          .filter((t) =>
            t.hostIds.length ? t.hostIds.includes(host.id) : t.groupId !== undefined && chain.includes(t.groupId),
          )
          .map((t) => t.id);
        return { PxgRetVal: ids };
      },
      // Server events: a subscription per event type, retrieved by polling at the period KSC names.
      'ConEvents.Subscribe': (p, ctx) => {
        const type = String(p.wstrEvent ?? '');
        if (!EVENT_TYPES.has(type)) throw new PxgFault(1186, 'Bad parameter "wstrEvent".');
        const id = this.nextConEventsId++;
        this.conEvents.set(id, { owner: ctx.owner, type, queue: [] });
        return { PxgRetVal: id, nPeriod: this.conEventsPeriodMs };
      },
      'ConEvents.UnSubscribe': (p, ctx) => {
        const sub = this.conEvents.get(Number(p.nSubsId));
        if (!sub || sub.owner !== ctx.owner) throw new PxgFault(1183, 'Subscription was not found.');
        this.conEvents.delete(Number(p.nSubsId));
        return {};
      },
      'ConEvents.Retrieve': (_p, ctx) => {
        const mine = [...this.conEvents.values()].filter((s) => s.owner === ctx.owner);
        if (mine.length === 0) throw new PxgFault(1183, 'Subscription was not found.');
        const now = this.now();
        const last = this.conEventsRetrieved.get(ctx.owner);
        // STDE_UNAVAIL: polled well before the period KSC asked for.
        if (last !== undefined && now - last < this.conEventsPeriodMs / 2)
          throw new PxgFault(1184, 'Period of polling is too small. Please use recommended period of polling.');
        this.conEventsRetrieved.set(ctx.owner, now);
        const events = mine
          .flatMap((s) => s.queue.splice(0, CON_EVENTS_PER_RETRIEVE))
          .sort((a, b) => (a.rise_time as Date).getTime() - (b.rise_time as Date).getTime());
        return {
          pEvents: events.map((row) =>
            encodeValue(
              {
                KLSRV_CON_EVENT_TYPE: row.event_type,
                KLSRV_CON_EVENT_PARAMS: row,
                KLSRV_CON_EVENT_BIRTH_TIME: row.rise_time,
                KLSRV_CON_EVENT_LIFE_TIME: 3600,
              },
              true,
            ),
          ),
          nPeriod: this.conEventsPeriodMs,
          PxgRetVal: mine.every((s) => s.queue.length === 0),
        };
      },

      'Tasks.GetTask': (p) => ({ PxgRetVal: encodeValue(taskAttributes(this.task(p.strTask, 'notFound')), true) }),
      'Tasks.GetTaskData': (p) => ({ PxgRetVal: encodeValue(taskData(this.task(p.strTask, 'badParam')), true) }),
      'Tasks.GetTaskStatistics': (p) => ({ PxgRetVal: this.statistics(this.task(p.strTask, 'notFound')) }),
      'Tasks.GetTaskStatistics2': (p) => ({ PxgRetVal: this.statistics(this.task(p.strTask, 'notFound')) }),
      'Tasks.GetTaskHistory': (p, ctx) => {
        const task = d.tasks.get(String(p.strTask ?? ''));
        let rows = task ? this.history(task) : [];
        if (typeof p.strHostName === 'string' && p.strHostName)
          rows = rows.filter((r) => r.hostname === p.strHostName || r.hostdn === p.strHostName);
        rows = applyEventFilter(rows, p.pFilter, this.now());
        rows = sortRows(rows, p.pSortFields);
        return { strIteratorId: this.openSet('event', ctx, rows, fieldList(p.pFields2Return), 7200) };
      },
      'Tasks.AddTask': (p) => {
        const pData = (decodeValue(p.pData) ?? {}) as Row;
        const typeName = String(pData.TASK_NAME ?? '');
        const kind = KSC_TASK_TYPES[typeName];
        if (!kind) throw new PxgFault(1186, 'Bad parameter "pData".');
        const info = (pData.TASK_INFO_PARAMS ?? {}) as Row;
        const displayName = String(info.DisplayName ?? '');
        if (!displayName || displayName.length > 100) throw new PxgFault(1186, 'Bad parameter "pData".');
        const hostKeys = Array.isArray(pData.KLTSK_HOSTS) ? pData.KLTSK_HOSTS.map(String) : [];
        if (hostKeys.length === 0) throw new PxgFault(1186, 'Bad parameter "pData".');
        const hosts: SimHost[] = [];
        for (const key of hostKeys) {
          const host = d.hostById(key);
          if (!host) throw new PxgFault(1190, "Unknown name of device '%1'.", [key]);
          hosts.push(host);
        }
        const task = d.addTask({
          displayName,
          typeName,
          product: String(pData.TASKID_PRODUCT_NAME ?? 'KES'),
          version: String(pData.TASKID_VERSION ?? '11.0.0.0'),
          kind,
          created: new Date(this.now()),
          hostIds: hosts.map((h) => h.id),
          settings: { TASK_ADDITIONAL_PARAMS: pData.TASK_ADDITIONAL_PARAMS ?? {} },
        });
        return { PxgRetVal: task.id };
      },
      'Tasks.RunTask': (p) => {
        const task = this.task(p.strTask, 'notFound');
        task.run = { startedAt: this.now(), durationMs: this.taskDurationMs };
        task.applied = false;
        return {};
      },

      'EventProcessingFactory.CreateEventProcessing': (p, ctx) => this.events(p, ctx, undefined),
      'EventProcessingFactory.CreateEventProcessing2': (p, ctx) => this.events(p, ctx, undefined),
      'EventProcessingFactory.CreateEventProcessingForHost2': (p, ctx) => {
        const host = d.hostByIdOrName(String(p.strHostName ?? ''));
        if (!host) throw new PxgFault(1186, 'Bad parameter "strHostName".');
        return this.events(p, ctx, host);
      },
      'EventProcessing.GetRecordCount': (p, ctx) => ({
        PxgRetVal: this.getSet(p.strIteratorId, 'event', ctx, 'strIteratorId').rows.length,
      }),
      'EventProcessing.GetRecordRange': (p, ctx) => {
        const set = this.getSet(p.strIteratorId, 'event', ctx, 'strIteratorId');
        return { pParamsEvents: { KLEVP_EVENT_RANGE_ARRAY: this.page(set, Number(p.nStart), Number(p.nEnd)) } };
      },
      'EventProcessing.ReleaseIterator': (p) => {
        if (typeof p.strIteratorId === 'string') this.results.delete(p.strIteratorId);
        return {};
      },

      'SrvView.ResetIterator': (p, ctx) => {
        const view = String(p.wstrViewName ?? '');
        const source = this.view(view, p.wstrFilter);
        const filter = compile(p.wstrFilter, source.attrs);
        const now = this.now();
        let rows = filter ? source.rows.filter((r) => matchFilter(filter, r, now)) : source.rows;
        rows = sortRows(rows, p.vecFieldsToOrder);
        return { wstrIteratorId: this.openSet('srvview', ctx, rows, fieldList(p.vecFieldsToReturn), p.lifetimeSec) };
      },
      'SrvView.GetRecordCount': (p, ctx) => ({
        PxgRetVal: this.getSet(p.wstrIteratorId, 'srvview', ctx, 'wstrIteratorId').rows.length,
      }),
      'SrvView.GetRecordRange': (p, ctx) => {
        const set = this.getSet(p.wstrIteratorId, 'srvview', ctx, 'wstrIteratorId');
        return { pRecords: { KLCSP_ITERATOR_ARRAY: this.page(set, Number(p.nStart), Number(p.nEnd)) } };
      },
      'SrvView.ReleaseIterator': (p) => {
        if (typeof p.wstrIteratorId === 'string') this.results.delete(p.wstrIteratorId);
        return {};
      },

      'AppCtrlApi.GetExeFileInfo': (p) => {
        const host = d.hostById(String(p.szwHostId ?? ''));
        if (!host) throw new PxgFault(1186, 'Bad parameter "szwHostId".');
        const id = Number(decodeValue(p.lFileId));
        const row = d.exeFilesOf(host).find((r) => (r.HST_FILE_ID as KscLong).value === id);
        if (!row) throw new PxgFault(1187, `File #${Number.isFinite(id) ? id : 0} was not found.`);
        return { PxgRetVal: encodeValue(project(row, fieldList(p.pFilter)), true) };
      },

      'QBTNetworkListApi.AddListItemsTask': (p) => {
        const ids = Array.isArray(p.pItemsIds) ? p.pItemsIds.map((x) => Number(decodeValue(x))) : [];
        this.listTask(String(p.listName ?? ''), ids, String(p.taskName ?? ''));
        return {};
      },
      'QBTNetworkListApi.AddListItemTask': (p) => {
        this.listTask(String(p.listName ?? ''), [Number(p.itemId)], String(p.taskName ?? ''));
        return {};
      },
      'QBTNetworkListApi.GetListItemInfo': (p) => {
        const item = this.quarantine().find((q) => q.nId === Number(p.itemId));
        if (!item) throw new PxgFault(1191, "Wrong identificator of the list's item.");
        return { strHostName: item.hostId, strId: item.row.strId, strListName: 'Quarantine' };
      },
    };
  }

  private task(id: unknown, miss: 'notFound' | 'badParam'): SimTask {
    const key = typeof id === 'string' || typeof id === 'number' ? String(id) : '';
    const task = key ? this.data.tasks.get(key) : undefined;
    if (task) return task;
    if (miss === 'badParam' || !/^\d+$/.test(key)) throw new PxgFault(1186, 'Bad parameter "strTask".');
    throw new PxgFault(1187, `Task #${key} was not found.`);
  }

  /** When each target host of a run task finishes (in host order, spread over the duration). */
  /** When each host finishes the task: one whose Network Agent is offline never starts it (it stays pending, as in KSC). */
  private completions(task: SimTask): { host: SimHost; doneAt: number; online: boolean }[] {
    const hosts = this.data.taskHosts(task);
    const run = task.run!;
    return hosts.map((host, k) => {
      const online = (Number(host.row.KLHST_WKS_STATUS) & 0x1) === 0x1;
      const doneAt = run.startedAt + Math.round((run.durationMs * (k + 1)) / hosts.length);
      return { host, online, doneAt: online ? doneAt : Infinity };
    });
  }

  private statistics(task: SimTask): Row {
    const zero = Object.fromEntries(Object.values(TASK_STATE_BITS).map((b) => [b, 0]));
    let counts: Record<string, number>;
    if (task.fixedStats) counts = { ...zero, ...task.fixedStats };
    else if (!task.run) counts = { ...zero, [TASK_STATE_BITS.scheduled]: this.data.taskHosts(task).length };
    else {
      const now = this.now();
      const c = this.completions(task);
      const done = c.filter((x) => x.doneAt <= now).length;
      const offline = c.filter((x) => !x.online).length;
      const started = now >= task.run.startedAt + 1000;
      const underWay = c.length - done - offline;
      counts = {
        ...zero,
        [TASK_STATE_BITS.completed]: done,
        [TASK_STATE_BITS.running]: started ? underWay : 0,
        [TASK_STATE_BITS.pending]: (started ? 0 : underWay) + offline,
      };
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const finished =
      counts[TASK_STATE_BITS.completed]! + counts[TASK_STATE_BITS.failed]! + counts[TASK_STATE_BITS.warning]!;
    return {
      ...counts,
      GNRL_COMPLETED_PERCENT: total ? Math.floor((finished * 100) / total) : 0,
      KLTSK_NEED_RBT_CNT: 0,
    };
  }

  private history(task: SimTask): Row[] {
    const rows: Row[] = [];
    let seq = 0;
    const ev = (host: SimHost, at: number, state: number, percent: number): Row => ({
      event_id: new KscLong(Number(task.id) * 100_000 + ++seq),
      event_type: 'KLPRCI_TaskState',
      event_type_display_name: 'Task state changed',
      GNRL_EA_SEVERITY: state === 16 ? 3 : 1,
      hostname: host.id,
      hostdn: host.name,
      product_name: task.product,
      task_display_name: task.displayName,
      task_id: Number(task.id),
      task_new_state: state,
      GNRL_COMPLETED_PERCENT: percent,
      rise_time: new Date(Math.floor(at / 1000) * 1000),
    });
    if (!task.run) return rows;
    if (task.fixedStats) {
      const hosts = this.data.taskHosts(task).slice(0, 50);
      hosts.forEach((h, k) => {
        rows.push(ev(h, task.run!.startedAt + k * 1000, 2, 0));
        rows.push(ev(h, task.run!.startedAt + 60_000 + k * 1000, k % 17 === 5 ? 16 : 4, 100));
      });
    } else {
      const now = this.now();
      for (const { host, doneAt, online } of this.completions(task)) {
        if (online && now >= task.run.startedAt) rows.push(ev(host, task.run.startedAt, 2, 0));
        if (doneAt <= now) rows.push(ev(host, doneAt, 4, 100));
      }
    }
    return rows.sort((a, b) => (b.rise_time as Date).getTime() - (a.rise_time as Date).getTime());
  }

  /**
   * An event iterator over the events database: the positions that match, in its order (newest
   * first, as the gateway asks); rows are drawn as pages are read. Another order sorts the rows.
   */
  private events(p: Params, ctx: CallContext, host: SimHost | undefined): Record<string, unknown> {
    const store = this.data.eventStore;
    const now = this.now();
    const { filter, equalities, sinceMs } = eventFilter(p.pFilter, now);
    const positions = store.select(filter, equalities, sinceMs, host, now, comparable);
    const natural = isNewestFirst(p.vecFieldsToOrder);
    const rows = natural
      ? store.rows(positions)
      : sortRows(
          Array.from(positions, (i) => store.row(i)),
          p.vecFieldsToOrder,
        );
    return { strIteratorId: this.openSet('event', ctx, rows, fieldList(p.vecFieldsToReturn), p.lifetimeSec) };
  }

  /** Quarantine entries, with the effect of finished quarantine tasks applied first. */
  private quarantine() {
    const items = this.data.quarantine;
    const now = this.now();
    for (const task of this.data.tasks.values()) {
      if (task.kind !== 'quarantine' || !task.run || task.applied) continue;
      // Hosts whose agent is offline never run the task: their files stay where they are.
      const done = this.completions(task).filter((x) => x.online);
      if (done.every((x) => x.doneAt <= now)) {
        const paths =
          ((task.settings.TASK_ADDITIONAL_PARAMS as Row | undefined)?.FilePaths as string[] | undefined) ?? [];
        for (const { host, doneAt } of done)
          for (const path of paths)
            items.push(this.data.quarantineItem(host, path, 'Quarantined by task', new Date(doneAt)));
        task.applied = true;
      }
    }
    return items;
  }

  private view(name: string, filter: unknown): { rows: Row[]; attrs: readonly string[] } {
    const hostOnly = hostOfFilter(filter);
    const d = this.data;
    const perHost = (fn: (h: SimHost) => Row[]) => {
      if (hostOnly !== undefined) {
        const h = d.hostById(hostOnly);
        return h ? fn(h) : [];
      }
      return d.hosts.flatMap(fn);
    };
    switch (name) {
      case 'Quarantine':
        return { rows: this.quarantine().map((q) => q.row), attrs: QUARANTINE_ATTRIBUTES };
      case 'Backup':
      case 'TIF':
        return { rows: [], attrs: QUARANTINE_ATTRIBUTES };
      case 'ACHostExeFilesSrvViewName':
        return {
          rows: hostOnly !== undefined ? perHost((h) => d.exeFilesOf(h)) : d.exeFiles,
          attrs: EXE_FILE_ATTRIBUTES,
        };
      case 'ACExeFilesSrvViewName': {
        const distinct = new Map<string, Row>();
        for (const r of d.exeFiles)
          if (!distinct.has(String(r.SHA256)))
            distinct.set(String(r.SHA256), { ...r, strHostName: undefined, HST_FILE_ID: undefined });
        return { rows: [...distinct.values()], attrs: EXE_FILE_ATTRIBUTES };
      }
      case 'HostOpenPortsSrvViewName':
        return { rows: perHost((h) => d.openPortsOf(h)), attrs: OPEN_PORT_ATTRIBUTES };
      default:
        throw new PxgFault(1186, 'Bad parameter "wstrViewName".');
    }
  }

  private listTask(listName: string, ids: number[], taskName: string): void {
    if (!['Quarantine', 'Backup', 'TIF'].includes(listName)) throw new PxgFault(1186, 'Bad parameter "listName".');
    if (!['ScanQuarantine', 'RestoreObj', 'DeleteObj'].includes(taskName))
      throw new PxgFault(1186, 'Bad parameter "taskName".');
    const items = listName === 'Quarantine' ? this.quarantine() : [];
    const found = ids.map((id) => items.find((q) => q.nId === id));
    if (ids.length === 0 || found.some((f) => !f)) throw new PxgFault(1191, "Wrong identificator of the list's item.");
    for (const item of found) {
      if (taskName === 'ScanQuarantine') item!.row.tmLastScanned = new Date(this.now());
      else items.splice(items.indexOf(item!), 1);
    }
  }
}

// ------------------------------------------------------------------ helpers

function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function ok(json: Record<string, unknown>): SimReply {
  return { status: 200, json };
}

function pxg(error: PxgError): SimReply {
  return { status: 200, json: { PxgError: error } };
}

function unauthorized(): SimReply {
  return { status: 401, text: 'Unauthorized' };
}

function compile(filter: unknown, attrs: readonly string[]): FilterNode | undefined {
  if (filter === null || filter === undefined || filter === '') return undefined;
  try {
    return parseFilter(String(filter), { attributes: attrs });
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new PxgFault(1188, error.message);
    throw error;
  }
}

/** The host GUID when a filter is exactly `(strHostName="<guid>")`: lets per-host views skip the fleet. */
function hostOfFilter(filter: unknown): string | undefined {
  if (typeof filter !== 'string' || !filter) return undefined;
  try {
    const ast = parseFilter(filter);
    const item = ast.kind === 'and' ? ast.items.find((i) => i.kind === 'item' && i.attr === 'strHostName') : ast;
    if (
      item?.kind === 'item' &&
      item.attr === 'strHostName' &&
      item.op === '=' &&
      item.value.kind === 'string' &&
      !/[*?[]/.test(item.value.value)
    )
      return item.value.value;
  } catch {
    return undefined;
  }
  return undefined;
}

function fieldList(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((x) => String(decodeValue(x)));
}

function project(row: Row, fields: string[] | undefined): Row {
  const out: Row = {};
  if (!fields) {
    for (const [k, v] of Object.entries(row)) if (!SEARCH_ONLY.has(k) && v !== undefined) out[k] = v;
    return out;
  }
  for (const f of fields) if (!SEARCH_ONLY.has(f) && row[f] !== undefined) out[f] = row[f];
  return out;
}

function comparable(v: unknown): number | string {
  if (v instanceof Date) return v.getTime();
  if (v instanceof KscLong) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return String(v ?? '').toLowerCase();
}

const sortCache = new WeakMap<readonly Row[], Map<string, Row[]>>();

/** `sortRows`, remembered per list and order for lists that stay the same (hosts). */
function sortedOnce(rows: Row[], spec: unknown): Row[] {
  if (!Array.isArray(spec) || spec.length === 0) return rows;
  let byOrder = sortCache.get(rows);
  if (!byOrder) sortCache.set(rows, (byOrder = new Map()));
  const key = JSON.stringify(spec);
  let sorted = byOrder.get(key);
  if (!sorted) byOrder.set(key, (sorted = sortRows(rows, spec)));
  return sorted;
}

/** Sort specs arrive wrapped (`{"type":"params","value":{Name,Asc}}`) or bare: accept both. */
function sortRows(rows: Row[], spec: unknown): Row[] {
  if (!Array.isArray(spec) || spec.length === 0) return rows;
  const keys = spec
    .map((s) => decodeValue(s) as { Name?: string; Asc?: boolean })
    .filter((s) => s && typeof s.Name === 'string');
  if (keys.length === 0) return rows;
  // Each row's sort values computed once (lower-casing names inside the comparison cost more
  // than the sort itself).
  const keyed = rows.map((row) => ({ row, values: keys.map((k) => comparable(row[k.Name!])) }));
  const cmp = (a: (typeof keyed)[number], b: (typeof keyed)[number]) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i]!;
      const y = b.values[i]!;
      if (x < y) return keys[i]!.Asc === false ? 1 : -1;
      if (x > y) return keys[i]!.Asc === false ? -1 : 1;
    }
    return 0;
  };
  // Events are stored newest first: the usual order costs one pass, not a sort of 50,000 rows.
  let sorted = true;
  for (let i = 1; i < keyed.length && sorted; i++) sorted = cmp(keyed[i - 1]!, keyed[i]!) <= 0;
  return sorted ? rows : keyed.sort(cmp).map((k) => k.row);
}

interface EventFilter {
  filter?: FilterNode;
  /** Attribute equalities (an array = any of), values already comparable. */
  equalities: [string, unknown[]][];
  /** KLEVP_EVENT_RISE_TIME_LAST_DAYS as an instant. */
  sinceMs?: number;
}

/**
 * Event `pFilter`: `KLEVP_RFC2254_FILTER` (a search filter over event attributes),
 * `KLEVP_EVENT_RISE_TIME_LAST_DAYS`, and any event attribute as an equality (an array = any of).
 */
function eventFilter(raw: unknown, now: number): EventFilter {
  const pFilter = (decodeValue(raw) ?? {}) as Row;
  const out: EventFilter = { equalities: [] };
  if (typeof pFilter !== 'object') return out;
  for (const [key, value] of Object.entries(pFilter)) {
    if (value === null || value === undefined) continue;
    if (key === 'KLEVP_RFC2254_FILTER') out.filter = compile(value, EVENT_ATTRIBUTES);
    else if (key === 'KLEVP_EVENT_RISE_TIME_LAST_DAYS') out.sinceMs = now - Number(value) * 86_400_000;
    else if ((EVENT_ATTRIBUTES as readonly string[]).includes(key))
      out.equalities.push([key, (Array.isArray(value) ? value : [value]).map((v) => comparable(v))]);
    else throw new PxgFault(1186, `Parameter with name "${key}" not exist.`);
  }
  return out;
}

function applyEventFilter(rows: Row[], raw: unknown, now: number): Row[] {
  const { filter, equalities, sinceMs } = eventFilter(raw, now);
  return rows.filter(
    (r) =>
      (!filter || matchFilter(filter, r, now)) &&
      (sinceMs === undefined || (r.rise_time as Date).getTime() >= sinceMs) &&
      equalities.every(([key, wanted]) => wanted.includes(comparable(r[key]))),
  );
}

/** No order, or rise_time descending alone: the events database's own order. */
function isNewestFirst(spec: unknown): boolean {
  if (!Array.isArray(spec) || spec.length === 0) return true;
  const keys = spec.map((s) => decodeValue(s) as { Name?: string; Asc?: boolean });
  return keys.length === 1 && keys[0]?.Name === 'rise_time' && keys[0].Asc === false;
}

function taskAttributes(task: SimTask): Row {
  return {
    DisplayName: task.displayName,
    TASK_NAME: task.typeName,
    TASKID_PRODUCT_NAME: task.product,
    TASKID_VERSION: task.version,
    TASK_UNIQUE_ID: task.id,
    PRTS_TASK_CREATION_DATE: task.created,
    ...(task.groupId === undefined ? {} : { PRTS_TASK_GROUPID: task.groupId }),
  };
}

function taskData(task: SimTask): Row {
  return {
    TASK_NAME: task.typeName,
    TASKID_PRODUCT_NAME: task.product,
    TASKID_VERSION: task.version,
    TASK_UNIQUE_ID: task.id,
    TASK_INFO_PARAMS: {
      DisplayName: task.displayName,
      PRTS_TASK_CREATION_DATE: task.created,
      klprts_TaskScheduleType: task.run ? 'manual' : 'none',
    },
    ...(task.hostIds.length ? { KLTSK_HOSTS: task.hostIds } : {}),
    ...task.settings,
  };
}
