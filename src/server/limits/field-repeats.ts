import { GraphQLError, Kind, parse, visit } from 'graphql';
import type { DocumentNode, SelectionSetNode } from 'graphql';
import { LRUCache } from 'lru-cache';

import { fragmentsOf } from '../../graph/resolvers/operation-parts';

/**
 * The first response key (alias, or name) selected more than `max` times in one selection set,
 * counting the fields its inline fragments and fragment spreads contribute (each named fragment
 * once, as GraphQL merges them); undefined when none is.
 */
export function fieldRepeatedOver(document: DocumentNode, max: number): string | undefined {
  const fragments = fragmentsOf(document);
  let found: string | undefined;
  const check = (set: SelectionSetNode): string | undefined => {
    const counts = new Map<string, number>();
    const spread = new Set<string>();
    const walk = (selections: SelectionSetNode): string | undefined => {
      for (const selection of selections.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const count = (counts.get(key) ?? 0) + 1;
          if (count > max) return key;
          counts.set(key, count);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const repeated = walk(selection.selectionSet);
          if (repeated) return repeated;
        } else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = fragments[selection.name.value];
          const repeated = fragment && walk(fragment.selectionSet);
          if (repeated) return repeated;
        }
      }
      return undefined;
    };
    return walk(set);
  };
  visit(document, {
    SelectionSet(set, _key, parent) {
      // An inline fragment's fields are counted with the selection set it is part of.
      if (found || (parent && 'kind' in parent && parent.kind === Kind.INLINE_FRAGMENT)) return;
      found = check(set);
    },
  });
  return found;
}

/**
 * Refuses documents that repeat one field in a selection set beyond `maxRepeats`, before Apollo
 * validates them. graphql-js's OverlappingFieldsCanBeMerged rule compares every pair of fields
 * with the same response key: 200 copies of `incidents(first: 1) { totalCount }` took 60–100 ms of
 * validation on the event loop, from a 6 kB request. A validation rule of our own would run in the
 * same pass, after that comparison, so the document is parsed and checked here first; documents
 * seen before are not parsed again.
 */
export class FieldRepeatsScreen {
  /** Query texts that passed, by their text (bounded by total length, not count). */
  private readonly passed = new LRUCache<string, true>({
    maxSize: 4_000_000,
    sizeCalculation: (_value, query) => query.length || 1,
  });

  constructor(
    private readonly maxRepeats: number,
    private readonly maxTokens: number,
  ) {}

  /** A QUERY_TOO_COMPLEX error for a document over the limit; undefined otherwise (or when it does not parse). */
  refusal(query: unknown): GraphQLError | undefined {
    // get, not has: a query in use stays at the front of the cache.
    if (typeof query !== 'string' || this.passed.get(query)) return undefined;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.maxTokens, noLocation: true });
    } catch {
      // Apollo parses it again and reports the syntax error as it reports every other.
      return undefined;
    }
    const repeated = fieldRepeatedOver(document, this.maxRepeats);
    if (!repeated) {
      this.passed.set(query, true);
      return undefined;
    }
    return new GraphQLError(
      `The field "${repeated}" is selected more than ${this.maxRepeats} times in one selection set (fragments included).`,
      { extensions: { code: 'QUERY_TOO_COMPLEX' } },
    );
  }
}
