// `npm run bench -- cis-scale` with KUBE_ASSAY_BENCH_SCALE=1: the cis suite on a cluster that
// looks large. kwok (built on demand: testbed/testbed.sh tool kwok) plays the kubelets of 200
// fake nodes, which are Ready but have no kubelet to answer /configz or serve a collector pod's
// log, and 5,000 fake pods in 100 namespaces feed the policy audits. Prints the suite's wall
// time, the slowest checks, and how many fake nodes the node checks named (each must be named as
// unreadable, never passed in silence). A benchmark, not a test: it measures and prints; it
// asserts nothing. The policy audit's own time and memory over 5,000 pods: `npm run bench -- cis`.
//
// It adds nodes to the cluster it is given, so it runs only when asked (the env variable above),
// meant for the local testbed. Everything it adds carries the label kube-assay.io/bench=cis-scale
// and is deleted at the end, on Ctrl-C too. The namespaces carry no kube-assay ownership label on
// purpose: the cis audits leave kube-assay's own namespaces out, and these are the audited load.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { mapBounded } from '../src/cis/node-get.js';
import type { ClusterClients } from '../src/cluster/client.js';
import { createClients } from '../src/cluster/client.js';
import { waitForDefaultServiceAccount } from '../src/cluster/namespaces.js';
import { resolveClusterAccess } from '../src/cluster/kubeconfig.js';
import { packageRoot } from '../src/config/paths.js';
import { benchKubeconfig, noCluster, runCliTimed } from './cluster.js';
import { runBench } from './stats.js';

