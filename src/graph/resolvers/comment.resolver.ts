import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';

import type { CommentRecord } from '../../domain/mdr';
import { BadInputError, NotFoundError } from '../../errors/gateway-error';
import { requireUpstream } from '../../upstreams';
import { ATTRIBUTION_RESERVE } from '../../upstreams/mdr/attribution';
import type { Context } from '../context';
import { AddIncidentCommentInput } from '../inputs/mdr.inputs';
import { toGlobalId } from '../node-id';
import { AddIncidentCommentPayload, Comment } from '../types/comment.type';
import { TextFormat } from '../types/mdr-enums.type';
import { selects, visibleTo } from './mdr-scope';

@Resolver(() => Comment)
export class CommentResolver {
  @FieldResolver(() => ID)
  id(@Root() comment: CommentRecord): string {
    return toGlobalId('Comment', `${comment.incidentId}/${comment.commentId}`);
  }

  @FieldResolver(() => String)
  author(@Root() comment: CommentRecord): string {
    return comment.author ?? comment.authorName;
  }

  @FieldResolver(() => String, {
    description: 'Markdown as written, or HTML rendered by MDR (one comments/list per incident).',
  })
  async text(
    @Root() comment: CommentRecord,
    @Arg('format', () => TextFormat, { nullable: true, defaultValue: TextFormat.MARKDOWN }) format: TextFormat | null,
    @Ctx() { loaders }: Context,
  ): Promise<string> {
    const wantHtml = format === TextFormat.HTML;
    if (comment.html === wantHtml) return comment.text;
    const all = await loaders.commentsByIncident.load(`${comment.incidentId}\n${wantHtml ? 'html' : 'markdown'}`);
    return all.find((c) => c.commentId === comment.commentId)?.text ?? comment.text;
  }

  @Mutation(() => AddIncidentCommentPayload, {
    description:
      'Adds a comment, sent to MDR exactly once: when the answer is lost the error says the outcome is unknown.',
  })
  async addIncidentComment(
    @Arg('input', () => AddIncidentCommentInput) input: AddIncidentCommentInput,
    @Ctx() { upstreams, loaders, caller }: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    if (!input.text.trim()) throw new BadInputError('text must not be empty.', { argument: 'input.text' });
    // MDR takes 10,000 characters; the line naming the caller takes some of them.
    const max = 10_000 - ATTRIBUTION_RESERVE;
    if (input.text.length > max)
      throw new BadInputError(`text must be at most ${max} characters.`, { argument: 'input.text' });
    const mdr = requireUpstream(upstreams, 'mdr');
    if (caller.tenants !== null) {
      const incident = await loaders.incidentById.load(input.incidentId);
      if (!incident || !visibleTo(caller, incident.tenantName)) throw new NotFoundError('No such incident.');
    }
    const comment = await mdr.createComment(input.incidentId, input.text, caller.subject);
    loaders.incidentById.clear(input.incidentId);
    const incident = selects(info, 'incident') ? await loaders.incidentById.load(input.incidentId) : null;
    return { comment, incident };
  }
}
