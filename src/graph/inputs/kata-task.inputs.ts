import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateKataTaskInput {
  @Field()
  sensorId!: string;

  @Field({ description: 'The application to run, e.g. cmd.exe or /usr/bin/find.' })
  execCommand!: string;

  @Field(() => String, { nullable: true })
  cmdLineParameters?: string | null;

  @Field(() => String, { nullable: true })
  workingDirectory?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  startNow?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Give the same taskId when retrying: the create is then idempotent.',
  })
  taskId?: string | null;
}

@InputType()
export class DeleteKataTaskInput {
  @Field()
  taskId!: string;
}
