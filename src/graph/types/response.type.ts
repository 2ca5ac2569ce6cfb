import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

import type { ResponseStatus } from '../../domain/mdr';
import { Connection } from '../connections/connection';
import { ResponseStatusEnum } from './mdr-enums.type';
import { Node } from './node.type';

@ObjectType({ implements: Node, description: 'A response action the MDR SOC proposes for an incident.' })
export class Response {
  id!: string;

  @Field()
  responseId!: string;

  @Field({ description: "The vendor's response type, e.g. RUN_SCRIPT." })
  type!: string;

  @Field(() => ResponseStatusEnum)
  status!: ResponseStatus;

  @Field({ description: 'The status exactly as the upstream gave it.' })
  vendorStatus!: string;

  @Field(() => String, { nullable: true, description: "The decision's comment." })
  comment!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The gateway caller who confirmed or declined it through the gateway (its comment names them; MDR knows only the API connection).',
  })
  decidedBy!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  parameters!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true })
  creationTime!: Date | null;

  @Field(() => Date, { nullable: true })
  updateTime!: Date | null;
}

@ObjectType()
export class ResponseConnection extends Connection(Response, { totalCount: false }) {}

@ObjectType()
export class UpdateResponsePayload {
  @Field(() => Response)
  response!: Response;
}

@ObjectType()
export class UpdateResponsesPayload {
  @Field(() => [Response])
  responses!: Response[];
}
