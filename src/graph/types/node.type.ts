import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * Relay's Node. Records reach GraphQL as plain objects, so the concrete type comes from a
 * `__typename` the resolvers that return interfaces set (see `asNode`).
 */
@InterfaceType({
  description: 'An object with a globally unique, opaque id (Relay).',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id, accepted by node(id:).' })
  id!: string;
}
