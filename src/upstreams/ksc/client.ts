import type {
  ApplicationRecord,
  EventQuery,
  ExecutableFileRecord,
  HostGroupRecord,
  HostPart,
  HostQuery,
  HostRecord,
  HostTaskKind,
  KscEventRecord,
  KscPage,
  KscTaskRecord,
  KscUserRecord,
  OpenPortRecord,
  QuarantinedFileRecord,
  TaskStatisticsRecord,
} from '../../domain/ksc';
import { BadInputError } from '../../errors/gateway-error';
import { UpstreamError } from '../../errors/upstream-error';
import { callsWritten } from '../transport';
import type { Transport, UpstreamResponse } from '../transport';
import { viewWith } from '../upstream-client';
import type { UpstreamClient } from '../upstream-client';
import { EVENT_ATTRIBUTES, GROUP_ATTRIBUTES, HOST_ATTRIBUTES, hostFieldsToWire } from './attributes';
import { FilterSyntaxError, kscFilter, parseFilter } from './filter';
import {
  SEVERITY_CODES,
  ipToLong,
  toApplication,
  toEvent,
  toExecutableFile,
  toGroup,
  toHost,
  toOpenPort,
  toQuarantinedFile,
  toTask,
  toTaskStatistics,
  toUser,
} from './map';
import type { KscSession } from './session';
import { decodeRows, decodeValue } from './wire';
import type { PxgError } from './wire';

type Row = Record<string, unknown>;
type Answer = Record<string, unknown>;

/**
 * Methods that only read: the transport may repeat them after a 5xx, 429 or a dropped connection.
 * Everything else (AddTask, RunTask, QBT list tasks, …) is sent once: a lost answer to a write is
 * reported, never "fixed" by sending it again.
 */
const READS = new Set([
  'Session.Ping',
  'HostGroup.FindHosts',
  'HostGroup.FindGroups',
  'HostGroup.FindUsers',
  'HostGroup.GetHostInfo',
  'ChunkAccessor.GetItemsCount',
  'ChunkAccessor.GetItemsChunk',
  'ChunkAccessor.Release',
  'InventoryApi.GetHostInvProducts',
  'Tasks.GetAllTasksOfHost',
  'Tasks.GetTask',
  'Tasks.GetTaskData',
  'Tasks.GetTaskStatistics',
  'Tasks.GetTaskHistory',
  'EventProcessingFactory.CreateEventProcessing2',
  'EventProcessingFactory.CreateEventProcessingForHost2',
  'EventProcessing.GetRecordCount',
  'EventProcessing.GetRecordRange',
  'EventProcessing.ReleaseIterator',
  'SrvView.ResetIterator',
  'SrvView.GetRecordCount',
  'SrvView.GetRecordRange',
  'SrvView.ReleaseIterator',
  'AppCtrlApi.GetExeFileInfo',
]);

/** Largest window asked of one GetItemsChunk / GetRecordRange. */
const CHUNK = 500;
/** Result-set lifetime we ask for: we always release, this only bounds leaks if we die. */
const LIFETIME_S = 300;

/** Scan task types per product (SOAR "Scan Type"): keyword → KSC task type. README: the payloads are the simulator's. */
export const SCAN_TYPES: { key: string; match: RegExp; product: string; version: string; typeName: string }[] = [
  {
    key: 'KES_WINDOWS',
    match: /windows(?!.*server)|^kes$|kes_windows/i,
    product: 'KES',
    version: '11.0.0.0',
    typeName: 'ODS',
  },
  { key: 'KES_LINUX', match: /linux|kesl/i, product: 'KESL', version: '11.2.0.0', typeName: 'ODS' },
  { key: 'KSWS', match: /server|ksws/i, product: 'WSEE', version: '11.0', typeName: 'ScanOnDemand' },
  { key: 'KES_MAC', match: /mac/i, product: 'KESMAC', version: '11.2.0.0', typeName: 'Scan' },
];

class KscSessionLostError extends Error {}

/** At most `max` KSC calls in flight (settings.maxConcurrency): KSC serves each connection strictly in turn. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

interface CallOptions {
  /** Part of a result-set walk: a lost session means the result set is gone too. */
  resultSet?: boolean;
  signal?: AbortSignal;
}

interface ResultSetFamily {
  range: (id: string, start: number, count: number) => Promise<Row[]>;
  release: (id: string) => Promise<void>;
}

/**
 * Kaspersky Security Center OpenAPI (KLOAPI): `POST /api/v1.0/Class.Method` with named JSON
 * params over a token session. Result sets (ChunkAccessor, EventProcessing, SrvView) are always
 * released, on success, error and cancellation alike.
 */
/** Host event types the gateway follows live through ConEvents (threats first). */
export const LIVE_EVENT_TYPES = [
  'GNRL_EV_VIRUS_FOUND',
  'GNRL_EV_ATTACK_DETECTED',
  'GNRL_EV_OBJECT_NOTCURED',
  'GNRL_EV_OBJECT_QUARANTINED',
  'GNRL_EV_APP_LAUNCH_DENIED',
  'KLAVP_EV_BASES_OUTDATED',
  'GNRL_EV_LICENSE_EXPIRES_SOON',
  'GNRL_EV_UPDATE_COMPLETED',
  'KLNAG_EV_DEVICE_ONLINE',
  'KLPRCI_TaskState',
] as const;

