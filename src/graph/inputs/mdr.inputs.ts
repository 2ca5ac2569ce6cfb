import { Field, InputType } from 'type-graphql';

import type {
  AssetStatus,
  IncidentPriority,
  IncidentResolution,
  IncidentStatus,
  ResponseDecision,
  ResponseStatus,
} from '../../domain/mdr';
import {
  AssetStatusEnum,
  IncidentPriorityEnum,
  IncidentResolutionEnum,
  IncidentStatusEnum,
  ResponseDecisionEnum,
  ResponseStatusEnum,
} from '../types/mdr-enums.type';

@InputType({ description: 'All given fields must match; list fields match any of their values.' })
export class AssetFilter {
  @Field(() => [String], { nullable: true }) hostNames?: string[] | null;
  @Field(() => String, { nullable: true }) domain?: string | null;
  @Field(() => String, { nullable: true }) osVersion?: string | null;
  @Field(() => String, { nullable: true }) product?: string | null;
  @Field(() => String, { nullable: true }) networkInterface?: string | null;
  @Field(() => Boolean, { nullable: true }) isIsolated?: boolean | null;
  @Field(() => [AssetStatusEnum], { nullable: true }) statuses?: AssetStatus[] | null;
  @Field(() => String, { nullable: true }) searchPhrase?: string | null;
  @Field(() => [String], { nullable: true }) tenantNames?: string[] | null;
  @Field(() => Date, { nullable: true }) firstSeenAfter?: Date | null;
  @Field(() => Date, { nullable: true }) firstSeenBefore?: Date | null;
  @Field(() => Date, { nullable: true }) lastSeenAfter?: Date | null;
  @Field(() => Date, { nullable: true }) lastSeenBefore?: Date | null;
}

@InputType({ description: 'All given fields must match; list fields match any of their values.' })
export class IncidentFilter {
  @Field(() => [String], { nullable: true }) assetIds?: string[] | null;
  @Field(() => [String], { nullable: true }) affectedHostNames?: string[] | null;
  @Field(() => [IncidentPriorityEnum], { nullable: true }) priorities?: IncidentPriority[] | null;
  @Field(() => [IncidentStatusEnum], { nullable: true }) statuses?: IncidentStatus[] | null;
  @Field(() => [IncidentResolutionEnum], { nullable: true }) resolutions?: IncidentResolution[] | null;
  @Field(() => [ResponseStatusEnum], { nullable: true }) responseStatuses?: ResponseStatus[] | null;
  @Field(() => [String], { nullable: true }) responseTypes?: string[] | null;
  @Field(() => [String], { nullable: true }) mitreTactics?: string[] | null;
  @Field(() => [String], { nullable: true }) mitreTechniques?: string[] | null;
  @Field(() => [String], { nullable: true }) detectionTechnologies?: string[] | null;
  @Field(() => String, { nullable: true }) searchPhrase?: string | null;
  @Field(() => [String], { nullable: true }) tenantNames?: string[] | null;
  @Field(() => Date, { nullable: true }) createdAfter?: Date | null;
  @Field(() => Date, { nullable: true }) createdBefore?: Date | null;
  @Field(() => Date, { nullable: true }) updatedAfter?: Date | null;
  @Field(() => Date, { nullable: true }) updatedBefore?: Date | null;
}

@InputType()
export class UpdateResponseInput {
  @Field() responseId!: string;
  @Field(() => ResponseDecisionEnum) status!: ResponseDecision;
  @Field() comment!: string;
}

@InputType()
export class UpdateResponsesInput {
  @Field(() => [String]) responseIds!: string[];
  @Field(() => ResponseDecisionEnum) status!: ResponseDecision;
  @Field() comment!: string;
}

@InputType()
export class AddIncidentCommentInput {
  @Field() incidentId!: string;
  @Field() text!: string;
}
