import { buildSchema, execute, parse } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';

import { BatchSchedule, loaderFactory } from '../../src/graph/loaders/loader-mode';
import { selectsPath } from '../../src/graph/resolvers/mdr-scope';

describe('BatchSchedule', () => {
  const loaderWith = (schedule: BatchSchedule) => {
    const batches: string[][] = [];
    const loader = loaderFactory(
      'batched',
      schedule,
    )<string, string>(async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => k.toUpperCase());
    });
    return { loader, batches };
  };

  it('batches the loads of one turn, as DataLoader does, when nobody asks for it sooner', async () => {
    const { loader, batches } = loaderWith(new BatchSchedule());
    const answers = Promise.all([loader.load('a'), loader.load('b')]);
    expect(batches).toEqual([]);
    await expect(answers).resolves.toEqual(['A', 'B']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('now() sends what is queued at once, and the default turn does not send it again', async () => {
    const schedule = new BatchSchedule();
    const { loader, batches } = loaderWith(schedule);
    const first = Promise.all([loader.load('a'), loader.load('b')]);
    const written = schedule.now();
    expect(batches).toEqual([['a', 'b']]);
    await written;
    const later = loader.load('c');
    await expect(first).resolves.toEqual(['A', 'B']);
    await expect(later).resolves.toBe('C');
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('naive loaders neither batch nor cache (the benchmark baseline)', async () => {
    const batches: string[][] = [];
    const loader = loaderFactory('naive')<string, string>(async (keys) => {
      batches.push([...keys]);
      return [...keys];
    });
    await Promise.all([loader.load('a'), loader.load('a'), loader.load('b')]);
    expect(batches).toEqual([['a'], ['a'], ['b']]);
  });
});

describe('selectsPath', () => {
  const schema = buildSchema(`
    type Query { incidents: Page }
    type Page { nodes: [Incident] edges: [Edge] totalCount: Int }
    type Edge { node: Incident }
    type Incident { id: ID affectedAssets: [Asset] }
    type Asset { host: Host sensor: Sensor }
    type Host { name: String }
    type Sensor { id: ID }
  `);
  const infoOf = (query: string): GraphQLResolveInfo => {
    let captured: GraphQLResolveInfo | undefined;
    execute({
      schema,
      document: parse(query),
      // The default resolver calls a function-valued property with (args, context, info).
      rootValue: { incidents: (_: unknown, __: unknown, info: GraphQLResolveInfo) => ((captured = info), null) },
    });
    return captured!;
  };

  it('follows field names level by level, through aliases and fragments', () => {
    const info = infoOf(`{
      incidents { list: nodes { ...F } totalCount }
    }
    fragment F on Incident { ... on Incident { affectedAssets { host { name } } } }`);
    expect(selectsPath(info, 'nodes', 'affectedAssets', 'host')).toBe(true);
    expect(selectsPath(info, 'nodes', 'affectedAssets', 'sensor')).toBe(false);
    expect(selectsPath(info, 'edges', 'node', 'affectedAssets')).toBe(false);
    expect(selectsPath(info, 'totalCount')).toBe(true);
  });

  it('merges every occurrence of a field: one asking below is enough', () => {
    const info = infoOf(
      `{ incidents { nodes { id } edges { node { id } } more: nodes { affectedAssets { sensor { id } } } } }`,
    );
    expect(selectsPath(info, 'nodes', 'affectedAssets', 'sensor')).toBe(true);
    expect(selectsPath(info, 'edges', 'node', 'affectedAssets')).toBe(false);
  });
});
