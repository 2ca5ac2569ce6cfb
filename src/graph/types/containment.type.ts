import { Field, Int, ObjectType } from 'type-graphql';

import type { ContainmentRecord, ContainmentSourceRecord } from '../../domain/containment';
import type { KscTaskRecord } from '../../domain/ksc';
import { KscTask } from './ksc-task.type';
import { Upstream } from './upstream-health.type';

@ObjectType({ description: "What one product says of the host's network isolation." })
export class ContainmentSource implements Omit<ContainmentSourceRecord, 'upstream'> {
  @Field(() => Upstream)
  upstream!: Upstream;

  @Field()
  isolated!: boolean;

  @Field({ description: "In the product's own terms (MDR's flag, the KSC task's state, KATA's isolation rule)." })
  vendorState!: string;

  @Field(() => KscTask, {
    nullable: true,
    description: 'KSC: the newest completed network isolation or release task on the host, which decides.',
  })
  task!: KscTaskRecord | null;

  @Field(() => Int, { nullable: true, description: 'KATA: the isolation turns itself off this long after it was set.' })
  autoReleaseAfterSeconds!: number | null;
}

@ObjectType({ description: "A host's network isolation across MDR, KSC and KATA, and whether its agent is reachable." })
export class Containment implements ContainmentRecord {
  @Field({ description: 'Whether any product has the host isolated.' })
  isolated!: boolean;

  @Field(() => [ContainmentSource], { description: 'Each product that knows the host, in the order MDR, KSC, KATA.' })
  sources!: ContainmentSourceRecord[];

  @Field(() => Boolean, {
    nullable: true,
    description: "KSC's view of the agent; null when KSC does not manage the host.",
  })
  agentOnline!: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: "The latest of KSC's last visibility, KATA's last access, MDR's last seen.",
  })
  lastSeen!: Date | null;
}
