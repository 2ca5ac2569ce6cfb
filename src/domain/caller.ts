/** Gateway roles, mirroring the vendor's access model (MDR API connection rights). */
export type Role = 'viewer' | 'security_officer' | 'senior_security_officer' | 'administrator';

export const ROLES: readonly Role[] = ['viewer', 'security_officer', 'senior_security_officer', 'administrator'];

/** Who is calling the gateway, as established from their token. */
export interface Caller {
  /** `sub` of the caller's token; 'anonymous' when auth is disabled. */
  subject: string;
  roles: readonly Role[];
  /** MDR tenant names the caller is limited to; null = every tenant. */
  tenants: readonly string[] | null;
}
