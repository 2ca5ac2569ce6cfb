import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

import type { ResponseDetailsRecord, ResponseRecord, ResponseStatus } from '../../domain/mdr';
import { Connection } from '../connections/connection';
import { ItemError } from './item-error.type';
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

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "MDR's `details` and `parameters` together, keys as MDR spells them (e.g. `file_path`).",
  })
  parameters!: Record<string, unknown> | null;

  details!: ResponseDetailsRecord | null;

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
  response!: ResponseRecord;
}

@ObjectType({
  description: 'One id of a bulk decision: the response as it now stands, and why it was not decided if not.',
})
export class ResponseDecisionResult {
  @Field()
  responseId!: string;

  @Field(() => Response, {
    nullable: true,
    description:
      'After the decision; when refused, as it stands (an already decided one keeps its state); null when unknown.',
  })
  response!: ResponseRecord | null;

  @Field(() => ItemError, { nullable: true, description: 'Null when the decision was applied.' })
  error!: ItemError | null;
}

@ObjectType()
export class UpdateResponsesPayload {
  @Field(() => [Response], { description: 'The responses decided by this call.' })
  responses!: ResponseRecord[];

  @Field(() => [ResponseDecisionResult], { description: 'Every id asked for, in order, with its result or its error.' })
  results!: ResponseDecisionResult[];
}
