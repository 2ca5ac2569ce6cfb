import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';

import type { LimitSettings } from '../../config/settings';

/** Every limit refusal carries the same code, so clients can tell "too big" from "malformed". */
const reject: GraphQLArmorRejectCallback = (ctx, error) => {
  ctx?.reportError(new GraphQLError(error.message, { extensions: { code: 'QUERY_TOO_COMPLEX' } }));
};

const refusing = { propagateOnRejection: false, onReject: [reject] };

/**
 * graphql-armor's depth, alias and directive limits (validation rules, so nothing executes). Its
 * cost limit is off: ours (query-cost.ts) multiplies by `first`. Its token limit is off: graphql-js's
 * own `maxTokens` parse option (gateway.ts) stops the lexer at the limit. Its suggestion masking is
 * off: it left "[Suggestion hidden]?" in messages, and formatError drops suggestions from every
 * request error.
 */
export function armorProtection(limits: LimitSettings): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
} {
  const { plugins, validationRules } = new ApolloArmor({
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...refusing },
    // Aliases of __typename count too (graphql-armor exempts them by default): each is still a field to
    // validate and answer, and a hundred of them is no client's query.
    maxAliases: { n: limits.maxAliases, allowList: [], ...refusing },
    maxDirectives: { n: limits.maxDirectives, ...refusing },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules: validationRules as ValidationRule[] };
}
