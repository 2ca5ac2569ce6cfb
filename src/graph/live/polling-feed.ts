import type { Logger } from '../../logger';
import { ChangeLog } from './change-log';
import type { ChangeLogOptions } from './change-log';

export interface PollingFeedOptions extends ChangeLogOptions {
  /** Time between two polls of the vendor while someone listens, in ms. */
  intervalMs: number;
  logger: Logger;
}

/**
 * One vendor change feed for one scope, shared by every subscriber of that scope: it polls only
 * while someone listens, and keeps its watermark while no one does, so the next subscriber (or
 * one coming back with its cursor) gets the changes of the quiet time too.
 */
export abstract class PollingFeed<T> {
  readonly log: ChangeLog<T>;
  /** When the feed last had no subscriber (ms); undefined while it has some. */
  idleSince: number | undefined = Date.now();
  /** Polls made so far (each one or more vendor calls, whatever the number of subscribers). */
  polls = 0;
  /** Polls that ended without an error. */
  completedPolls = 0;
  private subscribers = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  /** May be raised by a poll when the vendor asks for a longer period. */
  protected intervalMs: number;
  protected readonly logger: Logger;

  constructor({ intervalMs, logger, ...logOptions }: PollingFeedOptions) {
    this.log = new ChangeLog<T>(logOptions);
    this.intervalMs = intervalMs;
    this.logger = logger;
  }

  /** Reads the vendor's changes since the watermark and appends them to the log. */
  protected abstract poll(): Promise<void>;

  /** One more subscriber; the returned function lets it go. Polling starts with the first. */
  acquire(): () => void {
    this.subscribers++;
    this.idleSince = undefined;
    if (this.subscribers === 1) this.schedule(0);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.subscribers--;
      if (this.subscribers === 0) {
        this.idleSince = Date.now();
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Resolves once a poll that is under way has ended (tests and shutdown). */
  async settled(): Promise<void> {
    await this.polling;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.subscribers === 0 || this.polling) return;
    this.polls++;
    this.polling = this.poll().then(
      () => void this.completedPolls++,
      (error: unknown) => {
        // The watermark did not move: the next poll asks again from the same place.
        this.logger.warn({ err: (error as Error).message }, 'live feed poll failed; retrying at the next interval');
      },
    );
    await this.polling;
    this.polling = undefined;
    if (this.subscribers > 0) this.schedule(this.intervalMs);
  }
}
