import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';

import type { AssetRecord, IncidentRecord, ResponseDetailsRecord, ResponseRecord } from '../../domain/mdr';
import { BadInputError, GatewayError, NotFoundError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import { UpdateResponseInput, UpdateResponsesInput } from '../inputs/mdr.inputs';
import { toGlobalId } from '../node-id';
import { Asset } from '../types/asset.type';
import { Incident } from '../types/incident.type';
import { ResponseDetails } from '../types/response-details.type';
import {
  Response,
  ResponseDecisionResult,
  UpdateResponsePayload,
  UpdateResponsesPayload,
} from '../types/response.type';
import { visibleTo } from './mdr-scope';

/** A response MDR no longer waits on cannot be decided again: the refusal names its current state. */
const decided = (r: ResponseRecord) =>
  new GatewayError('CONFLICT', `The response is already decided (${r.vendorStatus}).`, {
    details: { status: r.status, vendorStatus: r.vendorStatus },
  });

const itemError = (e: GatewayError) => ({ code: e.code, message: e.message });

/** Response ids are only unique with their incident (MDR has no response lookup by id alone). */
export const responseVendorId = (r: ResponseRecord) => `${r.incidentId ?? ''}/${r.responseId}`;

@Resolver(() => Response)
export class ResponseResolver {
  @FieldResolver(() => ID)
  id(@Root() response: ResponseRecord): string {
    return toGlobalId('Response', responseVendorId(response));
  }

  @FieldResolver(() => ResponseDetails, {
    nullable: true,
    description: 'What the response acts on, typed by response type; null for a type the gateway does not know.',
  })
  details(@Root() { details }: ResponseRecord): (ResponseDetailsRecord & { __typename: string }) | null {
    return details && { __typename: details.kind, ...details };
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
      'Confirm or decline one proposed response; one already decided is refused (CONFLICT) with its state. ' +
      'When the answer is lost, the error says the outcome is UNKNOWN (deciding again is safe).',
  })
  async updateResponse(
    @Arg('input', () => UpdateResponseInput) input: UpdateResponseInput,
    @Ctx() { upstreams, caller }: Context,
  ): Promise<UpdateResponsePayload> {
    if (!input.responseId.trim())
      throw new BadInputError('responseId must not be empty.', { argument: 'input.responseId' });
    const mdr = requireUpstream(upstreams, 'mdr');
    const current = (await mdr.responsesByIds([input.responseId])).get(input.responseId);
    if (!current) throw new NotFoundError('No such response.', { responseId: input.responseId });
    if (current.status !== 'PENDING') throw decided(current);
    return { response: await mdr.updateResponse(input.responseId, input.status, input.comment, caller.subject) };
  }

  @Mutation(() => UpdateResponsesPayload, {
    description:
      'Confirm or decline several responses in one MDR call. Each id answers its own result: unknown (NOT_FOUND) ' +
      'and already decided (CONFLICT) ones are named and left alone, the rest are still decided. ' +
      'When the answer is lost, the error says the outcome is UNKNOWN.',
  })
  async updateResponses(
    @Arg('input', () => UpdateResponsesInput) input: UpdateResponsesInput,
    @Ctx() { upstreams, caller }: Context,
  ): Promise<UpdateResponsesPayload> {
    const ids = input.responseIds;
    if (ids.length === 0 || ids.length > 1_000) {
      throw new BadInputError('responseIds must hold 1 to 1000 ids.', { argument: 'input.responseIds' });
    }
    const mdr = requireUpstream(upstreams, 'mdr');
    const current = await mdr.responsesByIds(ids);
    const open = [...new Set(ids.filter((id) => current.get(id)?.status === 'PENDING'))];
    const applied = open.length ? await mdr.updateResponses(open, input.status, input.comment, caller.subject) : [];
    const after = new Map(applied.map((r) => [r.responseId, r]));
    const results = ids.map((responseId): ResponseDecisionResult => {
      const now = current.get(responseId);
      if (!now) return { responseId, response: null, error: { code: 'NOT_FOUND', message: 'No such response.' } };
      if (now.status !== 'PENDING') return { responseId, response: now, error: itemError(decided(now)) };
      const done = after.get(responseId);
      return done
        ? { responseId, response: { ...done, incidentId: done.incidentId ?? now.incidentId }, error: null }
        : {
            responseId,
            response: now,
            error: { code: 'UPSTREAM_REJECTED', message: 'MDR did not report this decision.' },
          };
    });
    const decidedNow = results.flatMap((r) => (r.error || !r.response ? [] : [[r.responseId, r.response] as const]));
    return { responses: [...new Map(decidedNow).values()], results };
  }
}
