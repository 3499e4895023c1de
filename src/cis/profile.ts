// Which benchmark a run audits against. EKS nodes (provider IDs aws://...) make the platform
// `eks` (src/cluster/platform.ts), which selects the CIS EKS benchmark; every other cluster is
// audited against the CIS Kubernetes benchmark. The config can force either.
import type { Platform } from '../report/model.js';

export const CIS_PROFILES = ['cis-generic', 'cis-eks'] as const;
export type CisProfile = (typeof CIS_PROFILES)[number];

export interface ProfileChoice {
  profile: CisProfile;
  /** Why, for the report: "forced by cis.profile" or "detected: platform eks". */
  reason: string;
}

export function chooseProfile(platform: Platform, forced: CisProfile | 'auto'): ProfileChoice {
  if (forced !== 'auto') return { profile: forced, reason: `forced by cis.profile (platform ${platform})` };
  if (platform === 'eks') return { profile: 'cis-eks', reason: 'detected: the nodes are EC2 instances (provider ID aws://), platform eks' };
  return { profile: 'cis-generic', reason: `detected: platform ${platform} is not EKS` };
}
