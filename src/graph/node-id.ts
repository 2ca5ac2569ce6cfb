import { BadInputError } from '../errors/gateway-error';

/**
 * Global ids: base64url of `<GraphQL type>:<vendor id>`. Opaque to clients, reversible here, so
 * node(id:) can route to the right upstream without a lookup table.
 */
export function toGlobalId(type: string, vendorId: string | number): string {
  return Buffer.from(`${type}:${vendorId}`, 'utf8').toString('base64url');
}

export function fromGlobalId(id: string): { type: string; vendorId: string } {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || !/^[A-Za-z]+$/.test(text.slice(0, colon))) {
    throw new BadInputError('The id is malformed.', { argument: 'id' });
  }
  return { type: text.slice(0, colon), vendorId: text.slice(colon + 1) };
}

/** Tags a record with its GraphQL type so interface fields (Node, Task) can resolve it. */
export function asNode<T extends object>(typename: string, record: T): T & { __typename: string } {
  return { ...record, __typename: typename };
}
