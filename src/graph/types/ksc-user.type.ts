import { Field, ObjectType } from 'type-graphql';

import type { KscUserRecord } from '../../domain/ksc';
import { Connection } from '../connections/connection';

@ObjectType({ description: 'A user KSC knows (domain, host or KSC-internal account).' })
export class KscUser implements KscUserRecord {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  principal!: string | null;

  @Field(() => String, { nullable: true })
  mail!: string | null;

  @Field(() => String, { nullable: true })
  domain!: string | null;
}

@ObjectType()
export class KscUserConnection extends Connection(KscUser) {}
