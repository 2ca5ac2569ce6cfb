import { Field, ObjectType } from 'type-graphql';

import type { ErrorCode } from '../../errors/gateway-error';

/** Why one item of a bulk mutation was not applied; the other items still were. */
@ObjectType({ description: 'Why one item of a bulk mutation was not applied (the others still were).' })
export class ItemError {
  @Field(() => String, { description: 'The same stable codes as `extensions.code` (NOT_FOUND, CONFLICT, …).' })
  code!: ErrorCode;

  @Field()
  message!: string;
}
