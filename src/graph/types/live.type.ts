import { Field, ObjectType, registerEnumType } from 'type-graphql';

import type { KscEventRecord } from '../../domain/ksc';
import type { IncidentRecord, ResponseRecord } from '../../domain/mdr';
import type { TaskNode } from '../live/task-feed';
import { Incident } from './incident.type';
import { Event } from './ksc-event.type';
import { Response } from './response.type';
import { Task } from './task.type';

export enum ChangeKindEnum {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
}
registerEnumType(ChangeKindEnum, { name: 'ChangeKind', description: 'Whether a change made something new.' });

@ObjectType({ description: 'A new or changed MDR incident, as the live feed saw it.' })
export class IncidentChangeEvent {
  @Field({ description: 'Pass it back as `cursor` when resubscribing to receive only what came after this change.' })
  cursor!: string;

  @Field(() => ChangeKindEnum)
  kind!: ChangeKindEnum;

  @Field(() => [String], {
    description:
      'Incident fields that changed since the feed last saw it (status, priority, comments, …); empty when it had not.',
  })
  changedFields!: string[];

  @Field(() => Incident)
  incident!: IncidentRecord;
}

@ObjectType({ description: 'A new MDR response, or one whose status changed (confirmed, declined).' })
export class ResponseChangeEvent {
  @Field({ description: 'Pass it back as `cursor` when resubscribing to receive only what came after this change.' })
  cursor!: string;

  @Field(() => Response)
  response!: ResponseRecord;

  @Field(() => Incident)
  incident!: IncidentRecord;
}

@ObjectType({ description: 'A new Security Center event (a detection, an attack, a task that finished on a host).' })
export class KscEventChangeEvent {
  @Field({ description: 'Pass it back as `cursor` when resubscribing to receive only what came after this event.' })
  cursor!: string;

  @Field(() => Event)
  event!: KscEventRecord;
}

@ObjectType({ description: "A task's new state or progress." })
export class TaskChangeEvent {
  @Field({ description: 'Pass it back as `cursor` when resubscribing to receive only what came after this change.' })
  cursor!: string;

  @Field(() => Task)
  task!: TaskNode;
}
