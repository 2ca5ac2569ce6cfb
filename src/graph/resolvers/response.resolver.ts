import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';

import type { AssetRecord, IncidentRecord, ResponseRecord } from '../../domain/mdr';
import { BadInputError, NotFoundError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import { UpdateResponseInput, UpdateResponsesInput } from '../inputs/mdr.inputs';
import { toGlobalId } from '../node-id';
import { Asset } from '../types/asset.type';
import { Incident } from '../types/incident.type';
import { Response, UpdateResponsePayload, UpdateResponsesPayload } from '../types/response.type';
import { visibleTo } from './mdr-scope';

/** A tenant-limited caller may only decide on responses of its tenants' incidents. */
async function checkScope(ids: readonly string[], { upstreams, caller }: Context): Promise<void> {
  if (caller.tenants === null) return;
  const found = await requireUpstream(upstreams, 'mdr').responsesWithinTenants(ids, [...caller.tenants]);
  if (ids.some((id) => !found.has(id))) throw new NotFoundError('No such response.');
}

/** Response ids are only unique with their incident (MDR has no response lookup by id alone). */
export const responseVendorId = (r: ResponseRecord) => `${r.incidentId ?? ''}/${r.responseId}`;

@Resolver(() => Response)
export class ResponseResolver {
  @FieldResolver(() => ID)
  id(@Root() response: ResponseRecord): string {
    return toGlobalId('Response', responseVendorId(response));
  }

  @FieldResolver(() => Asset, { nullable: true })
  async asset(@Root() response: ResponseRecord, @Ctx() { loaders, caller }: Context): Promise<AssetRecord | null> {
    if (!response.assetId) return null;
    // Through the host name the lookups of a whole page batch into one assets/list.
    const byName = response.assetHostName ? await loaders.assetByHostName.load(response.assetHostName) : null;
    const asset =
      byName?.assetId.toLowerCase() === response.assetId.toLowerCase()
        ? byName
        : await loaders.assetById.load(response.assetId);
    return asset && visibleTo(caller, asset.tenantName) ? asset : null;
  }

  @FieldResolver(() => Incident, { nullable: true })
  async incident(
    @Root() response: ResponseRecord,
    @Ctx() { loaders, caller }: Context,
  ): Promise<IncidentRecord | null> {
    if (!response.incidentId) return null;
    const incident = await loaders.incidentById.load(response.incidentId);
    return incident && visibleTo(caller, incident.tenantName) ? incident : null;
  }

  @Mutation(() => UpdateResponsePayload, {
    description:
      'Confirm or decline one proposed response. Safe to repeat: when the answer is lost, the error says the outcome is UNKNOWN.',
  })
  async updateResponse(@Arg('input', () => UpdateResponseInput) input: UpdateResponseInput, @Ctx() ctx: Context) {
    if (!input.responseId.trim())
      throw new BadInputError('responseId must not be empty.', { argument: 'input.responseId' });
    await checkScope([input.responseId], ctx);
    const { upstreams, caller } = ctx;
    const mdr = requireUpstream(upstreams, 'mdr');
    return { response: await mdr.updateResponse(input.responseId, input.status, input.comment, caller.subject) };
  }

  @Mutation(() => UpdateResponsesPayload, {
    description:
      'Confirm or decline several responses in one MDR call. Safe to repeat: when the answer is lost, the error says the outcome is UNKNOWN.',
  })
  async updateResponses(@Arg('input', () => UpdateResponsesInput) input: UpdateResponsesInput, @Ctx() ctx: Context) {
    if (input.responseIds.length === 0 || input.responseIds.length > 1_000) {
      throw new BadInputError('responseIds must hold 1 to 1000 ids.', { argument: 'input.responseIds' });
    }
    await checkScope(input.responseIds, ctx);
    const { upstreams, caller } = ctx;
    const mdr = requireUpstream(upstreams, 'mdr');
    return { responses: await mdr.updateResponses(input.responseIds, input.status, input.comment, caller.subject) };
  }
}
