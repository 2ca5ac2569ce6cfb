import { BadInputError } from '../../errors/gateway-error';

/**
 * Opaque cursors: base64url of `<kind>:<json>`. The kind stops a cursor of one list from being
 * replayed against another; the JSON carries whatever the next page needs (an offset, a sort key).
 */
export function encodeCursor(kind: string, data: Record<string, unknown>): string {
  return Buffer.from(`${kind}:${JSON.stringify(data)}`, 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(
  kind: string,
  cursor: string,
  argument: 'after' | 'before' = 'after',
): T {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text.startsWith(`${kind}:`)) {
    try {
      const data: unknown = JSON.parse(text.slice(kind.length + 1));
      if (data && typeof data === 'object' && !Array.isArray(data)) return data as T;
    } catch {
      // fall through to the coded error
    }
  }
  throw new BadInputError('The cursor is malformed or belongs to another list.', { argument });
}

export function offsetCursor(kind: string, offset: number): string {
  return encodeCursor(kind, { o: offset });
}

/** The offset of the item after `after` (0 without a cursor). */
export function offsetAfter(kind: string, after: string | null | undefined): number {
  return after == null ? 0 : offsetOf(kind, after, 'after') + 1;
}

/** The offset of the item an offset cursor points at. */
export function offsetOf(kind: string, cursor: string, argument: 'after' | 'before'): number {
  const { o } = decodeCursor<{ o?: unknown }>(kind, cursor, argument);
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
    throw new BadInputError('The cursor is malformed or belongs to another list.', { argument });
  }
  return o;
}
