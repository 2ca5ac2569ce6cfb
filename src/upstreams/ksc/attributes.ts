import type { HostPart } from '../../domain/ksc';

/**
 * Attribute names KSC filters may use, per object kind (ksc-protocol.md §6). The client validates a
 * caller's raw filter against these before sending it; the simulator rejects others with KSC's
 * `Unknown attribute` error. Names are case-sensitive.
 */
export const HOST_ATTRIBUTES = [
  'KLHST_WKS_HOSTNAME',
  'KLHST_WKS_DN',
  'KLHST_WKS_FQDN',
  'KLHST_WKS_DNSNAME',
  'KLHST_WKS_DNSDOMAIN',
  'KLHST_WKS_WINHOSTNAME',
  'KLHST_WKS_WINDOMAIN',
  'KLHST_INSTANCEID',
  'KLHST_WKS_GROUPID',
  'KLHST_WKS_OS_NAME',
  'KLHST_WKS_OS_BUILD_NUMBER',
  'KLHST_WKS_OS_RELEASE_ID',
  'KLHST_WKS_OSSP_VER_MAJOR',
  'KLHST_WKS_OSSP_VER_MINOR',
  'KLHST_WKS_CPU_ARCH',
  'KLHST_WKS_CTYPE',
  'KLHST_WKS_PTYPE',
  'KLHST_WKS_NAG_VER_ID',
  'KLHST_WKS_RBT_REQUEST_REASON',
  'KLHST_WKS_STATUS',
  'KLHST_WKS_CREATED',
  'KLHST_WKS_LAST_VISIBLE',
  'KLHST_WKS_LAST_INFOUDATE',
  'KLHST_WKS_RTP_AV_BASES_TIME',
  'KLHST_WKS_NAG_VERSION',
  'KLHST_WKS_RTP_AV_VERSION',
  'KLHST_WKS_COMMENT',
  'KLHST_WKS_RBT_REQUIRED',
  'KLHST_WKS_OWNER_IS_CUSTOM',
  'KLHST_WKS_ANTI_SPAM_STATUS',
  'KLHST_WKS_DLP_STATUS',
  'KLHST_WKS_COLLAB_SRVS_STATUS',
  'KLHST_WKS_EMAIL_AV_STATUS',
  'KLHST_WKS_EDR_STATUS',
  'KLHST_WKS_IP_LONG',
  'KLHST_WKS_CONNECT_IP_LONG',
  'KLHST_WKS_STATUS_ID',
  'KLHST_WKS_RTP_STATE',
  'KLHST_WKS_OWNER_ID',
  'KLHST_WKS_CUSTOM_OWNER_ID',
  'name',
] as const;

export const GROUP_ATTRIBUTES = [
  'id',
  'name',
  'parentId',
  'autoRemovePeriod',
  'notifyPeriod',
  'creationDate',
  'lastUpdate',
  'KLGRP_HlfInherited',
  'KLGRP_HlfForceChildren',
  'KLGRP_HlfForced',
  'hostsNum',
  'childGroupsNum',
  'grp_full_name',
  'level',
  'KLSRV_HSTSTAT_CRITICAL',
  'KLSRV_HSTSTAT_WARNING',
  'KLGRP_CHLDHST_CNT',
  'KLGRP_CHLDGRP_CNT',
] as const;

export const USER_ATTRIBUTES = [
  'KLHSTUSER_ID',
  'KLHSTUSER_BINID',
  'KLHSTUSER_DN',
  'KLHSTUSER_PRINCIPAL',
  'KLHSTUSER_SAMNAME',
  'KLHSTUSER_MAIL',
  'KLHSTUSER_PHONE',
  'KLHSTUSER_HOST',
  'KLHSTUSER_LOGGEDIN_HOST',
  'KLHSTUSER_MOBILE',
  'KLHSTUSER_GUID',
  'KLHSTUSER_SID',
  'KLHSTUSER_DOMAIN_SAM',
  'KLHSTUSER_DOMAIN2000',
  'KLHSTUSER_COMPANY',
  'KLHSTUSER_DEPARTMENT',
  'KLHSTUSER_JOBTITLE',
  'KLHSTUSER_MANAGER',
] as const;

