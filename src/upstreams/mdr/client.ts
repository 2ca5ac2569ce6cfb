import type {
  IncidentPriority,
  AssetPart,
  AssetQuery,
  AssetRecord,
  CommentRecord,
  IncidentPart,
  IncidentQuery,
  IncidentRecord,
  ResponseDecision,
  ResponseRecord,
} from '../../domain/mdr';
import { UpstreamError } from '../../errors/upstream-error';
import type { Transport, UpstreamResponse } from '../transport';
import { viewWith } from '../upstream-client';
import type { UpstreamClient } from '../upstream-client';
import {
  assetFieldsToWire,
  assetFilterToWire,
  incidentFieldsToWire,
  incidentFilterToWire,
  parseAffectedHost,
  toAsset,
  toComment,
  toIncident,
  toResponse,
} from './map';
import { attributed } from './attribution';
import type { MdrTokens } from './tokens';
import type * as wire from './wire';

/**
 * Where a keyset walk resumes: at the rows whose sort key is `at` (epoch ms), dropping those whose
 * ids are in `ids` (already returned), or, with `only`, keeping only those (the rest of that
 * instant was returned by a walk the other way). `priority` is the group of a walk by priority.
 */
export interface WalkFrom {
  at: number;
  ids: string[];
  only?: boolean;
  priority?: IncidentPriority;
}

/** The orders MDR walks in: a time field (MDR bounds it with `min_*`/`max_*`), or priority groups. */
export type IncidentSortField = 'creationTime' | 'updateTime' | 'priority';
export type AssetSortField = 'firstSeen' | 'lastSeen' | 'name';

export interface MdrOrder<F extends string> {
  field: F;
  descending: boolean;
}

const INCIDENT_TIME_FIELD = { creationTime: 'creation_time', updateTime: 'update_time', priority: 'creation_time' };
const ASSET_TIME_FIELD = { firstSeen: 'first_seen', lastSeen: 'last_seen' };
const PRIORITIES: IncidentPriority[] = ['LOW', 'NORMAL', 'HIGH'];

const LIST_ENDPOINTS = new Set([
  'assets/list',
  'incidents/list',
  'responses/list',
  'responses/update',
  'comments/list',
]);

/** The largest page MDR serves (its Elasticsearch result window). */
export const MDR_MAX_PAGE = 10_000;

/**
 * The MDR REST API in domain verbs. Every call goes through `call`: bearer token, one renewal and
 * one resend on a token refusal, and `errorFromResponse`, the one place statuses become codes.
 */
export class MdrClient implements UpstreamClient {
  readonly upstream = 'mdr' as const;

  constructor(
    private readonly http: Transport,
    private readonly tokens: MdrTokens,
    private readonly basePath: string,
    /** Run at close (stops watching MDR_REFRESH_TOKEN_FILE). */
    private readonly onClose?: () => void,
  ) {}

  async ping(): Promise<void> {
    await this.call<wire.Count>('assets/count', { version: 2 }, true);
  }

  async close(): Promise<void> {
    this.onClose?.();
    await this.http.close();
  }

  /** Whether MDR has refused the refresh token (the session is lost until a new one is given). */
  sessionState(): Promise<{ lost: boolean; reason?: string }> {
    return this.tokens.checkSession();
  }

  /** Starts the session again from a refresh token an administrator gives; resolves with the access token's expiry. */
  replaceRefreshToken(refreshToken: string): Promise<Date> {
    return this.tokens.replace(refreshToken);
  }

  withSignal(signal: AbortSignal): this {
    return viewWith(this, this.http.withSignal(signal));
  }

  async countAssets(q: AssetQuery): Promise<number> {
    return (await this.call<wire.Count>('assets/count', assetFilterToWire(q), true)).count;
  }

  /**
   * One page of assets by page number, in `order` (first_seen asc by default; the asset id breaks
   * ties): within MDR's 10,000-row window only. Walks beyond it go by key (assetsAfter).
   */
  async listAssets(
    q: AssetQuery,
    page: number,
    pageSize: number,
    order: MdrOrder<AssetSortField> = { field: 'firstSeen', descending: false },
  ): Promise<AssetRecord[]> {
    const field = order.field === 'name' ? 'host_name' : ASSET_TIME_FIELD[order.field];
    const rows = await this.call<wire.Asset[]>(
      'assets/list',
      { ...assetFilterToWire(q), page, page_size: pageSize, sort: `${field}:${order.descending ? 'desc' : 'asc'}` },
      true,
    );
    return rows.map(toAsset);
  }

