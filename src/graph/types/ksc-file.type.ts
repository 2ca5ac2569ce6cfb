import { GraphQLJSON } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

import type { ExecutableFileRecord, QuarantinedFileRecord } from '../../domain/ksc';
import { Connection } from '../connections/connection';
import { Node } from './node.type';

@ObjectType({ implements: Node, description: "An object in a host's quarantine, as KSC lists it." })
export class QuarantinedFile implements QuarantinedFileRecord {
  id!: string;

  @Field(() => Int, { description: 'nId: the id quarantine actions take.' })
  fileId!: number;

  hostId!: string | null;

  @Field()
  objectName!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@ObjectType()
export class QuarantinedFileConnection extends Connection(QuarantinedFile) {}

@ObjectType({ implements: Node, description: 'An executable file seen on a host (application control inventory).' })
export class ExecutableFile implements ExecutableFileRecord {
  id!: string;

  @Field()
  fileId!: string;

  hostId!: string | null;

  @Field()
  fileName!: string;

  @Field(() => String, { nullable: true })
  filePath!: string | null;

  @Field(() => String, { nullable: true })
  sha256!: string | null;

  @Field(() => String, { nullable: true })
  md5!: string | null;

  @Field(() => GraphQLJSON)
  attributes!: Record<string, unknown>;
}

@ObjectType()
export class ExecutableFileConnection extends Connection(ExecutableFile) {}
