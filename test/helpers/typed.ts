import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

import type { TestGateway } from './gateway';

/**
 * Runs one of the generated typed documents (examples/generated): the operation text is printed
 * from the document, and the result is typed by it, exactly as a frontend would use it.
 */
export async function runTyped<Result, Variables extends Record<string, unknown>>(
  gw: TestGateway,
  document: TypedDocumentNode<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
): Promise<Result> {
  return gw.gql<Result & Record<string, any>>(print(document), variables as Record<string, unknown> | undefined);
}
