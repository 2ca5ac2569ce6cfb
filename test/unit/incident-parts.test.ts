import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';

import { incidentPartsOf } from '../../src/graph/resolvers/incident-parts';
import { incidentFieldsToWire } from '../../src/upstreams/mdr/map';
import { operationOf } from '../helpers/documents';

const schema = buildSchema(readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));

/** The part of GraphQLResolveInfo incidentPartsOf reads, for one parsed document. */
function infoOf(query: string): GraphQLResolveInfo {
  return { schema, ...operationOf(query) } as unknown as GraphQLResolveInfo;
}

const partsOf = (query: string) => incidentPartsOf(infoOf(query));

describe('incident parts an operation reads (what an incident list asks MDR for)', () => {
  it('a triage page reads the embedded responses and comments and none of the long texts', () => {
    const triage = readFileSync(path.join(__dirname, '..', '..', 'bench', 'queries', 'triage.graphql'), 'utf8');
    expect(partsOf(triage)).toEqual(['comments', 'responses']);
  });

  it('a page of summaries reads no part at all', () => {
    expect(
      partsOf('{ incidents(first: 5) { nodes { incidentId summary priority affectedAssets { hostName } } } }'),
    ).toEqual([]);
  });

  it('finds Incident fields in named and inline fragments, under aliases, and below other types', () => {
    const query = `
      query {
        incidents(first: 5) { edges { node { ...Texts } } }
        responses: incident(incidentId: "x") { resolutionOf: resolution }
        assets(first: 1) { nodes { incidents(first: 1) { nodes { ... on Incident { attackStage } } } } }
      }
      fragment Texts on Incident { description(format: HTML) mitreTactics responses { nodes { incident { statusDescription } } } }`;
    expect(partsOf(query)).toEqual([
      'attackStage',
      'description',
      'mitreTactics',
      'resolution',
      'responses',
      'statusDescription',
    ]);
  });

  it('reads everything when the operation looks things up by id or is a mutation', () => {
    expect(
      partsOf('query ($id: ID!) { incidents(first: 5) { nodes { summary } } node(id: $id) { id } }'),
    ).toBeUndefined();
    expect(partsOf('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }')).toBeUndefined();
    expect(
      partsOf('mutation { addIncidentComment(input: { incidentId: "x", text: "t" }) { comment { id } } }'),
    ).toBeUndefined();
  });

  it('is computed once per parsed operation', () => {
    const info = infoOf('{ incidents(first: 5) { nodes { mitreTechniques } } }');
    expect(incidentPartsOf(info)).toBe(incidentPartsOf({ ...info } as GraphQLResolveInfo));
  });

  it('asks MDR for the base fields plus the parts, or for everything without parts', () => {
    expect(incidentFieldsToWire(undefined)).toBeUndefined();
    expect(incidentFieldsToWire(['responses', 'mitreTactics'])).toEqual([
      'incident_id',
      'incident_number',
      'summary',
      'priority',
      'status',
      'creation_time',
      'update_time',
      'tenant_name',
      'affected_hosts',
      'responses',
      'mitre_tactics',
    ]);
  });
});
