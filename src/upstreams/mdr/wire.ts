/**
 * The MDR REST API as it travels (mdr-kata-protocol.md, API 1): vendor spelling, epoch
 * milliseconds, bare arrays for lists. Only this folder imports it; map.ts turns it into domain records.
 */

export interface NetworkInterface {
  ip?: string;
  mac?: string;
  dsc?: string;
  defg?: string;
  dnsd?: string;
  ipcm?: string;
}

export interface Asset {
  asset_id: string;
  host_name: string;
  domain?: string;
  os_version?: string;
  status: string;
  isolation?: boolean;
  isolation_task_id?: string;
  installed_product_info?: string;
  ksc_host_id?: string;
  network_interfaces?: NetworkInterface[];
  tenant_name?: string;
  first_seen?: number;
  last_seen?: number;
}

export interface Response {
  response_id: string;
  type: string;
  status: string;
  asset_id?: string;
  /** Not in the public samples; the simulator always sends it (README.md), the client tolerates its absence. */
  incident_id?: string;
  comment?: string;
  description?: string;
  details?: Record<string, unknown>;
  parameters?: Record<string, unknown> | null;
  creation_time?: number;
  update_time?: number;
  was_read?: boolean;
}

export interface Comment {
  comment_id: string;
  author_name: string;
  text: string;
  creation_time: number;
  origin?: string;
  was_read?: boolean;
}

export interface Incident {
  incident_id: string;
  incident_number?: number;
  summary: string;
  description?: string;
  client_description?: string;
  status_description?: string;
  priority: string;
  status: string;
  resolution?: string;
  /** `"HOST-NAME:0x<asset_id>"` */
  affected_hosts?: string[];
  detection_technology?: string;
  attack_stage?: string;
  mitre_tactics?: string[];
  mitre_techniques?: string[];
  creation_time: number;
  update_time: number;
  origin?: string;
  tenant_name?: string;
  was_read?: boolean;
  responses?: Response[];
  comments?: Comment[];
}

export interface Count {
  count: number;
}

export interface SessionConfirm {
  access_token: string;
  refresh_token: string;
}

export interface ErrorBody {
  error: string;
}

/** Filters shared by assets/count and assets/list. */
export interface AssetFilter {
  domain?: string;
  host_names?: string[];
  is_isolated?: boolean;
  max_first_seen?: number;
  min_first_seen?: number;
  max_last_seen?: number;
  min_last_seen?: number;
  network_interface?: string;
  os_version?: string;
  product?: string;
  related_incidents_ids?: string[];
  search_phrase?: string;
  statuses?: string[];
  tenants_names?: string[];
  version?: number;
}

/** Filters shared by incidents/count and incidents/list. */
export interface IncidentFilter {
  affected_hosts?: string[];
  asset_ids?: string[];
  detection_technologies?: string[];
  max_creation_time?: number;
  min_creation_time?: number;
  max_update_time?: number;
  min_update_time?: number;
  mitre_tactics?: string[];
  mitre_techniques?: string[];
  priorities?: string[];
  resolutions?: string[];
  response_statuses?: string[];
  response_types?: string[];
  search_phrase?: string;
  statuses?: string[];
  tenants_names?: string[];
}

export interface ListParams {
  page?: number;
  page_size?: number;
  /** `field:asc|desc` */
  sort?: string;
  fields?: string[];
  markdown_to_html?: boolean;
}
