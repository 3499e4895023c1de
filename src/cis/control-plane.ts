// The control plane where the cluster shows it (CIS 1.x, 2.x): the API server, controller
// manager, scheduler and etcd, as processes the node collector saw on a node (hostPID shows host
// processes and static pods' containers alike, with the modes of the files their flags name), or
// else as static pods whose mirror pods in kube-system carry the component label (kubeadm), whose
// command line the API shows but whose files it does not. A managed control plane (EKS) shows
// neither: the checks then skip saying so, and the EKS profile marks them not verifiable.
import type { V1Pod } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact, FactSource, Finding } from '../checks/types.js';
import type { ClusterClients } from '../cluster/client.js';
import { CONTROL_PLANE_PROGRAMS, parseFlags, type ControlPlaneProgram, type EncryptionSeen, type NodeFile, type NodeFiles, type ProgramSeen } from './node-files.js';

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
/** Flags naming certificates and CA bundles (CIS 1.1.20: 600 or stricter). */
export const CERT_FILE_FLAGS = [
  'tls-cert-file',
  'client-ca-file',
  'kubelet-client-certificate',
  'kubelet-certificate-authority',
  'etcd-certfile',
  'etcd-cafile',
  'proxy-client-cert-file',
  'requestheader-client-ca-file',
  'cluster-signing-cert-file',
  'root-ca-file',
  'cert-file',
  'trusted-ca-file',
  'peer-cert-file',
  'peer-trusted-ca-file',
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
  /** The private keys among them, the kubeconfigs and the certificates, for the file mode and
   *  owner checks; keyed by the file's path, so a finding names the file it is about. */
  keyFiles: Record<string, NodeFile>;
  kubeconfigFiles: Record<string, NodeFile>;
  certFiles: Record<string, NodeFile>;
  /** Its TLS cipher suites (--tls-cipher-suites; etcd: --cipher-suites), when set. */
  cipherSuites?: string[];
  /** The uid:gid the process runs as, where the collector saw it. */
  runAs?: string;
  /** The API server's encryption at rest, where its configuration could be seen. */
  encryption?: EncryptionAtRest;
}

/** What the API server writes secrets with, read from its --encryption-provider-config. */
export interface EncryptionAtRest {
  config: 'not set' | 'unreadable' | 'read';
  /** The first provider of the first entry covering secrets (`secrets`, `*.` or `*.*`); identity
   *  when no entry covers them or no configuration is set; unset when the file was unreadable. */
  secretsProvider?: string;
  /** The entries as `resources: providers` lines, for the report. */
  entries: string;
}

const COVERS_SECRETS = ['secrets', '*.', '*.*'];

/** The API server's encryption of secrets, from its flag and what the collector read of the file. */
export function encryptionAtRest(flags: Readonly<Record<string, string>>, seen: EncryptionSeen | undefined): EncryptionAtRest {
  if (flags['encryption-provider-config'] === undefined) return { config: 'not set', secretsProvider: 'identity', entries: '' };
  if (seen === undefined || !seen.read) return { config: 'unreadable', entries: '' };
  const entries = seen.groups.map((g) => `${g.resources.join(',')}: ${g.providers.join(',') || 'no provider'}`).join('; ');
  const first = seen.groups.find((g) => g.resources.some((r) => COVERS_SECRETS.includes(r)));
  return { config: 'read', secretsProvider: first?.providers[0] ?? 'identity', entries };
}

/** The command line of a control-plane static pod's container (command then args). */
export function staticPodCommandLine(pod: V1Pod): string[] {
  const container = pod.spec?.containers?.[0];
  return [...(container?.command ?? []), ...(container?.args ?? [])];
}

function cipherSuites(program: ControlPlaneProgram, flags: Readonly<Record<string, string>>): { cipherSuites?: string[] } {
  const value = flags[program === 'etcd' ? 'cipher-suites' : 'tls-cipher-suites'];
  return value === undefined ? {} : { cipherSuites: value.split(',').map((c) => c.trim()).filter((c) => c !== '') };
}

function fact(data: ControlPlaneFact): Fact {
  const name = data.via === 'static pod' ? `${data.program} (static pod ${data.pod ?? '?'})` : `${data.program} on ${data.node}`;
  return { kind: 'Process', name, data };
}

/** The files some of `flags` name, by path (two flags naming one file give one entry). */
function pick(files: Record<string, NodeFile>, flags: readonly string[]): Record<string, NodeFile> {
  const picked: Record<string, NodeFile> = {};
  for (const flag of flags) {
    const file = files[flag];
    if (file !== undefined) picked[file.path] = file;
  }
  return picked;
}

function processFact(program: ControlPlaneProgram, node: string, seen: ProgramSeen): ControlPlaneFact {
  return {
    program,
    node,
    via: 'host process',
    flags: seen.flags,
    ...cipherSuites(program, seen.flags),
    files: seen.files,
    keyFiles: pick(seen.files, KEY_FILE_FLAGS),
    kubeconfigFiles: pick(seen.files, KUBECONFIG_FLAGS),
    certFiles: pick(seen.files, CERT_FILE_FLAGS),
    ...(seen.runAs === undefined ? {} : { runAs: seen.runAs }),
    ...(program === 'kube-apiserver' ? { encryption: encryptionAtRest(seen.flags, seen.encryption) } : {}),
  };
}

/** etcd's data directory is owned by the user etcd runs as (CIS 1.1.12 asks etcd:etcd; whoever
 *  etcd runs as, nobody else may own what it keeps). */
export function dataDirOwner(fact: Fact): Finding[] {
  const data = fact.data as ControlPlaneFact;
  const dir = data.files['data-dir'];
  if (dir?.owner === undefined || data.runAs === undefined || dir.owner === data.runAs) return [];
  return [{ field: 'files["data-dir"].owner', seen: dir.owner, expected: data.runAs, because: `${dir.path} is owned by ${dir.owner}, but ${data.program} runs as ${data.runAs}` }];
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
      result.push(fact(processFact(program, data.node, process)));
    }
  }
  for (const pod of staticPods) {
    const program = pod.metadata?.labels?.[COMPONENT_LABEL] as ControlPlaneProgram | undefined;
    const node = pod.spec?.nodeName ?? '?';
    if (program === undefined || !CONTROL_PLANE_PROGRAMS.includes(program) || seen.has(`${program}@${node}`)) continue;
    const flags = parseFlags(staticPodCommandLine(pod));
    result.push(fact({ program, node, via: 'static pod', pod: `${pod.metadata?.namespace ?? 'kube-system'}/${pod.metadata?.name ?? '?'}`, flags, ...cipherSuites(program, flags), files: {}, keyFiles: {}, kubeconfigFiles: {}, certFiles: {} }));
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
