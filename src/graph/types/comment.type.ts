import { Field, ObjectType } from 'type-graphql';

import { Connection } from '../connections/connection';
import { Incident } from './incident.type';
import { Node } from './node.type';

@ObjectType({ implements: Node, description: 'A comment on an MDR incident (the Communication tab).' })
export class Comment {
  id!: string;

  @Field()
  commentId!: string;

  @Field({ description: "The user, or the API connection's name for comments made through the API." })
  authorName!: string;

  @Field({
    description:
      'Who wrote it: the gateway caller for a comment made through the gateway (its text names them; MDR knows only the API connection), else authorName.',
  })
  author!: string;

  @Field(() => Date)
  creationTime!: Date;
}

@ObjectType()
export class CommentConnection extends Connection(Comment, { totalCount: false }) {}

@ObjectType()
export class AddIncidentCommentPayload {
  @Field(() => Comment)
  comment!: Comment;

  @Field(() => Incident, { nullable: true })
  incident!: Incident | null;
}
