import { CombinedGraphQLErrors, ServerError, gql } from '@apollo/client';
import type { ApolloClient, ObservableQuery, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { filter, firstValueFrom, map } from 'rxjs';

import {
  CommentOnIncidentDocument,
  DecideResponseDocument,
  DeleteKataTaskDocument,
  HostPageDocument,
  IncidentDetailDocument,
  IsolateHostsDocument,
  PollTaskDocument,
  RunProcessDocument,
  TriageIncidentsDocument,
  UpstreamHealthDocument,
} from '../../examples/generated/graphql';
import { apolloClient } from '../helpers/apollo';
import type { HttpExchange } from '../helpers/apollo';
import { startTestEstate } from '../helpers/gateway';
import type { TestEstate, TestGateway } from '../helpers/gateway';

/** What Apollo Client 4's HttpLink asks for when nothing overrides it. */
const APOLLO_DEFAULT_ACCEPT = 'application/graphql-response+json,application/json;q=0.9';

/**
 * Apollo Client 4 (no React: ApolloClient, HttpLink on Node's fetch, InMemoryCache with
 * relayStylePagination on every connection field) against the real gateway and all three
 * simulators, with the example typed documents a frontend ships.
 */
describe('Apollo Client against the gateway', () => {
  let estate: TestEstate;
  let gw: TestGateway;
  let admin: Record<string, string>;
  let warnings: jest.SpyInstance[];

  beforeAll(async () => {
    loadDevMessages();
    loadErrorMessages();
    estate = await startTestEstate();
    gw = estate.gw;
    admin = await gw.as({ role: 'administrator' });
  });
  afterAll(async () => {
    await estate?.stop();
  });

  // Apollo reports cache trouble (missing fields, data lost on merge, unmatched fragments) on the console.
  beforeEach(() => {
    warnings = (['warn', 'error'] as const).map((level) => jest.spyOn(console, level));
  });
  afterEach(() => {
    const said = warnings.flatMap((spy) => spy.mock.calls);
    for (const spy of warnings) spy.mockRestore();
    expect(said).toEqual([]);
  });

  /** Runs a query and checks that what Apollo hands the app is exactly what the gateway sent. */
  async function queryAsSent<T, V extends OperationVariables>(
    client: ApolloClient,
    exchanges: HttpExchange[],
    query: TypedDocumentNode<T, V>,
    variables?: V,
  ): Promise<T> {
    const before = exchanges.length;
    const options = { query, variables, fetchPolicy: 'network-only' } as ApolloClient.QueryOptions<T, V>;
    const { data } = await client.query(options);
    expect(exchanges).toHaveLength(before + 1);
    expect(data).toEqual(exchanges.at(-1)!.response.data);
    return data as T;
  }

  async function mutateAsSent<T, V extends OperationVariables>(
    client: ApolloClient,
    exchanges: HttpExchange[],
    mutation: TypedDocumentNode<T, V>,
    variables: V,
  ): Promise<T> {
    const { data } = await client.mutate({ mutation, variables } as ApolloClient.MutateOptions<T, V>);
    expect(data).toEqual(exchanges.at(-1)!.response.data);
    return data as T;
  }

  test('every example typed document answers through Apollo Client exactly what the gateway sent', async () => {
    const { client, exchanges } = apolloClient(gw.url, admin);

    const { upstreams } = await queryAsSent(client, exchanges, UpstreamHealthDocument);
    expect(upstreams.map((u) => [u.upstream, u.reachable])).toEqual([
      ['MDR', true],
      ['KSC', true],
      ['KATA', true],
    ]);

    const { incidents } = await queryAsSent(client, exchanges, TriageIncidentsDocument, {
      first: 10,
      filter: { statuses: ['OPEN'], responseStatuses: ['PENDING'] },
    });
    const withPending = incidents!.edges
      .map((e) => e.node)
      .find((i) => i.responses!.nodes.some((r) => r.status === 'PENDING'))!;
    expect(withPending).toBeDefined();
    const { incident } = await queryAsSent(client, exchanges, IncidentDetailDocument, {
      incidentId: withPending.incidentId,
      format: 'HTML',
    });
    expect(incident).toMatchObject({ id: withPending.id, __typename: 'Incident' });

    const pending = incident!.responses!.nodes.find((r) => r.status === 'PENDING')!;
    const { updateResponse } = await mutateAsSent(client, exchanges, DecideResponseDocument, {
      input: { responseId: pending.responseId, status: 'CONFIRMED', comment: 'Go ahead.' },
    });
    expect(updateResponse.response).toMatchObject({ id: pending.id, status: 'CONFIRMED' });
    const { addIncidentComment } = await mutateAsSent(client, exchanges, CommentOnIncidentDocument, {
      input: { incidentId: withPending.incidentId, text: 'Confirmed the isolation.' },
    });
    expect(addIncidentComment.comment.text).toContain('Confirmed the isolation.');

    const { hosts } = await queryAsSent(client, exchanges, HostPageDocument, { first: 20 });
    expect(hosts!.edges).toHaveLength(20);
    const { isolateHosts } = await mutateAsSent(client, exchanges, IsolateHostsDocument, {
      input: { hostIds: [hosts!.edges[0]!.node.hostId], timeoutMinutes: 30 },
    });
    expect(isolateHosts.task?.id).toBeTruthy();

    const [sensor] = (await gw.gql<{ sensors: { sensorId: string }[] }>('{ sensors { sensorId } }')).sensors;
    const { createKataTask } = await mutateAsSent(client, exchanges, RunProcessDocument, {
      input: { sensorId: sensor!.sensorId, execCommand: 'cmd.exe', cmdLineParameters: '/c ver' },
    });
    const { node } = await queryAsSent(client, exchanges, PollTaskDocument, { id: createKataTask.task.id });
    expect(node).toMatchObject({ __typename: 'KataTask', id: createKataTask.task.id, upstream: 'KATA' });
    await mutateAsSent(client, exchanges, DeleteKataTaskDocument, { input: { taskId: createKataTask.task.taskId } });
    expect((await queryAsSent(client, exchanges, PollTaskDocument, { id: createKataTask.task.id })).node).toBeNull();

    // Every request went out as Apollo makes it, and came back 200 as GraphQL over HTTP JSON.
    expect(exchanges.map((e) => [e.headers.get('accept'), e.headers.get('content-type'), e.status])).toEqual(
      exchanges.map(() => [APOLLO_DEFAULT_ACCEPT, 'application/json', 200]),
    );
    expect(exchanges.every((e) => e.contentType?.startsWith('application/graphql-response+json'))).toBe(true);
  });

  test('fetchMore loads the second page and relayStylePagination merges it after the first', async () => {
    const { client, exchanges } = apolloClient(gw.url, admin);
    const variables = { first: 5, filter: { statuses: ['OPEN' as const] } };
    const observable = client.watchQuery({ query: TriageIncidentsDocument, variables });
    const firstPage = shown(observable);
    const subscription = observable.subscribe(() => {});
    try {
      const page1 = (await firstPage).incidents;
      expect(page1!.edges).toHaveLength(5);
      expect(page1!.pageInfo.hasNextPage).toBe(true);
      expect(exchanges).toHaveLength(1);

      const more = await observable.fetchMore({ variables: { after: page1!.pageInfo.endCursor } });
      const page2 = more.data!.incidents;
      expect(page2!.edges).toHaveLength(5);
      expect(exchanges).toHaveLength(2);
      expect(exchanges[1]!.body.variables).toEqual({ ...variables, after: page1!.pageInfo.endCursor });

      // The watched query shows both pages once the cache broadcasts the merge.
      const merged = (await shown(observable, (data) => data.incidents!.edges.length > 5)).incidents;
      expect(ids(merged!.edges)).toEqual([...ids(page1!.edges), ...ids(page2!.edges)]);
      expect(new Set(ids(merged!.edges)).size).toBe(10);
      expect(merged!.pageInfo).toMatchObject({ endCursor: page2!.pageInfo.endCursor, hasNextPage: true });
      expect(merged!.totalCount).toBe(page1!.totalCount);

      // The same ten, in the same order, as one page of ten straight from the gateway.
      const direct = await gw.gql(
        'query($f: IncidentFilter) { incidents(first: 10, filter: $f) { edges { node { id } } } }',
        { f: variables.filter },
      );
      expect(ids(merged!.edges)).toEqual(ids(direct.incidents!.edges));

      // The cache answers the merged list without going back to the network.
      const cached = client.readQuery({ query: TriageIncidentsDocument, variables });
      expect(ids(cached!.incidents!.edges)).toEqual(ids(merged!.edges));
      expect(exchanges).toHaveLength(2);
    } finally {
      subscription.unsubscribe();
    }
  });

  test("a mutation's answer updates, by __typename and id, the objects watched queries already show", async () => {
    const { client, cache, exchanges } = apolloClient(gw.url, admin);
    const triage = client.watchQuery({
      query: TriageIncidentsDocument,
      variables: { first: 10, filter: { statuses: ['OPEN'], responseStatuses: ['PENDING'] } },
    });
    const loaded = shown(triage);
    const subscription = triage.subscribe(() => {});
    try {
      const incidents = (await loaded).incidents!.edges.map((e) => e.node);
      const incident = incidents.find((i) => i.responses!.nodes.some((r) => r.status === 'PENDING'))!;
      const response = incident.responses!.nodes.find((r) => r.status === 'PENDING')!;
      const responseRef = cache.identify({ __typename: 'Response', id: response.id })!;
      expect(responseRef).toBe(`Response:${response.id}`);
      expect(cache.extract()[responseRef]).toMatchObject({
        __typename: 'Response',
        id: response.id,
        status: 'PENDING',
      });

      const requests = exchanges.length;
      await client.mutate({
        mutation: DecideResponseDocument,
        variables: { input: { responseId: response.responseId, status: 'DECLINED', comment: 'Not now.' } },
      });
      expect(cache.extract()[responseRef]).toMatchObject({ status: 'DECLINED', comment: 'Not now.' });
      const statusShown = (data: ResultOf<typeof TriageIncidentsDocument>) =>
        data.incidents!.edges.flatMap((e) => e.node.responses!.nodes).find((r) => r.id === response.id)?.status;
      expect(statusShown(await shown(triage, (data) => statusShown(data) !== 'PENDING'))).toBe('DECLINED');
      expect(exchanges).toHaveLength(requests + 1);

      // A comment's payload carries the incident: the cached detail shows the new comment at once.
      const detail = client.watchQuery({
        query: IncidentDetailDocument,
        variables: { incidentId: incident.incidentId },
      });
      const detailLoaded = shown(detail);
      const detailSub = detail.subscribe(() => {});
      try {
        const before = (await detailLoaded).incident!.comments!.nodes.length;
        const { data: added } = await client.mutate({
          mutation: COMMENT_WITH_INCIDENT,
          variables: { input: { incidentId: incident.incidentId, text: 'Declined: production server.' } },
        });
        const comment = added!.addIncidentComment.comment;
        expect(cache.extract()[cache.identify(comment)!]).toMatchObject({
          __typename: 'Comment',
          commentId: comment.commentId,
        });
        const comments = (await shown(detail, (data) => data.incident!.comments!.nodes.length !== before)).incident!
          .comments!.nodes;
        expect(comments).toHaveLength(before + 1);
        expect(comments.at(-1)).toMatchObject({
          id: comment.id,
          text: expect.stringContaining('Declined: production server.'),
        });
      } finally {
        detailSub.unsubscribe();
      }
    } finally {
      subscription.unsubscribe();
    }
  });

  test('ids are global: no two cached objects of different types share one, and node(id:) gives each back', async () => {
    const { client, cache, exchanges } = apolloClient(gw.url, admin);
    const { incidents } = await queryAsSent(client, exchanges, TriageIncidentsDocument, { first: 25 });
    await queryAsSent(client, exchanges, IncidentDetailDocument, { incidentId: incidents!.edges[0]!.node.incidentId });
    await queryAsSent(client, exchanges, HostPageDocument, { first: 25 });
    const [sensor] = (await gw.gql<{ sensors: { sensorId: string }[] }>('{ sensors { sensorId } }')).sensors;
    await client.mutate({
      mutation: RunProcessDocument,
      variables: { input: { sensorId: sensor!.sensorId, execCommand: 'cmd.exe' } },
    });

    const typesById = new Map<string, Set<string>>();
    for (const [key, value] of Object.entries(cache.extract())) {
      const { __typename, id } = value as { __typename?: string; id?: string };
      if (typeof id !== 'string') continue;
      expect(key).toBe(`${__typename}:${id}`);
      typesById.set(id, (typesById.get(id) ?? new Set()).add(__typename!));
    }
    const typenames = new Set([...typesById.values()].flatMap((t) => [...t]));
    expect([...typenames].sort()).toEqual([
      'Asset',
      'Comment',
      'Host',
      'HostGroup',
      'Incident',
      'KataTask',
      'Response',
      'Sensor',
    ]);
    expect([...typesById].filter(([, types]) => types.size > 1)).toEqual([]);

    const oneOfEach = [...typenames].map((t) => [...typesById].find(([, types]) => types.has(t))![0]);
    const { data } = await client.query({
      query: gql`
        query NodesAgain($ids: [ID!]!) {
          nodes(ids: $ids) {
            id
          }
        }
      ` as TypedDocumentNode<{ nodes: ({ __typename: string; id: string } | null)[] }, { ids: string[] }>,
      variables: { ids: oneOfEach },
    });
    expect(data!.nodes.map((n) => n && [n.__typename, n.id])).toEqual(
      oneOfEach.map((id) => [[...typesById.get(id)!][0], id]),
    );
  });

  describe('errors reach Apollo Client as GraphQL errors with their code, not as network errors', () => {
    async function failure(client: ApolloClient, run: (client: ApolloClient) => Promise<unknown>) {
      const error = await run(client).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(CombinedGraphQLErrors.is(error)).toBe(true);
      expect(ServerError.is(error)).toBe(false);
      return (error as CombinedGraphQLErrors).errors;
    }

    test("a viewer's mutation: FORBIDDEN (HTTP 403 as application/graphql-response+json)", async () => {
      const { client, exchanges } = apolloClient(gw.url, await gw.as({ role: 'viewer' }));
      const errors = await failure(client, (c) =>
        c.mutate({ mutation: CommentOnIncidentDocument, variables: { input: { incidentId: 'any', text: 'x' } } }),
      );
      expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
      expect(exchanges.map((e) => [e.headers.get('accept'), e.status])).toEqual([[APOLLO_DEFAULT_ACCEPT, 403]]);
      expect(exchanges[0]!.contentType).toMatch(/^application\/graphql-response\+json/);
    });

    test('a page size out of range: BAD_USER_INPUT at the connection field', async () => {
      const { client } = apolloClient(gw.url, admin);
      const errors = await failure(client, (c) =>
        c.query({ query: TriageIncidentsDocument, variables: { first: 1000 } }),
      );
      expect(errors).toEqual([
        expect.objectContaining({
          path: ['incidents'],
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    });

    test('a variable of the wrong type and a field the schema lacks: BAD_USER_INPUT and GRAPHQL_VALIDATION_FAILED', async () => {
      const { client, exchanges } = apolloClient(gw.url, admin);
      const badVariable = await failure(client, (c) =>
        c.query({ query: TriageIncidentsDocument, variables: { first: 'ten' as unknown as number } }),
      );
      expect(badVariable).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      ]);
      const unknownField = await failure(client, (c) =>
        c.query({
          query: gql`
            query NoSuchField {
              incidents {
                colour
              }
            }
          `,
        }),
      );
      expect(unknownField).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) }),
      ]);
      expect(exchanges.map((e) => e.status)).toEqual([400, 400]);
    });

    test('no token: UNAUTHENTICATED (HTTP 401)', async () => {
      const { client, exchanges } = apolloClient(gw.url, { authorization: '' });
      const errors = await failure(client, (c) => c.query({ query: UpstreamHealthDocument }));
      expect(errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
      ]);
      expect(exchanges.map((e) => e.status)).toEqual([401]);
    });
  });
});

/** The first complete result a watched query shows (that passes `test`, if given). */
function shown<T, V extends OperationVariables>(
  observable: ObservableQuery<T, V>,
  test: (data: T) => boolean = () => true,
): Promise<T> {
  return firstValueFrom(
    observable.pipe(
      filter((result) => result.dataState === 'complete' && test(result.data as T)),
      map((result) => result.data as T),
    ),
  );
}

const ids = (edges: readonly { node: { id: string } }[]) => edges.map((e) => e.node.id);

/** The example comment mutation, also asking for the incident's comments as IncidentDetail shows them. */
const COMMENT_WITH_INCIDENT = gql`
  mutation CommentWithIncident($input: AddIncidentCommentInput!) {
    addIncidentComment(input: $input) {
      comment {
        id
        commentId
      }
      incident {
        id
        comments(first: 50) {
          nodes {
            id
            commentId
            authorName
            text(format: MARKDOWN)
            creationTime
          }
        }
      }
    }
  }
` as TypedDocumentNode<
  { addIncidentComment: { comment: { __typename: 'Comment'; id: string; commentId: string } } },
  { input: { incidentId: string; text: string } }
>;
