import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';

export enum Upstream {
  MDR = 'MDR',
  KSC = 'KSC',
  KATA = 'KATA',
}
registerEnumType(Upstream, { name: 'Upstream', description: 'A vendor API behind the gateway.' });

@ObjectType({ description: 'Test Connection: whether an upstream is configured and answers.' })
export class UpstreamHealth {
  @Field(() => Upstream)
  upstream!: Upstream;

  @Field()
  configured!: boolean;

  @Field()
  reachable!: boolean;

  @Field(() => Float, { nullable: true, description: 'Round trip of one authenticated call, in ms.' })
  latencyMs!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the upstream is not reachable (coded, no upstream internals).',
  })
  message!: string | null;

  @Field(() => String, { nullable: true, description: 'extensions.code of the failure, when unreachable.' })
  code!: string | null;
}
