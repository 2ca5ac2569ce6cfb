import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';

import { BadInputError, GatewayError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import { SetMdrRefreshTokenPayload } from '../types/mdr-session.type';

@Resolver()
export class MdrSessionResolver {
  @Mutation(() => SetMdrRefreshTokenPayload, {
    description:
      "Starts the gateway's MDR session again from a refresh token issued in the MDR console (after MDR refused the " +
      'old one): presented at once, shared with every replica. Administrators without a tenant scope only; audited, ' +
      'and the token is neither echoed nor logged.',
  })
  async setMdrRefreshToken(
    @Arg('refreshToken', () => String) refreshToken: string,
    @Ctx() { upstreams, caller }: Context,
  ): Promise<SetMdrRefreshTokenPayload> {
    // One MDR connection serves every tenant: replacing it is not a tenant administrator's call.
    if (caller.tenants !== null)
      throw new GatewayError('FORBIDDEN', 'Only an administrator of every tenant may replace the MDR session.');
    const token = refreshToken.trim();
    if (!token || token.length > 16_384)
      throw new BadInputError('refreshToken must be a token MDR issued.', { argument: 'refreshToken' });
    const mdr = requireUpstream(upstreams, 'mdr');
    return { accessTokenExpiresAt: await mdr.replaceRefreshToken(token) };
  }
}
