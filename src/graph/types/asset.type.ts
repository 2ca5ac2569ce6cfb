import { Field, ObjectType } from 'type-graphql';

import type { AssetStatus } from '../../domain/mdr';
import { Connection } from '../connections/connection';
import { AssetStatusEnum } from './mdr-enums.type';
import { Node } from './node.type';

@ObjectType()
export class NetworkInterface {
  @Field(() => [String], { description: 'Every address of the interface (MDR joins several with "|").' })
  ipAddresses!: string[];

  @Field(() => String, { nullable: true })
  macAddress!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@ObjectType({ implements: Node, description: 'A machine MDR monitors.' })
export class Asset {
  id!: string;

  @Field({ description: 'MDR asset id, e.g. 0xFA6A68CC9A9415963DE841048A3BE929.' })
  assetId!: string;

  @Field()
  hostName!: string;

  @Field(() => String, { nullable: true })
  domain!: string | null;

  @Field(() => String, { nullable: true })
  osVersion!: string | null;

  @Field(() => AssetStatusEnum)
  status!: AssetStatus;

  @Field()
  isIsolated!: boolean;

  @Field(() => String, { nullable: true })
  installedProductInfo!: string | null;

  @Field(() => [NetworkInterface])
  networkInterfaces!: NetworkInterface[];

  @Field(() => String, { nullable: true, description: 'null for the root tenant ("Root without tenants").' })
  tenantName!: string | null;

  @Field(() => Date, { nullable: true })
  firstSeen!: Date | null;

  @Field(() => Date, { nullable: true })
  lastSeen!: Date | null;
}

@ObjectType()
export class AssetConnection extends Connection(Asset) {}
