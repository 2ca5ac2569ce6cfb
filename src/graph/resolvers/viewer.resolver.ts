import { Ctx, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import { mayUse } from '../../auth/permissions';
import type { Context } from '../context';
import { Viewer } from '../types/viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The caller: subject, roles, tenants and the mutations it may run.' })
  viewer(@Ctx() { caller }: Context, @Info() info: GraphQLResolveInfo): Viewer {
    // From the same table the authorization plugin checks, so the list cannot drift from it.
    const mutations = Object.keys(info.schema.getMutationType()?.getFields() ?? {});
    return {
      subject: caller.subject,
      roles: [...caller.roles],
      tenants: caller.tenants === null ? null : [...caller.tenants],
      allTenants: caller.tenants === null,
      allowedMutations: mutations.filter((field) => mayUse(caller, 'Mutation', field)).sort(),
    };
  }
}