export class KscClient implements UpstreamClient {
  readonly upstream = 'ksc' as const;
  private readonly limiter: Limiter;
  /** Result-set releases still under way: they run after the rows are returned (see withResultSet). */
  private readonly releasing = new Set<Promise<void>>();

  constructor(
    private readonly http: Transport,
    private readonly session: KscSession,
    maxConcurrency = 4,
  ) {
    this.limiter = new Limiter(Math.max(1, maxConcurrency));
  }

  async ping(): Promise<void> {
    await this.call('Session.Ping', {});
  }

  /** Resolves once every result set opened so far has been released. */
  async settled(): Promise<void> {
    while (this.releasing.size > 0) await Promise.all(this.releasing);
  }

  async close(): Promise<void> {
    await this.settled();
    await this.session.end();
    await this.http.close();
  }

  withSignal(signal: AbortSignal): this {
    return viewWith(this, this.http.withSignal(signal));
  }

  // ------------------------------------------------------------------ hosts and groups

  /**
   * With `parts`, the records hold only those beyond id and name (see HostPart); others all.
   * FindHosts sorts (`vecFieldsToOrder`): by display name, or last visible then display name, the
   * host id breaking the ties that are left so pages keep their order.
   */
  async findHosts(
    query: HostQuery,
    offset: number,
    count: number,
    parts?: readonly HostPart[],
    { field = 'name', descending = false }: { field?: 'name' | 'lastVisible'; descending?: boolean } = {},
  ): Promise<KscPage<HostRecord>> {
    if (choosesNothing(query.names, query.withinGroups)) return nothing();
    const filter = this.hostFilter(query);
    const keys = field === 'name' ? ['KLHST_WKS_DN'] : ['KLHST_WKS_LAST_VISIBLE', 'KLHST_WKS_DN'];
    const sort = [...keys, 'KLHST_WKS_HOSTNAME'].flatMap((name) => order(name, !descending));
    return this.chunkWindow(
      'HostGroup.FindHosts',
      { wstrFilter: filter ?? '', vecFieldsToReturn: hostFieldsToWire(parts), vecFieldsToOrder: sort },
      offset,
      count,
      toHost,
    );
  }

  /**
   * Hosts for many display names in one FindHosts (an OR filter), all chunks read. `withinGroups`
   * keeps only hosts directly in those groups (the filter goes to KSC).
   */
  async hostsByNames(
    names: readonly string[],
    parts?: readonly HostPart[],
    withinGroups?: readonly number[] | null,
  ): Promise<HostRecord[]> {
    if (names.length === 0) return [];
    return this.hostsWhere(kscFilter.anyOf('KLHST_WKS_DN', [...new Set(names)])!, parts, withinGroups);
  }

  async hostsByIds(
    ids: readonly string[],
    parts?: readonly HostPart[],
    withinGroups?: readonly number[] | null,
  ): Promise<HostRecord[]> {
    if (ids.length === 0) return [];
    return this.hostsWhere(kscFilter.anyOf('KLHST_WKS_HOSTNAME', [...new Set(ids)])!, parts, withinGroups);
  }

  /** Hosts by IPv4 address (KLHST_WKS_IP_LONG); addresses that are not IPv4 match nothing. */
  async hostsByIps(ips: readonly string[], withinGroups?: readonly number[] | null): Promise<HostRecord[]> {
    const longs = [...new Set(ips.map(ipToLong).filter((n): n is number => n !== null))];
    if (longs.length === 0) return [];
    return this.hostsWhere(kscFilter.anyOf('KLHST_WKS_IP_LONG', longs)!, undefined, withinGroups);
  }

  private async hostsWhere(
    filter: string,
    parts?: readonly HostPart[],
    withinGroups?: readonly number[] | null,
  ): Promise<HostRecord[]> {
    if (choosesNothing(withinGroups)) return [];
    return this.chunkAll(
      'HostGroup.FindHosts',
      {
        wstrFilter: kscFilter.and(filter, groupsFilter('KLHST_WKS_GROUPID', withinGroups)),
        vecFieldsToReturn: hostFieldsToWire(parts),
        vecFieldsToOrder: [],
      },
      toHost,
    );
  }

  /** Get Host Status: the named attributes exactly as KSC returns them. */
  async hostAttributes(hostId: string, names: readonly string[]): Promise<Record<string, unknown>> {
    const answer = await this.call('HostGroup.GetHostInfo', { strHostName: hostId, pFields2Return: names });
    return (decodeValue(answer.PxgRetVal) ?? {}) as Record<string, unknown>;
  }

  /**
   * Get Host Status for many hosts at once: one FindHosts over their ids returning the named
   * attributes (GetHostInfo answers one host per call). Keyed by host id.
   */
  async hostAttributesMany(
    hostIds: readonly string[],
    names: readonly string[],
    withinGroups?: readonly number[] | null,
  ): Promise<Map<string, Record<string, unknown>>> {
    if (choosesNothing(withinGroups)) return new Map();
    const rows = await this.chunkAll(
      'HostGroup.FindHosts',
      {
        wstrFilter: kscFilter.and(
          kscFilter.anyOf('KLHST_WKS_HOSTNAME', [...new Set(hostIds)]),
          groupsFilter('KLHST_WKS_GROUPID', withinGroups),
        ),
        vecFieldsToReturn: [...new Set(['KLHST_WKS_HOSTNAME', ...names])],
        vecFieldsToOrder: [],
      },
      (r) => r,
    );
    const wantsId = names.includes('KLHST_WKS_HOSTNAME');
    return new Map(
      rows.map((r) => {
        const { KLHST_WKS_HOSTNAME: id, ...rest } = r;
        return [String(id), wantsId ? r : rest];
      }),
    );
  }

