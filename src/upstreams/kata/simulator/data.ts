import { buildEstate } from '../../sim/estate';
import { Random } from '../../sim/random';
import type * as wire from '../wire';

export const KATA_SERVER_VERSION = '7.1.0.412';

/**
 * The sensors of the shared estate: one Endpoint Agent per machine with `hasSensor`, under the
 * same host name and address that KSC and MDR use for it.
 */
export function buildSensors(seed: number, scale: number): wire.Sensor[] {
  const estate = buildEstate(seed, scale);
  const rng = new Random(seed).fork('kata:sensors');
  const epochS = Math.floor(estate.epochMs / 1000);
  return estate.machines
    .filter((m) => m.hasSensor)
    .map((m): wire.Sensor => {
      const linux = m.osFamily === 'Linux';
      return {
        sensorId: rng.uuid().toUpperCase(),
        hostName: m.hostName,
        hostIp: m.ipAddress,
        lastAccessTimestamp: epochS - rng.int(0, 3 * 86_400),
        version: linux ? `12.1.0.${rng.int(1000, 1400)}` : `3.16.0.${rng.int(2000, 2600)}`,
        selfDefenseState: !linux && rng.chance(0.95),
        licenseStatus: rng.chance(0.97) ? 'valid' : 'expired',
        osFamily: m.osFamily,
        osName: m.osName,
        // KES for Linux relays only network isolation and run-process (help KATA 7.0 227245).
        capabilities: linux ? ['network_isolation', 'run_process'] : ['network_isolation', 'prevention', 'run_process'],
      };
    });
}

/** The default external system's id: stable for a seed, UUID-shaped like the docs' example. */
export function defaultExternalSystemId(seed: number): string {
  return new Random(seed).fork('kata:external-system').uuid().toUpperCase();
}
