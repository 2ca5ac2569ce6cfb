import { LRUCache } from 'lru-cache';

import type { IncidentRecord, ResponseRecord } from '../../domain/mdr';
import type { MdrClient } from '../../upstreams/mdr/client';
import { PollingFeed } from './polling-feed';
import type { PollingFeedOptions } from './polling-feed';

/** A new or changed MDR incident, with the fields that changed and the responses that did. */
export interface IncidentChange {
  kind: 'CREATED' | 'UPDATED';
  incident: IncidentRecord;
  /** Incident fields whose value differs from the last one this feed saw (empty when unknown). */
  changedFields: string[];
  /** Responses that are new or changed status since the last look. */
  responses: ResponseRecord[];
}

interface Snapshot {
  updateTime: number;
  fields: Record<string, string>;
  responses: Map<string, string>;
}

/** Compared between two looks at an incident to say what changed. */
const WATCHED: (keyof IncidentRecord)[] = [
  'status',
  'priority',
  'resolution',
  'summary',
  'statusDescription',
  'descriptionText',
  'attackStage',
  'mitreTactics',
  'mitreTechniques',
  'affectedHosts',
  'comments',
];

/** Pages of changes read per poll, at most (a burst beyond waits for the next poll). */
const PAGE = 200;
const MAX_PAGES = 10;
/** The first watermark reaches this far back: MDR's clock and ours may differ a little. */
const LOOKBACK_MS = 1_000;

/**
 * MDR's change feed for one scope: `incidents/list` from a `min_update_time` watermark, sorted by
 * update time then id, the watermark moved to the last incident read (with the ids of its
 * millisecond, so the next page neither repeats nor skips one).
 */
export class IncidentFeed extends PollingFeed<IncidentChange> {
  private watermark = { updateTime: Date.now() - LOOKBACK_MS, seen: [] as string[] };
  private readonly startedAt = Date.now();
  private readonly known = new LRUCache<string, Snapshot>({ max: 50_000 });

  constructor(
    /** The scope's MDR client, asked anew for each poll. */
    private readonly mdr: () => MdrClient,
    options: PollingFeedOptions,
  ) {
    super(options);
  }

  protected async poll(): Promise<void> {
    const since = this.watermark.updateTime;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await this.mdr().incidentsUpdatedSince({}, this.watermark, PAGE);
      for (const incident of rows) {
        this.record(incident, since);
        const t = incident.updateTime.getTime();
        if (t > this.watermark.updateTime) this.watermark = { updateTime: t, seen: [incident.incidentId] };
        else this.watermark.seen.push(incident.incidentId);
      }
      if (rows.length < PAGE) return;
    }
  }

  /** `since`: the watermark before this poll; an incident not seen before tells its changes by their times. */
  private record(incident: IncidentRecord, since: number): void {
    const before = this.known.get(incident.incidentId);
    const now = snapshot(incident);
    this.known.set(incident.incidentId, now);
    const changedFields = before ? Object.keys(now.fields).filter((f) => now.fields[f] !== before.fields[f]) : [];
    const kind = !before && incident.creationTime.getTime() >= this.startedAt - LOOKBACK_MS ? 'CREATED' : 'UPDATED';
    const responses = (incident.responses ?? []).filter((r) =>
      before
        ? before.responses.get(r.responseId) !== r.status
        : kind === 'CREATED' || (r.updateTime?.getTime() ?? 0) >= since,
    );
    this.log.append({ kind, incident, changedFields, responses });
  }
}

function snapshot(incident: IncidentRecord): Snapshot {
  return {
    updateTime: incident.updateTime.getTime(),
    fields: Object.fromEntries(WATCHED.map((f) => [f, JSON.stringify(incident[f] ?? null)])),
    responses: new Map((incident.responses ?? []).map((r) => [r.responseId, r.status])),
  };
}
