import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

import type { EventSeverityName, KscEventRecord } from '../../domain/ksc';
import { Connection } from '../connections/connection';
import { Node } from './node.type';

export enum EventSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  ERROR = 'ERROR',
  CRITICAL = 'CRITICAL',
}
registerEnumType(EventSeverity, { name: 'EventSeverity', description: 'GNRL_EA_SEVERITY 1–4.' });

@ObjectType({ implements: Node, description: 'A KSC event.' })
export class Event implements KscEventRecord {
  id!: string;

  @Field()
  eventId!: string;

  @Field()
  eventType!: string;

  @Field(() => String, { nullable: true })
  eventTypeDisplayName!: string | null;

  @Field(() => EventSeverity)
  severity!: EventSeverityName;

  @Field(() => String, { nullable: true, description: 'The host display name (hostdn).' })
  hostName!: string | null;

  hostId!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field()
  riseTime!: Date;

  @Field(() => String, {
    nullable: true,
    description: "The product's name, e.g. Kaspersky Endpoint Security for Windows.",
  })
  productName!: string | null;

  @Field(() => String, { nullable: true, description: 'The product code exactly as KSC gave it (KES, 1093, …).' })
  productCode!: string | null;

  @Field(() => String, { nullable: true })
  taskDisplayName!: string | null;

  @Field(() => GraphQLJSON, { description: 'Every attribute KSC returned, as it came.' })
  attributes!: Record<string, unknown>;
}

@ObjectType()
export class EventConnection extends Connection(Event) {}
