import type { KscPage } from '../../domain/ksc';
import { connectionFromWindow } from '../connections/connection';
import type { ConnectionResult } from '../connections/connection';
import { offsetAfter } from '../connections/cursor';
import { pageSize } from '../connections/page-window';

/** first/after → the accessor window KSC is asked for (offset cursors over the result set). */
export function kscWindow(
  kind: string,
  first: number | null | undefined,
  after: string | null | undefined,
): { offset: number; count: number } {
  return { offset: offsetAfter(kind, after), count: pageSize(first) };
}

/** A KSC result-set window as a Relay connection; totalCount is the result set's own count. */
export async function kscConnection<T>(
  kind: string,
  first: number | null | undefined,
  after: string | null | undefined,
  fetch: (offset: number, count: number) => Promise<KscPage<T>>,
): Promise<ConnectionResult<T>> {
  const { offset, count } = kscWindow(kind, first, after);
  const page = await fetch(offset, count);
  return connectionFromWindow(kind, page.items, offset, count, page.total);
}

export function emptyConnection<T>(): ConnectionResult<T> {
  return connectionFromWindow<T>('empty', [], 0, 0, 0);
}
