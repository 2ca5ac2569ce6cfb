import { Kind, TypeInfo, isAbstractType, isObjectType, visit, visitWithTypeInfo } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';

/** What a resolver's info, or a plugin before execution, tells of the operation. */
export type OperationReading = Pick<GraphQLResolveInfo, 'schema' | 'operation' | 'fragments'>;

/** A document's fragments by name, as resolvers see them in `info.fragments`. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  // No prototype: a spread named after one of Object's members (`...constructor`) finds nothing.
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

const known = new WeakMap<OperationDefinitionNode, Map<string, readonly string[] | undefined>>();

/**
 * The parts of `typeName` records that anything in this operation reads (`partOfField`: field name
 * → part), wherever the type appears in it (lists, joins, fragments, interfaces it implements), so
 * every record of the request has what any resolver will ask of it, primed loader entries
 * included. `undefined` (everything) for mutations and for operations using `node`/`nodes`, where
 * records are reached by id through other types (a Response is read from its incident). Computed
 * once per parsed operation and type (Apollo keeps parsed documents).
 */
export function partsRead<Part extends string>(
  reading: OperationReading,
  typeName: string,
  partOfField: ReadonlyMap<string, Part>,
): readonly Part[] | undefined {
  let byType = known.get(reading.operation);
  if (!byType) known.set(reading.operation, (byType = new Map()));
  if (!byType.has(typeName)) byType.set(typeName, collect(reading, typeName, partOfField));
  return byType.get(typeName) as readonly Part[] | undefined;
}

function collect<Part extends string>(
  { schema, operation, fragments }: OperationReading,
  typeName: string,
  partOfField: ReadonlyMap<string, Part>,
): readonly Part[] | undefined {
  const type = schema.getType(typeName);
  if (operation.operation !== 'query' || !isObjectType(type)) return undefined;
  const queryType = schema.getQueryType();
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...Object.values(fragments)] };
  const typeInfo = new TypeInfo(schema);
  const parts = new Set<Part>();
  let everything = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        if (parent === queryType && (node.name.value === 'node' || node.name.value === 'nodes')) everything = true;
        // A field asked on the type itself or on an interface it implements (Node).
        const onType = parent === type || (isAbstractType(parent) && schema.isSubType(parent, type));
        const part = onType ? partOfField.get(node.name.value) : undefined;
        if (part) parts.add(part);
      },
    }),
  );
  return everything ? undefined : [...parts].sort();
}
