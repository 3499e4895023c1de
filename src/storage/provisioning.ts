// Dynamic provisioning of one StorageClass, end to end: a claim binds, a pod writes known bytes,
// the pod is deleted, a new pod on the same claim reads the same bytes, and both pods ran on
// nodes the volume's node affinity allows.
import type { V1Node, V1PersistentVolume, V1StorageClass } from '@kubernetes/client-node';
import { dnsLabel } from '../cluster/names.js';
import { createPod, deletePodAndWait, SLEEP_FOREVER, waitForPodReady } from '../cluster/pods.js';
import { expectThat } from '../harness/expect.js';
import { CheckFailure } from '../harness/errors.js';
import type { SetupContext } from '../harness/context.js';
import { containerOf, execOk, probeManifest } from '../harness/probes.js';
import { nodeMatchesVolumeAffinity, volumeZones, zoneOfNode, type AffinityVerdict } from './affinity.js';
import { className, isDefaultClass } from './class-audit.js';
import { SUITE_LABEL, claimManifest, createClaim, readClaim, volumeOfClaim, waitForClaimBound } from './claims.js';
import { compareBytes, knownContent, parseSha256sum, readKnownCommand, sha256Hex, writeKnownCommand } from './known-bytes.js';
import type { VolumeLedger } from './ledger.js';
import { storageDeadline } from './timeouts.js';
import { guardProvisioning } from './watchdog.js';

export const MOUNT_PATH = '/data';

export interface ProvisioningTarget {
  /** `default class` or `class gp3` (listed in storage.classes). */
  label: string;
  /** Class the claim names; undefined lets admission assign the default class. */
  requested?: string;
  /** The class expected to serve the claim. */
  storageClass: V1StorageClass;
}

/** The default class (if exactly one is usable) plus each listed class, once each. Problems
 *  found here (no default, unknown listed class) come back as errors per target. */
export function provisioningTargets(classes: readonly V1StorageClass[], listed: readonly string[]): { targets: ProvisioningTarget[]; problems: string[] } {
  const targets: ProvisioningTarget[] = [];
  const problems: string[] = [];
  const defaults = classes.filter(isDefaultClass).sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime());
  // With several defaults admission picks the newest; the default-class check fails on that.
  const chosen = defaults[0];
  if (chosen === undefined) {
    problems.push(`default class: no default StorageClass: a claim that names no class stays Pending (classes: ${classes.map(className).join(', ') || 'none'})`);
  } else {
    targets.push({ label: `default class (${className(chosen)})`, storageClass: chosen });
  }
  for (const name of listed) {
    if (chosen !== undefined && className(chosen) === name) continue;
    const sc = classes.find((c) => className(c) === name);
    if (sc === undefined) problems.push(`class ${name}: StorageClass not found: ${name} is listed in storage.classes but does not exist`);
    else targets.push({ label: `class ${name}`, requested: name, storageClass: sc });
  }
  return { targets, problems };
}

export interface ProvisioningResult {
  target: ProvisioningTarget;
  claim: string;
  volume: string;
  bindMs: number;
  writer: AffinityVerdict & { node: string };
  reader: AffinityVerdict & { node: string };
  zones: string[];
  bytes: number;
}

async function nodeFacts(t: SetupContext, name: string): Promise<{ name: string; labels: Record<string, string> }> {
  const node: V1Node = await t.clients.core.readNode({ name });
  return { name, labels: node.metadata?.labels ?? {} };
}

async function affinityOf(t: SetupContext, volume: V1PersistentVolume, nodeName: string | undefined, who: string): Promise<AffinityVerdict & { node: string }> {
  if (nodeName === undefined) throw new CheckFailure(`${who} runs but has no node assigned`);
  const node = await nodeFacts(t, nodeName);
  const verdict = nodeMatchesVolumeAffinity(volume.spec?.nodeAffinity, node);
  const zone = zoneOfNode(node.labels);
  return { ...verdict, node: zone === undefined ? nodeName : `${nodeName} (${zone})` };
}

