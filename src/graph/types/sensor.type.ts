import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

import type {
  IsolationExclusionRecord,
  PreventionRuleRecord,
  SensorIsolationRecord,
  SensorRecord,
} from '../../domain/sensor';
import { Node } from './node.type';

@ObjectType({
  implements: Node,
  description: 'A KATA Endpoint Agent sensor: the agent on one host that KATA relays response actions to.',
})
export class Sensor implements SensorRecord {
  id!: string;

  @Field({ description: 'The KATA sensor id (a UUID).' })
  sensorId!: string;

  @Field(() => String, { nullable: true })
  hostName!: string | null;

  @Field(() => String, { nullable: true })
  ipAddress!: string | null;

  @Field(() => String, { nullable: true })
  osName!: string | null;

  @Field(() => String, { nullable: true })
  osFamily!: string | null;

  @Field(() => String, { nullable: true, description: 'Version of the Endpoint Agent.' })
  version!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the agent last talked to KATA.' })
  lastAccessTime!: Date | null;

  @Field(() => [String], {
    description: 'Response actions this agent relays, as KATA names them: network_isolation, prevention, run_process.',
  })
  capabilities!: string[];
}

export enum TrafficDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
  BOTH = 'BOTH',
}
registerEnumType(TrafficDirection, { name: 'TrafficDirection' });

@ObjectType({ description: 'An inclusive port range.' })
export class PortRange {
  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;
}

@ObjectType({ description: 'Traffic that keeps flowing while the host is isolated.' })
export class IsolationExclusion implements IsolationExclusionRecord {
  @Field(() => TrafficDirection)
  direction!: IsolationExclusionRecord['direction'];

  @Field(() => Int, { nullable: true, description: 'IP protocol number (6 TCP, 17 UDP); null for any.' })
  protocol!: number | null;

  @Field(() => String, { nullable: true })
  remoteIpv4Address!: string | null;

  @Field(() => PortRange, { nullable: true })
  localPorts!: { from: number; to: number } | null;

  @Field(() => PortRange, { nullable: true })
  remotePorts!: { from: number; to: number } | null;
}

@ObjectType({
  description:
    'A network isolation rule of a sensor, as KATA stores it. KATA keeps the rule after its timeout ends; releaseSensorIsolation removes it.',
})
export class SensorIsolation implements SensorIsolationRecord {
  @Field()
  sensorId!: string;

  @Field(() => Int, { nullable: true, description: 'Isolation ends by itself after this many seconds.' })
  autoTurnoffTimeoutSeconds!: number | null;

  @Field(() => [IsolationExclusion])
  exclusions!: IsolationExclusionRecord[];
}

@ObjectType({ description: 'A KATA prevention rule: files with this hash are not allowed to run.' })
export class PreventionRule implements PreventionRuleRecord {
  @Field(() => String, { nullable: true })
  sha256!: string | null;

  @Field(() => String, { nullable: true })
  md5!: string | null;

  @Field(() => String, { nullable: true, description: 'A description kept with the rule.' })
  name!: string | null;
}
