import { LRUCache } from 'lru-cache';

import type { KscEventRecord } from '../../domain/ksc';
import type { KscClient } from '../../upstreams/ksc/client';
import { PollingFeed } from './polling-feed';
import type { PollingFeedOptions } from './polling-feed';

/**
 * Security Center's change feed: ConEvents. One subscription per followed event type on the
 * gateway's KSC session, then `ConEvents.Retrieve` at the period KSC asks for (never faster than
 * LIVE_KSC_POLL_MS). A ConEvents subscription belongs to the session, whose events are the whole
 * server's, so there is one such feed per process; each subscriber keeps to its own tenants' hosts.
 * While nobody listens KSC keeps queueing, so the next subscriber gets those events too.
 */
export class KscEventFeed extends PollingFeed<KscEventRecord> {
  private subscribed = false;
  /** Events already delivered: after a resubscription KSC may hand one over twice. */
  private readonly delivered = new LRUCache<string, true>({ max: 10_000 });
  private readonly baseIntervalMs: number;

  constructor(
    private readonly ksc: () => KscClient,
    private readonly eventTypes: readonly string[],
    options: PollingFeedOptions,
  ) {
    super(options);
    this.baseIntervalMs = options.intervalMs;
  }

  protected async poll(): Promise<void> {
    const ksc = this.ksc();
    if (!this.subscribed) {
      let period = 0;
      for (const type of this.eventTypes) period = Math.max(period, (await ksc.subscribeEvents(type)).periodMs);
      this.subscribed = true;
      this.intervalMs = Math.max(this.baseIntervalMs, period);
      return;
    }
    try {
      const { events, periodMs } = await ksc.retrieveEvents();
      this.intervalMs = Math.max(this.baseIntervalMs, periodMs);
      for (const event of events) {
        if (this.delivered.has(event.eventId)) continue;
        this.delivered.set(event.eventId, true);
        this.log.append(event);
      }
    } catch (error) {
      // A new session (after expiry or a KSC restart) has no subscriptions: make them again.
      this.subscribed = false;
      throw error;
    }
  }
}
