// Which namespaces the suite audits: those the config names, else every namespace but the system
// ones and those kube-assay created; minus the exclusions (globs) and terminating ones. Pure.
import type { V1Namespace } from '@kubernetes/client-node';
import { isOwnedByKubeAssay } from '../cluster/labels.js';
import { namespacePatternMatches, SYSTEM_NAMESPACES } from '../cluster/namespaces.js';
import type { IamConfig } from './config.js';

export interface AuditedNamespaces {
  audited: string[];
  /** Named in iam.namespaces but absent from the cluster. */
  missing: string[];
}

export function auditedNamespaces(namespaces: readonly V1Namespace[], settings: Pick<IamConfig, 'namespaces' | 'excludeNamespaces'>): AuditedNamespaces {
  const live = new Map(namespaces.map((ns) => [ns.metadata?.name ?? '', ns]));
  const excluded = (name: string): boolean => settings.excludeNamespaces.some((p) => namespacePatternMatches(p, name));
  if (settings.namespaces.length > 0) {
    return {
      audited: settings.namespaces.filter((n) => live.has(n) && !excluded(n)).sort(),
      missing: settings.namespaces.filter((n) => !live.has(n)),
    };
  }
  const audited = [...live.values()].filter((ns) => {
    const name = ns.metadata?.name ?? '';
    return name !== '' && !SYSTEM_NAMESPACES.includes(name) && !isOwnedByKubeAssay(ns.metadata?.labels) && ns.metadata?.deletionTimestamp === undefined && !excluded(name);
  }).map((ns) => ns.metadata?.name ?? '').sort();
  return { audited, missing: [] };
}

export async function listAuditedNamespaces(list: () => Promise<{ items: V1Namespace[] }>, settings: IamConfig): Promise<AuditedNamespaces> {
  return auditedNamespaces((await list()).items, settings);
}
