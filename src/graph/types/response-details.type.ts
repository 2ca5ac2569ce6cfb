import { Field, Int, ObjectType, createUnionType } from 'type-graphql';

import type { ResponseDetailsRecord } from '../../domain/mdr';

type Of<K extends ResponseDetailsRecord['kind']> = Omit<Extract<ResponseDetailsRecord, { kind: K }>, 'kind'>;

@ObjectType({ description: 'A file response (copy to the SOC, quarantine, delete): the file it acts on.' })
export class FileResponseDetails implements Of<'FileResponseDetails'> {
  @Field(() => String, { nullable: true, description: 'Absolute path on the asset.' })
  filePath!: string | null;

  @Field(() => String, { nullable: true })
  md5!: string | null;

  @Field(() => String, { nullable: true })
  sha256!: string | null;

  @Field(() => Int, { nullable: true, description: 'Copy to the SOC: the largest file copied, in MB.' })
  fileSizeLimitMb!: number | null;
}

@ObjectType({ description: 'Kill a process: the process and its image.' })
export class ProcessResponseDetails implements Of<'ProcessResponseDetails'> {
  @Field(() => Int, { nullable: true })
  processId!: number | null;

  @Field(() => String, { nullable: true })
  processName!: string | null;

  @Field(() => String, { nullable: true, description: "The process image's path." })
  filePath!: string | null;

  @Field(() => String, { nullable: true })
  commandLine!: string | null;

  @Field(() => String, { nullable: true })
  sha256!: string | null;
}

@ObjectType({ description: 'Prevent execution: the file whose start is blocked, by hash.' })
export class PreventionResponseDetails implements Of<'PreventionResponseDetails'> {
  @Field(() => String, { nullable: true })
  filePath!: string | null;

  @Field(() => String, { nullable: true })
  md5!: string | null;

  @Field(() => String, { nullable: true })
  sha256!: string | null;
}

@ObjectType({ description: "Isolate the asset (the response's `asset`) from the network, for a while." })
export class IsolationResponseDetails implements Of<'IsolationResponseDetails'> {
  @Field(() => Int, { nullable: true })
  isolationPeriodSeconds!: number | null;
}

@ObjectType({ description: 'Run a script on the asset.' })
export class ScriptResponseDetails implements Of<'ScriptResponseDetails'> {
  @Field(() => String, { nullable: true, description: 'The script file.' })
  filePath!: string | null;

  @Field(() => String, { nullable: true })
  interpreter!: string | null;

  @Field(() => String, { nullable: true })
  workingDirectory!: string | null;

  @Field(() => String, { nullable: true })
  interpreterParameters!: string | null;
}

export const ResponseDetails = createUnionType({
  name: 'ResponseDetails',
  description: 'What a response acts on, typed by response type (from MDR’s `details` and `parameters`).',
  types: () =>
    [
      FileResponseDetails,
      ProcessResponseDetails,
      PreventionResponseDetails,
      IsolationResponseDetails,
      ScriptResponseDetails,
    ] as const,
  // The resolver tags each record with its kind as `__typename` (schema.ts resolves every abstract type so).
  resolveType: (value) => (value as { __typename?: string }).__typename,
});
