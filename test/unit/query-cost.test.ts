import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema } from 'graphql';

import { queryCost } from '../../src/server/limits/query-cost';
import { operationOf } from '../helpers/documents';

// The contract frontends code against: the cost of their queries must not depend on which
// upstream's resolvers have landed.
const contract = readFileSync(path.join(__dirname, '..', '..', 'schema', 'contract.graphql'), 'utf8');
const schema = buildSchema(contract);
const DEFAULTS = { defaultPageSize: 25, maxPageSize: 100, listSize: 10 };
const MAX_COST = 50_000;

function cost(query: string, variables: Record<string, unknown> = {}, options = DEFAULTS): number {
  const { operation, fragments } = operationOf(query);
  return queryCost(schema, operation, fragments, variables, options);
}

describe('query cost (objects resolved, lists multiplied by first)', () => {
  test('scalars are free; one object costs 1', () => {
    expect(cost('{ upstreams { upstream } }')).toBe(10);
    expect(cost('{ incident(incidentId: "1") { summary } }')).toBe(1);
  });

  test('a connection multiplies its children by first, edges/nodes are not counted twice', () => {
    expect(cost('{ incidents(first: 50) { nodes { summary } } }')).toBe(50 * (1 + 1));
    expect(cost('{ incidents(first: 50) { edges { node { summary } } } }')).toBe(50 * (1 + 1 + 1));
    expect(cost('{ incidents { nodes { summary } } }')).toBe(25 * 2);
    expect(cost('query ($n: Int) { incidents(first: $n) { nodes { summary } } }', { n: 7 })).toBe(7 * 2);
  });

  test('a backward page (last) multiplies like first; with both, by the fewer', () => {
    // The emitted schema: its incident comments page backward too.
    const emitted = buildSchema(readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
    const costOf = (page: string) => {
      const { operation, fragments } = operationOf(
        `{ incidents(first: 10) { nodes { comments(${page}) { nodes { text } } } } }`,
      );
      return queryCost(emitted, operation, fragments, {}, DEFAULTS);
    };
    expect(costOf('last: 5')).toBe(costOf('first: 5'));
    expect(costOf('first: 40, last: 3')).toBe(costOf('first: 3'));
    expect(costOf('last: 40')).toBeGreaterThan(costOf('first: 5'));
  });

  test('legitimate heavy queries stay well under the default limit', () => {
    const incidentsWithAssets = cost(
      `{ incidents(first: 50) { nodes { summary affectedAssets { hostName host { name sensor { sensorId } } } } } }`,
    );
    const hostsWithIncidents = cost(
      `{ hosts(first: 100) { nodes { name group { name } asset { hostName incidents(first: 10) { nodes { summary } } } } } }`,
    );
    expect(incidentsWithAssets).toBeLessThan(MAX_COST / 2);
    expect(hostsWithIncidents).toBeLessThan(MAX_COST / 2);
  });

  test('first: 100 nested four deep is far over the limit', () => {
    const bomb = `{ hostGroups(first: 100) { nodes { hosts(first: 100) { nodes { events(first: 100) { nodes { host { events(first: 100) { nodes { eventId } } } } } } } } } }`;
    expect(cost(bomb)).toBeGreaterThan(100 ** 4);
  });

  test('fragments count where they are spread, and a fan-out of fragments is computed once each', () => {
    const spread = `{ incidents(first: 10) { nodes { ...I } } } fragment I on Incident { affectedAssets { hostName } }`;
    expect(cost(spread)).toBe(cost(`{ incidents(first: 10) { nodes { affectedAssets { hostName } } } }`));
    let fragments = 'fragment F0 on Asset { hostName }';
    for (let i = 1; i <= 40; i++)
      fragments += `\nfragment F${i} on Asset { ...F${i - 1} host { asset { ...F${i - 1} } } }`;
    const started = process.hrtime.bigint();
    expect(cost(`{ assets(first: 1) { nodes { ...F40 } } } ${fragments}`)).toBeGreaterThan(MAX_COST);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
  });

  test('nodes(ids:) counts its ids; first above the maximum counts as the maximum', () => {
    expect(cost('{ nodes(ids: ["a", "b", "c"]) { id } }')).toBe(3);
    expect(cost('{ incidents(first: 5000) { nodes { summary } } }')).toBe(100 * 2);
  });
});
