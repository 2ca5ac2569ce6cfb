import type { KscEventRecord } from '../../domain/ksc';

/** The part of an event filter a live event is checked against (EventFilter's fields). */
export interface LiveEventFilter {
  since?: Date | null;
  until?: Date | null;
  severities?: readonly string[] | null;
  eventTypes?: readonly string[] | null;
  hostNames?: readonly string[] | null;
}

/** Whether a new KSC event matches a subscriber's filter; means the same as the `events` list's. */
export function eventMatches(event: KscEventRecord, filter: LiveEventFilter | null): boolean {
  if (!filter) return true;
  const t = event.riseTime.getTime();
  const host = event.hostName?.toLowerCase() ?? '';
  return (
    (!filter.since || t >= Math.floor(filter.since.getTime() / 1000) * 1000) &&
    (!filter.until || t <= filter.until.getTime()) &&
    (!filter.severities || filter.severities.includes(event.severity)) &&
    (!filter.eventTypes || filter.eventTypes.includes(event.eventType)) &&
    (!filter.hostNames || filter.hostNames.some((n) => n.toLowerCase() === host))
  );
}