export async function provisionAndPersist(t: SetupContext, namespace: string, target: ProvisioningTarget, size: string, ledger: VolumeLedger): Promise<ProvisioningResult> {
  const name = className(target.storageClass);
  const claimName = dnsLabel(`vol-${name}`, name, 50);
  const writer = dnsLabel(`writer-${name}`, name, 50);
  const reader = dnsLabel(`reader-${name}`, name, 50);
  const volumes = [{ name: 'data', persistentVolumeClaim: { claimName } }];
  const volumeMounts = [{ name: 'data', mountPath: MOUNT_PATH }];

  t.step(`${target.label}: create claim ${claimName} and pod ${writer}`);
  const started = Date.now();
  const created = await createClaim(t.clients, claimManifest({ name: claimName, namespace, labels: t.labels({ [SUITE_LABEL]: 'storage' }), size, storageClass: target.requested }));
  ledger.recordClaim({ checkId: t.id, namespace, claim: claimName, claimUid: created.metadata?.uid ?? claimName, storageClass: name });
  await createPod(t.clients, probeManifest(t, writer, SLEEP_FOREVER, { namespace, volumes, volumeMounts }));
  const guard = { clients: t.clients, namespace, listClaims: async () => [await readClaim(t.clients, namespace, claimName)], silence: storageDeadline(t.timeouts, 'provisionerSilence'), signal: t.signal };
  const bound = await guardProvisioning(guard, (signal) => waitForClaimBound(t.clients, namespace, claimName, storageDeadline(t.timeouts, 'volumeBind'), signal));
  const bindMs = Date.now() - started;
  const volume = await volumeOfClaim(t.clients, bound);
  ledger.recordVolume(created.metadata?.uid ?? claimName, volume.metadata?.name ?? '', volume.spec?.persistentVolumeReclaimPolicy ?? 'Delete');
  expectThat(bound.spec?.storageClassName === name, `${target.label}: claim ${claimName} was given class ${bound.spec?.storageClassName ?? '(none)'}, expected ${name}`);
  const writerPod = await waitForPodReady(t.clients, namespace, writer, t.deadline('podStart'), t.signal);

  const content = knownContent(`${t.runId} ${name}`);
  t.step(`${target.label}: write ${content.length} known bytes to ${volume.metadata?.name ?? '?'}`);
  const written = await execOk(t, containerOf(namespace, writer), writeKnownCommand(MOUNT_PATH, content), `write known bytes to the volume of class ${name}`);
  expectThat(parseSha256sum(written) === sha256Hex(content), `${target.label}: the file written in ${writer} has SHA-256 ${parseSha256sum(written) ?? '?'}, expected ${sha256Hex(content)}`);
  const writerAffinity = await affinityOf(t, volume, writerPod.spec?.nodeName, `pod ${writer}`);

  t.step(`${target.label}: delete ${writer}, read the bytes back from a new pod ${reader}`);
  await deletePodAndWait(t.clients, namespace, writer, t.deadline('podDelete'), t.signal);
  await createPod(t.clients, probeManifest(t, reader, SLEEP_FOREVER, { namespace, volumes, volumeMounts }));
  const readerPod = await waitForPodReady(t.clients, namespace, reader, t.deadline('podStart'), t.signal);
  const seen = await execOk(t, containerOf(namespace, reader), readKnownCommand(MOUNT_PATH), `read the known bytes back from the volume of class ${name}`);
  const difference = compareBytes(content, seen);
  if (difference !== '') throw new CheckFailure(`${target.label}: the bytes read by ${reader} after ${writer} was deleted differ: ${difference}`);
  const readerAffinity = await affinityOf(t, volume, readerPod.spec?.nodeName, `pod ${reader}`);
  for (const [who, verdict] of [[writer, writerAffinity], [reader, readerAffinity]] as const) {
    expectThat(verdict.matches, `${target.label}: pod ${who} ran where volume ${volume.metadata?.name ?? '?'} cannot be used: ${verdict.reason}`);
  }
  return {
    target,
    claim: claimName,
    volume: volume.metadata?.name ?? '?',
    bindMs,
    writer: writerAffinity,
    reader: readerAffinity,
    zones: volumeZones(volume.spec?.nodeAffinity),
    bytes: content.length,
  };
}
