import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType } from 'graphql';
import type { GraphQLInputType } from 'graphql';

import { ROLES } from '../../src/domain/caller';
import { buildGatewaySchema } from '../../src/graph/schema';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

/** A value of `type` the schema accepts: required fields only, one item per list. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  return { Int: 1, Float: 1, Boolean: true, ID: 'x' }[named.name] ?? 'x';
}

describe('viewer', () => {
  let gw: TestGateway;
  const mutation = buildGatewaySchema().getMutationType()!;

  // No upstream is configured: an allowed mutation gets as far as UPSTREAM_NOT_CONFIGURED (or a
  // refusal of its input) and changes nothing anywhere.
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.stop());

  test.each(ROLES)('allowedMutations of a %s is exactly what the authorization lets it run', async (role) => {
    const headers = await gw.as({ role, tenants: ['Northwind Retail'], subject: `someone-${role}` });
    const { viewer } = await gw.gql('{ viewer { subject roles tenants allTenants allowedMutations } }', {}, headers);
    expect(viewer).toMatchObject({
      subject: `someone-${role}`,
      roles: [role],
      tenants: ['Northwind Retail'],
      allTenants: false,
    });

    const allowed: string[] = [];
    for (const field of Object.values(mutation.getFields())) {
      const args = field.args.filter((a) => isNonNullType(a.type));
      const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type)]));
      const signature = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const { status, body } = await gw.gqlRaw(
        `mutation${signature ? `(${signature})` : ''} { ${field.name}${call ? `(${call})` : ''} { __typename } }`,
        variables,
        headers,
      );
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes).not.toContain('GRAPHQL_VALIDATION_FAILED');
      expect(codes).not.toContain('BAD_USER_INPUT_VARIABLES');
      if (status === 403) expect(codes).toEqual(['FORBIDDEN']);
      else allowed.push(field.name);
    }
    expect(viewer.allowedMutations).toEqual(allowed.sort());
    // Replacing the MDR session acts on what every tenant shares: not a tenant administrator's call.
    expect(viewer.allowedMutations).not.toContain('setMdrRefreshToken');
  });

  test('a viewer may run no mutation and an administrator every one', async () => {
    const ask = async (role: (typeof ROLES)[number]) =>
      (await gw.gql('{ viewer { allowedMutations } }', {}, await gw.as({ role }))).viewer.allowedMutations;
    expect(await ask('viewer')).toEqual([]);
    expect(await ask('administrator')).toEqual(Object.keys(mutation.getFields()).sort());
  });
});
