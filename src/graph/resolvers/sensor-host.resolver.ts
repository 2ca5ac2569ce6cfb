import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { HostRecord } from '../../domain/ksc';
import type { SensorRecord } from '../../domain/sensor';
import type { Context } from '../context';
import { Host } from '../types/host.type';
import { Sensor } from '../types/sensor.type';

/** Sensor.host: the KSC host with the sensor's host name (one batched FindHosts per page of sensors). */
@Resolver(() => Sensor)
export class SensorHostResolver {
  @FieldResolver(() => Host, {
    nullable: true,
    description: 'The KSC host with the same name, when KSC is configured.',
  })
  host(@Root() sensor: SensorRecord, @Ctx() { upstreams, loaders }: Context): Promise<HostRecord | null> | null {
    // A cross-source join is optional by nature: null (no error) when KSC is not configured.
    return upstreams.ksc && sensor.hostName ? loaders.hostByName.load(sensor.hostName) : null;
  }
}
