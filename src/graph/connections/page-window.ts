import { BadInputError } from '../../errors/gateway-error';

/** Page sizes a caller may ask for. @see GRAPHQL_MAX_PAGE_SIZE */
export const PAGE_LIMITS = { defaultSize: 25, maxSize: 100 };

export function setPageLimits(limits: Partial<typeof PAGE_LIMITS>): void {
  Object.assign(PAGE_LIMITS, limits);
}

/** Checks `first` (or `last`) and applies the default: the one place page sizes are validated. */
export function pageSize(first: number | null | undefined, argument: 'first' | 'last' = 'first'): number {
  if (first == null) return PAGE_LIMITS.defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > PAGE_LIMITS.maxSize) {
    throw new BadInputError(`"${argument}" must be between 0 and ${PAGE_LIMITS.maxSize}.`, { argument });
  }
  return first;
}

/** One upstream page request: 1-based page number and its size, and which rows of it we keep. */
export interface UpstreamPage {
  page: number;
  pageSize: number;
  /** Index in the upstream page of the first row we keep. */
  skip: number;
}

/**
 * Maps an item window [offset, offset + count) onto 1-based upstream pages of one fixed size, so a
 * Relay page costs one upstream call whenever a single page can cover it. The window includes one
 * extra item so `hasNextPage` is known without a count call.
 *
 * Chooses the smallest page size ≥ count + 1 whose page boundaries do not cut the window and whose
 * last row lies within `resultWindow` (page × size, Elasticsearch's limit); when none is ≤
 * maxPageSize, the window spans two pages of size count + 1 (which may reach past resultWindow:
 * the caller checks with pastResultWindow).
 */
export function pagesForWindow(
  offset: number,
  count: number,
  maxPageSize = 10_000,
  resultWindow = Infinity,
): UpstreamPage[] {
  const want = count + 1;
  for (let size = want; size <= maxPageSize; size++) {
    const page = Math.floor(offset / size);
    if (offset + want <= (page + 1) * size && (page + 1) * size <= resultWindow)
      return [{ page: page + 1, pageSize: size, skip: offset - page * size }];
    // Past this point every larger size needs page 0, which is the first size ≥ offset + want.
    if (size >= offset + want) break;
  }
  if (offset + want <= Math.min(maxPageSize, resultWindow)) return [{ page: 1, pageSize: offset + want, skip: offset }];
  const first = Math.floor(offset / want);
  return [
    { page: first + 1, pageSize: want, skip: offset - first * want },
    { page: first + 2, pageSize: want, skip: 0 },
  ];
}

/** Whether any of `pages` reaches past the upstream's result window (page × size). */
export function pastResultWindow(pages: readonly UpstreamPage[], resultWindow: number): boolean {
  return pages.some((p) => p.page * p.pageSize > resultWindow);
}
