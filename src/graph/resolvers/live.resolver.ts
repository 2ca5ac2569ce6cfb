import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';

import { NotFoundError } from '../../errors/gateway-error';
import type { Context } from '../context';
import { EventFilter } from '../inputs/ksc.inputs';
import { IncidentFilter } from '../inputs/mdr.inputs';
import { eventMatches } from '../live/event-match';
import type { TaskNode } from '../live/task-feed';
import { incidentMatches } from '../live/incident-match';
import { changesOf } from '../live/subscribe';
import { createLoaders } from '../loaders';
import { asNode, fromGlobalId } from '../node-id';
import { IncidentChangeEvent, KscEventChangeEvent, ResponseChangeEvent, TaskChangeEvent } from '../types/live.type';
import { given } from './mdr-scope';

interface IncidentChangedArgs {
  filter?: IncidentFilter | null;
  cursor?: string | null;
}

interface KscEventArgs {
  filter?: EventFilter | null;
  cursor?: string | null;
}

interface TaskChangedArgs {
  taskId: string;
  cursor?: string | null;
}

/**
 * The task a subscriber names (a vendor id, or the global id of a KscTask or KataTask), found
 * through the subscriber's own scope: another tenant's task is NOT_FOUND, as by query.
 */
async function taskOf(context: Context, id: string): Promise<TaskNode> {
  let typename: string | undefined;
  let taskId = id;
  try {
    const global = fromGlobalId(id);
    if (global.type === 'KscTask' || global.type === 'KataTask') [typename, taskId] = [global.type, global.vendorId];
  } catch {
    // A vendor id.
  }
  const { ksc, kata } = context.upstreams;
  if (ksc && typename !== 'KataTask') {
    const task = await ksc.task(taskId).catch(() => null);
    if (task) return asNode('KscTask', task);
  }
  if (kata && typename !== 'KscTask') {
    const task = await kata.getTask(taskId).catch(() => null);
    if (task) return asNode('KataTask', task);
  }
  throw new NotFoundError('No such task.');
}

interface ResponseChangedArgs {
  incidentId?: string | null;
  cursor?: string | null;
}

function liveOf(context: Context) {
  if (!context.live) throw new Error('A subscription ran without the live hub.');
  return context.live;
}

/** A vendor incident id, or the global id of an Incident. */
function incidentIdOf(id: string): string {
  try {
    const global = fromGlobalId(id);
    return global.type === 'Incident' ? global.vendorId : id;
  } catch {
    return id;
  }
}

@Resolver()
export class LiveResolver {
  @Subscription(() => IncidentChangeEvent, {
    description:
      'New and updated MDR incidents of your tenants matching `filter`, as MDR reports them (one feed per scope, polled while someone listens). Resubscribe with the last `cursor` to receive what you missed.',
    subscribe: ({ args, context }) => {
      const { filter, cursor } = args as IncidentChangedArgs;
      const query = given(filter);
      return changesOf(
        liveOf(context as Context).incidents((context as Context).caller),
        cursor ?? null,
        (change, cursor) => (incidentMatches(change.incident, query) ? [{ cursor, ...change }] : []),
      );
    },
  })
  incidentChanged(
    @Root() event: IncidentChangeEvent,
    @Ctx() ctx: Context,
    @Arg('filter', () => IncidentFilter, { nullable: true }) _filter: IncidentFilter | null,
    @Arg('cursor', () => String, { nullable: true }) _cursor: string | null,
  ): IncidentChangeEvent {
    // Each event is answered with fresh loaders: nothing read for an earlier one is served stale.
    ctx.loaders = createLoaders(ctx.upstreams);
    return event;
  }

  @Subscription(() => ResponseChangeEvent, {
    description:
      'New MDR responses and responses whose status changed (confirmed, declined), of one incident or of all your incidents.',
    subscribe: ({ args, context }) => {
      const { incidentId, cursor } = args as ResponseChangedArgs;
      const only = incidentId ? incidentIdOf(incidentId) : null;
      return changesOf(
        liveOf(context as Context).incidents((context as Context).caller),
        cursor ?? null,
        (change, cursor) =>
          only && change.incident.incidentId !== only
            ? []
            : change.responses.map((response) => ({ cursor, response, incident: change.incident })),
      );
    },
  })
  responseChanged(
    @Root() event: ResponseChangeEvent,
    @Ctx() ctx: Context,
    @Arg('incidentId', () => ID, { nullable: true }) _incidentId: string | null,
    @Arg('cursor', () => String, { nullable: true }) _cursor: string | null,
  ): ResponseChangeEvent {
    ctx.loaders = createLoaders(ctx.upstreams);
    return event;
  }
  @Subscription(() => KscEventChangeEvent, {
    description:
      "New Security Center events of your tenants' hosts matching `filter` (KSC's ConEvents; `since` and `until` bound the rise time). Resubscribe with the last `cursor` to receive what you missed.",
    subscribe: async ({ args, context }) => {
      const { filter, cursor } = args as KscEventArgs;
      const ctx = context as Context;
      const feed = liveOf(ctx).kscEvents();
      const hosts = ctx.scope.limited ? new Set(await ctx.scope.kscHostIds()) : null;
      return changesOf(feed, cursor ?? null, (event, cursor) =>
        (!hosts || (event.hostId !== null && hosts.has(event.hostId))) && eventMatches(event, filter ?? null)
          ? [{ cursor, event }]
          : [],
      );
    },
  })
  kscEvent(
    @Root() event: KscEventChangeEvent,
    @Ctx() ctx: Context,
    @Arg('filter', () => EventFilter, { nullable: true }) _filter: EventFilter | null,
    @Arg('cursor', () => String, { nullable: true }) _cursor: string | null,
  ): KscEventChangeEvent {
    ctx.loaders = createLoaders(ctx.upstreams);
    return event;
  }

  @Subscription(() => TaskChangeEvent, {
    description:
      'The new state or progress of one KSC or KATA task (a vendor task id or the global id of a KscTask or KataTask), as it changes.',
    subscribe: async ({ args, context }) => {
      const { taskId, cursor } = args as TaskChangedArgs;
      const ctx = context as Context;
      const task = await taskOf(ctx, taskId);
      return changesOf(liveOf(ctx).task(ctx.caller, task), cursor ?? null, (task, cursor) => [{ cursor, task }]);
    },
  })
  taskChanged(
    @Root() event: TaskChangeEvent,
    @Ctx() ctx: Context,
    @Arg('taskId', () => ID) _taskId: string,
    @Arg('cursor', () => String, { nullable: true }) _cursor: string | null,
  ): TaskChangeEvent {
    ctx.loaders = createLoaders(ctx.upstreams);
    return event;
  }
}
