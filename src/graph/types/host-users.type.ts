import { Field, ObjectType } from 'type-graphql';

import type { HostRecord, KscUserRecord } from '../../domain/ksc';
import { Host } from './host.type';
import { KscUser } from './ksc-user.type';

@ObjectType({ description: 'Get User By IP: one address, its host and who is logged in there.' })
export class HostUsers {
  @Field()
  ipAddress!: string;

  @Field(() => Host, { nullable: true })
  host!: HostRecord | null;

  @Field(() => [KscUser])
  users!: KscUserRecord[];
}
