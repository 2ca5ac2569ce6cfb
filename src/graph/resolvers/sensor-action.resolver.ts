import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';

import type { PreventionRuleRecord } from '../../domain/sensor';
import { BadInputError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import {
  IsolateSensorInput,
  PreventionRuleInput,
  PreventionRulesInput,
  ReleaseSensorIsolationInput,
} from '../inputs/sensor.inputs';
import { PreventionRulesPayload, SensorIsolationPayload } from '../types/sensor-action.type';
import { PreventionRule } from '../types/sensor.type';

const SHA256 = /^[0-9a-f]{64}$/i;
const MD5 = /^[0-9a-f]{32}$/i;

/** Network isolation and prevention rules through KATA, where the vendor documents them. */
@Resolver()
export class SensorActionResolver {
  @Query(() => [PreventionRule], {
    description: 'KATA prevention rules of one sensor, or the global ones with sensorId "all".',
  })
  preventionRules(
    @Arg('sensorId', { defaultValue: 'all' }) sensorId: string,
    @Ctx() { upstreams }: Context,
  ): Promise<PreventionRuleRecord[]> {
    return requireUpstream(upstreams, 'kata').preventionRules(sensorId);
  }

  @Mutation(() => SensorIsolationPayload, {
    description:
      'Isolates a host from the network through its KATA sensor, with optional exclusions, for 1 to 9999 hours. A new call replaces the current rule.',
  })
  async isolateSensor(
    @Arg('input') input: IsolateSensorInput,
    @Ctx() { upstreams }: Context,
  ): Promise<SensorIsolationPayload> {
    if (!Number.isInteger(input.timeoutHours) || input.timeoutHours < 1 || input.timeoutHours > 9_999) {
      throw new BadInputError('timeoutHours must be from 1 to 9999.', { argument: 'input.timeoutHours' });
    }
    const isolation = await requireUpstream(upstreams, 'kata').isolate(input.sensorId, {
      autoTurnoffTimeoutSeconds: input.timeoutHours * 3_600,
      exclusions: (input.exclusions ?? []).map((e) => ({
        direction: e.direction,
        protocol: e.protocol ?? null,
        remoteIpv4Address: e.remoteIpv4Address ?? null,
        localPorts: e.localPorts ? { from: e.localPorts.from, to: e.localPorts.to } : null,
        remotePorts: e.remotePorts ? { from: e.remotePorts.from, to: e.remotePorts.to } : null,
      })),
    });
    return { sensorId: input.sensorId, isolation };
  }

  @Mutation(() => SensorIsolationPayload, {
    description: "Ends a sensor's network isolation (removes its KATA isolation rule).",
  })
  async releaseSensorIsolation(
    @Arg('input') input: ReleaseSensorIsolationInput,
    @Ctx() { upstreams }: Context,
  ): Promise<SensorIsolationPayload> {
    await requireUpstream(upstreams, 'kata').releaseIsolation(input.sensorId);
    return { sensorId: input.sensorId, isolation: null };
  }

  @Mutation(() => PreventionRulesPayload, {
    description:
      'Adds KATA prevention rules (file hashes not allowed to run) to a sensor or, with sensorId "all", to every sensor. Rules already present are kept once.',
  })
  async addPreventionRules(
    @Arg('input') input: PreventionRulesInput,
    @Ctx() { upstreams }: Context,
  ): Promise<PreventionRulesPayload> {
    const rules = await requireUpstream(upstreams, 'kata').addPreventionRules(input.sensorId, toRules(input.rules));
    return { sensorId: input.sensorId, rules };
  }

  @Mutation(() => PreventionRulesPayload, {
    description: 'Removes KATA prevention rules by hash from a sensor or from the global ("all") set.',
  })
  async removePreventionRules(
    @Arg('input') input: PreventionRulesInput,
    @Ctx() { upstreams }: Context,
  ): Promise<PreventionRulesPayload> {
    const rules = await requireUpstream(upstreams, 'kata').removePreventionRules(input.sensorId, toRules(input.rules));
    return { sensorId: input.sensorId, rules };
  }
}

function toRules(rules: PreventionRuleInput[]): PreventionRuleRecord[] {
  return rules.map((r, i) => {
    const sha256 = r.sha256?.toLowerCase() || null;
    const md5 = r.md5?.toLowerCase() || null;
    if ((!sha256 && !md5) || (sha256 && !SHA256.test(sha256)) || (md5 && !MD5.test(md5))) {
      throw new BadInputError('Each rule needs a sha256 (64 hex digits) or an md5 (32 hex digits).', {
        argument: `input.rules.${i}`,
      });
    }
    return { sha256, md5, name: r.name ?? null };
  });
}
