import { Field, ObjectType, registerEnumType } from 'type-graphql';

import { Upstream } from './upstream-health.type';

/** The response actions an analyst may take on a host, whatever product carries them out. */
export enum HostAction {
  ISOLATE = 'ISOLATE',
  RELEASE = 'RELEASE',
  SCAN = 'SCAN',
  QUARANTINE_FILE = 'QUARANTINE_FILE',
  DELETE_FILE = 'DELETE_FILE',
  GET_FILE = 'GET_FILE',
  KILL_PROCESS = 'KILL_PROCESS',
  RUN_PROCESS = 'RUN_PROCESS',
  PREVENT_EXECUTION = 'PREVENT_EXECUTION',
  IOC_SCAN = 'IOC_SCAN',
  UPDATE_BASES = 'UPDATE_BASES',
}
registerEnumType(HostAction, { name: 'HostAction', description: 'A response action on a host.' });

/** Why a product cannot carry out an action on this host. */
export enum UnavailableReason {
  AGENT_OFFLINE = 'AGENT_OFFLINE',
  NOT_MANAGED_BY_KSC = 'NOT_MANAGED_BY_KSC',
  NO_KATA_SENSOR = 'NO_KATA_SENSOR',
  PRODUCT_LACKS_IT = 'PRODUCT_LACKS_IT',
  NOT_OFFERED = 'NOT_OFFERED',
}
registerEnumType(UnavailableReason, {
  name: 'UnavailableReason',
  description: 'Why a product cannot carry out an action on a host.',
  valuesConfig: {
    AGENT_OFFLINE: { description: 'KSC does not see the Network Agent: the task would wait for it.' },
    NOT_MANAGED_BY_KSC: { description: 'The host is not a KSC-managed device.' },
    NO_KATA_SENSOR: { description: 'No KATA Endpoint Agent sensor on the host.' },
    PRODUCT_LACKS_IT: { description: 'The product on this host (or its operating system) does not do this.' },
    NOT_OFFERED: { description: 'The product documents it, but this gateway has no mutation for it yet.' },
  },
});

@ObjectType({ description: 'One product through which an action could run on the host.' })
export class CapabilityRoute {
  @Field(() => Upstream)
  upstream!: Upstream;

  @Field(() => String, { nullable: true, description: 'The product on the host that would act (KSC product code).' })
  product!: string | null;

  @Field(() => String, { nullable: true, description: 'The gateway mutation that runs it this way.' })
  mutation!: string | null;

  @Field()
  available!: boolean;

  @Field(() => UnavailableReason, { nullable: true })
  reason!: UnavailableReason | null;
}

@ObjectType({ description: 'A response action on this host: whether it can run, through which products, and why not.' })
export class HostCapability {
  @Field(() => HostAction)
  action!: HostAction;

  @Field({ description: 'Whether at least one route is available.' })
  available!: boolean;

  @Field(() => [CapabilityRoute])
  routes!: CapabilityRoute[];
}