  /**
   * Up to `count` assets from `from` in `order` of a time field, by key (see walk): one call,
   * however deep the walk, so every asset is reachable past MDR's 10,000-row window.
   */
  async assetsAfter(
    q: AssetQuery,
    from: WalkFrom | null,
    count: number,
    order: MdrOrder<'firstSeen' | 'lastSeen'>,
  ): Promise<AssetRecord[]> {
    const rows = await this.walk<wire.Asset>(
      'assets/list',
      { ...assetFilterToWire(q) },
      ASSET_TIME_FIELD[order.field],
      order.descending,
      from,
      count,
      'asset_id',
    );
    return rows.map(toAsset);
  }

  /**
   * Assets for many host names in one upstream call (assets/list filters by host_names). With
   * `parts`, the records hold only those beyond the base (MDR's `fields`); the others stay empty.
   */
  async assetsByHostNames(
    names: readonly string[],
    { tenantNames, parts }: { tenantNames?: string[]; parts?: readonly AssetPart[] } = {},
  ): Promise<AssetRecord[]> {
    if (names.length === 0) return [];
    const rows = await this.call<wire.Asset[]>(
      'assets/list',
      {
        ...assetFilterToWire({ hostNames: [...names], tenantNames }),
        page: 1,
        page_size: Math.min(MDR_MAX_PAGE, Math.max(names.length * 2, 10)),
        fields: assetFieldsToWire(parts),
      },
      true,
    );
    return rows.map(toAsset);
  }

  async asset(assetId: string): Promise<AssetRecord | null> {
    return this.orNull(async () =>
      toAsset(await this.call<wire.Asset>('assets/details', { asset_id: assetId, version: 2 }, true)),
    );
  }

  async countIncidents(q: IncidentQuery): Promise<number> {
    const filter = await this.incidentFilter(q);
    return filter ? (await this.call<wire.Count>('incidents/count', filter, true)).count : 0;
  }

  /**
   * Up to `count` incidents from `from` in `order`, by key rather than page numbers: an incident
   * created between two page requests cannot shift a later page, so a walk yields each incident
   * once, and a walk never meets MDR's 10,000-row window. By a time field: one call (see walk). By
   * priority: the priority groups one after the other (MDR has no priority sort), each walked by
   * creation time, so a page that ends a group costs one call more. With `parts`, the records hold
   * only those parts beyond the base (MDR's `fields`); the others stay empty.
   */
  async incidentsAfter(
    q: IncidentQuery,
    from: WalkFrom | null,
    count: number,
    {
      html = false,
      parts,
      listed,
      order = { field: 'creationTime', descending: false },
    }: {
      html?: boolean;
      parts?: readonly IncidentPart[];
      /**
       * Given each listed incident's affected host names as soon as the page is in, before its
       * records are built (awaited): lookups of those hosts can be on the wire meanwhile.
       */
      listed?: (hostNames: string[][]) => Promise<void>;
      order?: MdrOrder<IncidentSortField>;
    } = {},
  ): Promise<IncidentRecord[]> {
    const filter = await this.incidentFilter(q);
    if (!filter) return [];
    const extra = { fields: incidentFieldsToWire(parts), markdown_to_html: html };
    const field = INCIDENT_TIME_FIELD[order.field];
    const page: wire.Incident[] = [];
    if (order.field !== 'priority') {
      page.push(
        ...(await this.walk<wire.Incident>(
          'incidents/list',
          { ...filter, ...extra },
          field,
          order.descending,
          from,
          count,
          'incident_id',
        )),
      );
    } else {
      const wanted = PRIORITIES.filter((p) => !q.priorities || q.priorities.includes(p));
      if (order.descending) wanted.reverse();
      let start = from;
      for (const priority of wanted.slice(from?.priority ? Math.max(0, wanted.indexOf(from.priority)) : 0)) {
        const rows = await this.walk<wire.Incident>(
          'incidents/list',
          { ...filter, ...extra, priorities: [priority] },
          field,
          order.descending,
          start?.priority === priority ? start : null,
          count - page.length,
          'incident_id',
        );
        page.push(...rows);
        start = null;
        if (page.length >= count) break;
      }
    }
    if (listed) await listed(page.map((i) => (i.affected_hosts ?? []).map((h) => parseAffectedHost(h).hostName)));
    return page.map((i) => toIncident(i, html));
  }

