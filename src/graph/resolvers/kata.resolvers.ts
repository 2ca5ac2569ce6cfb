import { requireUpstream } from '../../upstreams';
import { asNode } from '../node-id';
import type { NodeFetchers } from '../node-fetchers';
import { KataTaskResolver } from './kata-task.resolver';
import { SensorActionResolver } from './sensor-action.resolver';
import { SensorResolver } from './sensor.resolver';

/** Kata resolver classes, in the order type-graphql should see them. */
export const kataResolvers: Function[] = [SensorResolver, KataTaskResolver, SensorActionResolver];

/** node(id:) lookups for Kata types. */
export const kataNodeFetchers: NodeFetchers = {
  Sensor: (sensorId, ctx) => ctx.loaders.sensorById.load(sensorId),
  KataTask: async (taskId, ctx) => {
    const task = await requireUpstream(ctx.upstreams, 'kata').getTask(taskId);
    return task && asNode('KataTask', task);
  },
};
