import { Field, ObjectType } from 'type-graphql';

import type { HostRecord, KscTaskRecord, QuarantinedFileRecord } from '../../domain/ksc';
import { Host } from './host.type';
import { QuarantinedFile } from './ksc-file.type';
import { KscTask } from './ksc-task.type';

@ObjectType({ description: 'A task started on hosts, and the hosts it targets.' })
export class HostActionPayload {
  @Field(() => KscTask, { nullable: true, description: 'The KSC task doing the work; poll its state.' })
  task!: KscTaskRecord | null;

  @Field(() => [Host])
  hosts!: HostRecord[];
}

@ObjectType()
export class QuarantineActionPayload {
  @Field(() => [QuarantinedFile], { description: 'The files acted on, as they were listed before the action.' })
  files!: QuarantinedFileRecord[];
}
