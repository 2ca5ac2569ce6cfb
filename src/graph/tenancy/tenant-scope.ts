import type { Caller } from '../../domain/caller';
import type { HostRecord } from '../../domain/ksc';
import type { SensorRecord } from '../../domain/sensor';
import type { Upstreams } from '../../upstreams';
import { scopeTenants, visibleTo } from '../resolvers/mdr-scope';
import type { TenantDirectory } from './tenant-directory';

/**
 * What one request's caller may see of each source: MDR tenants by name, KSC administration groups
 * (the tenants' subtrees), KATA sensors (those on the tenants' KSC hosts, and any the mapping names).
 * Built per request; the KSC answers it needs are read once per request, and only for a caller
 * limited to tenants.
 */
export class TenantScope {
  private groups?: Promise<number[]>;
  private hosts?: Promise<HostRecord[]>;
  private hostNames?: Promise<Set<string>>;

  constructor(
    private readonly caller: Caller,
    private readonly directory: TenantDirectory | undefined,
    /** The process's clients, not the request's: scope answers are not bound to one field. */
    private readonly upstreams: Upstreams,
  ) {}

  /** Null: the caller sees every tenant. */
  get tenants(): readonly string[] | null {
    return this.caller.tenants;
  }

  get limited(): boolean {
    return this.caller.tenants !== null;
  }

  /** Tenants a call may touch: the caller's intersected with those asked for (undefined: any). */
  mdrTenants(requested: readonly string[] | null | undefined): string[] | undefined {
    return scopeTenants(this.caller, requested);
  }

  /** Whether an MDR record of `tenantName` (null or '' = MDR's root tenant) is the caller's. */
  mdrVisible(tenantName: string | null | undefined): boolean {
    return visibleTo(this.caller, tenantName ?? null);
  }

  /** The KSC groups the caller may see, subtrees expanded; [] when none (or no mapping). */
  kscGroups(): Promise<number[]> {
    return (this.groups ??= this.resolveGroups());
  }

  /** Every KSC host in the caller's groups (id and name only). */
  kscHosts(): Promise<HostRecord[]> {
    return (this.hosts ??= this.kscGroups().then((ids) =>
      ids.length && this.upstreams.ksc ? this.upstreams.ksc.hostsInGroups(ids) : [],
    ));
  }

  async kscHostIds(): Promise<string[]> {
    return (await this.kscHosts()).map((h) => h.hostId);
  }

  /** Whether the KATA sensor is the caller's: named by the mapping, or on one of its KSC hosts. */
  async sensorVisible(sensor: Pick<SensorRecord, 'sensorId' | 'hostName'>): Promise<boolean> {
    if (!this.limited) return true;
    if (this.directory?.kataSensorIds(this.caller.tenants!).has(sensor.sensorId.toUpperCase())) return true;
    if (!sensor.hostName) return false;
    this.hostNames ??= this.kscHosts().then((hosts) => new Set(hosts.map((h) => h.name.toLowerCase())));
    return (await this.hostNames).has(sensor.hostName.toLowerCase());
  }

  rememberKataTask(taskId: string, sensorId: string): void {
    this.directory?.rememberKataTask(taskId, sensorId);
  }

  kataTaskSensor(taskId: string): string | undefined {
    return this.directory?.kataTaskSensor(taskId);
  }

  private async resolveGroups(): Promise<number[]> {
    const tenants = this.caller.tenants;
    if (tenants === null) throw new Error('kscGroups() is for callers limited to tenants.');
    if (!this.directory || !this.upstreams.ksc || tenants.length === 0) return [];
    return this.directory.kscGroupIds(tenants, this.upstreams.ksc);
  }
}
