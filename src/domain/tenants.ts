/**
 * One tenant of the gateway: an MDR tenant and the parts of Security Center and KATA that belong to
 * it, as the operator maps them (TENANTS_FILE).
 */
export interface TenantMapping {
  /** The MDR tenant name exactly as MDR spells it; '' is MDR's root tenant (records with no tenant). */
  name: string;
  /**
   * KSC administration groups of the tenant, each with all its subgroups: a group id, or its full
   * path from the top (`Managed devices/Northwind Retail`).
   */
  kscGroups: readonly (number | string)[];
  /** KATA sensor ids of the tenant beyond those on its KSC hosts (sensors are matched by host name). */
  kataSensors: readonly string[];
}
