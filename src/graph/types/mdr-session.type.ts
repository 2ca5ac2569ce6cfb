import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description: "The gateway's MDR session after a new refresh token was given; the token itself is never echoed.",
})
export class SetMdrRefreshTokenPayload {
  @Field(() => Date, {
    description: 'When the access token MDR issued for the new token expires (it is renewed by itself).',
  })
  accessTokenExpiresAt!: Date;
}
