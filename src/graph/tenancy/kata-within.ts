import type { KataTaskRecord } from '../../domain/kata-task';
import { NotFoundError } from '../../errors/gateway-error';
import type { KataClient } from '../../upstreams/kata/client';
import { scopedView } from './scoped-view';
import type { TenantScope } from './tenant-scope';

/** What KATA calls the prevention rules of every sensor. */
const GLOBAL = 'all';

/**
 * KATA as a caller limited to tenants sees it. KATA has no tenants and filters sensors by one host
 * at a time, so the sensor list is read whole and kept to the caller's sensors (see TenantScope);
 * anything naming a sensor, or a task on one, first checks the sensor is the caller's. Global
 * prevention rules stay readable (they apply to the caller's sensors too) but only a caller who sees
 * every tenant changes them.
 */
export function kataWithin(kata: KataClient, scope: TenantScope): KataClient {
  const sensorChecks = new Map<string, Promise<boolean>>();
  const sensorVisible = (sensorId: string): Promise<boolean> => {
    const key = sensorId.toUpperCase();
    let check = sensorChecks.get(key);
    if (!check) {
      check = kata.sensor(sensorId).then((s) => (s ? scope.sensorVisible(s) : false));
      sensorChecks.set(key, check);
    }
    return check;
  };
  const mustSeeSensor = async (sensorId: string) => {
    if (sensorId.toLowerCase() === GLOBAL || !(await sensorVisible(sensorId)))
      throw new NotFoundError(`KATA has no sensor ${sensorId}.`);
  };
  const taskVisible = async (task: KataTaskRecord): Promise<boolean> => {
    const sensorId = task.sensorId ?? scope.kataTaskSensor(task.taskId);
    return sensorId !== undefined && (await sensorVisible(sensorId));
  };
  const view: KataClient = scopedView<KataClient>(
    kata,
    {
      withSignal: (signal) => kataWithin(kata.withSignal(signal), scope),
      listSensors: async (filter) => {
        const sensors = await kata.listSensors(filter);
        const visible = await Promise.all(sensors.map((s) => scope.sensorVisible(s)));
        return sensors.filter((_, i) => visible[i]);
      },
      sensor: async (sensorId) => {
        const sensor = await kata.sensor(sensorId);
        return sensor && (await scope.sensorVisible(sensor)) ? sensor : null;
      },
      getTask: async (taskId) => {
        const task = await kata.getTask(taskId);
        return task && (await taskVisible(task)) ? task : null;
      },
      createTask: async (input) => {
        await mustSeeSensor(input.sensorId);
        const task = await kata.createTask(input);
        scope.rememberKataTask(task.taskId, input.sensorId);
        return task;
      },
      deleteTask: async (taskId) => {
        if (!(await view.getTask(taskId))) throw new NotFoundError('KATA has no such task.');
        return kata.deleteTask(taskId);
      },
      isolation: async (sensorId) => {
        await mustSeeSensor(sensorId);
        return kata.isolation(sensorId);
      },
      isolate: async (sensorId, ...rest) => {
        await mustSeeSensor(sensorId);
        return kata.isolate(sensorId, ...rest);
      },
      releaseIsolation: async (sensorId) => {
        await mustSeeSensor(sensorId);
        return kata.releaseIsolation(sensorId);
      },
      preventionRules: async (sensorId) => {
        if (sensorId.toLowerCase() !== GLOBAL) await mustSeeSensor(sensorId);
        return kata.preventionRules(sensorId);
      },
      addPreventionRules: async (sensorId, rules) => {
        await mustSeeSensor(sensorId);
        return kata.addPreventionRules(sensorId, rules);
      },
      removePreventionRules: async (sensorId, rules) => {
        await mustSeeSensor(sensorId);
        return kata.removePreventionRules(sensorId, rules);
      },
    },
    ['ping', 'close'],
  );
  return view;
}
