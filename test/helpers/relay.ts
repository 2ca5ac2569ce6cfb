import {
  Environment,
  Network,
  RecordSource,
  Store,
  commitMutation,
  createOperationDescriptor,
  fetchQuery,
  getRequest,
} from 'relay-runtime';
import type {
  Disposable,
  FetchFunction,
  GraphQLResponse,
  GraphQLTaggedNode,
  MutationParameters,
  OperationType,
  VariablesOf,
} from 'relay-runtime';

import type { GraphQLBody } from './gateway';

/** One request Relay's network layer sent (operation name, variables) and the payload it got. */
export interface RelayRequest {
  operationName: string;
  variables: Record<string, unknown>;
  payload?: GraphQLBody;
}

/**
 * A relay-runtime Environment whose network layer is the fetch function Relay's docs show
 * (POST `{ query, variables }` as JSON, the body read as the answer), plus a bearer token.
 */
export function relayEnvironment(url: string, headers: Record<string, string> = {}) {
  const requests: RelayRequest[] = [];
  const fetchFn: FetchFunction = async (params, variables) => {
    const request: RelayRequest = { operationName: params.name, variables };
    requests.push(request);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: params.text, variables }),
    });
    const payload = (await response.json()) as GraphQLBody;
    request.payload = payload;
    return payload as GraphQLResponse;
  };
  const environment = new Environment({ network: Network.create(fetchFn), store: new Store(new RecordSource()) });
  const retained: Disposable[] = [];
  return {
    environment,
    requests,
    /** fetchQuery, with the answer retained in the store (as a mounted query keeps it). */
    async query<Q extends OperationType>(query: GraphQLTaggedNode, variables: VariablesOf<Q>): Promise<Q['response']> {
      const data = await fetchQuery<Q>(environment, query, variables).toPromise();
      retained.push(environment.retain(createOperationDescriptor(getRequest(query), variables)));
      return data!;
    },
    /** commitMutation as a promise: the answer, or the error Relay reports to onError. */
    mutate<M extends MutationParameters>(
      mutation: GraphQLTaggedNode,
      variables: M['variables'],
    ): Promise<M['response']> {
      return new Promise((resolve, reject) => {
        commitMutation<M>(environment, {
          mutation,
          variables,
          onCompleted: (response, errors) =>
            errors?.length ? reject(new Error(`mutation errors: ${JSON.stringify(errors)}`)) : resolve(response),
          onError: reject,
        });
      });
    },
    release() {
      for (const disposable of retained.splice(0)) disposable.dispose();
    },
  };
}
