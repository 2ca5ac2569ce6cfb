import { Field, InputType, Int } from 'type-graphql';

import { TrafficDirection } from '../types/sensor.type';

@InputType({
  description: 'All given fields must match. The host name is matched exactly (KATA is case-sensitive here).',
})
export class SensorFilter {
  @Field(() => String, { nullable: true })
  ipAddress?: string | null;

  @Field(() => String, { nullable: true })
  hostName?: string | null;

  @Field(() => String, { nullable: true })
  sensorId?: string | null;
}

@InputType()
export class PortRangeInput {
  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;
}

@InputType({ description: 'Traffic to keep allowed while the host is isolated.' })
export class IsolationExclusionInput {
  @Field(() => TrafficDirection)
  direction!: TrafficDirection;

  @Field(() => Int, { nullable: true, description: 'IP protocol number (6 TCP, 17 UDP); omit for any.' })
  protocol?: number | null;

  @Field(() => String, { nullable: true })
  remoteIpv4Address?: string | null;

  @Field(() => PortRangeInput, { nullable: true })
  localPorts?: PortRangeInput | null;

  @Field(() => PortRangeInput, { nullable: true })
  remotePorts?: PortRangeInput | null;
}

@InputType()
export class IsolateSensorInput {
  @Field()
  sensorId!: string;

  @Field(() => Int, { description: 'Isolation ends by itself after this many hours (1 to 9999).' })
  timeoutHours!: number;

  @Field(() => [IsolationExclusionInput], { nullable: true })
  exclusions?: IsolationExclusionInput[] | null;
}

@InputType()
export class ReleaseSensorIsolationInput {
  @Field()
  sensorId!: string;
}

@InputType({ description: 'A file hash: sha256 or md5 (one of them is required).' })
export class PreventionRuleInput {
  @Field(() => String, { nullable: true })
  sha256?: string | null;

  @Field(() => String, { nullable: true })
  md5?: string | null;

  @Field(() => String, { nullable: true, description: 'A description kept with the rule.' })
  name?: string | null;
}

@InputType()
export class PreventionRulesInput {
  @Field({ description: 'The sensor the rules apply to, or "all" for every sensor.' })
  sensorId!: string;

  @Field(() => [PreventionRuleInput])
  rules!: PreventionRuleInput[];
}