export const EVENT_ATTRIBUTES = [
  'event_id',
  'GNRL_EA_SEVERITY',
  'domain_name',
  'group_name',
  'group_id',
  'hostname',
  'hostdn',
  'product_name',
  'product_version',
  'product_displ_version',
  'event_type',
  'event_type_display_name',
  'event_type_id',
  'GNRL_EA_DESCRIPTION',
  'GNRL_EA_DESCRIPTION_DISP_NAME',
  'rise_time',
  'registration_time',
  'GNRL_EA_PARAM_1',
  'GNRL_EA_PARAM_2',
  'GNRL_EA_PARAM_3',
  'GNRL_EA_PARAM_4',
  'GNRL_EA_PARAM_5',
  'GNRL_EA_PARAM_6',
  'GNRL_EA_PARAM_7',
  'GNRL_EA_PARAM_8',
  'GNRL_EA_PARAM_9',
  'GNRL_EA_ID',
  'GNRL_COMPLETED_PERCENT',
  'task_display_name',
  'task_id',
  'task_old_state',
  'task_new_state',
] as const;

export const QUARANTINE_ATTRIBUTES = [
  'nId',
  'strHostName',
  'strHostDisplayName',
  'ObjName',
  'szDescription',
  'strId',
  'nSize',
  'tmRegistered',
  'nStatus',
] as const;

export const EXE_FILE_ATTRIBUTES = [
  'HST_FILE_ID',
  'FILE_ID',
  'strHostName',
  'FILE_NAME',
  'FILE_PATH',
  'SHA256',
  'MD5',
  'FILE_SIZE',
  'FILE_VERSION',
  'FILE_VENDOR',
  'PRODUCT_NAME',
  'FILE_CATEGORY',
  'LAST_RUN',
  'FIRST_SEEN',
] as const;

export const OPEN_PORT_ATTRIBUTES = [
  'strHostName',
  'nPort',
  'strProtocol',
  'strProcessName',
  'nPid',
  'strLocalAddress',
] as const;

/** Host attributes the gateway reads for its Host type. */
export const HOST_FIELDS = [
  'KLHST_WKS_HOSTNAME',
  'KLHST_WKS_DN',
  'KLHST_WKS_FQDN',
  'KLHST_WKS_DNSDOMAIN',
  'KLHST_WKS_OS_NAME',
  'KLHST_WKS_IP_LONG',
  'KLHST_WKS_STATUS',
  'KLHST_WKS_LAST_VISIBLE',
  'KLHST_WKS_NAG_VERSION',
  'KLHST_WKS_GROUPID',
] as const;

/** The attribute behind each HostPart (see toHost). */
const HOST_PART_FIELDS: Record<HostPart, (typeof HOST_FIELDS)[number]> = {
  fqdn: 'KLHST_WKS_FQDN',
  domain: 'KLHST_WKS_DNSDOMAIN',
  osName: 'KLHST_WKS_OS_NAME',
  ipAddress: 'KLHST_WKS_IP_LONG',
  online: 'KLHST_WKS_STATUS',
  lastVisible: 'KLHST_WKS_LAST_VISIBLE',
  agentVersion: 'KLHST_WKS_NAG_VERSION',
  groupId: 'KLHST_WKS_GROUPID',
};

/** `vecFieldsToReturn` for host records with only `parts` beyond id and name; undefined = all. */
export function hostFieldsToWire(parts: readonly HostPart[] | undefined): readonly string[] {
  return parts ? ['KLHST_WKS_HOSTNAME', 'KLHST_WKS_DN', ...parts.map((p) => HOST_PART_FIELDS[p])] : HOST_FIELDS;
}
