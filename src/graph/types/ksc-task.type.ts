import { GraphQLJSON } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

import type { KscTaskRecord } from '../../domain/ksc';
import { Node } from './node.type';
import { Task } from './task.type';
import { Upstream } from './upstream-health.type';

@ObjectType({ implements: [Node, Task], description: 'A KSC task (group task or a task for chosen hosts).' })
export class KscTask implements Omit<KscTaskRecord, 'upstream' | 'groupId'> {
  id!: string;

  @Field({ description: 'The KSC task id.' })
  taskId!: string;

  @Field(() => Upstream)
  upstream!: Upstream;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true, description: 'TASK_NAME: the task type.' })
  typeName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The product's name, e.g. Kaspersky Endpoint Security for Windows.",
  })
  productName!: string | null;

  @Field(() => String, { nullable: true, description: 'The product code exactly as KSC gave it (KES, 1093, …).' })
  productCode!: string | null;
}

@ObjectType({ description: 'Get Task Statistics: how many hosts are in each state.' })
export class TaskStatistics {
  @Field(() => Int, { nullable: true })
  completedPercent!: number | null;

  @Field(() => GraphQLJSON, {
    description: 'Host counts by state: pending, running, completed, completedWithWarnings, failed, scheduled, paused.',
  })
  hostCountsByState!: Record<string, number>;
}
