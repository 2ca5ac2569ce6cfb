import { Field, ObjectType } from 'type-graphql';

import type { KataTaskRecord, TaskStateName } from '../../domain/kata-task';
import { Node } from './node.type';
import { Task, TaskState } from './task.type';
import { Upstream } from './upstream-health.type';

@ObjectType({ implements: [Node, Task], description: 'A KATA run-process task on one sensor.' })
export class KataTask implements Omit<KataTaskRecord, 'upstream'> {
  id!: string;

  @Field({ description: 'The KATA task id (a UUID).' })
  taskId!: string;

  @Field(() => Upstream)
  upstream!: Upstream;

  @Field(() => TaskState)
  state!: TaskStateName;

  @Field(() => String, { nullable: true, description: 'The state exactly as KATA gave it.' })
  vendorState!: string | null;

  sensorId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the process was last started; null before the first start.' })
  latestStartTime!: Date | null;

  @Field(() => String, { nullable: true })
  execCommand!: string | null;

  @Field(() => String, { nullable: true })
  cmdLineParameters!: string | null;

  @Field(() => String, { nullable: true })
  workingDirectory!: string | null;

  @Field(() => Boolean, { nullable: true })
  startNow!: boolean | null;
}

@ObjectType()
export class CreateKataTaskPayload {
  @Field(() => KataTask)
  task!: KataTaskRecord;
}

@ObjectType()
export class DeleteKataTaskPayload {
  @Field()
  deletedTaskId!: string;
}
