import 'reflect-metadata';

import { isAbstractType, lexicographicSortSchema, printSchema } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { buildSchemaSync } from 'type-graphql';
import type { AuthChecker, PubSub } from 'type-graphql';

import type { Context } from './context';
import { withPartialFailures } from './partial-failures';
import { CoreResolver } from './resolvers/core.resolver';
import { LiveResolver } from './resolvers/live.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';
import { upstreamResolvers } from './resolvers/registry';
import { DateTimeScalar } from './scalars/date-time.scalar';

export interface SchemaOptions {
  authChecker?: AuthChecker<Context>;
}

const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('Subscriptions here are fed by graph/live, not by topics.');
  },
  subscribe() {
    throw new Error('Subscriptions here are fed by graph/live, not by topics.');
  },
};

/** By auth checker: the gateway always passes the same one, so it is built once too. */
const cached = new Map<AuthChecker<Context> | undefined, GraphQLSchema>();

/**
 * The gateway's schema. Built once per process: type-graphql's metadata is global, and building is
 * the costliest part of start-up.
 */
export function buildGatewaySchema({ authChecker }: SchemaOptions = {}): GraphQLSchema {
  const built = cached.get(authChecker);
  if (built) return built;
  const schema = withPartialFailures(
    withTypenameResolution(
      buildSchemaSync({
        resolvers: [CoreResolver, ViewerResolver, ...upstreamResolvers, LiveResolver] as [Function, ...Function[]],
        scalarsMap: [
          { type: Date, scalar: DateTimeScalar },
          { type: Object, scalar: JSONResolver },
        ],
        authChecker,
        authMode: 'error',
        // Every subscription brings its own `subscribe` (graph/live/); type-graphql asks for a
        // topic-based PubSub all the same, so it gets one that serves no topic.
        pubSub: NO_TOPICS,
        validate: false,
      }),
    ),
  );
  cached.set(authChecker, schema);
  return schema;
}

/**
 * Records reach interface fields as plain objects carrying their `__typename` (see `asNode`).
 * type-graphql wraps each interface's resolveType in an async function: graphql-jit calls it
 * synchronously (and would find no type), and graphql-js spent a promise job on every object.
 */
function withTypenameResolution(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type)) type.resolveType = (value: { __typename?: string }) => value.__typename;
  }
  return schema;
}

/** SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema = buildGatewaySchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