  async findGroups(
    query: {
      name?: string | null;
      parentId?: number | null;
      kscFilter?: string | null;
      /** Only these groups (a tenant's scope); [] matches none. */
      withinGroups?: readonly number[] | null;
    },
    offset: number,
    count: number,
  ): Promise<KscPage<HostGroupRecord>> {
    if (choosesNothing(query.withinGroups)) return nothing();
    const raw = query.kscFilter ? this.validated(query.kscFilter, GROUP_ATTRIBUTES) : undefined;
    const filter = kscFilter.and(
      query.name ? kscFilter.like('name', query.name) : undefined,
      query.parentId != null ? kscFilter.eq('parentId', query.parentId) : undefined,
      groupsFilter('id', query.withinGroups),
      raw,
    );
    return this.chunkWindow(
      'HostGroup.FindGroups',
      { wstrFilter: filter ?? '', vecFieldsToReturn: ['id', 'name', 'parentId'], vecFieldsToOrder: order('id') },
      offset,
      count,
      toGroup,
    );
  }

  /** The whole administration group tree (id, name, parent), every chunk read. */
  async allGroups(): Promise<HostGroupRecord[]> {
    return this.chunkAll(
      'HostGroup.FindGroups',
      { wstrFilter: '', vecFieldsToReturn: ['id', 'name', 'parentId'], vecFieldsToOrder: [] },
      toGroup,
    );
  }

  /** Every host directly in one of the groups, with only its id and name. */
  async hostsInGroups(groupIds: readonly number[]): Promise<HostRecord[]> {
    if (groupIds.length === 0) return [];
    return this.chunkAll(
      'HostGroup.FindHosts',
      {
        wstrFilter: groupsFilter('KLHST_WKS_GROUPID', groupIds)!,
        vecFieldsToReturn: hostFieldsToWire([]),
        vecFieldsToOrder: [],
      },
      toHost,
    );
  }

  async groupsByIds(ids: readonly number[]): Promise<HostGroupRecord[]> {
    if (ids.length === 0) return [];
    return this.chunkAll(
      'HostGroup.FindGroups',
      {
        wstrFilter: kscFilter.anyOf('id', [...new Set(ids)]),
        vecFieldsToReturn: ['id', 'name', 'parentId'],
        vecFieldsToOrder: [],
      },
      toGroup,
    );
  }

  // ------------------------------------------------------------------ users

  async findUsers(
    query: {
      hostId?: string | null;
      userNames?: string[] | null;
      /** Only users logged in on one of these hosts (a tenant's scope); [] matches none. */
      onHosts?: readonly string[] | null;
    },
    offset: number,
    count: number,
  ): Promise<KscPage<KscUserRecord>> {
    if (choosesNothing(query.onHosts)) return nothing();
    const filter = kscFilter.and(
      query.hostId ? kscFilter.eq('KLHSTUSER_LOGGEDIN_HOST', query.hostId) : undefined,
      query.onHosts ? kscFilter.anyOf('KLHSTUSER_LOGGEDIN_HOST', query.onHosts) : undefined,
      query.userNames?.length
        ? kscFilter.or(
            ...query.userNames.flatMap((n) => [
              kscFilter.eq('KLHSTUSER_SAMNAME', n),
              kscFilter.eq('KLHSTUSER_DN', n),
              kscFilter.eq('KLHSTUSER_PRINCIPAL', n),
            ]),
          )
        : undefined,
    );
    return this.chunkWindow(
      'HostGroup.FindUsers',
      { strFilter: filter ?? '', pFieldsToReturn: USER_FIELDS, pFieldsToOrder: order('KLHSTUSER_DN'), pParams: {} },
      offset,
      count,
      toUser,
    );
  }

  async usersOfHost(hostId: string): Promise<KscUserRecord[]> {
    return this.chunkAll(
      'HostGroup.FindUsers',
      {
        strFilter: kscFilter.eq('KLHSTUSER_LOGGEDIN_HOST', hostId),
        pFieldsToReturn: USER_FIELDS,
        pFieldsToOrder: [],
        pParams: {},
      },
      toUser,
    );
  }

  // ------------------------------------------------------------------ inventory

  async applications(hostId: string): Promise<ApplicationRecord[]> {
    const answer = await this.call('InventoryApi.GetHostInvProducts', { szwHostId: hostId });
    return decodeRows(answer.PxgRetVal, 'GNRL_EA_PARAM_1').map(toApplication);
  }

  /** Open ports: a SrvView the simulator defines (no documented KSC call; see the simulator README). */
  async openPorts(hostId: string): Promise<OpenPortRecord[]> {
    return (
      await this.srvViewAll(
        'HostOpenPortsSrvViewName',
        kscFilter.eq('strHostName', hostId),
        ['nPort', 'strProtocol', 'strProcessName'],
        order('nPort'),
      )
    ).map(toOpenPort);
  }

