import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { HostRecord, KscEventRecord } from '../../domain/ksc';
import { requireUpstream } from '../../upstreams';
import type { ConnectionResult } from '../connections/connection';
import type { Context } from '../context';
import { EventFilter } from '../inputs/ksc.inputs';
import { toGlobalId } from '../node-id';
import { Host } from '../types/host.type';
import { Event, EventConnection } from '../types/ksc-event.type';
import { PageArgs } from './host.resolver';
import { kscConnection } from './ksc-connection';

@Resolver(() => Event)
export class KscEventResolver {
  @Query(() => EventConnection, { nullable: true, description: 'Fetch Event: KSC events, newest first.' })
  events(
    @Arg('filter', () => EventFilter, { nullable: true }) filter: EventFilter | null,
    @Args() { first, after }: PageArgs,
    @Ctx() { upstreams }: Context,
  ): Promise<ConnectionResult<KscEventRecord>> {
    const query = filter ?? { since: new Date(0) };
    return kscConnection('ksc-events', first, after, (offset, count) =>
      requireUpstream(upstreams, 'ksc').events(query, offset, count),
    );
  }

  @FieldResolver(() => ID)
  id(@Root() event: KscEventRecord): string {
    return toGlobalId('Event', event.eventId);
  }

  @FieldResolver(() => Host, { nullable: true })
  host(@Root() event: KscEventRecord, @Ctx() { loaders }: Context): Promise<HostRecord | null> | null {
    return event.hostId ? loaders.hostById.load(event.hostId) : null;
  }
}
