// Settings only a node can show: the kubelet's command line and the modes and owners of the
// files it names. A short-lived collector pod per node (hostPID to see the kubelet process, the
// host's root mounted read-only, every taint tolerated, in a run namespace labelled Pod Security
// privileged, which the check's cleanup deletes) prints what it finds and exits; its log is the
// fact. The kubelet's config path comes from its own command line (--config), never a guess.
import type { V1Pod } from '@kubernetes/client-node';
import type { Collector } from '../checks/sources.js';
import type { Fact, Finding } from '../checks/types.js';
import { errorSentence } from '../cluster/api-errors.js';
import type { ClusterClients } from '../cluster/client.js';
import type { Labels } from '../cluster/labels.js';
import { nodeReadiness, type NodeReadiness } from '../cluster/nodes.js';
import { containerState, describePods } from '../cluster/dump-format.js';
import { readContainerLog } from '../cluster/logs.js';
import { createPod, hopelessReason, PROBE_CONTAINER, probePod } from '../cluster/pods.js';
import { formatDuration } from '../cluster/timeouts.js';
import { watchUntil, withDeadline, type Deadline } from '../cluster/wait.js';
import { WaitTimeoutError } from '../errors.js';
import type { PullPolicy } from '../config/types.js';
import { mapBounded } from './node-get.js';

/** The files whose mode and owner are checked, by role. */
export const NODE_FILE_ROLES = ['config', 'kubeconfig', 'client-ca', 'proxy-kubeconfig'] as const;
export type NodeFileRole = (typeof NODE_FILE_ROLES)[number];

/** Control-plane programs the collector looks for among the host's processes (CIS 1.x, 2.x):
 *  host processes, or static pods' containers, which hostPID shows as well. */
export const CONTROL_PLANE_PROGRAMS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const;
export type ControlPlaneProgram = (typeof CONTROL_PLANE_PROGRAMS)[number];

/** Where systemd keeps unit files, in its order of precedence. */
export const SYSTEMD_UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** An awk program printing the structure of an EncryptionConfiguration (YAML block or flow
 *  style, or JSON), prefixed by P: `resources` where a `resources:` key starts, `resource NAME`
 *  for each name listed under one, `provider TYPE` for each provider key (aescbc, aesgcm,
 *  secretbox, kms, identity). Nothing else of the file is printed: a key's value is never, and a
 *  list item only while inside a `resources:` list and only if it looks like a resource name, so
 *  key names and secrets cannot reach the collector's log. No single quote inside (it runs
 *  quoted in sh). */
export const ENCRYPTION_STRUCTURE_AWK = [
  'BEGIN { q = sprintf("%c", 39) }',
  'function res(v) { if (v ~ /^[a-z0-9*][a-z0-9.*-]*$/ && length(v) <= 253) print P "resource\\t" v }',
  'function piece(p,  k, rest) {',
  '  gsub(q, "", p); gsub(/"/, "", p); sub(/^[ \\t]*(-[ \\t]*)?/, "", p); sub(/[ \\t]+$/, "", p);',
  '  if (p == "") return;',
  '  if (p ~ /^[A-Za-z0-9_.\\/-]+[ \\t]*:/) { k = p; sub(/[ \\t]*:.*$/, "", k); rest = p; sub(/^[^:]*:[ \\t]*/, "", rest);',
  '    if (k == "resources") { print P "resources"; inres = 1; if (rest != "") res(rest); return }',
  '    inres = 0; if (k ~ /^(aescbc|aesgcm|secretbox|kms|identity)$/) print P "provider\\t" k; return }',
  '  if (inres) res(p) }',
  '{ line = $0; sub(/(^|[ \\t])#.*$/, "", line); gsub(/[][{},]/, "\\n", line); n = split(line, parts, "\\n"); for (i = 1; i <= n; i++) piece(parts[i]) }',
].join('\n');

