import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { HostRecord } from '../../domain/ksc';
import type { SensorRecord } from '../../domain/sensor';
import type { Context } from '../context';
import { CapabilityRoute, HostAction, HostCapability, UnavailableReason } from '../types/capability.type';
import { Host } from '../types/host.type';
import { Upstream } from '../types/upstream-health.type';

/** The KSC security product for a host's operating system (the products the scan task types name). */
function kscProduct(osName: string | null): string | null {
  if (!osName) return null;
  if (/windows.*server/i.test(osName)) return 'WSEE';
  if (/windows/i.test(osName)) return 'KES';
  if (/mac/i.test(osName)) return 'KESMAC';
  return 'KESL';
}

/** KSC actions the gateway runs as tasks, and the products whose task types it knows for them. */
const KSC_ROUTES: Partial<Record<HostAction, { mutation: string | null; products: string[] }>> = {
  [HostAction.ISOLATE]: { mutation: 'isolateHosts', products: ['KES'] },
  [HostAction.RELEASE]: { mutation: 'unisolateHosts', products: ['KES'] },
  [HostAction.SCAN]: { mutation: 'scanHosts', products: ['KES', 'KESL', 'WSEE', 'KESMAC'] },
  [HostAction.QUARANTINE_FILE]: { mutation: 'quarantineFiles', products: ['KES'] },
  // KES for Windows documents these as endpoint response tasks; the gateway does not create them yet.
  [HostAction.DELETE_FILE]: { mutation: null, products: ['KES'] },
  [HostAction.GET_FILE]: { mutation: null, products: ['KES'] },
  [HostAction.KILL_PROCESS]: { mutation: null, products: ['KES'] },
  [HostAction.IOC_SCAN]: { mutation: null, products: ['KES'] },
  [HostAction.UPDATE_BASES]: { mutation: null, products: ['KES', 'KESL', 'WSEE', 'KESMAC'] },
};

/** KATA actions and the sensor capability (as KATA names it) each needs. */
const KATA_ROUTES: Partial<Record<HostAction, { mutation: string; capability: string }>> = {
  [HostAction.ISOLATE]: { mutation: 'isolateSensor', capability: 'network_isolation' },
  [HostAction.RELEASE]: { mutation: 'releaseSensorIsolation', capability: 'network_isolation' },
  [HostAction.RUN_PROCESS]: { mutation: 'createKataTask', capability: 'run_process' },
  [HostAction.PREVENT_EXECUTION]: { mutation: 'addPreventionRules', capability: 'prevention' },
};

function kscRoute(action: HostAction, host: HostRecord): CapabilityRoute | null {
  const known = KSC_ROUTES[action];
  if (!known) return null;
  const product = kscProduct(host.osName);
  const route = { upstream: Upstream.KSC, product, mutation: known.mutation };
  const reason =
    !product || !known.products.includes(product)
      ? UnavailableReason.PRODUCT_LACKS_IT
      : !known.mutation
        ? UnavailableReason.NOT_OFFERED
        : !host.online
          ? UnavailableReason.AGENT_OFFLINE
          : null;
  return { ...route, available: reason === null, reason };
}

function kataRoute(action: HostAction, sensor: SensorRecord | null): CapabilityRoute | null {
  const known = KATA_ROUTES[action];
  if (!known) return null;
  const reason = !sensor
    ? UnavailableReason.NO_KATA_SENSOR
    : !sensor.capabilities.includes(known.capability)
      ? UnavailableReason.PRODUCT_LACKS_IT
      : null;
  return {
    upstream: Upstream.KATA,
    product: sensor ? 'KEA' : null,
    mutation: known.mutation,
    available: !reason,
    reason,
  };
}

@Resolver(() => Host)
export class HostCapabilitiesResolver {
  @FieldResolver(() => [HostCapability], {
    description:
      'Every response action, with the products through which it can run on this host and, where not, why ' +
      '(from KSC: agent online, operating system; from KATA: the sensor and what it relays).',
  })
  async capabilities(@Root() host: HostRecord, @Ctx() { upstreams, loaders }: Context): Promise<HostCapability[]> {
    const sensor = upstreams.kata ? await loaders.sensorByHostName.load(host.name) : null;
    return Object.values(HostAction).map((action) => {
      const routes = [kscRoute(action, host), upstreams.kata ? kataRoute(action, sensor) : null].filter(
        (r): r is CapabilityRoute => r !== null,
      );
      return { action, available: routes.some((r) => r.available), routes };
    });
  }
}
