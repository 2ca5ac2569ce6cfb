import { GraphQLJSON } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';

import type { EventSeverityName } from '../../domain/ksc';
import { EventSeverity } from '../types/ksc-event.type';

@InputType()
export class HostFilter {
  @Field(() => [String], {
    nullable: true,
    description: 'Display names (KLHST_WKS_DN); * and ? are wildcards. An empty list matches no host.',
  })
  names?: string[] | null;

  @Field(() => String, { nullable: true })
  fqdn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Operating systems whose name contains this text, in any letter case (KLHST_WKS_OS_NAME).',
  })
  osName?: string | null;

  @Field(() => Int, { nullable: true })
  groupId?: number | null;

  @Field(() => String, { nullable: true })
  ipAddress?: string | null;

  @Field(() => Boolean, { nullable: true })
  online?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'A raw KSC search filter, e.g. (KLHST_WKS_OS_NAME="*Server 2019"); validated before it is sent.',
  })
  kscFilter?: string | null;
}

@InputType()
export class HostGroupFilter {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  parentId?: number | null;

  @Field(() => String, { nullable: true })
  kscFilter?: string | null;
}

@InputType()
export class EventFilter {
  @Field({ description: 'Events raised at or after this time (inclusive; KSC keeps whole seconds).' })
  since!: Date;

  @Field(() => Date, { nullable: true, description: 'Events raised at or before this time (inclusive).' })
  until?: Date | null;

  @Field(() => [EventSeverity], {
    nullable: true,
    description: 'Any of these severities; an empty list matches no event.',
  })
  severities?: EventSeverityName[] | null;

  @Field(() => [String], { nullable: true, description: 'Any of these event types; an empty list matches no event.' })
  eventTypes?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Raised on any of these hosts (display names, any letter case); an empty list matches no event.',
  })
  hostNames?: string[] | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Raw KSC event filter attributes, e.g. {"GNRL_EA_SEVERITY": 4}.',
  })
  kscAttributes?: Record<string, unknown> | null;
}

@InputType()
export class KscUserFilter {
  @Field(() => String, { nullable: true })
  hostName?: string | null;

  @Field(() => [String], { nullable: true })
  userNames?: string[] | null;
}

@InputType()
export class IsolateHostsInput {
  @Field(() => [String])
  hostIds!: string[];

  @Field(() => Int, { nullable: true })
  timeoutMinutes?: number | null;
}

@InputType()
export class UnisolateHostsInput {
  @Field(() => [String])
  hostIds!: string[];
}

@InputType()
export class ScanHostsInput {
  @Field(() => [String])
  hostNames!: string[];

  @Field({ description: 'The scan task type, e.g. a full virus scan for the product installed on the hosts.' })
  scanType!: string;

  @Field()
  displayName!: string;
}

@InputType()
export class QuarantineFilesInput {
  @Field(() => [String])
  hostNames!: string[];

  @Field(() => [String])
  paths!: string[];

  @Field()
  displayName!: string;
}

@InputType()
export class QuarantinedFilesInput {
  @Field(() => [Int])
  fileIds!: number[];
}
