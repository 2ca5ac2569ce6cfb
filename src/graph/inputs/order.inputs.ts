import { Field, InputType, registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

export enum IncidentOrderField {
  CREATION_TIME = 'CREATION_TIME',
  UPDATE_TIME = 'UPDATE_TIME',
  PRIORITY = 'PRIORITY',
}
registerEnumType(IncidentOrderField, {
  name: 'IncidentOrderField',
  valuesConfig: {
    UPDATE_TIME: {
      description: 'Last change. An incident that changes during a walk moves: it may come twice or not at all.',
    },
    PRIORITY: { description: 'Priority groups (HIGH > NORMAL > LOW), each by creation time in the same direction.' },
  },
});

export enum AssetOrderField {
  FIRST_SEEN = 'FIRST_SEEN',
  LAST_SEEN = 'LAST_SEEN',
  NAME = 'NAME',
}
registerEnumType(AssetOrderField, {
  name: 'AssetOrderField',
  valuesConfig: {
    NAME: { description: 'Host name. MDR sorts by name only within its first 10,000 results (it pages by number).' },
  },
});

export enum HostOrderField {
  NAME = 'NAME',
  LAST_SEEN = 'LAST_SEEN',
}
registerEnumType(HostOrderField, {
  name: 'HostOrderField',
  valuesConfig: {
    NAME: { description: 'Display name (KLHST_WKS_DN).' },
    LAST_SEEN: { description: 'Last seen on the network (KLHST_WKS_LAST_VISIBLE).' },
  },
});

@InputType({ description: 'The order of a list of incidents; ties are broken by incident id.' })
export class IncidentOrder {
  @Field(() => IncidentOrderField) field!: IncidentOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@InputType({ description: 'The order of a list of assets; ties are broken by asset id.' })
export class AssetOrder {
  @Field(() => AssetOrderField) field!: AssetOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@InputType({ description: 'The order of a list of hosts.' })
export class HostOrder {
  @Field(() => HostOrderField) field!: HostOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}