  /** `hostId`: one host's files; a list: those hosts' files ([] matches none); null: every host's. */
  async executableFiles(
    hostId: string | readonly string[] | null,
    offset: number,
    count: number,
  ): Promise<KscPage<ExecutableFileRecord>> {
    if (typeof hostId !== 'string' && choosesNothing(hostId)) return nothing();
    return this.srvViewWindow(
      'ACHostExeFilesSrvViewName',
      typeof hostId === 'string'
        ? kscFilter.eq('strHostName', hostId)
        : hostId
          ? kscFilter.anyOf('strHostName', hostId)!
          : '',
      [],
      order('HST_FILE_ID'),
      offset,
      count,
      toExecutableFile,
    );
  }

  /** Get Execution File: one file instance on one host, or null when KSC does not know it. */
  async executableFile(hostId: string, fileId: string): Promise<ExecutableFileRecord | null> {
    if (!/^\d+$/.test(fileId)) return null;
    try {
      const answer = await this.call('AppCtrlApi.GetExeFileInfo', {
        szwHostId: hostId,
        lFileId: Number(fileId),
        pFilter: [],
      });
      return toExecutableFile((decodeValue(answer.PxgRetVal) ?? {}) as Row);
    } catch (error) {
      if (error instanceof UpstreamError && (error.code === 'NOT_FOUND' || /Bad parameter/.test(error.message)))
        return null;
      throw error;
    }
  }

  async quarantinedFiles(
    query: {
      hostId?: string | null;
      paths?: string[] | null;
      /** Only files of these hosts (a tenant's scope); [] matches none. */
      onHosts?: readonly string[] | null;
    },
    offset: number,
    count: number,
  ): Promise<KscPage<QuarantinedFileRecord>> {
    if (choosesNothing(query.paths, query.onHosts)) return nothing();
    const filter = kscFilter.and(
      query.hostId ? kscFilter.eq('strHostName', query.hostId) : undefined,
      query.onHosts ? kscFilter.anyOf('strHostName', query.onHosts) : undefined,
      query.paths?.length ? kscFilter.anyOf('ObjName', query.paths, true) : undefined,
    );
    return this.srvViewWindow(
      'Quarantine',
      filter ?? '',
      QUARANTINE_FIELDS,
      order('nId'),
      offset,
      count,
      toQuarantinedFile,
    );
  }

  async quarantinedFilesByIds(ids: readonly number[]): Promise<QuarantinedFileRecord[]> {
    if (ids.length === 0) return [];
    return (
      await this.srvViewAll('Quarantine', kscFilter.anyOf('nId', [...new Set(ids)])!, QUARANTINE_FIELDS, order('nId'))
    ).map(toQuarantinedFile);
  }

  /**
   * Scan Quarantined Files / Unquarantine Files: one QBT list task for all ids. Every id must exist
   * (KSC refuses the whole call otherwise: `Wrong identificator of the list's item.`).
   */
  async quarantineAction(ids: readonly number[], action: 'ScanQuarantine' | 'RestoreObj'): Promise<void> {
    await this.call('QBTNetworkListApi.AddListItemsTask', {
      listName: 'Quarantine',
      pItemsIds: ids,
      taskName: action,
      pTaskParams: {},
    });
  }

  // ------------------------------------------------------------------ tasks

  async hostTaskIds(hostId: string): Promise<string[]> {
    const answer = await this.call('Tasks.GetAllTasksOfHost', { strDomainName: '', strHostName: hostId });
    return Array.isArray(answer.PxgRetVal) ? answer.PxgRetVal.map(String) : [];
  }

  /** A task's attributes, or null when KSC does not know the id. */
  async task(taskId: string): Promise<KscTaskRecord | null> {
    try {
      const answer = await this.call('Tasks.GetTask', { strTask: taskId });
      return toTask(taskId, (decodeValue(answer.PxgRetVal) ?? {}) as Row);
    } catch (error) {
      if (error instanceof UpstreamError && (error.code === 'NOT_FOUND' || /Bad parameter/.test(error.message)))
        return null;
      throw error;
    }
  }

  async taskSettings(taskId: string): Promise<Record<string, unknown> | null> {
    const answer = await this.call('Tasks.GetTaskData', { strTask: taskId });
    return (decodeValue(answer.PxgRetVal) ?? null) as Record<string, unknown> | null;
  }

  async taskStatistics(taskId: string): Promise<TaskStatisticsRecord> {
    const answer = await this.call('Tasks.GetTaskStatistics', { strTask: taskId });
    return toTaskStatistics((decodeValue(answer.PxgRetVal) ?? {}) as Row);
  }

  async taskHistory(taskId: string, offset: number, count: number): Promise<KscPage<KscEventRecord>> {
    return this.eventWindow(
      'Tasks.GetTaskHistory',
      { strTask: taskId, pFields2Return: [], pSortFields: order('rise_time', false), strHostName: '', pFilter: {} },
      offset,
      count,
    );
  }