  /**
   * Incidents updated at or after `since.updateTime` (ms), oldest update first, leaving out those
   * of that millisecond already seen: MDR's own change feed. Sorted by a stable key (update time,
   * then id, as MDR breaks ties), so a watermark moved page by page misses no change and repeats none.
   */
  async incidentsUpdatedSince(
    q: Pick<IncidentQuery, 'tenantNames'>,
    since: { updateTime: number; seen: readonly string[] },
    count: number,
  ): Promise<IncidentRecord[]> {
    const seen = new Set(since.seen);
    const rows = await this.call<wire.Incident[]>(
      'incidents/list',
      {
        ...incidentFilterToWire(q),
        min_update_time: since.updateTime,
        page: 1,
        page_size: Math.min(MDR_MAX_PAGE, seen.size + count),
        sort: 'update_time:asc',
      },
      true,
    );
    return rows
      .filter((i) => i.update_time !== since.updateTime || !seen.has(i.incident_id))
      .map((i) => toIncident(i, false));
  }

  async incident(incidentId: string, html = false): Promise<IncidentRecord | null> {
    return this.orNull(async () =>
      toIncident(
        await this.call<wire.Incident>('incidents/details', { incident_id: incidentId, markdown_to_html: html }, true),
        html,
      ),
    );
  }

  async responses(incidentId: string, page: number, pageSize: number): Promise<ResponseRecord[]> {
    const rows = await this.call<wire.Response[]>(
      'responses/list',
      { incident_id: incidentId, page, page_size: pageSize },
      true,
    );
    return rows.map((r) => toResponse(r, incidentId));
  }

  /**
   * The responses of `responseIds` as they stand now, by id, kept to `tenantNames` when given (MDR
   * has no response lookup by id, so decisions are checked first through one incidents/list asking
   * only for ids and responses). Newest incidents first: undecided responses sit on recent ones, and
   * scopes beyond MDR's 10,000-row window are not searched further.
   */
  async responsesByIds(
    responseIds: readonly string[],
    tenantNames?: readonly string[],
  ): Promise<Map<string, ResponseRecord>> {
    const rows = await this.call<Pick<wire.Incident, 'incident_id' | 'responses'>[]>(
      'incidents/list',
      {
        ...(tenantNames ? { tenants_names: [...tenantNames] } : {}),
        fields: ['incident_id', 'responses'],
        page: 1,
        page_size: MDR_MAX_PAGE,
        sort: 'creation_time:desc',
      },
      true,
    );
    const wanted = new Set(responseIds);
    const found = new Map<string, ResponseRecord>();
    for (const row of rows)
      for (const r of row.responses ?? [])
        if (wanted.has(r.response_id)) found.set(r.response_id, toResponse(r, row.incident_id));
    return found;
  }

  /**
   * Idempotent (setting a status twice is the same as once), so it is retried like a read. With
   * `caller`, the comment names who decided (MDR knows only the API connection). When no attempt's
   * answer says whether MDR applied the decision, the error says the outcome is unknown.
   */
  async updateResponse(
    responseId: string,
    status: ResponseDecision,
    comment: string,
    caller?: string,
  ): Promise<ResponseRecord> {
    const row = await outcomeUnknownWhenLost(DECISION_UNCONFIRMED, () =>
      this.call<wire.Response>(
        'response/update',
        {
          response_id: responseId,
          status: decisionWire(status),
          comment: caller ? attributed(comment, caller) : comment,
        },
        true,
      ),
    );
    return toResponse(row);
  }

  async updateResponses(
    responseIds: readonly string[],
    status: ResponseDecision,
    comment: string,
    caller?: string,
  ): Promise<ResponseRecord[]> {
    const rows = await outcomeUnknownWhenLost(DECISION_UNCONFIRMED, () =>
      this.call<wire.Response[]>(
        'responses/update',
        {
          responses_ids: [...responseIds],
          status: decisionWire(status),
          comment: caller ? attributed(comment, caller) : comment,
        },
        true,
      ),
    );
    return Array.isArray(rows) ? rows.map((r) => toResponse(r)) : [];
  }

