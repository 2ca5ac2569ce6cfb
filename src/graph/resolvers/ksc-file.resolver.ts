import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { ExecutableFileRecord, HostRecord, QuarantinedFileRecord } from '../../domain/ksc';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import type { Context } from '../context';
import { toGlobalId } from '../node-id';
import { Host } from '../types/host.type';
import {
  ExecutableFile,
  ExecutableFileConnection,
  QuarantinedFile,
  QuarantinedFileConnection,
} from '../types/ksc-file.type';
import { PageArgs } from './host.resolver';
import { kscConnection } from './ksc-connection';

@Resolver(() => QuarantinedFile)
export class QuarantinedFileResolver {
  @Query(() => QuarantinedFileConnection, {
    nullable: true,
    description: 'List Quarantine Files, optionally of one host and matching paths (* and ? wildcards).',
  })
  quarantinedFiles(
    @Arg('hostId', () => String, { nullable: true }) hostId: string | null,
    @Arg('paths', () => [String], { nullable: true }) paths: string[] | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<QuarantinedFileRecord>> {
    return kscConnection('ksc-quarantine', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').quarantinedFiles({ hostId, paths }, offset, count),
    );
  }

  @FieldResolver(() => ID)
  id(@Root() file: QuarantinedFileRecord): string {
    return toGlobalId('QuarantinedFile', file.fileId);
  }

  @FieldResolver(() => Host, { nullable: true })
  host(@Root() file: QuarantinedFileRecord, @Ctx() { loaders }: Context): Promise<HostRecord | null> | null {
    return file.hostId ? loaders.hostById.load(file.hostId) : null;
  }
}

@Resolver(() => ExecutableFile)
export class ExecutableFileResolver {
  @Query(() => ExecutableFileConnection, {
    nullable: true,
    description: 'List Execution Files: executables seen on hosts (one host, or all).',
  })
  executableFiles(
    @Arg('hostId', () => String, { nullable: true }) hostId: string | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<ExecutableFileRecord>> {
    return kscConnection('ksc-exe-files', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').executableFiles(hostId, offset, count),
    );
  }

  @Query(() => ExecutableFile, {
    nullable: true,
    description: 'Get Execution File: one executable file instance on one host; null when unknown.',
  })
  executableFile(
    @Arg('hostId') hostId: string,
    @Arg('fileId') fileId: string,
    @Ctx() { upstreams }: Context,
  ): Promise<ExecutableFileRecord | null> {
    return requireUpstream(upstreams, 'ksc').executableFile(hostId, fileId);
  }

  @FieldResolver(() => ID)
  id(@Root() file: ExecutableFileRecord): string {
    return toGlobalId('ExecutableFile', `${file.hostId ?? ''}/${file.fileId}`);
  }

  @FieldResolver(() => Host, { nullable: true })
  host(@Root() file: ExecutableFileRecord, @Ctx() { loaders }: Context): Promise<HostRecord | null> | null {
    return file.hostId ? loaders.hostById.load(file.hostId) : null;
  }
}