  /**
   * Creates a task for the given hosts and starts it (Scan Hosts, Quarantine Files, Isolate and
   * Unisolate). Two writes, each sent once; the new task id is returned as soon as KSC gave it.
   */
  async runHostTask(
    kind: HostTaskKind,
    hostIds: readonly string[],
    options: { displayName: string; scanType?: string; paths?: string[]; timeoutMinutes?: number | null },
  ): Promise<string> {
    let product = 'KES';
    let version = '11.0.0.0';
    let typeName: string;
    const additional: Row = {};
    if (kind === 'scan') {
      const type = SCAN_TYPES.find((t) => t.key === options.scanType || t.match.test(options.scanType ?? ''));
      if (!type)
        throw new BadInputError(
          `Unknown scan type. Use one of ${SCAN_TYPES.map((t) => t.key).join(', ')} (or the product name).`,
          { argument: 'scanType' },
        );
      ({ product, version, typeName } = type);
      additional.ScanScope = ['Memory', 'StartupObjects', 'SystemPartition'];
    } else if (kind === 'quarantine') {
      typeName = 'KLEDR_MoveFileToQuarantine';
      additional.FilePaths = options.paths ?? [];
    } else if (kind === 'isolate') {
      typeName = 'KLEDR_NetworkIsolation';
      additional.IsolationTimeoutMinutes = options.timeoutMinutes ?? 0;
    } else {
      typeName = 'KLEDR_NetworkIsolationOff';
    }
    const answer = await this.call('Tasks.AddTask', {
      pData: {
        TASK_NAME: typeName,
        TASKID_PRODUCT_NAME: product,
        TASKID_VERSION: version,
        TASK_INFO_PARAMS: { DisplayName: options.displayName },
        TASK_ADDITIONAL_PARAMS: additional,
        KLTSK_HOSTS: hostIds,
      },
    });
    const taskId = String(answer.PxgRetVal ?? '');
    if (!taskId) throw new UpstreamError('ksc', 'UPSTREAM_REJECTED', 'KSC created no task.');
    await this.call('Tasks.RunTask', { strTask: taskId });
    return taskId;
  }

  // ------------------------------------------------------------------ events

  async events(query: EventQuery, offset: number, count: number, hostId?: string): Promise<KscPage<KscEventRecord>> {
    if (choosesNothing(query.severities, query.eventTypes, query.hostNames, query.withinGroups)) return nothing();
    const pFilter = this.eventFilter(query);
    const common = {
      pFilter,
      vecFieldsToReturn: [],
      vecFieldsToOrder: order('rise_time', false),
      lifetimeSec: LIFETIME_S,
    };
    return hostId
      ? this.eventWindow(
          'EventProcessingFactory.CreateEventProcessingForHost2',
          { strHostName: hostId, strProduct: '', strVersion: '', ...common },
          offset,
          count,
        )
      : this.eventWindow('EventProcessingFactory.CreateEventProcessing2', common, offset, count);
  }

  /**
   * ConEvents.Subscribe: KSC queues events of `eventType` for this session from now on. Returns the
   * subscription and the polling period KSC asks for. Not retried: a second subscription would
   * deliver every event twice.
   */
  async subscribeEvents(eventType: string): Promise<{ subscriptionId: number; periodMs: number }> {
    const answer = await this.call('ConEvents.Subscribe', { wstrEvent: eventType, pFilter: {} });
    return { subscriptionId: Number(answer.PxgRetVal), periodMs: Number(answer.nPeriod ?? 0) || 0 };
  }

  /**
   * ConEvents.Retrieve: the events queued for this session's subscriptions since the last call,
   * oldest first, and the period to wait before the next. Not retried: an answer lost on the way
   * took its events with it, and a resend would only fetch the next ones.
   */
  async retrieveEvents(): Promise<{ events: KscEventRecord[]; periodMs: number; complete: boolean }> {
    const answer = await this.call('ConEvents.Retrieve', {});
    const rows = (decodeValue(answer.pEvents) ?? []) as Row[];
    return {
      events: rows.map((r) => toEvent((r.KLSRV_CON_EVENT_PARAMS ?? {}) as Row)),
      periodMs: Number(answer.nPeriod ?? 0) || 0,
      complete: answer.PxgRetVal !== false,
    };
  }

  async unsubscribeEvents(subscriptionId: number): Promise<void> {
    await this.call('ConEvents.UnSubscribe', { nSubsId: subscriptionId });
  }

  /** One event by its event_id (node(id:) of an Event); null when the events database has none. */
  async eventById(eventId: number, withinGroups?: readonly number[] | null): Promise<KscEventRecord | null> {
    if (choosesNothing(withinGroups)) return null;
    const page = await this.eventWindow(
      'EventProcessingFactory.CreateEventProcessing2',
      {
        pFilter: {
          KLEVP_RFC2254_FILTER: kscFilter.and(
            kscFilter.eq('event_id', eventId),
            groupsFilter('group_id', withinGroups),
          ),
        },
        vecFieldsToReturn: [],
        vecFieldsToOrder: order('rise_time', false),
        lifetimeSec: LIFETIME_S,
      },
      0,
      1,
    );
    return page.items[0] ?? null;
  }

  /** Get Scan Result: the host's events of the named scan task in the last `days` days. */
  async scanResults(hostId: string, taskName: string, days: number): Promise<KscEventRecord[]> {
    const pFilter = {
      KLEVP_RFC2254_FILTER: kscFilter.eq('task_display_name', taskName),
      KLEVP_EVENT_RISE_TIME_LAST_DAYS: days,
    };
    const page = await this.eventWindow(
      'EventProcessingFactory.CreateEventProcessingForHost2',
      {
        strHostName: hostId,
        strProduct: '',
        strVersion: '',
        pFilter,
        vecFieldsToReturn: [],
        vecFieldsToOrder: order('rise_time', false),
        lifetimeSec: LIFETIME_S,
      },
      0,
      1_000,
    );
    return page.items;
  }

