import { Field, Int, ObjectType } from 'type-graphql';

import type { ApplicationRecord, HostRecord, OpenPortRecord } from '../../domain/ksc';
import { Connection } from '../connections/connection';
import { Node } from './node.type';

@ObjectType({ implements: Node, description: 'A device managed by Kaspersky Security Center.' })
export class Host implements HostRecord {
  id!: string;

  @Field({ description: 'KLHST_WKS_HOSTNAME: the server-generated host id.' })
  hostId!: string;

  @Field({ description: 'KLHST_WKS_DN: the display name.' })
  name!: string;

  @Field(() => String, { nullable: true })
  fqdn!: string | null;

  @Field(() => String, { nullable: true })
  domain!: string | null;

  @Field(() => String, { nullable: true })
  osName!: string | null;

  @Field(() => String, { nullable: true })
  ipAddress!: string | null;

  @Field({ description: 'Visible on the network (KLHST_WKS_STATUS bit 0x1).' })
  online!: boolean;

  @Field(() => Date, { nullable: true })
  lastVisible!: Date | null;

  @Field(() => String, { nullable: true, description: 'Network Agent version.' })
  agentVersion!: string | null;

  groupId!: number | null;
}

@ObjectType()
export class HostConnection extends Connection(Host) {}

@ObjectType({ description: 'An installed application (KSC inventory).' })
export class Application implements ApplicationRecord {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  version!: string | null;

  @Field(() => String, { nullable: true })
  publisher!: string | null;

  @Field(() => String, { nullable: true })
  productId!: string | null;

  @Field(() => String, { nullable: true })
  installDate!: string | null;

  @Field(() => String, { nullable: true })
  installDir!: string | null;
}

@ObjectType({ description: 'A listening port on a host.' })
export class OpenPort implements OpenPortRecord {
  @Field(() => Int)
  port!: number;

  @Field()
  protocol!: string;

  @Field(() => String, { nullable: true })
  processName!: string | null;
}