  async comments(incidentId: string, html = false): Promise<CommentRecord[]> {
    const rows = await this.call<wire.Comment[]>(
      'comments/list',
      { incident_id: incidentId, markdown_to_html: html },
      true,
    );
    return rows.map((c) => toComment(c, incidentId, html));
  }

  /**
   * Not idempotent: sent once. When the answer is lost after the request may have arrived, the
   * error says the outcome is unknown rather than risking a duplicate comment. With `caller`, the
   * text names who wrote it (MDR knows only the API connection).
   */
  async createComment(incidentId: string, text: string, caller?: string): Promise<CommentRecord> {
    const body = { incident_id: incidentId, text: caller ? attributed(text, caller) : text };
    const row = await outcomeUnknownWhenLost(
      'MDR did not confirm the comment: it may or may not have been created (outcome unknown). Check the incident before sending it again.',
      () => this.call<wire.Comment>('comments/create', body, false),
    );
    return toComment(row, incidentId);
  }

  /**
   * Up to `count` rows of `endpoint` from `from`, in `field` order, by key: page 1 bounded by
   * `min_<field>` (`max_<field>` descending) at the key, dropping the rows of that instant already
   * returned, by id. One that has left the filter since (closed, say) is no longer in the answer
   * and must not make the walk skip another of the same instant. A walk keeping only some rows of
   * its first instant (`only`) asks for that instant alone first, then strictly beyond it.
   */
  private async walk<Row extends object>(
    endpoint: string,
    body: Record<string, unknown>,
    field: string,
    descending: boolean,
    from: WalkFrom | null,
    count: number,
    idKey: keyof Row & string,
  ): Promise<Row[]> {
    const [minKey, maxKey] = [`min_${field}`, `max_${field}`];
    const lowest = typeof body[minKey] === 'number' ? (body[minKey] as number) : -Infinity;
    const highest = typeof body[maxKey] === 'number' ? (body[maxKey] as number) : Infinity;
    const sort = `${field}:${descending ? 'desc' : 'asc'}`;
    const list = (bounds: { min?: number; max?: number }, pageSize: number) => {
      const min = Math.max(bounds.min ?? -Infinity, lowest);
      const max = Math.min(bounds.max ?? Infinity, highest);
      if (min > max || pageSize <= 0) return Promise.resolve([] as Row[]);
      const range = {
        [minKey]: Number.isFinite(min) ? min : undefined,
        [maxKey]: Number.isFinite(max) ? max : undefined,
      };
      return this.call<Row[]>(
        endpoint,
        { ...body, ...range, page: 1, page_size: Math.min(MDR_MAX_PAGE, pageSize), sort },
        true,
      );
    };
    const key = (row: Row) => (row as Record<string, unknown>)[field];
    const id = (row: Row) => String(row[idKey]);
    const out: Row[] = [];
    let start = from;
    if (start?.only) {
      const keep = new Set(start.ids);
      if (keep.size > 0) {
        const instant = await list({ min: start.at, max: start.at }, MDR_MAX_PAGE);
        out.push(...instant.filter((row) => keep.has(id(row))).slice(0, count));
      }
      if (out.length >= count) return out;
      start = { at: start.at + (descending ? -1 : 1), ids: [] };
    }
    const skip = start?.ids.length ?? 0;
    const bounds = start ? (descending ? { max: start.at } : { min: start.at }) : {};
    const rows = await list(bounds, skip + count - out.length);
    const seen = start && new Set(start.ids);
    for (const row of rows) if (!seen || key(row) !== start!.at || !seen.has(id(row))) out.push(row);
    return out.slice(0, count);
  }

  /** null when the filter cannot match anything (host names that MDR does not know). */
  private async incidentFilter(q: IncidentQuery): Promise<wire.IncidentFilter | null> {
    if (!q.affectedHostNames) return incidentFilterToWire(q);
    const assets = await this.assetsByHostNames(q.affectedHostNames);
    if (assets.length === 0) return null;
    return incidentFilterToWire(
      q,
      assets.map((a) => `${a.hostName}:${a.assetId}`),
    );
  }

