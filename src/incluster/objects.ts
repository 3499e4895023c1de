// The objects of one in-cluster run: a labelled namespace for the runner, its ServiceAccount, the
// least-privilege ClusterRole generated for the selected suites (as `kube-assay rbac` prints it)
// bound to that account, a ConfigMap with the run's config, and a Job running kube-assay's image.
// Pure: `run --in-cluster` creates these, `kube-assay manifests` prints them for kubectl.
import type { V1ConfigMap, V1Container, V1Job, V1Namespace, V1PodSpec, V1ServiceAccount, V1ClusterRole, V1ClusterRoleBinding } from '@kubernetes/client-node';
import { ownershipLabels, RUNNER_LABEL, type Labels } from '../cluster/labels.js';
import { podSecurityLabels } from '../cluster/namespaces.js';
import type { AnySuiteDefinition } from '../harness/suite-definition.js';
import { clusterRoleBindingFor, clusterRoleFor } from '../cli/rbac.js';

/** Where the runner's pieces sit inside its container. */
export const RUNNER_PATHS = { config: '/etc/kube-assay', configFile: '/etc/kube-assay/config.yaml', results: '/results' } as const;
export const RUNNER_CONTAINER = 'kube-assay';
export const RUNNER_SERVICE_ACCOUNT = 'kube-assay';
export const RUNNER_CONFIGMAP = 'kube-assay-config';
export const RUNNER_JOB = 'kube-assay';
/** Time the runner gets after SIGTERM to remove its probe namespaces (the harness waits up to
 *  namespaceDelete for them, but their deletion is issued within seconds). */
export const RUNNER_GRACE_SECONDS = 60;
/** The node binary and CLI entry in kube-assay's image (deploy/image/build.sh, Dockerfile). */
export const IMAGE_NODE = '/usr/local/bin/node';
export const IMAGE_CLI = '/app/dist/src/cli/main.js';
/** The image's non-root user (distroless `nonroot`). */
export const IMAGE_UID = 65532;

export interface InClusterRunSpec {
  runId: string;
  suites: readonly AnySuiteDefinition[];
  image: string;
  pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** Namespace prefix of the run's config (`ka` by default). */
  prefix: string;
  /** YAML text of the run's config file, without workstation-only keys. */
  configText: string;
  grep?: string;
  timeoutScale: number;
  retries: number;
  /** How long the finished pod keeps its results retrievable. */
  holdSeconds: number;
}

export interface InClusterObjects {
  namespace: V1Namespace;
  serviceAccount: V1ServiceAccount;
  clusterRole: V1ClusterRole;
  clusterRoleBinding: V1ClusterRoleBinding;
  configMap: V1ConfigMap;
  job: V1Job;
}

export function runnerNamespaceName(prefix: string, runId: string): string {
  return `${prefix}-run-${runId}`;
}

export function runnerLabels(runId: string): Labels {
  return { ...ownershipLabels(runId), 'app.kubernetes.io/name': 'kube-assay', 'app.kubernetes.io/component': 'runner' };
}

/** `kube-assay run` arguments of the pod: the suites and options of the workstation's run. */
export function runnerArgs(spec: Pick<InClusterRunSpec, 'runId' | 'suites' | 'grep' | 'timeoutScale' | 'retries' | 'holdSeconds'>): string[] {
  const args = ['run', ...spec.suites.flatMap((s) => ['--suite', s.name]), '--config', RUNNER_PATHS.configFile, '--report-dir', RUNNER_PATHS.results];
  args.push('--run-id', spec.runId, '--hold', String(spec.holdSeconds));
  if (spec.grep !== undefined) args.push('--grep', spec.grep);
  if (spec.timeoutScale !== 1) args.push('--timeout-scale', String(spec.timeoutScale));
  if (spec.retries > 0) args.push('--retries', String(spec.retries));
  return args;
}

/** The runner's container: kube-assay's image as it is built, non-root, read-only root file
 *  system, no privileges; results and scratch space in emptyDirs. */
export function runnerContainer(image: string, pullPolicy: InClusterRunSpec['pullPolicy'], args: string[]): V1Container {
  return {
    name: RUNNER_CONTAINER,
    image,
    imagePullPolicy: pullPolicy,
    args,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: IMAGE_UID,
      runAsGroup: IMAGE_UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // `run --hold` names the namespace in its "retrieve with" line.
    env: [{ name: 'KUBE_ASSAY_RUNNER_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } },
    volumeMounts: [
      { name: 'config', mountPath: RUNNER_PATHS.config, readOnly: true },
      { name: 'results', mountPath: RUNNER_PATHS.results },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

export function runnerPodSpec(container: V1Container, configMap: string): V1PodSpec {
  return {
    serviceAccountName: RUNNER_SERVICE_ACCOUNT,
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: RUNNER_GRACE_SECONDS,
    securityContext: { runAsNonRoot: true, fsGroup: IMAGE_UID, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
    volumes: [
      { name: 'config', configMap: { name: configMap } },
      { name: 'results', emptyDir: {} },
      { name: 'tmp', emptyDir: {} },
    ],
  };
}

export function inClusterObjects(spec: InClusterRunSpec): InClusterObjects {
  const namespace = runnerNamespaceName(spec.prefix, spec.runId);
  const labels = runnerLabels(spec.runId);
  const meta = (name: string): { name: string; namespace: string; labels: Labels } => ({ name, namespace, labels });
  const roleName = `kube-assay-run-${spec.runId}`;
  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      // The runner pod meets the restricted Pod Security level; the probes run in their own namespaces.
      metadata: { name: namespace, labels: { ...labels, ...podSecurityLabels('restricted'), [RUNNER_LABEL]: 'true' } },
    },
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(RUNNER_SERVICE_ACCOUNT) },
    clusterRole: clusterRoleFor(spec.suites, roleName, labels),
    clusterRoleBinding: clusterRoleBindingFor(roleName, labels, { namespace, name: RUNNER_SERVICE_ACCOUNT }),
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(RUNNER_CONFIGMAP), data: { 'config.yaml': spec.configText } },
    job: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(RUNNER_JOB),
      spec: {
        // One attempt: a second run would repeat every check and overwrite the first's results.
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: runnerPodSpec(runnerContainer(spec.image, spec.pullPolicy, runnerArgs(spec)), RUNNER_CONFIGMAP),
        },
      },
    },
  };
}

/** Creation order: each object before the ones that refer to it. */
export function creationOrder(objects: InClusterObjects): Array<V1Namespace | V1ServiceAccount | V1ClusterRole | V1ClusterRoleBinding | V1ConfigMap | V1Job> {
  return [objects.namespace, objects.serviceAccount, objects.clusterRole, objects.clusterRoleBinding, objects.configMap, objects.job];
}
