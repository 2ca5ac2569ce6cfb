import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema } from 'graphql';
import type { GraphQLInterfaceType } from 'graphql';
import { ConnectionHandler, getSelector } from 'relay-runtime';
import type { Environment, GraphQLTaggedNode, ReaderFragment } from 'relay-runtime';

import incidentCommentsAddMutation from '../../examples/relay/__generated__/incidentCommentsAddMutation.graphql';
import type { incidentCommentsAddMutation as AddComment } from '../../examples/relay/__generated__/incidentCommentsAddMutation.graphql';
import incidentCommentsPaginationQuery from '../../examples/relay/__generated__/incidentCommentsPaginationQuery.graphql';
import type { incidentCommentsPaginationQuery as CommentsPage } from '../../examples/relay/__generated__/incidentCommentsPaginationQuery.graphql';
import incidentCommentsQuery from '../../examples/relay/__generated__/incidentCommentsQuery.graphql';
import type { incidentCommentsQuery as CommentsQuery } from '../../examples/relay/__generated__/incidentCommentsQuery.graphql';
import incidentCommentsFragment from '../../examples/relay/__generated__/incidentComments_incident.graphql';
import type { incidentComments_incident$data as CommentsData } from '../../examples/relay/__generated__/incidentComments_incident.graphql';
import incidentListDecideMutation from '../../examples/relay/__generated__/incidentListDecideMutation.graphql';
import type { incidentListDecideMutation as Decide } from '../../examples/relay/__generated__/incidentListDecideMutation.graphql';
import incidentListPaginationQuery from '../../examples/relay/__generated__/incidentListPaginationQuery.graphql';
import type { incidentListPaginationQuery as ListPage } from '../../examples/relay/__generated__/incidentListPaginationQuery.graphql';
import incidentListQuery from '../../examples/relay/__generated__/incidentListQuery.graphql';
import type { incidentListQuery as ListQuery } from '../../examples/relay/__generated__/incidentListQuery.graphql';
import incidentListFragment from '../../examples/relay/__generated__/incidentList_query.graphql';
import type { incidentList_query$data as ListData } from '../../examples/relay/__generated__/incidentList_query.graphql';
import nodeRefetchQuery from '../../examples/relay/__generated__/nodeRefetchQuery.graphql';
import type { nodeRefetchQuery as NodeQuery } from '../../examples/relay/__generated__/nodeRefetchQuery.graphql';
import { startTestEstate } from '../helpers/gateway';
import type { TestEstate, TestGateway } from '../helpers/gateway';
import { relayEnvironment } from '../helpers/relay';

/**
 * relay-runtime (Environment, Network, Store; fetchQuery, commitMutation, the connection handler)
 * against the real gateway and simulators, with the operations in examples/relay compiled by
 * relay-compiler from schema/schema.graphql. Fragments are read as Relay's hooks read them:
 * a selector from the fragment reference, looked up in the store.
 */
