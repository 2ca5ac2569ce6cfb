import { Field, Int, ObjectType } from 'type-graphql';

import type { HostGroupRecord } from '../../domain/ksc';
import { Connection } from '../connections/connection';
import { Node } from './node.type';

@ObjectType({ implements: Node, description: 'A KSC administration group.' })
export class HostGroup implements HostGroupRecord {
  id!: string;

  @Field(() => Int)
  groupId!: number;

  @Field()
  name!: string;

  parentId!: number | null;
}

@ObjectType()
export class HostGroupConnection extends Connection(HostGroup) {}