  private async orNull<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof UpstreamError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  private async call<T>(endpoint: string, body: object, idempotent: boolean): Promise<T> {
    let token = await this.tokens.access();
    let res = await this.send(endpoint, body, idempotent, token);
    // 401 is a token refusal. A 403 is one only while our token is stale by its own exp (some MDR
    // deployments answer 403 for expired tokens); with a fresh token it is a role refusal.
    // Either way a refused call was not processed, so resending it once is safe even for writes.
    if (res.status === 401 || (res.status === 403 && (!this.tokens.isFresh(token) || blamesToken(res)))) {
      token = await this.tokens.renew(token);
      res = await this.send(endpoint, body, idempotent, token);
    }
    if (res.status >= 200 && res.status < 300) {
      // Lists are bare arrays, everything else an object: anything else is not an answer we can map.
      const listLike = LIST_ENDPOINTS.has(endpoint);
      if (listLike ? Array.isArray(res.json) : res.json !== null && typeof res.json === 'object') return res.json as T;
      throw new UpstreamError('mdr', 'UPSTREAM_UNAVAILABLE', `MDR answered ${endpoint} with an unexpected body.`, {
        cause: { status: res.status, body: res.text.slice(0, 500) },
        status: res.status,
      });
    }
    throw errorFromResponse(endpoint, res);
  }

  private send(endpoint: string, body: object, idempotent: boolean, token: string): Promise<UpstreamResponse> {
    return this.http.request({
      method: 'POST',
      path: `${this.basePath}/${endpoint}`,
      label: endpoint,
      headers: { authorization: `Bearer ${token}` },
      body,
      idempotent,
    });
  }
}

const DECISION_UNCONFIRMED =
  'MDR did not confirm the decision: it may or may not have been applied (outcome unknown). Deciding again is safe.';

/**
 * A write whose last answer leaves open whether MDR carried it out (UpstreamError.mayHaveLanded)
 * fails with `outcome: UNKNOWN` and a message saying so, keeping the failure's code: a client
 * must not read it as "nothing happened".
 */
async function outcomeUnknownWhenLost<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof UpstreamError) || !error.mayHaveLanded) throw error;
    throw new UpstreamError('mdr', error.code, message, {
      cause: error,
      status: error.status,
      mayHaveLanded: true,
      details: { ...error.details, outcome: 'UNKNOWN' },
    });
  }
}

/** A 403 whose error text is about the token (expired, invalid session) rather than the role. */
function blamesToken(res: UpstreamResponse): boolean {
  const message = (res.json as { error?: unknown } | undefined)?.error;
  return typeof message === 'string' && /token|expired|session/i.test(message);
}

function decisionWire(status: ResponseDecision): string {
  return status === 'CONFIRMED' ? 'Confirmed' : 'Declined';
}

/** The one place MDR statuses become gateway codes; the upstream body stays in `cause`. */
export function errorFromResponse(endpoint: string, res: UpstreamResponse): UpstreamError {
  const cause = { status: res.status, body: res.text.slice(0, 500) };
  const opts = { cause, status: res.status, mayHaveLanded: res.mayHaveLanded };
  switch (true) {
    case res.status === 401:
      return new UpstreamError(
        'mdr',
        'UPSTREAM_AUTH_FAILED',
        "MDR refused the gateway's access token even after renewing it.",
        opts,
      );
    case res.status === 403:
      return new UpstreamError(
        'mdr',
        'UPSTREAM_FORBIDDEN',
        "The MDR API connection's role does not allow this action.",
        opts,
      );
    case res.status === 404:
      return new UpstreamError('mdr', 'NOT_FOUND', `MDR has no such object (${endpoint}).`, opts);
    case res.status === 400 || res.status === 422:
      return new UpstreamError('mdr', 'UPSTREAM_REJECTED', `MDR rejected the ${endpoint} request as invalid.`, opts);
    case res.status === 429:
      return new UpstreamError('mdr', 'UPSTREAM_RATE_LIMITED', 'MDR is rate limiting the gateway; try again later.', {
        ...opts,
        retryable: true,
      });
    default:
      return new UpstreamError('mdr', 'UPSTREAM_UNAVAILABLE', `MDR answered ${endpoint} with HTTP ${res.status}.`, {
        ...opts,
        retryable: res.status >= 500,
      });
  }
}
