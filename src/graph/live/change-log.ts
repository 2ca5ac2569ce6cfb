import { randomBytes } from 'node:crypto';

import { GatewayError } from '../../errors/gateway-error';

/** One change as a feed recorded it: its place in the feed's log, and what changed. */
export interface Logged<T> {
  seq: number;
  at: number;
  change: T;
}

export interface ChangeLogOptions {
  /** Changes kept for resuming subscribers. @default 10_000 */
  maxEntries?: number;
  /** How long a change is kept for resuming subscribers, in ms. @default 3_600_000 (1 h) */
  retentionMs?: number;
}

/**
 * The changes of one feed in order, kept for a while so a subscriber that reconnects with its last
 * cursor gets what it missed, once each, in order. Cursors name this log (its epoch) and a position
 * in it; one from another process or from before the retention is refused as expired rather than
 * answered with a gap.
 */
export class ChangeLog<T> {
  private readonly entries: Logged<T>[] = [];
  private next = 1;
  private readonly listeners = new Set<(entry: Logged<T>) => void>();
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly maxEntries: number;
  private readonly retentionMs: number;

  constructor({ maxEntries = 10_000, retentionMs = 3_600_000 }: ChangeLogOptions = {}) {
    this.maxEntries = maxEntries;
    this.retentionMs = retentionMs;
  }

  append(change: T): Logged<T> {
    const entry = { seq: this.next++, at: Date.now(), change };
    this.entries.push(entry);
    this.trim();
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  cursor(entry: Logged<T>): string {
    return `${this.epoch}.${entry.seq}`;
  }

  /** Entries after `cursor` (every kept one when null); throws CURSOR_EXPIRED when it cannot tell. */
  since(cursor: string | null): Logged<T>[] {
    this.trim();
    if (cursor === null) return [];
    const [epoch, seqText] = cursor.split('.');
    const seq = Number(seqText);
    const oldest = this.entries[0]?.seq ?? this.next;
    if (epoch !== this.epoch || !Number.isInteger(seq) || seq < oldest - 1 || seq >= this.next) {
      throw new GatewayError(
        'CURSOR_EXPIRED',
        'This cursor is from another gateway process or older than the retention of changes; reload the list and subscribe without a cursor.',
      );
    }
    return this.entries.filter((e) => e.seq > seq);
  }

  /** Kept entries after position `seq` (a reader's own bookmark within this process). */
  entriesAfter(seq: number): Logged<T>[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  /** Calls `listener` with each change appended from now on; returns the unsubscribe function. */
  listen(listener: (entry: Logged<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private trim(): void {
    const horizon = Date.now() - this.retentionMs;
    let drop = Math.max(0, this.entries.length - this.maxEntries);
    while (drop < this.entries.length && this.entries[drop]!.at < horizon) drop++;
    if (drop) this.entries.splice(0, drop);
  }
}
