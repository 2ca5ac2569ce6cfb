import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import type { KataTaskRecord } from '../../domain/kata-task';
import type { SensorRecord } from '../../domain/sensor';
import { requireUpstream } from '../../upstreams';
import type { Context } from '../context';
import { CreateKataTaskInput, DeleteKataTaskInput } from '../inputs/kata-task.inputs';
import { asNode, toGlobalId } from '../node-id';
import { CreateKataTaskPayload, DeleteKataTaskPayload, KataTask } from '../types/kata-task.type';
import { Sensor } from '../types/sensor.type';

@Resolver(() => KataTask)
export class KataTaskResolver {
  @Query(() => KataTask, {
    nullable: true,
    description: 'A KATA run-process task; null when KATA has none with this id (e.g. deleted).',
  })
  async kataTask(@Arg('taskId') taskId: string, @Ctx() { upstreams }: Context): Promise<KataTaskRecord | null> {
    const task = await requireUpstream(upstreams, 'kata').getTask(taskId);
    return task && asNode('KataTask', task);
  }

  @Mutation(() => CreateKataTaskPayload, {
    description:
      "Runs a process on a sensor's host (KATA run_process task). Idempotent by taskId: the gateway makes one unless given, and a retry with the same taskId returns the task already created.",
  })
  async createKataTask(
    @Arg('input') input: CreateKataTaskInput,
    @Ctx() { upstreams }: Context,
  ): Promise<CreateKataTaskPayload> {
    const task = await requireUpstream(upstreams, 'kata').createTask(input);
    return { task: asNode('KataTask', task) };
  }

  @Mutation(() => DeleteKataTaskPayload, {
    description: 'Deletes a KATA task. Idempotent: deleting a task that no longer exists succeeds.',
  })
  async deleteKataTask(
    @Arg('input') input: DeleteKataTaskInput,
    @Ctx() { upstreams }: Context,
  ): Promise<DeleteKataTaskPayload> {
    await requireUpstream(upstreams, 'kata').deleteTask(input.taskId);
    return { deletedTaskId: input.taskId };
  }

  @FieldResolver(() => ID)
  id(@Root() task: KataTaskRecord): string {
    return toGlobalId('KataTask', task.taskId);
  }

  @FieldResolver(() => Sensor, { nullable: true, description: 'The sensor the task runs on.' })
  sensor(@Root() task: KataTaskRecord, @Ctx() { loaders }: Context): Promise<SensorRecord | null> | null {
    return task.sensorId ? loaders.sensorById.load(task.sensorId) : null;
  }
}