describe('Relay against the gateway', () => {
  let estate: TestEstate;
  let gw: TestGateway;
  let relay: ReturnType<typeof relayEnvironment>;
  let warnings: jest.SpyInstance[];

  beforeAll(async () => {
    estate = await startTestEstate();
    gw = estate.gw;
  });
  afterAll(async () => {
    await estate?.stop();
  });

  // Relay warns on the console about payloads that miss fields, ids that change type, bad cursors.
  beforeEach(async () => {
    relay = relayEnvironment(gw.url, await gw.as({ role: 'administrator' }));
    warnings = (['warn', 'error'] as const).map((level) => jest.spyOn(console, level));
  });
  afterEach(() => {
    relay.release();
    const said = warnings.flatMap((spy) => spy.mock.calls);
    for (const spy of warnings) spy.mockRestore();
    expect(said).toEqual([]);
  });

  const OPEN_PENDING = { statuses: ['OPEN' as const], responseStatuses: ['PENDING' as const] };

  test('the store keeps one record per global id, with its __typename, for every object of a page', async () => {
    const data = await relay.query<ListQuery>(incidentListQuery, { first: 3, filter: OPEN_PENDING });
    const list = read<ListData>(relay.environment, incidentListFragment, data);
    expect(list.incidents!.edges).toHaveLength(3);

    const source = relay.environment.getStore().getSource();
    for (const { node } of list.incidents!.edges) {
      expect(source.get(node.id)).toMatchObject({
        __id: node.id,
        __typename: 'Incident',
        id: node.id,
        incidentId: node.incidentId,
      });
      for (const response of node.responses!.nodes) {
        expect(source.get(response.id)).toMatchObject({
          __id: response.id,
          __typename: 'Response',
          status: response.status,
        });
      }
    }
    // Every record that is not Relay's own (client:…) is keyed by its object's id.
    const records = source.getRecordIDs().filter((id) => !id.startsWith('client:'));
    expect(records.length).toBeGreaterThan(3);
    for (const id of records) expect(source.get(id)).toMatchObject({ __id: id, id });
  });

  test("the next page comes through the connection's endCursor and the connection handler appends it", async () => {
    const data = await relay.query<ListQuery>(incidentListQuery, { first: 3, filter: OPEN_PENDING });
    const page1 = read<ListData>(relay.environment, incidentListFragment, data).incidents;
    expect(page1!.pageInfo.hasNextPage).toBe(true);

    await relay.query<ListPage>(incidentListPaginationQuery, {
      first: 3,
      after: page1!.pageInfo.endCursor,
      filter: OPEN_PENDING,
    });
    expect(relay.requests.at(-1)).toMatchObject({
      operationName: 'incidentListPaginationQuery',
      variables: { first: 3, after: page1!.pageInfo.endCursor, filter: OPEN_PENDING },
    });

    // The fragment the first query rendered now reads both pages from the store.
    const merged = read<ListData>(relay.environment, incidentListFragment, data).incidents;
    const ids = merged!.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(6);
    expect(ids.slice(0, 3)).toEqual(page1!.edges.map((e) => e.node.id));
    expect(new Set(ids).size).toBe(6);
    expect(merged!.pageInfo.endCursor).not.toBe(page1!.pageInfo.endCursor);

    const direct = await gw.gql(
      'query($f: IncidentFilter) { incidents(first: 6, filter: $f) { edges { node { id } } } }',
      { f: OPEN_PENDING },
    );
    expect(ids).toEqual(direct.incidents.edges.map((e: { node: { id: string } }) => e.node.id));
  });

  test('node(id:) refetches an object of the list into the same record', async () => {
    const data = await relay.query<ListQuery>(incidentListQuery, { first: 3, filter: OPEN_PENDING });
    const listed = read<ListData>(relay.environment, incidentListFragment, data).incidents!.edges[1]!.node;
    const records = relay.environment.getStore().getSource().size();

    const { node } = await relay.query<NodeQuery>(nodeRefetchQuery, { id: listed.id });
    expect(node).toEqual({
      __typename: 'Incident',
      id: listed.id,
      incidentId: listed.incidentId,
      summary: listed.summary,
      status: listed.status,
    });
    // The refetch found the record the list made: only the root's node(id:) link is new.
    expect(relay.environment.getStore().getSource().size()).toBe(records);

    const host = (await gw.gql('{ hosts(first: 1) { nodes { id hostId name } } }')).hosts.nodes[0];
    expect((await relay.query<NodeQuery>(nodeRefetchQuery, { id: host.id })).node).toEqual({
      __typename: 'Host',
      ...host,
    });
  });

  test('an object of every type that implements Node comes back from node(id:) into its record', async () => {
    const lists = await gw.gql(`{
      assets(first: 1) { nodes { id } }
      incidents(first: 1) { nodes { id comments(first: 1) { nodes { id } } responses(first: 1) { nodes { id } } } }
      events(first: 1) { nodes { id } }
      executableFiles(first: 1) { nodes { id } }
      hosts(first: 1) { nodes { id hostId } }
      hostGroups(first: 1) { nodes { id } }
      quarantinedFiles(first: 1) { nodes { id } }
      sensors { id sensorId }
    }`);
    const { isolateHosts } = await gw.gql(
      'mutation($input: IsolateHostsInput!) { isolateHosts(input: $input) { task { id } } }',
      {
        input: { hostIds: [lists.hosts.nodes[0].hostId] },
      },
    );
    const { createKataTask } = await gw.gql(
      'mutation($input: CreateKataTaskInput!) { createKataTask(input: $input) { task { id } } }',
      {
        input: { sensorId: lists.sensors[0].sensorId, execCommand: 'cmd.exe' },
      },
    );
    const [incident] = lists.incidents.nodes;
    const listed: Record<string, string> = {
      Asset: lists.assets.nodes[0].id,
      Comment: incident.comments.nodes[0].id,
      Event: lists.events.nodes[0].id,
      ExecutableFile: lists.executableFiles.nodes[0].id,
      Host: lists.hosts.nodes[0].id,
      HostGroup: lists.hostGroups.nodes[0].id,
      Incident: incident.id,
      KataTask: createKataTask.task.id,
      KscTask: isolateHosts.task.id,
      QuarantinedFile: lists.quarantinedFiles.nodes[0].id,
      Response: incident.responses.nodes[0].id,
      Sensor: lists.sensors[0].id,
    };
    expect(Object.keys(listed).sort()).toEqual(NODE_TYPES);

    const source = relay.environment.getStore().getSource();
    for (const [type, id] of Object.entries(listed)) {
      const { node } = await relay.query<NodeQuery>(nodeRefetchQuery, { id });
      expect({ type, node: node && { __typename: node.__typename, id: node.id } }).toEqual({
        type,
        node: { __typename: type, id },
      });
      expect(source.get(id)).toMatchObject({ __id: id, __typename: type });
    }
  });

  test("a mutation's answer updates the record every fragment reads, by id", async () => {
    const data = await relay.query<ListQuery>(incidentListQuery, { first: 5, filter: OPEN_PENDING });
    const responses = () =>
      read<ListData>(relay.environment, incidentListFragment, data).incidents!.edges.flatMap(
        (e) => e.node.responses!.nodes,
      );
    const pending = responses().find((r) => r.status === 'PENDING')!;

    const { updateResponse } = await relay.mutate<Decide>(incidentListDecideMutation, {
      input: { responseId: pending.responseId, status: 'DECLINED', comment: 'Not on a production server.' },
    });
    expect(updateResponse.response).toEqual({
      id: pending.id,
      status: 'DECLINED',
      comment: 'Not on a production server.',
    });
    expect(responses().find((r) => r.id === pending.id)!.status).toBe('DECLINED');
  });

  test("an incident's comments page through node(id:), and a new comment is appended to the connection", async () => {
    const incidentId = (await gw.gql('{ incidents(first: 1) { nodes { incidentId } } }')).incidents.nodes[0].incidentId;
    for (const text of ['First look.', 'Second look.', 'Third look.']) {
      await gw.gql(
        'mutation($input: AddIncidentCommentInput!) { addIncidentComment(input: $input) { comment { id } } }',
        {
          input: { incidentId, text },
        },
      );
    }
    const { incident } = await relay.query<CommentsQuery>(incidentCommentsQuery, { incidentId, first: 2 });
    const page1 = read<CommentsData>(relay.environment, incidentCommentsFragment, incident).comments;
    expect(page1!.edges).toHaveLength(2);
    expect(page1!.pageInfo.hasNextPage).toBe(true);

    // @refetchable on a Node type: Relay's pagination query asks node(id:) for the incident.
    const { node } = await relay.query<CommentsPage>(incidentCommentsPaginationQuery, {
      id: incident!.id,
      first: 2,
      after: page1!.pageInfo.endCursor,
    });
    expect(relay.requests.at(-1)!.variables).toEqual({ id: incident!.id, first: 2, after: page1!.pageInfo.endCursor });
    expect(read<CommentsData>(relay.environment, incidentCommentsFragment, node).summary).toBe(
      read<CommentsData>(relay.environment, incidentCommentsFragment, incident).summary,
    );
    const comments = () =>
      read<CommentsData>(relay.environment, incidentCommentsFragment, incident).comments!.edges.map((e) => e.node);
    const both = comments();
    expect(both.length).toBeGreaterThanOrEqual(3);
    expect(both.slice(0, 2).map((c) => c.id)).toEqual(page1!.edges.map((e) => e.node.id));
    expect(new Set(both.map((c) => c.id)).size).toBe(both.length);

    const connection = ConnectionHandler.getConnectionID(incident!.id, 'incidentComments_comments');
    const { addIncidentComment } = await relay.mutate<AddComment>(incidentCommentsAddMutation, {
      input: { incidentId, text: 'Appended by Relay.' },
      connections: [connection],
    });
    const after = comments();
    expect(after).toHaveLength(both.length + 1);
    expect(after.at(-1)).toMatchObject(addIncidentComment.comment);
    expect(after.at(-1)!.text).toContain('Appended by Relay.');
  });

  test("an operation refused as a whole reaches commitMutation's onError with the coded errors as error.source", async () => {
    const viewer = relayEnvironment(gw.url, await gw.as({ role: 'viewer' }));
    const refused: unknown = await viewer
      .mutate<Decide>(incidentListDecideMutation, { input: { responseId: 'any', status: 'CONFIRMED', comment: 'x' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as { source: { errors: unknown[] } }).source.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
  });

  test('a page size out of range: the connection is null in the store, its coded error in the payload', async () => {
    // A failed connection is null with its error at its path (never an empty page that reads as
    // "no incidents"), so Relay stores null there and the network layer holds the coded error.
    const data = await relay.query<ListQuery>(incidentListQuery, { first: 1000 });
    expect(relay.requests.at(-1)!.payload!.errors).toEqual([
      expect.objectContaining({ path: ['incidents'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    expect(read<ListData>(relay.environment, incidentListFragment, data).incidents).toBeNull();
  });
});

/** The object types that implement Node in the committed schema. */
const NODE_TYPES = (() => {
  const schema = buildSchema(readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
  return schema
    .getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType)
    .map((t) => t.name)
    .sort();
})();

/** A fragment's data as Relay's hooks read it: the selector of the reference, looked up in the store. */
function read<T>(environment: Environment, fragment: GraphQLTaggedNode, reference: unknown): T {
  const selector = getSelector(fragment as ReaderFragment, reference);
  if (!selector || selector.kind !== 'SingularReaderSelector') throw new Error('not a singular fragment reference');
  return environment.lookup(selector).data as T;
}
