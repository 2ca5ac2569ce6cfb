import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { TaskStateName } from '../../domain/kata-task';
import type { KscEventRecord, KscTaskRecord, TaskStatisticsRecord } from '../../domain/ksc';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import type { Context } from '../context';
import { asNode, toGlobalId } from '../node-id';
import { EventConnection } from '../types/ksc-event.type';
import { KscTask, TaskStatistics } from '../types/ksc-task.type';
import { TaskState } from '../types/task.type';
import { PageArgs } from './host.resolver';
import { kscConnection } from './ksc-connection';

@Resolver(() => KscTask)
export class KscTaskResolver {
  @Query(() => KscTask, { nullable: true, description: 'A KSC task by id; null when KSC has none.' })
  async kscTask(@Arg('taskId') taskId: string, @Ctx() { loaders }: Context): Promise<KscTaskRecord | null> {
    const task = await loaders.kscTask.load(taskId);
    return task && asNode('KscTask', task);
  }

  @FieldResolver(() => ID)
  id(@Root() task: KscTaskRecord): string {
    return toGlobalId('KscTask', task.taskId);
  }

  @FieldResolver(() => TaskState, { description: "Over all the task's hosts (from Get Task Statistics)." })
  async state(@Root() task: KscTaskRecord, @Ctx() { loaders }: Context): Promise<TaskStateName> {
    return (await loaders.kscTaskStatistics.load(task.taskId)).state;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "KSC's dominant host state (Running, Completed, Failed, …).",
  })
  async vendorState(@Root() task: KscTaskRecord, @Ctx() { loaders }: Context): Promise<string | null> {
    return (await loaders.kscTaskStatistics.load(task.taskId)).vendorState;
  }

  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description: 'Get Task Settings: the task data as KSC returned it.',
  })
  settings(@Root() task: KscTaskRecord, @Ctx() { upstreams }: Context): Promise<Record<string, unknown> | null> {
    return requireUpstream(upstreams, 'ksc').taskSettings(task.taskId);
  }

  @FieldResolver(() => TaskStatistics, { nullable: true, description: 'Get Task Statistics.' })
  statistics(@Root() task: KscTaskRecord, @Ctx() { loaders }: Context): Promise<TaskStatisticsRecord> {
    return loaders.kscTaskStatistics.load(task.taskId);
  }

  @FieldResolver(() => EventConnection, {
    nullable: true,
    description: 'Get Task History: task state events, newest first.',
  })
  history(
    @Root() task: KscTaskRecord,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<KscEventRecord>> {
    return kscConnection('ksc-task-history', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').taskHistory(task.taskId, offset, count),
    );
  }
}