/** Runs in the collector container (busybox sh). Prints, one record a line, tab-separated:
 *  `arg value` per kubelet argument; `file role path stat` (stat is `mode uid:gid`, `absent`, or
 *  empty when not configured); `unit path stat` for the kubelet's systemd unit file and drop-ins;
 *  `parg program value` per argument of kube-proxy and the control-plane programs; `pfile
 *  program flag path stat` per absolute path a control-plane flag names; `proxycfg key value`
 *  from kube-proxy's config file. A file is looked up on the host root, then in the process's own
 *  root (`at`). */
export const COLLECT_SCRIPT = [
  'found=""',
  'for d in /proc/[0-9]*; do a0=$(tr "\\0" "\\n" < "$d/cmdline" 2>/dev/null | head -n1); n=${a0##*/};',
  '  case "$n" in kubelet|kube-proxy|kube-apiserver|kube-controller-manager|kube-scheduler|etcd) case " $found " in *" $n "*) ;; *) found="$found $n"; eval "pid_$(echo "$n" | tr - _)=${d#/proc/}";; esac;; esac; done',
  'kpid=${pid_kubelet:-}',
  'if [ -z "$kpid" ]; then printf "error\\tno kubelet process is visible on this node\\n"; exit 0; fi',
  'argsof() { tr "\\0" "\\n" < "/proc/$1/cmdline"; }',
  'args=$(argsof "$kpid")',
  'printf "%s\\n" "$args" | while IFS= read -r a; do printf "arg\\t%s\\n" "$a"; done',
  // --flag value or --flag=value; the last occurrence wins, as for the programs themselves.
  'val() { printf "%s\\n" "$2" | awk -v f="--$1" \'$0==f {getline v; r=v} index($0, f"=")==1 {r=substr($0, length(f)+2)} END {print r}\'; }',
  // A file a process names, where the collector can see it: on the host root, else in the
  // process's own root (a container's file system, where the kernel lets the collector in).
  'at() { [ -z "$1" ] && return 1; if [ -e "/host$1" ] || [ -L "/host$1" ]; then echo "/host$1"; elif [ -e "/proc/$2/root$1" ]; then echo "/proc/$2/root$1"; else return 1; fi; }',
  'st() { [ -z "$1" ] && return 0; f=$(at "$1" "$2") && stat -c "%a %u:%g" "$f" 2>/dev/null || echo absent; }',
  'cfg=$(val config "$args"); kc=$(val kubeconfig "$args"); ca=$(val client-ca-file "$args")',
  'if [ -z "$ca" ] && cf=$(at "$cfg" "$kpid"); then ca=$(sed -n "s/^[[:space:]]*clientCAFile:[[:space:]]*//p" "$cf" 2>/dev/null | head -n1 | tr -d "\\"\'"); fi',
  'for pair in "config:$cfg" "kubeconfig:$kc" "client-ca:$ca"; do role=${pair%%:*}; p=${pair#*:}; printf "file\\t%s\\t%s\\t%s\\n" "$role" "$p" "$(st "$p" "$kpid")"; done',
  // The kubelet's systemd unit: the service its cgroup names, in systemd's unit directories. A
  // service not named after the kubelet is whatever started it by other means (a login session,
  // a supervisor script), not its unit, so no file is looked for.
  'unit=$(grep -o "[^/:]*\\.service" "/proc/$kpid/cgroup" 2>/dev/null | head -n1)',
  `if [ -n "$unit" ]; then printf "unitname\\t%s\\n" "$unit"; fi; case "$unit" in *kubelet*) main=""; for dir in ${SYSTEMD_UNIT_DIRS.join(' ')}; do [ -L "/host\${dir%/systemd/system}" ] && continue;`,
  '  [ -z "$main" ] && [ -f "/host$dir/$unit" ] && main=$dir/$unit && printf "unit\\t%s\\t%s\\n" "$main" "$(st "$main" 1)";',
  '  for f in "/host$dir/$unit.d/"*.conf; do [ -f "$f" ] && printf "unit\\t%s\\t%s\\n" "${f#/host}" "$(st "${f#/host}" 1)"; done; done;; esac',
  // kube-proxy: with --config its file wins over every other flag.
  'xpid=${pid_kube_proxy:-}',
  'if [ -n "$xpid" ]; then xargs=$(argsof "$xpid"); printf "%s\\n" "$xargs" | while IFS= read -r a; do printf "parg\\tkube-proxy\\t%s\\n" "$a"; done;',
  '  xcfg=$(val config "$xargs"); xkc=$(val kubeconfig "$xargs");',
  '  if [ -n "$xcfg" ]; then pc=$(xf=$(at "$xcfg" "$xpid") && cat "$xf" 2>/dev/null);',
  '    xkc=$(printf "%s\\n" "$pc" | sed -n "s/^[[:space:]]*kubeconfig:[[:space:]]*//p" | head -n1 | tr -d "\\"\'");',
  '    printf "proxycfg\\tread\\t%s\\n" "$([ -n "$pc" ] && echo yes || echo no)";',
  '    printf "proxycfg\\tmetricsBindAddress\\t%s\\n" "$(printf "%s\\n" "$pc" | sed -n "s/^[[:space:]]*metricsBindAddress:[[:space:]]*//p" | head -n1 | tr -d "\\"\'")"; fi;',
  '  printf "file\\tproxy-kubeconfig\\t%s\\t%s\\n" "$xkc" "$(st "$xkc" "$xpid")"; fi',
  // Control-plane programs: every argument, and the mode of every absolute path a flag names.
  `for n in ${CONTROL_PLANE_PROGRAMS.join(' ')}; do ` + 'pid=$(eval "echo \\${pid_$(echo "$n" | tr - _):-}"); [ -z "$pid" ] && continue; prev="";',
  '  argsof "$pid" | while IFS= read -r a; do printf "parg\\t%s\\t%s\\n" "$n" "$a"; f=""; p="";',
  '    case "$a" in --*=/*) f=${a%%=*}; p=${a#*=};; /*) f=$prev; p=$a;; esac;',
  '    case "$a" in --*=*) prev="";; --*) prev=$a;; *) prev="";; esac;',
  '    [ -n "$f" ] && printf "pfile\\t%s\\t%s\\t%s\\t%s\\n" "$n" "${f#--}" "$p" "$(st "$p" "$pid")"; done;',
  // The user it runs as (real uid:gid), for the owner of its data directory (etcd, CIS 1.1.12).
  '  printf "puser\\t%s\\t%s\\n" "$n" "$(awk \'/^Uid:/ {u=$2} /^Gid:/ {g=$2} END {print u ":" g}\' "/proc/$pid/status" 2>/dev/null)";',
  // The API server's encryption configuration: only its structure (which resources, which
  // provider types in order) is printed, never a key name, a secret or any other value.
  '  if [ "$n" = kube-apiserver ]; then ep=$(val encryption-provider-config "$(argsof "$pid")"); ef="";',
  '    ef=$(at "$ep" "$pid") && [ -r "$ef" ] || ef="";',
  `    if [ -n "$ef" ]; then printf "penc\\t%s\\tread\\n" "$n"; awk -v P="penc\\t$n\\t" '${ENCRYPTION_STRUCTURE_AWK}' "$ef"; elif [ -n "$ep" ]; then printf "penc\\t%s\\tunreadable\\n" "$n"; fi; fi; done`,
  // The status of the last test above is not the collector's: it finished, whatever it found.
  'exit 0',
].join('\n');

