import { Field, Int, ObjectType } from 'type-graphql';

import type { IncidentPriority, IncidentResolution, IncidentStatus } from '../../domain/mdr';
import { Connection } from '../connections/connection';
import { IncidentPriorityEnum, IncidentResolutionEnum, IncidentStatusEnum } from './mdr-enums.type';
import { Node } from './node.type';

@ObjectType({ implements: Node, description: 'An MDR incident raised by the SOC.' })
export class Incident {
  id!: string;

  @Field()
  incidentId!: string;

  @Field(() => Int, { nullable: true, description: 'Shown as K-<number> in MDR mail and reports.' })
  incidentNumber!: number | null;

  @Field()
  summary!: string;

  @Field(() => IncidentPriorityEnum)
  priority!: IncidentPriority;

  @Field(() => IncidentStatusEnum)
  status!: IncidentStatus;

  @Field(() => IncidentResolutionEnum, { nullable: true })
  resolution!: IncidentResolution | null;

  @Field(() => String, { nullable: true })
  statusDescription!: string | null;

  @Field(() => String, { nullable: true })
  detectionTechnology!: string | null;

  @Field(() => String, { nullable: true })
  attackStage!: string | null;

  @Field(() => [String])
  mitreTactics!: string[];

  @Field(() => [String])
  mitreTechniques!: string[];

  @Field(() => String, { nullable: true, description: 'null for the root tenant.' })
  tenantName!: string | null;

  @Field(() => Date)
  creationTime!: Date;

  @Field(() => Date)
  updateTime!: Date;
}

@ObjectType()
export class IncidentConnection extends Connection(Incident) {}
