import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'Who is calling, and what the gateway lets them do: a frontend shows only the buttons that work.',
})
export class Viewer {
  @Field({ description: "The caller's subject (`sub` of the token)." })
  subject!: string;

  @Field(() => [String], {
    description: 'Gateway roles: viewer, security_officer, senior_security_officer, administrator.',
  })
  roles!: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'The tenants the caller sees; null when it sees every tenant. MDR\'s root tenant is spelled "".',
  })
  tenants!: string[] | null;

  @Field({ description: 'Whether the caller sees every tenant.' })
  allTenants!: boolean;

  @Field(() => [String], { description: "Mutation fields the caller's role permits, by name." })
  allowedMutations!: string[];
}
