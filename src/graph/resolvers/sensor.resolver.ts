import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { PreventionRuleRecord, SensorIsolationRecord, SensorRecord } from '../../domain/sensor';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import { SensorFilter } from '../inputs/sensor.inputs';
import { toGlobalId } from '../node-id';
import { PreventionRule, Sensor, SensorIsolation } from '../types/sensor.type';

@Resolver(() => Sensor)
export class SensorResolver {
  @Query(() => [Sensor], { description: 'KATA sensors (Endpoint Agents), optionally filtered.' })
  async sensors(
    @Arg('filter', () => SensorFilter, { nullable: true }) filter: SensorFilter | null,
    @Ctx() { upstreams, loaders }: Context,
  ): Promise<SensorRecord[]> {
    if (!filter || (!filter.ipAddress && !filter.hostName && !filter.sensorId)) return loaders.allSensors();
    return requireUpstream(upstreams, 'kata').listSensors(filter);
  }

  @FieldResolver(() => ID)
  id(@Root() sensor: SensorRecord): string {
    return toGlobalId('Sensor', sensor.sensorId);
  }

  @FieldResolver(() => SensorIsolation, {
    nullable: true,
    description: 'The network isolation rule KATA holds for this sensor; null when none. One KATA call per sensor.',
  })
  networkIsolation(@Root() sensor: SensorRecord, @Ctx() { upstreams }: Context): Promise<SensorIsolationRecord | null> {
    return requireUpstream(upstreams, 'kata').isolation(sensor.sensorId);
  }

  @FieldResolver(() => [PreventionRule], {
    description: 'Prevention rules of this sensor (not the global "all" ones). One KATA call per sensor.',
  })
  preventionRules(@Root() sensor: SensorRecord, @Ctx() { upstreams }: Context): Promise<PreventionRuleRecord[]> {
    return requireUpstream(upstreams, 'kata').preventionRules(sensor.sensorId);
  }
}
