import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';

import { assetPartsOf } from '../../src/graph/resolvers/asset-parts';
import { hostPartsOf } from '../../src/graph/resolvers/host-parts';
import { hostFieldsToWire } from '../../src/upstreams/ksc/attributes';
import { operationOf } from '../helpers/documents';

const schema = buildSchema(readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
const infoOf = (query: string) => ({ schema, ...operationOf(query) }) as unknown as GraphQLResolveInfo;
const partsOf = (query: string) => hostPartsOf(infoOf(query));
const benchQuery = (name: string) => readFileSync(path.join(__dirname, '..', '..', 'bench', 'queries', name), 'utf8');

describe('host and asset parts an operation reads (what joins ask KSC and MDR for)', () => {
  it('the bench pages read only what they show of their hosts', () => {
    expect(partsOf(benchQuery('triage.graphql'))).toEqual(['ipAddress', 'online', 'osName']);
    expect(partsOf(benchQuery('host-page.graphql'))).toEqual([
      'groupId',
      'ipAddress',
      'lastVisible',
      'online',
      'osName',
    ]);
  });

  it('finds Host fields below other types: sensors, events, assets', () => {
    expect(
      partsOf('{ sensors { host { fqdn } } assets(first: 1) { nodes { host { agentVersion domain } } } }'),
    ).toEqual(['agentVersion', 'domain', 'fqdn']);
  });

  it('reads everything for a mutation', () => {
    expect(partsOf('mutation { isolateHosts(input: { hostIds: ["h"] }) { hosts { name } } }')).toBeUndefined();
  });

  it('asks KSC for id and name plus the parts, or for every attribute without parts', () => {
    expect(hostFieldsToWire(['online', 'groupId'])).toEqual([
      'KLHST_WKS_HOSTNAME',
      'KLHST_WKS_DN',
      'KLHST_WKS_STATUS',
      'KLHST_WKS_GROUPID',
    ]);
    expect(hostFieldsToWire(undefined)).toHaveLength(10);
  });

  it('the bench pages read no optional asset field; a page of interfaces reads them', () => {
    expect(assetPartsOf(infoOf(benchQuery('triage.graphql')))).toEqual([]);
    expect(assetPartsOf(infoOf(benchQuery('host-page.graphql')))).toEqual([]);
    expect(
      assetPartsOf(infoOf('{ hosts(first: 1) { nodes { asset { networkInterfaces { macAddress } lastSeen } } } }')),
    ).toEqual(['lastSeen', 'networkInterfaces']);
  });
});
