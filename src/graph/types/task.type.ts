import { Field, ID, InterfaceType, registerEnumType } from 'type-graphql';

import { Upstream } from './upstream-health.type';

/** Where a task is, the same for every upstream; the vendor's own word is in `vendorState`. */
export enum TaskState {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  PARTIALLY_COMPLETED = 'PARTIALLY_COMPLETED',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(TaskState, {
  name: 'TaskState',
  description: 'The state of a task on any upstream.',
  valuesConfig: {
    PARTIALLY_COMPLETED: {
      description: 'Some hosts finished; the others wait (offline or not yet reached) and none is running.',
    },
  },
});

/**
 * A task on any upstream (KSC task, KATA run-process task), so frontends list and poll both the
 * same way. Records reach GraphQL as plain objects: the concrete type comes from `__typename`
 * (see `asNode`).
 */
@InterfaceType({
  description: 'A task on any upstream: listed and polled the same way whatever its kind.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Task {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The vendor task id.' })
  taskId!: string;

  @Field(() => Upstream)
  upstream!: Upstream;

  @Field(() => TaskState)
  state!: TaskState;

  @Field(() => String, { nullable: true, description: 'The state exactly as the upstream gave it.' })
  vendorState!: string | null;
}
