import { Kind, TypeInfo, isAbstractType, isObjectType, visit, visitWithTypeInfo } from 'graphql';
import type { DocumentNode, GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';

import type { IncidentPart } from '../../domain/mdr';

/** The Incident fields that read a part a list call may leave out (see IncidentPart). */
const PART_OF_FIELD = new Map<string, IncidentPart>([
  ['description', 'description'],
  ['statusDescription', 'statusDescription'],
  ['resolution', 'resolution'],
  ['detectionTechnology', 'detectionTechnology'],
  ['attackStage', 'attackStage'],
  ['mitreTactics', 'mitreTactics'],
  ['mitreTechniques', 'mitreTechniques'],
  ['responses', 'responses'],
  ['comments', 'comments'],
]);

const ALL = undefined;
const known = new WeakMap<OperationDefinitionNode, readonly IncidentPart[] | undefined>();

/**
 * The incident parts anything in this operation reads, wherever Incident appears in it (lists,
 * joins, Response.incident, fragments), so every incident record of the request has what any
 * resolver will ask of it, primed loader entries included. `undefined` (everything) for mutations
 * and for operations using `node`/`nodes`: a Response or Comment found by id is read from its
 * incident's embedded lists. Computed once per parsed operation (Apollo keeps parsed documents).
 */
export function incidentPartsOf(info: GraphQLResolveInfo): readonly IncidentPart[] | undefined {
  if (known.has(info.operation)) return known.get(info.operation);
  const parts = collect(info);
  known.set(info.operation, parts);
  return parts;
}

function collect(info: GraphQLResolveInfo): readonly IncidentPart[] | undefined {
  const { schema, operation } = info;
  const incident = schema.getType('Incident');
  if (operation.operation !== 'query' || !isObjectType(incident)) return ALL;
  const queryType = schema.getQueryType();
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...Object.values(info.fragments)] };
  const typeInfo = new TypeInfo(schema);
  const parts = new Set<IncidentPart>();
  let everything = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        if (parent === queryType && (node.name.value === 'node' || node.name.value === 'nodes')) everything = true;
        // A field asked on Incident itself or on an interface it implements (Node).
        const onIncident = parent === incident || (isAbstractType(parent) && schema.isSubType(parent, incident));
        const part = onIncident ? PART_OF_FIELD.get(node.name.value) : undefined;
        if (part) parts.add(part);
      },
    }),
  );
  return everything ? ALL : [...parts].sort();
}