  private eventFilter(query: EventQuery): Row {
    const extra = { ...(query.kscAttributes ?? {}) };
    let raw: string | undefined;
    if ('KLEVP_RFC2254_FILTER' in extra) {
      raw = this.validated(String(extra.KLEVP_RFC2254_FILTER ?? ''), EVENT_ATTRIBUTES);
      delete extra.KLEVP_RFC2254_FILTER;
    }
    for (const [key, value] of Object.entries(extra)) {
      // A list's items too: a list of lists thousands deep would overflow the stack encoding the call.
      const scalar = (v: unknown) => v === null || typeof v !== 'object';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || !(scalar(value) || (Array.isArray(value) && value.every(scalar)))) {
        throw new BadInputError(`kscAttributes.${key}: only scalar values or lists of scalars are accepted.`, {
          argument: 'filter.kscAttributes',
        });
      }
    }
    // No `>=`/`<=` in the grammar and time literals are whole seconds, as event times are: both
    // bounds are inclusive, so compare with the second before the first one that can match and
    // the second after the last one (truncating a fraction would drop or add a second's events).
    const since = new Date(Math.ceil(query.since.getTime() / 1000) * 1000 - 1000);
    const until = query.until && new Date(Math.floor(query.until.getTime() / 1000) * 1000 + 1000);
    const filter = kscFilter.and(
      kscFilter.cmp('rise_time', '>', since),
      until ? kscFilter.cmp('rise_time', '<', until) : undefined,
      query.severities?.length
        ? kscFilter.anyOf(
            'GNRL_EA_SEVERITY',
            query.severities.map((s) => SEVERITY_CODES[s]),
          )
        : undefined,
      query.eventTypes?.length ? kscFilter.anyOf('event_type', query.eventTypes) : undefined,
      query.hostNames?.length ? kscFilter.anyOf('hostdn', query.hostNames) : undefined,
      groupsFilter('group_id', query.withinGroups),
      raw,
    );
    return { ...extra, KLEVP_RFC2254_FILTER: filter };
  }

  // ------------------------------------------------------------------ filters

  private hostFilter(q: HostQuery): string | undefined {
    const raw = q.kscFilter ? this.validated(q.kscFilter, HOST_ATTRIBUTES) : undefined;
    const ip = q.ipAddress ? ipToLong(q.ipAddress) : undefined;
    if (q.ipAddress && ip === null)
      throw new BadInputError('ipAddress must be an IPv4 address.', { argument: 'filter.ipAddress' });
    return kscFilter.and(
      q.names?.length ? kscFilter.anyOf('KLHST_WKS_DN', q.names, true) : undefined,
      q.fqdn ? kscFilter.like('KLHST_WKS_FQDN', q.fqdn) : undefined,
      q.osName ? kscFilter.contains('KLHST_WKS_OS_NAME', q.osName) : undefined,
      q.groupId != null ? kscFilter.eq('KLHST_WKS_GROUPID', q.groupId) : undefined,
      ip != null ? kscFilter.eq('KLHST_WKS_IP_LONG', ip) : undefined,
      q.online != null ? kscFilter.bit('KLHST_WKS_STATUS', 1, q.online) : undefined,
      groupsFilter('KLHST_WKS_GROUPID', q.withinGroups),
      raw,
    );
  }

  /** A caller's raw filter, checked with the simulator's own parser before it goes anywhere. */
  private validated(filter: string, attributes: readonly string[]): string {
    try {
      parseFilter(filter, { attributes });
    } catch (error) {
      if (error instanceof FilterSyntaxError)
        throw new BadInputError(`Invalid KSC filter: ${error.message}`, { argument: 'kscFilter' });
      throw error;
    }
    const trimmed = filter.trim();
    return trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
  }

  // ------------------------------------------------------------------ result sets

  private chunkFamily(): ResultSetFamily {
    return {
      range: async (id, start, count) => {
        const a = await this.call(
          'ChunkAccessor.GetItemsChunk',
          { strAccessor: id, nStart: start, nCount: count },
          { resultSet: true },
        );
        return decodeRows(a.pChunk, 'KLCSP_ITERATOR_ARRAY');
      },
      release: async (id) =>
        void (await this.call(
          'ChunkAccessor.Release',
          { strAccessor: id },
          { resultSet: true, signal: AbortSignal.timeout(5_000) },
        )),
    };
  }

  private eventFamily(): ResultSetFamily {
    return {
      // nEnd is read as exclusive by the simulator; we advance by what actually came back either way.
      range: async (id, start, count) => {
        const a = await this.call(
          'EventProcessing.GetRecordRange',
          { strIteratorId: id, nStart: start, nEnd: start + count },
          { resultSet: true },
        );
        return decodeRows(a.pParamsEvents, 'KLEVP_EVENT_RANGE_ARRAY');
      },
      release: async (id) =>
        void (await this.call(
          'EventProcessing.ReleaseIterator',
          { strIteratorId: id },
          { resultSet: true, signal: AbortSignal.timeout(5_000) },
        )),
    };
  }

  private srvFamily(): ResultSetFamily {
    return {
      range: async (id, start, count) => {
        const a = await this.call(
          'SrvView.GetRecordRange',
          { wstrIteratorId: id, nStart: start, nEnd: start + count },
          { resultSet: true },
        );
        return decodeRows(a.pRecords, 'KLCSP_ITERATOR_ARRAY');
      },
      release: async (id) =>
        void (await this.call(
          'SrvView.ReleaseIterator',
          { wstrIteratorId: id },
          { resultSet: true, signal: AbortSignal.timeout(5_000) },
        )),
    };
  }

  /**
   * Opens a result set, uses it, and releases it whatever happens. The release is not awaited: the
   * rows are already here, so the answer need not wait one more round trip for it (`settled()`
   * and `close()` wait for it). When the session dies mid-walk
   * (idle expiry, server restart) the result set died with it: the walk starts over once on a new
   * session, so the caller never sees the expiry.
   */
  private async withResultSet<T>(
    open: () => Promise<{ id: string; total: number | null }>,
    family: ResultSetFamily,
    use: (id: string, total: number | null) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let id: string | undefined;
      try {
        const opened = await open();
        id = opened.id;
        return await use(opened.id, opened.total);
      } catch (error) {
        if (error instanceof KscSessionLostError) {
          id = undefined;
          if (attempt === 0) continue;
          throw new UpstreamError('ksc', 'UPSTREAM_UNAVAILABLE', 'KSC ended the session twice during one read.');
        }
        throw error;
      } finally {
        if (id) this.releaseLater(family, id);
      }
    }
  }

  private releaseLater(family: ResultSetFamily, id: string): void {
    // Releases bring their own signal (a timeout): the request's deadline or disconnect must not
    // cancel them. Started once the rows' GraphQL work (and, usually, the answer itself) is done and
    // the calls it queued are on the wire: sending a call costs the gateway time the answer, or a
    // call on the page's path (a host page's MDR assets), would wait for.
    const release = callsWritten()
      .then(() => family.release(id))
      .catch(() => undefined);
    this.releasing.add(release);
    void release.finally(() => this.releasing.delete(release));
  }

  private async readRange(family: ResultSetFamily, id: string, offset: number, count: number): Promise<Row[]> {
    const rows: Row[] = [];
    while (rows.length < count) {
      const want = Math.min(CHUNK, count - rows.length);
      const got = await family.range(id, offset + rows.length, want);
      rows.push(...got);
      if (got.length < want) break;
    }
    return rows;
  }

  private async chunkWindow<T>(
    method: string,
    params: Row,
    offset: number,
    count: number,
    map: (r: Row) => T,
  ): Promise<KscPage<T>> {
    const family = this.chunkFamily();
    return this.withResultSet(
      async () => {
        const a = await this.call(method, { ...params, pParams: params.pParams ?? {}, lMaxLifeTime: LIFETIME_S });
        return { id: String(a.strAccessor ?? ''), total: typeof a.PxgRetVal === 'number' ? a.PxgRetVal : null };
      },
      family,
      async (id, total) => {
        const known =
          total ??
          Number(
            (await this.call('ChunkAccessor.GetItemsCount', { strAccessor: id }, { resultSet: true })).PxgRetVal ?? 0,
          );
        const rows =
          count > 0 && offset < known ? await this.readRange(family, id, offset, Math.min(count, known - offset)) : [];
        return { items: rows.map(map), total: known };
      },
    );
  }

  private async chunkAll<T>(method: string, params: Row, map: (r: Row) => T): Promise<T[]> {
    const page = await this.chunkWindow(method, params, 0, Number.MAX_SAFE_INTEGER, map);
    return page.items;
  }

  private async eventWindow(
    method: string,
    params: Row,
    offset: number,
    count: number,
  ): Promise<KscPage<KscEventRecord>> {
    const family = this.eventFamily();
    return this.withResultSet(
      async () => ({ id: String((await this.call(method, params)).strIteratorId ?? ''), total: null }),
      family,
      async (id) => {
        const total = Number(
          (await this.call('EventProcessing.GetRecordCount', { strIteratorId: id }, { resultSet: true })).PxgRetVal ??
            0,
        );
        const rows =
          count > 0 && offset < total ? await this.readRange(family, id, offset, Math.min(count, total - offset)) : [];
        return { items: rows.map(toEvent), total };
      },
    );
  }

  private async srvViewWindow<T>(
    view: string,
    filter: string,
    fields: readonly string[],
    sort: unknown[],
    offset: number,
    count: number,
    map: (r: Row) => T,
  ): Promise<KscPage<T>> {
    const family = this.srvFamily();
    return this.withResultSet(
      async () => {
        const a = await this.call('SrvView.ResetIterator', {
          wstrViewName: view,
          wstrFilter: filter,
          vecFieldsToReturn: fields,
          vecFieldsToOrder: sort,
          pParams: {},
          lifetimeSec: LIFETIME_S,
        });
        return { id: String(a.wstrIteratorId ?? ''), total: null };
      },
      family,
      async (id) => {
        const total = Number(
          (await this.call('SrvView.GetRecordCount', { wstrIteratorId: id }, { resultSet: true })).PxgRetVal ?? 0,
        );
        const rows =
          count > 0 && offset < total ? await this.readRange(family, id, offset, Math.min(count, total - offset)) : [];
        return { items: rows.map(map), total };
      },
    );
  }

  private async srvViewAll(view: string, filter: string, fields: readonly string[], sort: unknown[]): Promise<Row[]> {
    return (await this.srvViewWindow(view, filter, fields, sort, 0, Number.MAX_SAFE_INTEGER, (r) => r)).items;
  }

  // ------------------------------------------------------------------ the one call path

  private call(method: string, params: Row, options: CallOptions = {}): Promise<Answer> {
    return this.limiter.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const token = await this.session.token();
        const res = await this.http.request({
          method: 'POST',
          path: `/api/v1.0/${method}`,
          label: method,
          headers: { 'x-ksc-session': token },
          body: params,
          idempotent: READS.has(method),
          signal: options.signal,
        });
        // 401: unknown or expired session; 403: ended session. Either way KSC did not run the
        // method, so even a write may go again once, on a new session.
        if ((res.status === 401 || res.status === 403) && attempt === 0) {
          this.session.invalidate(token);
          if (options.resultSet) throw new KscSessionLostError();
          continue;
        }
        if (res.status !== 200) throw this.errorFromResponse(res, method);
        const body = res.json;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          throw new UpstreamError(
            'ksc',
            'UPSTREAM_UNAVAILABLE',
            `KSC answered ${method} with a body that is not a JSON object.`,
            { status: 200 },
          );
        }
        const answer = body as Answer;
        if (answer.PxgError) throw this.errorFromPxg(answer.PxgError as PxgError, method);
        return answer;
      }
    });
  }

  /** Non-200 answers: transport and authentication failures (method errors come as PxgError). */
  private errorFromResponse(res: UpstreamResponse, method: string): UpstreamError {
    const { status } = res;
    const opts = { status, cause: { status, body: res.text.slice(0, 500) } };
    if (status === 401 || status === 403)
      return new UpstreamError('ksc', 'UPSTREAM_AUTH_FAILED', `KSC refused the gateway's session for ${method}.`, opts);
    if (status === 429)
      return new UpstreamError('ksc', 'UPSTREAM_RATE_LIMITED', "KSC is limiting the gateway's request rate.", {
        ...opts,
        retryable: true,
      });
    if (status >= 500)
      return new UpstreamError('ksc', 'UPSTREAM_UNAVAILABLE', `KSC failed to answer ${method} (HTTP ${status}).`, {
        ...opts,
        retryable: true,
      });
    return new UpstreamError('ksc', 'UPSTREAM_REJECTED', `KSC rejected ${method} (HTTP ${status}).`, opts);
  }

  /**
   * PxgError → coded error. Only KSC's own short, known texts reach clients (they name parameters
   * and ids, never internals); anything else is reported by code.
   */
  private errorFromPxg(error: PxgError, method: string): UpstreamError {
    const code = Number(error.code);
    let text = String(error.message ?? '');
    const args = (error.locdata as { value?: { args?: unknown[] } } | undefined)?.value?.args;
    if (Array.isArray(args)) args.forEach((arg, i) => (text = text.replace(`%${i + 1}`, String(arg))));
    const opts = { cause: error };
    if (code === 1184 || /access denied/i.test(text))
      return new UpstreamError(
        'ksc',
        'UPSTREAM_FORBIDDEN',
        `KSC denied the gateway's account access to ${method}.`,
        opts,
      );
    if (/^Pos \d+\. /.test(text))
      return new UpstreamError('ksc', 'BAD_USER_INPUT', `KSC rejected the filter: ${text}`, opts);
    if (/was not found|Unknown name of device|Wrong identificator of the list's item/i.test(text))
      return new UpstreamError('ksc', 'NOT_FOUND', `KSC: ${text}`, opts);
    if (/^Parameter with name "[^"]{1,100}" not exist\.$/.test(text))
      return new UpstreamError('ksc', 'BAD_USER_INPUT', `KSC: ${text}`, opts);
    if (/^Bad parameter "[A-Za-z0-9_]{1,60}"\.$/.test(text))
      return new UpstreamError('ksc', 'UPSTREAM_REJECTED', `KSC rejected ${method}: ${text}`, opts);
    return new UpstreamError(
      'ksc',
      'UPSTREAM_REJECTED',
      `KSC rejected ${method} (error ${Number.isFinite(code) ? code : 'unknown'}).`,
      opts,
    );
  }
}

