import type { KataEventRecord } from '../../domain/kata-task';
import type { KataClient } from '../../upstreams/kata/client';
import { PollingFeed } from './polling-feed';
import type { PollingFeedOptions } from './polling-feed';

/**
 * KATA's change feed: the events API, read from a continuation token (the first read only fetches
 * one). The token belongs to the external system, whose events are the whole node's, so there is
 * one such feed per process; consumers keep to their own sensors or tasks. KATA keeps new events
 * two hours, so a feed idle for less resumes without a gap.
 */
export class KataEventFeed extends PollingFeed<KataEventRecord> {
  private token: string | null = null;

  constructor(
    private readonly kata: () => KataClient,
    options: PollingFeedOptions,
  ) {
    super(options);
  }

  protected async poll(): Promise<void> {
    for (let page = 0; page < 10; page++) {
      const { events, continuationToken } = await this.kata().events(this.token, { maxEvents: 500 });
      const first = this.token === null;
      this.token = continuationToken || this.token;
      for (const event of events) this.log.append(event);
      if (first || events.length < 500) return;
    }
  }
}
