export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** The weight `accept` gives a media type (exact type, then `type/*`, then `*\/*`); 0 when absent. */
function weightOf(accept: string, type: string): number {
  let best = -1;
  let specificity = -1;
  for (const range of accept.split(',')) {
    const [media = '', ...params] = range.trim().toLowerCase().split(';');
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? 1,
    );
    const rank = media === type ? 2 : media === `${type.split('/')[0]}/*` ? 1 : media === '*/*' ? 0 : -1;
    if (rank > specificity) [best, specificity] = [Number.isFinite(q) ? q : 0, rank];
  }
  return Math.max(best, 0);
}

/**
 * Whether a client asked for `application/graphql-response+json` over `application/json`. Apollo
 * answers application/json unless graphql-response+json is preferred strictly; so do we.
 */
export function prefersGraphqlResponseJson(accept: string | undefined): boolean {
  return !!accept && weightOf(accept, GRAPHQL_RESPONSE_JSON) > weightOf(accept, 'application/json');
}