export interface NodeFile {
  path: string;
  /** Octal permission bits as stat prints them ("600"); unset when absent or not configured. */
  mode?: string;
  /** uid:gid, e.g. "0:0". */
  owner?: string;
  present: boolean;
}

/** What the collector saw of one program besides the kubelet. */
export interface ProgramSeen {
  args: string[];
  flags: Record<string, string>;
  /** Files named by absolute paths in its flags, by flag name (control-plane programs). */
  files: Record<string, NodeFile>;
  /** The real uid:gid it runs as (control-plane programs). */
  runAs?: string;
  /** The API server's --encryption-provider-config, as its structure only. */
  encryption?: EncryptionSeen;
}

/** One `resources:` entry of an EncryptionConfiguration: the resources it covers and its
 *  provider types in order (the first one encrypts new writes). */
export interface EncryptionGroup {
  resources: string[];
  providers: string[];
}

export interface EncryptionSeen {
  /** False when the file the flag names could not be read. */
  read: boolean;
  groups: EncryptionGroup[];
}

/** The `penc` records of one program, in order, as entries: a `resources` record opens an entry
 *  (one with nothing yet, such as the file's top-level `resources:`, is reused), `resource` and
 *  `provider` records fill the open one. Entries covering no resource are dropped. */
export function encryptionOf(records: ReadonlyArray<readonly string[]>): EncryptionSeen {
  const groups: EncryptionGroup[] = [];
  let read = false;
  for (const [kind, value = ''] of records) {
    if (kind === 'read') read = true;
    const open = groups[groups.length - 1];
    if (kind === 'resources' && (open === undefined || open.resources.length > 0 || open.providers.length > 0)) groups.push({ resources: [], providers: [] });
    if (kind === 'resource' && value !== '') open?.resources.push(value);
    if (kind === 'provider' && value !== '') open?.providers.push(value);
  }
  return { read, groups: groups.filter((g) => g.resources.length > 0) };
}

