// Settings only a node can show: the kubelet's command line and the modes and owners of the
// files it names. A short-lived collector pod per node (hostPID to see the kubelet process, the
// host's root mounted read-only, every taint tolerated, in a run namespace labelled Pod Security
// privileged, which the check's cleanup deletes) prints what it finds and exits; its log is the
// fact. The kubelet's config path comes from its own command line (--config), never a guess.
import type { V1Pod } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact } from '../checks/types.js';
import { errorSentence } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import type { Labels } from '../cluster/labels.js';
import { nodeReadiness } from '../cluster/nodes.js';
import { readContainerLog } from '../cluster/logs.js';
import { createPod, PROBE_CONTAINER, probePod, waitForPod } from '../cluster/pods.js';
import type { Deadline } from '../cluster/wait.js';
import type { PullPolicy } from '../config/types.js';
import { mapBounded } from './node-get.js';

/** The files whose mode and owner are checked, by role. */
export const NODE_FILE_ROLES = ['config', 'kubeconfig', 'client-ca'] as const;
export type NodeFileRole = (typeof NODE_FILE_ROLES)[number];

/** Runs in the collector container (busybox sh). Prints `arg<TAB>value` per kubelet argument and
 *  `file<TAB>role<TAB>path<TAB>mode uid:gid` (or `absent`, or an empty path when not configured). */
export const COLLECT_SCRIPT = [
  'kpid=""',
  'for d in /proc/[0-9]*; do a0=$(tr "\\0" "\\n" < "$d/cmdline" 2>/dev/null | head -n1); case "${a0##*/}" in kubelet) kpid=${d#/proc/}; break;; esac; done',
  'if [ -z "$kpid" ]; then printf "error\\tno kubelet process is visible on this node\\n"; exit 0; fi',
  'args=$(tr "\\0" "\\n" < /proc/$kpid/cmdline)',
  'printf "%s\\n" "$args" | while IFS= read -r a; do printf "arg\\t%s\\n" "$a"; done',
  // --flag value or --flag=value; the last occurrence wins, as for the kubelet.
  'val() { printf "%s\\n" "$args" | awk -v f="--$1" \'$0==f {getline v; r=v} index($0, f"=")==1 {r=substr($0, length(f)+2)} END {print r}\'; }',
  'cfg=$(val config); kc=$(val kubeconfig); ca=$(val client-ca-file)',
  'if [ -z "$ca" ] && [ -n "$cfg" ]; then ca=$(sed -n "s/^[[:space:]]*clientCAFile:[[:space:]]*//p" "/host$cfg" 2>/dev/null | head -n1 | tr -d "\\"\'"); fi',
  'for pair in "config:$cfg" "kubeconfig:$kc" "client-ca:$ca"; do role=${pair%%:*}; p=${pair#*:};',
  '  if [ -z "$p" ]; then s=""; else s=$(stat -c "%a %u:%g" "/host$p" 2>/dev/null) || s=absent; fi; printf "file\\t%s\\t%s\\t%s\\n" "$role" "$p" "$s"; done',
].join('\n');

export interface NodeFile {
  path: string;
  /** Octal permission bits as stat prints them ("600"); unset when absent or not configured. */
  mode?: string;
  /** uid:gid, e.g. "0:0". */
  owner?: string;
  present: boolean;
}

/** Data of one `node-files` fact. */
export interface NodeFiles {
  node: string;
  outcome: 'collected' | 'failed';
  error?: string;
  kubeletArgs: string[];
  /** The kubelet's flags (--name value or --name=value), by name without dashes. */
  flags: Record<string, string>;
  files: Partial<Record<NodeFileRole, NodeFile>>;
}

/** Flags of an argument list; a flag without a value (`--x`) is "true". */
export function parseFlags(args: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (args[i + 1] !== undefined && !(args[i + 1] as string).startsWith('--')) flags[arg.slice(2)] = args[++i] as string;
    else flags[arg.slice(2)] = 'true';
  }
  return flags;
}

export function parseCollectorLog(node: string, log: string): NodeFiles {
  const result: NodeFiles = { node, outcome: 'collected', kubeletArgs: [], flags: {}, files: {} };
  for (const line of log.split('\n')) {
    const [kind, ...rest] = line.split('\t');
    if (kind === 'error') return { ...result, outcome: 'failed', error: rest.join('\t') };
    if (kind === 'arg') result.kubeletArgs.push(rest.join('\t'));
    if (kind === 'file') {
      const [role, path = '', stat = ''] = rest;
      if (!NODE_FILE_ROLES.includes(role as NodeFileRole) || path === '') continue;
      const [mode, owner] = stat === 'absent' || stat === '' ? [undefined, undefined] : stat.split(' ');
      result.files[role as NodeFileRole] = { path, present: mode !== undefined, ...(mode === undefined ? {} : { mode }), ...(owner === undefined ? {} : { owner }) };
    }
  }
  if (result.kubeletArgs.length === 0) return { ...result, outcome: 'failed', error: 'the collector printed no kubelet command line' };
  result.flags = parseFlags(result.kubeletArgs);
  return result;
}

export function collectorPod(node: string, namespace: string, image: string, pullPolicy: PullPolicy, labels: Labels): V1Pod {
  const pod = probePod({
    name: `cis-node-${node}`.replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, ''),
    namespace,
    image,
    pullPolicy,
    labels,
    command: ['sh', '-c', COLLECT_SCRIPT],
    restartPolicy: 'Never',
    volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
    volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }],
  });
  // On the node under audit, whatever its taints; the host's processes visible.
  return { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: node, hostPID: true, tolerations: [{ operator: 'Exists' }] } };
}

export interface NodeFilesOptions {
  /** Creates the run namespace (labelled Pod Security privileged) the pods go to; its removal is
   *  the caller's (the check's cleanup). */
  namespace: () => Promise<string>;
  image: string;
  pullPolicy: PullPolicy;
  labels: Labels;
  concurrency: number;
  deadline: Deadline;
  signal?: AbortSignal;
}

async function collectNode(clients: ClusterClients, node: string, namespace: string, options: NodeFilesOptions): Promise<NodeFiles> {
  const pod = collectorPod(node, namespace, options.image, options.pullPolicy, options.labels);
  const name = pod.metadata?.name ?? '';
  try {
    await createPod(clients, pod);
    await waitForPod(clients, namespace, name, (p) => p.status?.phase === 'Succeeded', 'to finish collecting', options.deadline, options.signal);
    return parseCollectorLog(node, await readContainerLog(clients, { namespace, pod: name, container: PROBE_CONTAINER }));
  } catch (err) {
    return notInspected(node, errorSentence(err));
  }
}

function notInspected(node: string, error: string): NodeFiles {
  return { node, outcome: 'failed', error, kubeletArgs: [], flags: {}, files: {} };
}

export function nodeFilesCollector(options: NodeFilesOptions): Collector {
  return {
    description: 'run a collector pod on every node (hostPID, host root read-only) for the kubelet command line and file modes',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const nodes = (await clients.core.listNode()).items.map(nodeReadiness).filter((n) => n.name !== '?');
      const namespace = await options.namespace();
      // A pod bound to a node whose kubelet is not ready would wait out the deadline (and could
      // not be deleted): such a node is named as not inspected at once.
      const results = await mapBounded(nodes, options.concurrency, (node) =>
        node.ready ? collectNode(clients, node.name, namespace, options) : Promise.resolve(notInspected(node.name, `the node is not Ready (${node.reason}), so no collector pod was started on it`)),
      );
      return results.map((data) => ({ kind: 'Node', name: data.node, data }));
    },
  };
}
