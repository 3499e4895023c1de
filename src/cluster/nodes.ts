// Node readiness as a check reads it.
import type { V1Node } from '@kubernetes/client-node';

export interface NodeReadiness {
  name: string;
  ready: boolean;
  reason: string;
  kubelet: string;
  schedulable: boolean;
}

export function nodeReadiness(node: V1Node): NodeReadiness {
  const condition = node.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: node.metadata?.name ?? '?',
    ready: condition?.status === 'True',
    reason: condition === undefined ? 'no Ready condition' : `${condition.reason ?? ''}${condition.message ? `: ${condition.message}` : ''}`,
    kubelet: node.status?.nodeInfo?.kubeletVersion ?? '?',
    schedulable: node.spec?.unschedulable !== true,
  };
}