/** kube-proxy's effective kubeconfig and metrics address (a --config file wins over flags). */
export interface KubeProxySeen extends ProgramSeen {
  /** host:port the metrics server binds, after kube-proxy's default (127.0.0.1:10249). */
  metricsBindAddress: string;
  metricsFrom: 'config file' | 'command line' | 'default';
  /** False when --config names a file the collector could not read. */
  configRead: boolean;
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
  /** The service the kubelet's cgroup names (e.g. kubelet.service), when systemd runs it. */
  unitName?: string;
  /** That service's unit file and drop-ins, where the collector found them. */
  unitFiles: NodeFile[];
  /** Present when a kube-proxy process is visible on the node. */
  kubeProxy?: KubeProxySeen;
  /** Control-plane programs running on the node. */
  controlPlane: Partial<Record<ControlPlaneProgram, ProgramSeen>>;
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

function nodeFile(path: string, stat: string): NodeFile {
  const [mode, owner] = stat === 'absent' || stat === '' ? [undefined, undefined] : stat.split(' ');
  return { path, present: mode !== undefined, ...(mode === undefined ? {} : { mode }), ...(owner === undefined ? {} : { owner }) };
}

export const KUBE_PROXY_DEFAULT_METRICS = '127.0.0.1:10249';

function kubeProxyOf(seen: ProgramSeen, config: ReadonlyMap<string, string>): KubeProxySeen {
  if (seen.flags.config !== undefined) {
    const address = config.get('metricsBindAddress') ?? '';
    return { ...seen, configRead: config.get('read') === 'yes', metricsBindAddress: address === '' ? KUBE_PROXY_DEFAULT_METRICS : address, metricsFrom: address === '' ? 'default' : 'config file' };
  }
  const flag = seen.flags['metrics-bind-address'];
  return { ...seen, configRead: true, metricsBindAddress: flag ?? KUBE_PROXY_DEFAULT_METRICS, metricsFrom: flag === undefined ? 'default' : 'command line' };
}

export function parseCollectorLog(node: string, log: string): NodeFiles {
  const result: NodeFiles = { node, outcome: 'collected', kubeletArgs: [], flags: {}, files: {}, unitFiles: [], controlPlane: {} };
  const programs = new Map<string, ProgramSeen>();
  const program = (name: string): ProgramSeen => {
    let seen = programs.get(name);
    if (seen === undefined) programs.set(name, (seen = { args: [], flags: {}, files: {} }));
    return seen;
  };
  const proxyConfig = new Map<string, string>();
  const encryption = new Map<string, string[][]>();
  for (const line of log.split('\n')) {
    const [kind, ...rest] = line.split('\t');
    if (kind === 'error') return { ...result, outcome: 'failed', error: rest.join('\t') };
    if (kind === 'arg') result.kubeletArgs.push(rest.join('\t'));
    if (kind === 'file') {
      const [role, path = '', stat = ''] = rest;
      if (!NODE_FILE_ROLES.includes(role as NodeFileRole) || path === '') continue;
      result.files[role as NodeFileRole] = nodeFile(path, stat);
    }
    if (kind === 'unitname' && rest[0] !== undefined && rest[0] !== '') result.unitName = rest[0];
    if (kind === 'unit' && rest[0] !== undefined && rest[0] !== '') result.unitFiles.push(nodeFile(rest[0], rest[1] ?? ''));
    if (kind === 'parg' && rest.length >= 2) program(rest[0] as string).args.push(rest.slice(1).join('\t'));
    if (kind === 'pfile' && rest.length >= 3) program(rest[0] as string).files[rest[1] as string] = nodeFile(rest[2] as string, rest[3] ?? '');
    if (kind === 'proxycfg' && rest[0] !== undefined) proxyConfig.set(rest[0], rest[1] ?? '');
    if (kind === 'puser' && rest[0] !== undefined && /^\d+:\d+$/.test(rest[1] ?? '')) program(rest[0]).runAs = rest[1];
    if (kind === 'penc' && rest[0] !== undefined) encryption.set(rest[0], [...(encryption.get(rest[0]) ?? []), rest.slice(1)]);
  }
  if (result.kubeletArgs.length === 0) return { ...result, outcome: 'failed', error: 'the collector printed no kubelet command line' };
  result.flags = parseFlags(result.kubeletArgs);
  for (const [name, seen] of programs) {
    seen.flags = parseFlags(seen.args);
    const records = encryption.get(name);
    if (records !== undefined) seen.encryption = encryptionOf(records);
    if (name === 'kube-proxy') result.kubeProxy = kubeProxyOf(seen, proxyConfig);
    else if ((CONTROL_PLANE_PROGRAMS as readonly string[]).includes(name)) result.controlPlane[name as ControlPlaneProgram] = seen;
  }
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
  /** Pods created, and logs read, at the same time. */
  concurrency: number;
  /** One deadline for all collector pods to finish: they run at once, so a node whose pod never
   *  finishes (its kubelet is gone, or only pretends to be there) costs the run this once, not
   *  once per node. */
  deadline: Deadline;
  /** Time limit of one collector log's read. */
  logDeadline: Deadline;
  signal?: AbortSignal;
}

/** How the collector reaches the cluster; replaceable in unit tests. */
export interface CollectorOps {
  create(pod: V1Pod): Promise<unknown>;
  /** Watches the namespace's pods until `finished` holds for every one of `names` or the
   *  deadline passes, and returns the last state seen of each (a pod never seen is absent). */
  awaitAll(names: ReadonlySet<string>, finished: (pod: V1Pod) => boolean, deadline: Deadline): Promise<Map<string, V1Pod>>;
  readLog(name: string): Promise<string>;
}

/** Succeeded, or beyond finishing (failed, image missing): nothing more to wait for. */
export function collectorFinished(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || hopelessReason(pod) !== undefined;
}

/** One line on a collector pod that did not finish: its phase and its container's state. */
function lastSeen(pod: V1Pod | undefined): string {
  if (pod === undefined) return 'it was never seen';
  const container = pod.status?.containerStatuses?.[0];
  return `phase ${pod.status?.phase ?? 'unknown'}, container ${container === undefined ? 'not started' : containerState(container)}`;
}

/** Runs the collector on every node at once: creates one pod per Ready node (`concurrency` at a
 *  time), waits for all of them under one deadline, then reads the logs of those that finished.
 *  Every node gets a result: collected, or failed naming why (not Ready, not created, pod failed,
 *  not finished in time with its last state, log unreadable). */
export async function collectNodeFiles(nodes: ReadonlyArray<Pick<NodeReadiness, 'name' | 'ready' | 'reason'>>, namespace: string, ops: CollectorOps, options: Pick<NodeFilesOptions, 'image' | 'pullPolicy' | 'labels' | 'concurrency' | 'deadline'>): Promise<NodeFiles[]> {
  // Per node: its result already, or the name of the collector pod started on it.
  const started = await mapBounded(nodes, options.concurrency, async (node): Promise<NodeFiles | string> => {
    // A pod bound to a node whose kubelet is not ready would wait out the deadline (and could
    // not be deleted): such a node is named as not inspected at once.
    if (!node.ready) return notInspected(node.name, `the node is not Ready (${node.reason}), so no collector pod was started on it`);
    const pod = collectorPod(node.name, namespace, options.image, options.pullPolicy, options.labels);
    try {
      await ops.create(pod);
      return pod.metadata?.name ?? '';
    } catch (err) {
      return notInspected(node.name, `its collector pod could not be created: ${errorSentence(err)}`);
    }
  });
  const names = new Set(started.filter((s): s is string => typeof s === 'string'));
  const seen = names.size === 0 ? new Map<string, V1Pod>() : await ops.awaitAll(names, collectorFinished, options.deadline);
  return mapBounded(nodes.map((node, i) => [node.name, started[i] as NodeFiles | string] as const), options.concurrency, async ([node, start]) => {
    if (typeof start !== 'string') return start;
    const pod = seen.get(start);
    if (pod?.status?.phase !== 'Succeeded') {
      const hopeless = pod === undefined ? undefined : hopelessReason(pod);
      const why = hopeless ?? `did not finish within ${formatDuration(options.deadline.ms)} (timeout ${options.deadline.name}); last seen: ${lastSeen(pod)}`;
      return notInspected(node, `its collector pod ${namespace}/${start} ${why}`);
    }
    try {
      return parseCollectorLog(node, await ops.readLog(start));
    } catch (err) {
      return notInspected(node, `the log of its collector pod ${namespace}/${start} could not be read: ${errorSentence(err)}`);
    }
  });
}

function notInspected(node: string, error: string): NodeFiles {
  return { node, outcome: 'failed', error, kubeletArgs: [], flags: {}, files: {}, unitFiles: [], controlPlane: {} };
}

/** CollectorOps against the cluster: one watch over the run namespace's pods. */
export function clusterCollectorOps(clients: ClusterClients, namespace: string, options: Pick<NodeFilesOptions, 'logDeadline' | 'signal'>): CollectorOps {
  return {
    create: (pod) => createPod(clients, pod),
    async awaitAll(names, finished, deadline) {
      let last: V1Pod[] = [];
      const allFinished = (pods: V1Pod[]): boolean => {
        last = pods;
        const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
        return [...names].every((n) => {
          const pod = byName.get(n);
          return pod !== undefined && finished(pod);
        });
      };
      try {
        await watchUntil<V1Pod>(
          { kc: clients.kc, path: `/api/v1/namespaces/${namespace}/pods`, list: () => clients.core.listNamespacedPod({ namespace }) },
          allFinished,
          { expectation: `the ${names.size} collector pods of ${namespace} to finish`, deadline, signal: options.signal, describe: (pods) => describePods((pods ?? []).filter((p) => !finished(p)).slice(0, 5)) },
        );
      } catch (err) {
        // The deadline is an answer here: the pods that did not finish are each a node's finding.
        if (!(err instanceof WaitTimeoutError)) throw err;
      }
      return new Map(last.map((p) => [p.metadata?.name ?? '', p]));
    },
    readLog: (pod) => withDeadline(() => readContainerLog(clients, { namespace, pod, container: PROBE_CONTAINER }), options.logDeadline, `the log of collector pod ${namespace}/${pod}`),
  };
}

export function nodeFilesCollector(options: NodeFilesOptions): Collector {
  return {
    description: 'run a collector pod on every node (hostPID, host root read-only) for the kubelet command line and file modes',
    async collect(clients: ClusterClients): Promise<Fact[]> {
      const nodes = (await clients.core.listNode()).items.map(nodeReadiness).filter((n) => n.name !== '?');
      const namespace = await options.namespace();
      const results = await collectNodeFiles(nodes, namespace, clusterCollectorOps(clients, namespace, options), options);
      return results.map((data) => ({ kind: 'Node', name: data.node, data }));
    },
  };
}

/** Predicate `collector-ran`: a node the collector did not inspect is named with the reason. */
export function collectorRan(fact: Fact): Finding[] {
  const data = fact.data as NodeFiles;
  if (data.outcome === 'collected') return [];
  return [{ field: 'collector', seen: data.outcome, expected: 'collected', because: `the node is not verified: ${data.error ?? 'no detail'}` }];
}
