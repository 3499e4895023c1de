// Why is a claim not bound? Pure reasoning over what the API shows: the claim, its events, the
// StorageClasses, the consumer pod and the provisioner's pods. The answer names one cause:
// no default class, a missing class, no provisioner running, provisioner down, provisioning
// failing, or the consumer not being scheduled, so a hang becomes a one-line diagnosis.
import type { CoreV1Event, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';
import { formatDuration } from '../cluster/timeouts.js';
import { className, isDefaultClass } from './class-audit.js';
import type { KnownProvisioner } from './provisioners.js';

/** Set by the scheduler on a WaitForFirstConsumer claim once it picked a node for the pod. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
/** Reasons external provisioners (sig-storage-lib-external-provisioner, CSI external-provisioner)
 *  report on the claim while they work on it. */
const PROVISIONER_REASONS = ['Provisioning', 'ProvisioningSucceeded', 'ProvisioningFailed'];

export type ClaimStage = 'bound' | 'lost' | 'waiting-for-consumer' | 'waiting-for-provisioner' | 'provisioning' | 'provisioning-failed' | 'pending';

export interface ClaimProgress {
  stage: ClaimStage;
  /** Provisioner named by the PV controller's ExternalProvisioning event, if any. */
  provisioner?: string;
  /** Message of the latest event that explains the stage. */
  message?: string;
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

function byTime(events: readonly CoreV1Event[]): CoreV1Event[] {
  return [...events].sort((a, b) => eventTime(a) - eventTime(b));
}

function component(e: CoreV1Event): string {
  return e.reportingComponent || e.source?.component || '';
}

/** The provisioner the PV controller is waiting for, from its ExternalProvisioning message
 *  ("Waiting for a volume to be created either by the external provisioner 'x' ..."). With CSI
 *  migration this is the CSI driver even when the class names the in-tree plugin. */
export function waitedForProvisioner(events: readonly CoreV1Event[]): string | undefined {
  for (const e of byTime(events).reverse()) {
    if (e.reason !== 'ExternalProvisioning') continue;
    const match = /external provisioner ["'\u201c]([^"'\u201d]+)["'\u201d]/.exec(e.message ?? '');
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

export function isProvisionerEvent(e: CoreV1Event, provisioner: string | undefined): boolean {
  if (PROVISIONER_REASONS.includes(e.reason ?? '')) return true;
  return provisioner !== undefined && component(e).startsWith(`${provisioner}_`);
}

export function claimProgress(claim: V1PersistentVolumeClaim, events: readonly CoreV1Event[]): ClaimProgress {
  if (claim.status?.phase === 'Bound') return { stage: 'bound' };
  if (claim.status?.phase === 'Lost') return { stage: 'lost', message: 'the claim lost its volume' };
  const sorted = byTime(events);
  const provisioner = waitedForProvisioner(sorted);
  const fromProvisioner = sorted.filter((e) => isProvisionerEvent(e, provisioner));
  const latest = fromProvisioner[fromProvisioner.length - 1];
  if (latest?.reason === 'ProvisioningFailed') return { stage: 'provisioning-failed', provisioner, message: latest.message };
  if (latest !== undefined) return { stage: 'provisioning', provisioner, message: latest.message };
  if (provisioner !== undefined) return { stage: 'waiting-for-provisioner', provisioner };
  const selected = claim.metadata?.annotations?.[SELECTED_NODE_ANNOTATION];
  const last = sorted[sorted.length - 1];
  if (selected === undefined && sorted.some((e) => e.reason === 'WaitForFirstConsumer')) return { stage: 'waiting-for-consumer', message: last?.message };
  return { stage: 'pending', message: last?.message };
}

/** Stages in which the provisioner is expected to act: silence here counts towards the
 *  provisionerSilence timeout. */
export function awaitsProvisioner(progress: ClaimProgress): boolean {
  return progress.stage === 'waiting-for-provisioner' || progress.stage === 'provisioning-failed';
}

export interface ProvisionerPod {
  namespace: string;
  name: string;
  ready: boolean;
  /** e.g. `Running`, `Pending (ContainerCreating)`, `Running, not ready`. */
  state: string;
}

export interface ProvisionerWorkload {
  kind: string;
  namespace: string;
  name: string;
  replicas: number;
  ready: number;
}

export interface ProvisionerPresence {
  provisioner: string;
  known?: KnownProvisioner;
  pods: ProvisionerPod[];
  workloads: ProvisionerWorkload[];
  csiDriverRegistered: boolean;
}

export interface ClaimFacts {
  claim: V1PersistentVolumeClaim;
  events: CoreV1Event[];
  classes: V1StorageClass[];
  consumer?: { pod: V1Pod; events: CoreV1Event[] };
  presence?: ProvisionerPresence;
  /** How long the claim has waited for its provisioner (as seen by the harness). */
  waitedMs?: number;
}

export type DiagnosisKind =
  | 'bound'
  | 'no-default-class'
  | 'class-not-found'
  | 'static-only'
  | 'no-consumer'
  | 'consumer-not-scheduled'
  | 'provisioning-failed'
  | 'no-provisioner'
  | 'provisioner-down'
  | 'provisioning-slow'
  | 'unknown';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** One sentence starting with the cause, e.g. `no provisioner running: ...`. */
  text: string;
  remediation: string;
}

function claimRef(claim: V1PersistentVolumeClaim): string {
  return `${claim.metadata?.namespace ?? '?'}/${claim.metadata?.name ?? '?'}`;
}

/** Causes visible from the claim and the classes alone: no need to wait for them. */
export function hopelessClaim(claim: V1PersistentVolumeClaim, classes: readonly V1StorageClass[]): Diagnosis | undefined {
  const requested = claim.spec?.storageClassName;
  const names = classes.map(className);
  if (requested === undefined) {
    if (classes.some(isDefaultClass)) return undefined; // admission will assign it (or already did)
    return {
      kind: 'no-default-class',
      text: `no default StorageClass: claim ${claimRef(claim)} names no class and none of the ${names.length} class(es) (${names.join(', ') || 'none'}) is marked default`,
      remediation: 'Mark exactly one StorageClass with the annotation storageclass.kubernetes.io/is-default-class: "true", or name a class in the claim.',
    };
  }
  if (requested === '') {
    return {
      kind: 'static-only',
      text: `claim ${claimRef(claim)} sets storageClassName "" (no dynamic provisioning): only a PersistentVolume created by hand can bind it`,
      remediation: 'Name a StorageClass in the claim, or create a matching PersistentVolume.',
    };
  }
  const sc = classes.find((c) => className(c) === requested);
  if (sc === undefined) {
    return {
      kind: 'class-not-found',
      text: `StorageClass not found: claim ${claimRef(claim)} asks for class ${requested}, which does not exist (classes: ${names.join(', ') || 'none'})`,
      remediation: `Create StorageClass ${requested} or use one of the existing classes.`,
    };
  }
  if (sc.provisioner === 'kubernetes.io/no-provisioner') {
    return {
      kind: 'no-provisioner',
      text: `no provisioner running: class ${requested} uses kubernetes.io/no-provisioner, which never creates volumes; only local PersistentVolumes created by hand bind`,
      remediation: `Create local PersistentVolumes for class ${requested} or use a class with a dynamic provisioner.`,
    };
  }
  return undefined;
}

function describePods(pods: readonly ProvisionerPod[]): string {
  return pods.map((p) => `${p.namespace}/${p.name} (${p.state})`).join(', ');
}

function describeWorkloads(workloads: readonly ProvisionerWorkload[]): string {
  return workloads.map((w) => `${w.kind} ${w.namespace}/${w.name} has ${w.replicas} replica(s), ${w.ready} ready`).join('; ');
}

/** `has waited 30s for X` or `waits for X`. */
function waitsFor(facts: ClaimFacts, provisioner: string): string {
  return facts.waitedMs === undefined ? `waits for ${provisioner}` : `has waited ${formatDuration(facts.waitedMs)} for ${provisioner}`;
}

function diagnoseProvisioner(facts: ClaimFacts, provisioner: string): Diagnosis {
  const ref = claimRef(facts.claim);
  const presence = facts.presence;
  const logsHint = `Check the logs of ${presence?.known?.runs ?? `the controller of ${provisioner}`} and its leader election.`;
  if (presence?.known !== undefined) {
    const { known, pods, workloads } = presence;
    if (pods.length === 0) {
      const scaled = workloads.length > 0 ? `; ${describeWorkloads(workloads)}` : '';
      return {
        kind: 'no-provisioner',
        text: `no provisioner running: claim ${ref} ${waitsFor(facts, provisioner)}, but no pod of it exists (looked for ${known.podSelector} in all namespaces)${scaled}`,
        remediation: `Deploy or scale up ${known.runs} (pods labelled ${known.podSelector}) and check why it is not running.`,
      };
    }
    const ready = pods.filter((p) => p.ready);
    if (ready.length === 0) {
      return {
        kind: 'provisioner-down',
        text: `provisioner down: claim ${ref} ${waitsFor(facts, provisioner)}, whose pods are not ready: ${describePods(pods)}`,
        remediation: `Find out why ${known.runs} is not ready: \`kubectl describe pod\` and its logs.`,
      };
    }
    return {
      kind: 'provisioner-down',
      text: `provisioner down: claim ${ref} ${waitsFor(facts, provisioner)}; its pods run (${describePods(ready)}) but it reported nothing about the claim (no event from it)`,
      remediation: logsHint,
    };
  }
  if (presence?.csiDriverRegistered === true) {
    return {
      kind: 'provisioner-down',
      text: `provisioner down: claim ${ref} ${waitsFor(facts, provisioner)}; CSIDriver ${provisioner} is registered but its controller reported nothing about the claim (no event from it)`,
      remediation: `${logsHint} Its external-provisioner sidecar must be running and leading.`,
    };
  }
  return {
    kind: 'no-provisioner',
    text: `no provisioner running: claim ${ref} ${waitsFor(facts, provisioner)}, but nothing acted on it (no event from ${provisioner}) and no CSIDriver of that name is registered`,
    remediation: `Install the provisioner ${provisioner} (its controller Deployment, and for CSI drivers the CSIDriver object), or use a class whose provisioner runs.`,
  };
}

function schedulingMessage(consumer: ClaimFacts['consumer']): string | undefined {
  if (consumer === undefined) return undefined;
  const failed = byTime(consumer.events).filter((e) => e.reason === 'FailedScheduling').pop();
  const condition = consumer.pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return failed?.message ?? condition?.message;
}

export function diagnoseUnboundClaim(facts: ClaimFacts): Diagnosis {
  const ref = claimRef(facts.claim);
  const hopeless = hopelessClaim(facts.claim, facts.classes);
  if (hopeless !== undefined) return hopeless;
  const progress = claimProgress(facts.claim, facts.events);
  const sc = facts.classes.find((c) => className(c) === facts.claim.spec?.storageClassName) ?? facts.classes.find(isDefaultClass);
  const provisioner = progress.provisioner ?? facts.presence?.provisioner ?? sc?.provisioner ?? 'the provisioner';
  switch (progress.stage) {
    case 'bound':
      return { kind: 'bound', text: `claim ${ref} is Bound`, remediation: '' };
    case 'provisioning-failed':
      return {
        kind: 'provisioning-failed',
        text: `provisioning failed: ${provisioner} reports for claim ${ref}: ${(progress.message ?? 'ProvisioningFailed').trim()}`,
        remediation: `Fix what ${provisioner} reports (class parameters, quotas, permissions of its cloud identity) and check its logs.`,
      };
    case 'provisioning':
      return {
        kind: 'provisioning-slow',
        text: `provisioning slow: ${provisioner} is working on claim ${ref} (last: ${(progress.message ?? '').trim()}) but the volume is not bound yet`,
        remediation: `Check the logs of ${provisioner} and the state of the volume in the storage backend; raise --timeout-scale if the backend is just slow.`,
      };
    case 'waiting-for-provisioner':
      return diagnoseProvisioner(facts, provisioner);
    case 'waiting-for-consumer': {
      if (facts.consumer === undefined) {
        return { kind: 'no-consumer', text: `claim ${ref} binds WaitForFirstConsumer and no pod uses it yet`, remediation: 'Create a pod that mounts the claim.' };
      }
      const why = schedulingMessage(facts.consumer);
      return {
        kind: 'consumer-not-scheduled',
        text: `consumer not scheduled: claim ${ref} binds WaitForFirstConsumer and its pod ${facts.consumer.pod.metadata?.name ?? '?'} has not been placed on a node${why === undefined ? '' : `: ${why}`}`,
        remediation: 'Fix what keeps the pod from scheduling (node capacity, taints, the volume topology of the class).',
      };
    }
    default:
      return {
        kind: 'unknown',
        text: `claim ${ref} is ${facts.claim.status?.phase ?? 'Pending'}${progress.message === undefined ? '' : `: ${progress.message.trim()}`}`,
        remediation: 'Check `kubectl describe pvc` and the logs of the PV controller in kube-controller-manager.',
      };
  }
}
