import { Field, ObjectType } from 'type-graphql';

import type { PreventionRuleRecord, SensorIsolationRecord } from '../../domain/sensor';
import { PreventionRule, SensorIsolation } from './sensor.type';

@ObjectType()
export class SensorIsolationPayload {
  @Field()
  sensorId!: string;

  @Field(() => SensorIsolation, { nullable: true, description: 'The rule now in force; null once released.' })
  isolation!: SensorIsolationRecord | null;
}

@ObjectType()
export class PreventionRulesPayload {
  @Field({ description: 'The sensor, or "all".' })
  sensorId!: string;

  @Field(() => [PreventionRule], { description: 'Every prevention rule of the sensor after the change.' })
  rules!: PreventionRuleRecord[];
}
