// The control plane where the cluster shows it (CIS 1.x, 2.x): the API server, controller
// manager, scheduler and etcd, as processes the node collector saw on a node (hostPID shows host
// processes and static pods' containers alike, with the modes of the files their flags name), or
// else as static pods whose mirror pods in kube-system carry the component label (kubeadm), whose
// command line the API shows but whose files it does not. A managed control plane (EKS) shows
// neither: the checks then skip saying so, and the EKS profile marks them not verifiable.
import type { V1Pod } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact, FactSource } from '../checks/types.js';
import type { ClusterClients } from '../cluster/client.js';
import { CONTROL_PLANE_PROGRAMS, parseFlags, type ControlPlaneProgram, type NodeFile, type NodeFiles } from './node-files.js';

export const COMPONENT_LABEL = 'component';

/** Flags naming private keys (CIS 1.1.21: 600 or stricter). service-account-key-file is the
 *  public half, so it is not one. */
export const KEY_FILE_FLAGS = [
  'tls-private-key-file',
  'kubelet-client-key',
  'etcd-keyfile',
  'proxy-client-key-file',
  'service-account-signing-key-file',
  'service-account-private-key-file',
  'cluster-signing-key-file',
  'key-file',
  'peer-key-file',
];
/** Flags naming kubeconfig files (CIS 1.1.15-1.1.18 for the scheduler and controller manager). */
export const KUBECONFIG_FLAGS = ['kubeconfig', 'authentication-kubeconfig', 'authorization-kubeconfig'];

/** Data of one `control-plane` fact: one program on one node. */
export interface ControlPlaneFact {
  program: ControlPlaneProgram;
  node: string;
  via: 'host process' | 'static pod';
  /** The static pod, when seen through the API. */
  pod?: string;
  flags: Record<string, string>;
  /** Files named by the flags, by flag (only for processes the collector saw). */
  files: Record<string, NodeFile>;
  /** The private keys among them, and the kubeconfigs, for the file mode checks. */
  keyFiles: NodeFile[];
  kubeconfigFiles: NodeFile[];
}

/** The command line of a control-plane static pod's container (command then args). */
export function staticPodCommandLine(pod: V1Pod): string[] {
  const container = pod.spec?.containers?.[0];
  return [...(container?.command ?? []), ...(container?.args ?? [])];
}

function fact(data: ControlPlaneFact): Fact {
  const name = data.via === 'static pod' ? `${data.program} (static pod ${data.pod ?? '?'})` : `${data.program} on ${data.node}`;
  return { kind: 'Process', name, data };
}

function pick(files: Record<string, NodeFile>, flags: readonly string[]): NodeFile[] {
  return flags.filter((f) => files[f] !== undefined).map((f) => files[f] as NodeFile);
}

/** Processes seen on nodes first; a static pod only where its node's collector saw no such process. */
export function controlPlaneFacts(nodeFiles: readonly Fact[], staticPods: readonly V1Pod[]): Fact[] {
  const result: Fact[] = [];
  const seen = new Set<string>();
  for (const f of nodeFiles) {
    const data = f.data as NodeFiles;
    for (const program of CONTROL_PLANE_PROGRAMS) {
      const process = data.controlPlane?.[program];
      if (process === undefined) continue;
      seen.add(`${program}@${data.node}`);
      result.push(fact({ program, node: data.node, via: 'host process', flags: process.flags, files: process.files, keyFiles: pick(process.files, KEY_FILE_FLAGS), kubeconfigFiles: pick(process.files, KUBECONFIG_FLAGS) }));
    }
  }
  for (const pod of staticPods) {
    const program = pod.metadata?.labels?.[COMPONENT_LABEL] as ControlPlaneProgram | undefined;
    const node = pod.spec?.nodeName ?? '?';
    if (program === undefined || !CONTROL_PLANE_PROGRAMS.includes(program) || seen.has(`${program}@${node}`)) continue;
    const args = staticPodCommandLine(pod);
    result.push(fact({ program, node, via: 'static pod', pod: `${pod.metadata?.namespace ?? 'kube-system'}/${pod.metadata?.name ?? '?'}`, flags: parseFlags(args), files: {}, keyFiles: [], kubeconfigFiles: [] }));
  }
  return result;
}

/** kube-system's pods labelled as one of the control-plane components (kubeadm's mirror pods). */
export function staticPodsCollector(): Collector {
  return {
    description: `list kube-system pods labelled ${COMPONENT_LABEL} in (${CONTROL_PLANE_PROGRAMS.join(', ')})`,
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const pods = await clients.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: `${COMPONENT_LABEL} in (${CONTROL_PLANE_PROGRAMS.join(',')})` });
      return pods.items.map((p) => ({ kind: 'Pod', name: p.metadata?.name ?? '?', namespace: 'kube-system', data: p }));
    },
  };
}

/** The derived `control-plane` source over the node collector and the static pods. */
export async function collectControlPlane(source: FactSource): Promise<Fact[]> {
  const [nodeFiles, pods] = await Promise.all([source.collect('node-files'), source.collect('control-plane-pods')]);
  return controlPlaneFacts(nodeFiles, pods.map((p) => p.data as V1Pod));
}