const USER_FIELDS = [
  'KLHSTUSER_SAMNAME',
  'KLHSTUSER_DN',
  'KLHSTUSER_PRINCIPAL',
  'KLHSTUSER_MAIL',
  'KLHSTUSER_DOMAIN_SAM',
  'KLHSTUSER_DOMAIN2000',
];
const QUARANTINE_FIELDS = ['nId', 'strHostName', 'ObjName', 'szDescription'];

function order(name: string, asc = true): unknown[] {
  return [{ type: 'params', value: { Name: name, Asc: asc } }];
}

/** An empty page: what a filter listing no allowed values selects. */
const nothing = <T>(): KscPage<T> => ({ items: [], total: 0 });

/**
 * A list filter given but empty allows no value, as in MDR's filters: nothing matches, and KSC is
 * not asked (its grammar has no empty OR, and dropping the condition would match everything).
 */
/** `attr` equal to one of the group ids; no clause when there is no scope. */
function groupsFilter(attr: string, groupIds: readonly number[] | null | undefined): string | undefined {
  return groupIds?.length ? kscFilter.anyOf(attr, [...groupIds]) : undefined;
}

function choosesNothing(...lists: (readonly unknown[] | null | undefined)[]): boolean {
  return lists.some((list) => list !== null && list !== undefined && list.length === 0);
}
