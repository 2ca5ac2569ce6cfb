import type { LiveSettings } from '../../config/settings';
import type { Caller } from '../../domain/caller';
import type { Logger } from '../../logger';
import { requireUpstream } from '../../upstreams';
import type { Upstreams } from '../../upstreams';
import { TenantScope, upstreamsWithin } from '../tenancy';
import type { TenantDirectory } from '../tenancy';
import { LIVE_EVENT_TYPES } from '../../upstreams/ksc/client';
import { IncidentFeed } from './incident-feed';
import { KataEventFeed } from './kata-event-feed';
import { KscEventFeed } from './ksc-event-feed';
import { TaskFeed } from './task-feed';
import type { TaskNode } from './task-feed';
import type { PollingFeed } from './polling-feed';

/**
 * Every live feed of this process: one per upstream and tenant scope, whatever the number of
 * subscribers, polling only while someone listens. A feed reads through the same tenant-scoped
 * clients as a request of that scope, so it never holds another tenant's changes.
 */
export class LiveHub {
  private readonly feeds = new Map<string, PollingFeed<any>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly upstreams: Upstreams,
    private readonly tenants: TenantDirectory,
    readonly settings: LiveSettings,
    private readonly logger: Logger,
  ) {
    // A feed nobody has listened to for the retention time is dropped with its log.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** MDR's incident feed for the caller's scope. */
  incidents(caller: Caller): IncidentFeed {
    return this.feed(`mdr:${scopeKey(caller)}`, () => {
      requireUpstream(this.upstreams, 'mdr');
      return new IncidentFeed(() => requireUpstream(this.scoped(caller), 'mdr'), this.options('mdr'));
    });
  }

  /** Security Center's ConEvents feed: one per process (a subscription belongs to the KSC session). */
  kscEvents(): KscEventFeed {
    return this.feed('ksc:events', () => {
      requireUpstream(this.upstreams, 'ksc');
      return new KscEventFeed(() => requireUpstream(this.upstreams, 'ksc'), LIVE_EVENT_TYPES, this.options('ksc'));
    });
  }

  /** KATA's events API feed: one per process (the continuation token is the external system's). */
  kataEvents(): KataEventFeed {
    return this.feed('kata:events', () => {
      requireUpstream(this.upstreams, 'kata');
      return new KataEventFeed(() => requireUpstream(this.upstreams, 'kata'), this.options('ksc'));
    });
  }

  /** One task's feed for the caller's scope; `task` was found through that scope. */
  task(caller: Caller, task: TaskNode): TaskFeed {
    return this.feed(`task:${scopeKey(caller)}:${task.upstream}:${task.taskId}`, () => {
      const events = task.upstream === 'KATA' ? this.kataEvents() : undefined;
      return new TaskFeed(() => this.scoped(caller), task, this.options('ksc'), events);
    });
  }

  /** Feeds with at least one subscriber (for /metrics and tests). */
  get activeFeeds(): number {
    return [...this.feeds.values()].filter((f) => f.idleSince === undefined).length;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.feeds.clear();
  }

  private feed<F extends PollingFeed<any>>(key: string, create: () => F): F {
    let feed = this.feeds.get(key) as F | undefined;
    if (!feed) {
      feed = create();
      this.feeds.set(key, feed);
    }
    return feed;
  }

  /** The clients of `caller`'s scope, as a request of that caller gets them (a new scope each poll). */
  private scoped(caller: Caller): Upstreams {
    const feedCaller: Caller = { subject: 'live-feed', roles: ['viewer'], tenants: caller.tenants };
    return upstreamsWithin(this.upstreams, new TenantScope(feedCaller, this.tenants, this.upstreams));
  }

  private options(upstream: 'mdr' | 'ksc') {
    return {
      intervalMs: upstream === 'mdr' ? this.settings.mdrPollMs : this.settings.kscPollMs,
      retentionMs: this.settings.retentionMinutes * 60_000,
      logger: this.logger.child({ feed: upstream }),
    };
  }

  private sweep(): void {
    const horizon = Date.now() - this.settings.retentionMinutes * 60_000;
    for (const [key, feed] of this.feeds)
      if (feed.idleSince !== undefined && feed.idleSince < horizon) this.feeds.delete(key);
  }
}

function scopeKey(caller: Caller): string {
  return caller.tenants === null ? '*' : JSON.stringify([...new Set(caller.tenants)].sort());
}