const NODES = Number(process.env.KUBE_ASSAY_BENCH_NODES ?? 200);
const PODS = Number(process.env.KUBE_ASSAY_BENCH_PODS ?? 5_000);
const NAMESPACES = 100;
const CREATE_CONCURRENCY = 24;
const BENCH_LABEL = { 'kube-assay.io/bench': 'cis-scale' };
const SELECTOR = 'kube-assay.io/bench=cis-scale';
/** kwok manages only nodes with this annotation, so the testbed's real node stays its kubelet's. */
const KWOK_ANNOTATION = { 'kwok.x-k8s.io/node': 'fake' };
const KWOK_TAINT = { key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' };
/** TEST-NET-1 (RFC 5737): routed nowhere, so a request to a fake kubelet hangs until its timeout,
 *  as an unreachable node's does, instead of being refused at once. */
const FAKE_NODE_IP = '192.0.2.10';
const POD_CIDR = '10.240.0.0/16';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function fakeNode(i: number): V1Node {
  const name = `kwok-node-${String(i).padStart(3, '0')}`;
  return {
    metadata: {
      name,
      labels: { ...BENCH_LABEL, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      annotations: { ...KWOK_ANNOTATION, 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { taints: [KWOK_TAINT] },
  };
}

/** Every tenth namespace enforces no Pod Security level (the others baseline), so only there may
 *  a pod use the host network or run privileged. */
const unenforced = (namespace: number): boolean => namespace % 10 === 0;

function fakePod(i: number, nodes: number): V1Pod {
  const open = unenforced(i % NAMESPACES);
  return {
    metadata: { name: `app-${i}`, namespace: `kwok-ns-${i % NAMESPACES}`, labels: { ...BENCH_LABEL, app: `app-${i % 50}` } },
    spec: {
      nodeName: `kwok-node-${String(i % nodes).padStart(3, '0')}`,
      tolerations: [{ key: KWOK_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }],
      // A mix the policy audits have something to say about.
      hostNetwork: open && i % 3 === 0,
      securityContext: i % 3 === 0 ? {} : { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/app:1.0',
          env: i % 13 === 0 ? [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app', key: 'token' } } }] : [],
          securityContext: { privileged: open && i % 7 === 0, allowPrivilegeEscalation: i % 7 === 0 ? undefined : false },
        },
      ],
    },
  };
}

async function ignoreMissing(work: Promise<unknown>): Promise<void> {
  await work.catch((err: unknown) => {
    if ((err as { code?: number }).code !== 404) throw err;
  });
}

/** Deletes what the bench added: the pods at once (grace period 0: a fake node has no kubelet to
 *  confirm a graceful deletion, whether kwok still runs or not), their namespaces, then the fake
 *  nodes. Waits until the namespaces are gone. */
async function removeEverything(clients: ClusterClients): Promise<void> {
  const namespaces = (await clients.core.listNamespace({ labelSelector: SELECTOR })).items.map((n) => n.metadata?.name ?? '');
  await mapBounded(namespaces, CREATE_CONCURRENCY, (namespace) => ignoreMissing(clients.core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 })));
  await mapBounded(namespaces, CREATE_CONCURRENCY, (name) => ignoreMissing(clients.core.deleteNamespace({ name })));
  const end = Date.now() + 5 * 60_000;
  while ((await clients.core.listNamespace({ labelSelector: SELECTOR })).items.length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 2_000));
  const nodes = (await clients.core.listNode({ labelSelector: SELECTOR })).items.map((n) => n.metadata?.name ?? '');
  await mapBounded(nodes, CREATE_CONCURRENCY, (name) => ignoreMissing(clients.core.deleteNode({ name })));
  const left = (await clients.core.listNamespace({ labelSelector: SELECTOR })).items.length;
  if (left > 0) console.error(`cis-scale: ${left} namespace(s) labelled ${SELECTOR} were still terminating after 5 minutes; delete them with kubectl delete ns -l ${SELECTOR}`);
}

/** Starts kwok with upstream's fast stages (copied next to its binary by the testbed build),
 *  its output going to `log`. */
function startKwok(kubeconfig: string, log: string): ChildProcess {
  const binary = execFileSync('bash', [join(packageRoot, 'testbed', 'testbed.sh'), 'tool', 'kwok'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const stages = join(dirname(dirname(binary)), 'stages');
  const out = openSync(log, 'w');
  return spawn(binary, [
    ...readdirSync(stages).filter((f) => f.endsWith('.yaml')).map((f) => `--config=${join(stages, f)}`),
    `--kubeconfig=${kubeconfig}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake`,
    '--manage-nodes-with-label-selector=',
    '--manage-single-node=',
    `--cidr=${POD_CIDR}`,
    `--node-ip=${FAKE_NODE_IP}`,
    '--node-lease-duration-seconds=40',
  ], { stdio: ['ignore', out, out] });
}

/** The last lines kwok wrote, for a bench that could not get its nodes Ready. */
function tail(file: string, lines = 15): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

async function waitForReadyNodes(clients: ClusterClients, want: number, kwok: ChildProcess): Promise<number> {
  const end = Date.now() + 3 * 60_000;
  for (;;) {
    const ready = (await clients.core.listNode({ labelSelector: SELECTOR })).items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= want || Date.now() > end || kwok.exitCode !== null) return ready;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function main(): Promise<number> {
  if (process.env.KUBE_ASSAY_BENCH_SCALE !== '1') {
    console.log(`cis-scale: skipped: it adds ${NODES} fake nodes and ${PODS} fake pods to the cluster, so it runs only with KUBE_ASSAY_BENCH_SCALE=1 (meant for the local testbed)`);
    return 0;
  }
  const kubeconfig = benchKubeconfig();
  if (kubeconfig === undefined) return noCluster('cis-scale');
  const access = resolveClusterAccess({ kubeconfig }, { env: {}, home: '/nonexistent', testbedKubeconfigs: [], serviceAccountTokenPath: '/nonexistent' });
  const clients = createClients(access.kc);
  const dir = mkdtempSync(join(tmpdir(), 'ka-cis-scale-'));
  let kwok: ChildProcess | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => (cleaning ??= removeEverything(clients).finally(() => kwok?.kill('SIGTERM')));
  const onSignal = (): void => {
    console.error('cis-scale: interrupted; removing the fake nodes and namespaces');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const kwokLog = join(dir, 'kwok.log');
    kwok = startKwok(kubeconfig, kwokLog);
    let t0 = Date.now();
    await mapBounded(Array.from({ length: NODES }, (_, i) => i), CREATE_CONCURRENCY, (i) => clients.core.createNode({ body: fakeNode(i) }));
    const ready = await waitForReadyNodes(clients, NODES, kwok);
    console.log(`${NODES} fake nodes created, ${ready} Ready in ${seconds(Date.now() - t0)}`);
    if (ready < NODES) {
      console.error(`cis-scale: only ${ready} of ${NODES} fake nodes became Ready, so there is nothing to measure; kwok's last lines:\n${tail(kwokLog)}`);
      return 1;
    }
    t0 = Date.now();
    await mapBounded(Array.from({ length: NAMESPACES }, (_, i) => i), CREATE_CONCURRENCY, (i) =>
      clients.core.createNamespace({ body: { metadata: { name: `kwok-ns-${i}`, labels: { ...BENCH_LABEL, ...(unenforced(i) ? {} : { 'pod-security.kubernetes.io/enforce': 'baseline' }) } } } }),
    );
    // Admission refuses a pod until its namespace's default ServiceAccount exists.
    await mapBounded(Array.from({ length: NAMESPACES }, (_, i) => i), CREATE_CONCURRENCY, (i) => waitForDefaultServiceAccount(clients, `kwok-ns-${i}`, { name: 'namespaceReady', ms: 60_000 }));
    await mapBounded(Array.from({ length: PODS }, (_, i) => i), CREATE_CONCURRENCY, (i) => clients.core.createNamespacedPod({ namespace: `kwok-ns-${i % NAMESPACES}`, body: fakePod(i, NODES) }));
    console.log(`${PODS} fake pods in ${NAMESPACES} namespaces created in ${seconds(Date.now() - t0)}`);

    const run = await runCliTimed(['run', '--suite', 'cis', '--kubeconfig', kubeconfig], join(dir, 'reports'), { stdio: ['ignore', 'ignore', 'inherit'] });
    const checks = run.report?.suites.flatMap((s) => s.checks) ?? [];
    const text = JSON.stringify(checks);
    const named = Array.from({ length: NODES }, (_, i) => `kwok-node-${String(i).padStart(3, '0')}`).filter((n) => text.includes(n)).length;
    console.log('');
    console.log(`cis suite on ${NODES + 1} nodes (${NODES} fake) and ${PODS} fake pods: exit ${String(run.code)}`);
    console.log(`  suite wall time             ${seconds(run.wallMs)}`);
    console.log(`  fake nodes named in results ${named} of ${NODES} (each must be: unreadable, never a silent pass)`);
    const slowest = [...checks].sort((a, b) => b.durationMs - a.durationMs).slice(0, 6);
    for (const c of slowest) console.log(`  ${c.status.padEnd(7)} ${c.id.padEnd(40)} ${seconds(c.durationMs)}`);
    for (const id of ['cis/kubelet-config-readable', 'cis/node-collector-ran']) {
      const c = checks.find((x) => x.id === id);
      if (c !== undefined) console.log(`  ${id}: ${c.status}: ${(c.message ?? '').slice(0, 240)}`);
    }
    return 0;
  } finally {
    console.log('cis-scale: removing the fake nodes and namespaces');
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
