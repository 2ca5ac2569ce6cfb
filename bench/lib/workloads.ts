import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Upstream calls by simulator and endpoint (`Class.Method` for KSC, `METHOD resource` for KATA). */
export type CallCounts = Record<'mdr' | 'ksc' | 'kata', Record<string, number>>;

export interface Workload {
  name: 'triage' | 'hostPage' | 'incidentDetail';
  file: string;
  query: string;
  /**
   * The fewest upstream calls the vendor APIs allow for this query on the default data set, per
   * endpoint, with why (README-style derivation in `derivation`).
   */
  minimum: CallCounts;
  derivation: string;
  /**
   * The shortest possible path as dependent levels of upstream calls (`<upstream> <endpoint>`):
   * each level needs an answer of the one before; calls of one level run side by side. Calls that
   * may run after the answer (result-set releases) are not on it.
   */
  criticalPath: string[][];
}

const QUERIES = path.resolve(__dirname, '..', '..', '..', 'bench', 'queries');
const QUERIES_FROM_SOURCE = path.resolve(__dirname, '..', 'queries');

function readQuery(file: string): string {
  for (const dir of [QUERIES_FROM_SOURCE, QUERIES]) {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      // compiled to dist-bench/bench/lib: the queries stay in the source tree
    }
  }
  throw new Error(`bench query ${file} not found`);
}

/** A KSC read of a whole (small) result set: open it, read one chunk (≤500 rows), release it. */
const KSC_FIND_HOSTS = { 'HostGroup.FindHosts': 1, 'ChunkAccessor.GetItemsChunk': 1, 'ChunkAccessor.Release': 1 };

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'triage',
    file: 'triage.graphql',
    query: readQuery('triage.graphql'),
    minimum: {
      mdr: { 'incidents/list': 1, 'assets/list': 1 },
      ksc: KSC_FIND_HOSTS,
      kata: { 'GET sensors': 1 },
    },
    derivation:
      'incidents/list (one page of 50, embeds responses and comments; affected_hosts name every host) → in parallel: assets/list with all affected host_names (≤10000 per page), ' +
      'KSC FindHosts with an OR filter over the same names (+1 GetItemsChunk, +1 Release after the answer) and KATA GET sensors (no multi-host filter: one unfiltered list)',
    criticalPath: [
      ['mdr incidents/list'],
      ['mdr assets/list', 'ksc HostGroup.FindHosts', 'kata GET sensors'],
      ['ksc ChunkAccessor.GetItemsChunk'],
    ],
  },
  {
    name: 'hostPage',
    file: 'host-page.graphql',
    query: readQuery('host-page.graphql'),
    minimum: {
      mdr: { 'assets/list': 1, 'incidents/list': 1 },
      ksc: {
        'HostGroup.FindHosts': 1,
        'HostGroup.FindGroups': 1,
        'ChunkAccessor.GetItemsChunk': 2,
        'ChunkAccessor.Release': 2,
      },
      kata: {},
    },
    derivation:
      'FindHosts ordered by name (count in its answer, +1 GetItemsChunk of 100, +1 Release) → in parallel FindGroups over the distinct group ids ' +
      '(+1 chunk, +1 release) and assets/list with the 100 host names → one incidents/list with asset_ids of every asset and statuses Open ' +
      '(open incidents of 100 assets fit one page of 10000), split per asset',
    // Incidents need MDR asset ids; FindGroups and its chunk run beside assets/list and incidents/list.
    criticalPath: [
      ['ksc HostGroup.FindHosts'],
      ['ksc ChunkAccessor.GetItemsChunk'],
      ['mdr assets/list', 'ksc HostGroup.FindGroups'],
      ['mdr incidents/list', 'ksc ChunkAccessor.GetItemsChunk'],
    ],
  },
  {
    name: 'incidentDetail',
    file: 'incident-detail.graphql',
    query: readQuery('incident-detail.graphql'),
    minimum: {
      mdr: { 'incidents/details': 1, 'assets/list': 1 },
      ksc: KSC_FIND_HOSTS,
      kata: { 'GET sensors': 1 },
    },
    derivation:
      'incidents/details (embeds responses and comments; affected_hosts name every host) → in parallel: assets/list by the affected host names, KSC FindHosts by name ' +
      '(+1 chunk, +1 release after the answer) and KATA GET sensors (by host filter is case-sensitive and one host per call: the list is one call for any number of hosts)',
    criticalPath: [
      ['mdr incidents/details'],
      ['mdr assets/list', 'ksc HostGroup.FindHosts', 'kata GET sensors'],
      ['ksc ChunkAccessor.GetItemsChunk'],
    ],
  },
];

/** Finds the incident the detail workload opens: the first open incident affecting several assets. */
export const PICK_INCIDENT_QUERY =
  '{ incidents(filter: { statuses: [OPEN] }, first: 50) { nodes { incidentId affectedAssets { assetId host { hostId } } } } }';

/** An open incident on several hosts that KSC manages too, so the detail query joins every source. */
export function pickIncident(data: {
  incidents: { nodes: { incidentId: string; affectedAssets: { host: unknown }[] }[] };
}): string {
  const nodes = data.incidents.nodes;
  const managed = nodes.filter((i) => i.affectedAssets.every((a) => a.host));
  return (managed.find((i) => i.affectedAssets.length > 1) ?? managed[0] ?? nodes[0]!).incidentId;
}

export function totalOf(counts: CallCounts): number {
  let total = 0;
  for (const upstream of Object.values(counts)) for (const n of Object.values(upstream)) total += n;
  return total;
}
