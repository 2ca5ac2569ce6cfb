import { LRUCache } from 'lru-cache';

import type { HostGroupRecord } from '../../domain/ksc';
import type { TenantMapping } from '../../domain/tenants';
import type { Logger } from '../../logger';
import type { KscClient } from '../../upstreams/ksc/client';

/** How long the KSC group tree is trusted: groups move rarely, and a move shows within this time. */
const GROUP_TREE_TTL_MS = 60_000;

/**
 * The operator's tenant mapping and what the gateway keeps to apply it: the KSC administration
 * group tree (to expand a tenant's groups into their subtrees) and which KATA task was created on
 * which sensor (KATA's task answer does not say). One per process.
 */
export class TenantDirectory {
  private readonly byName: ReadonlyMap<string, TenantMapping>;
  private tree?: { until: number; groups: Promise<HostGroupRecord[]> };
  private readonly warned = new Set<string>();
  /** Task id → sensor id of the KATA tasks created through this process. */
  private readonly kataTaskSensors = new LRUCache<string, string>({ max: 100_000 });

  constructor(
    mappings: readonly TenantMapping[],
    private readonly logger: Logger,
  ) {
    this.byName = new Map(mappings.map((m) => [m.name, m]));
  }

  /**
   * The ids of the tenants' KSC groups and all their subgroups. A group the mapping names that
   * KSC does not have is left out (and logged once): the tenant then sees less, never more.
   */
  async kscGroupIds(tenants: readonly string[], ksc: KscClient): Promise<number[]> {
    const refs = tenants.flatMap((t) => this.byName.get(t)?.kscGroups ?? []);
    if (refs.length === 0) return [];
    const groups = await this.groupTree(ksc);
    const children = new Map<number, number[]>();
    const byPath = new Map<string, number>();
    const path = new Map<number, string>();
    const byId = new Map(groups.map((g) => [g.groupId, g]));
    const pathOf = (g: HostGroupRecord, depth = 0): string => {
      const known = path.get(g.groupId);
      if (known !== undefined) return known;
      const parent = g.parentId === null || depth > 64 ? undefined : byId.get(g.parentId);
      const full = parent && parent.groupId !== g.groupId ? `${pathOf(parent, depth + 1)}/${g.name}` : g.name;
      path.set(g.groupId, full);
      return full;
    };
    for (const g of groups) {
      byPath.set(normalPath(pathOf(g)), g.groupId);
      if (g.parentId !== null) children.set(g.parentId, [...(children.get(g.parentId) ?? []), g.groupId]);
    }
    const ids = new Set<number>();
    const add = (id: number) => {
      if (ids.has(id)) return;
      ids.add(id);
      for (const child of children.get(id) ?? []) add(child);
    };
    for (const ref of refs) {
      const id = typeof ref === 'number' ? (byId.has(ref) ? ref : undefined) : byPath.get(normalPath(ref));
      if (id === undefined) this.warnOnce(`KSC has no administration group ${JSON.stringify(ref)} (TENANTS_FILE)`);
      else add(id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** KATA sensor ids the mapping gives the tenants explicitly (upper case, as KATA compares them). */
  kataSensorIds(tenants: readonly string[]): Set<string> {
    return new Set(tenants.flatMap((t) => this.byName.get(t)?.kataSensors ?? []).map((id) => id.toUpperCase()));
  }

  rememberKataTask(taskId: string, sensorId: string): void {
    this.kataTaskSensors.set(taskId.toLowerCase(), sensorId);
  }

  kataTaskSensor(taskId: string): string | undefined {
    return this.kataTaskSensors.get(taskId.toLowerCase());
  }

  private groupTree(ksc: KscClient): Promise<HostGroupRecord[]> {
    const now = Date.now();
    if (this.tree && this.tree.until > now) return this.tree.groups;
    const groups = ksc.allGroups();
    const entry = { until: now + GROUP_TREE_TTL_MS, groups };
    this.tree = entry;
    // A failed read is not kept: the next request asks again.
    groups.catch(() => {
      if (this.tree === entry) this.tree = undefined;
    });
    return groups;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.logger.warn(message);
  }
}

function normalPath(path: string): string {
  return path
    .split('/')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
    .join('/');
}
