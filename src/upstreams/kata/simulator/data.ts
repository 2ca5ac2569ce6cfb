import { buildEstate } from '../../sim/estate';
import { Random } from '../../sim/random';
import type * as wire from '../wire';

export const KATA_SERVER_VERSION = '7.1.0.412';

/**
 * The sensors of the shared estate: one Endpoint Agent per machine with `hasSensor`, under the
 * same host name, address and last-seen time that KSC and MDR use for it.
 */
export function buildSensors(seed: number, scale: number, epochMs: number): wire.Sensor[] {
  const estate = buildEstate(seed, scale, epochMs);
  const rng = new Random(seed).fork('kata:sensors');
  return estate.machines
    .filter((m) => m.hasSensor)
    .map((m): wire.Sensor => {
      const linux = m.osFamily === 'Linux';
      return {
        sensorId: rng.uuid().toUpperCase(),
        hostName: m.hostName,
        hostIp: m.ipAddress,
        // The agent's last contact is the machine's: KSC's last visible time and MDR's last_seen.
        lastAccessTimestamp: Math.floor(m.lastSeen / 1000),
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
