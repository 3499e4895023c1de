// Volume expansion: opt-in (on a cloud it creates a real, larger volume that cannot be shrunk),
// and only for classes that allow it. A claim is grown while a pod uses it; the claim must
// report the new capacity and the pod must see a larger file system.
import type { V1StorageClass } from '@kubernetes/client-node';
import { dnsLabel } from '../cluster/names.js';
import { createPod, SLEEP_FOREVER, waitForPodReady } from '../cluster/pods.js';
import type { SetupContext } from '../harness/context.js';
import { expectThat } from '../harness/expect.js';
import { containerOf, execOk, probeManifest } from '../harness/probes.js';
import { className } from './class-audit.js';
import { SUITE_LABEL, claimManifest, createClaim, readClaim, requestClaimSize, volumeOfClaim, waitForClaimBound, waitForClaimResized } from './claims.js';
import type { VolumeLedger } from './ledger.js';
import { doubled, formatBytes, quantityBytes } from './quantity.js';
import { storageDeadline } from './timeouts.js';
import { guardProvisioning } from './watchdog.js';

export interface ExpansionPlan {
  classes: V1StorageClass[];
  /** Set when nothing is to be grown: why the check is skipped. */
  skipReason?: string;
}

/** Which of the classes under test to grow. */
export function expansionPlan(optedIn: boolean, classesUnderTest: readonly V1StorageClass[]): ExpansionPlan {
  const allowing = classesUnderTest.filter((c) => c.allowVolumeExpansion === true);
  const refusing = classesUnderTest.filter((c) => c.allowVolumeExpansion !== true).map(className);
  const refusal = refusing.length === 0 ? '' : `${refusing.join(', ')} ${refusing.length === 1 ? 'does' : 'do'} not allow volume expansion (allowVolumeExpansion is not true)`;
  if (!optedIn) {
    return {
      classes: [],
      skipReason: `volume expansion is opt-in: set storage.expansion: true in the config file to grow a real volume${refusal === '' ? '' : `; besides, ${refusal}`}`,
    };
  }
  if (classesUnderTest.length === 0) return { classes: [], skipReason: 'no StorageClass is under test (no default class and none listed in storage.classes)' };
  if (allowing.length === 0) return { classes: [], skipReason: refusal };
  return { classes: allowing };
}

/** `df -k` of a mount point: total size in bytes. */
export function parseDfTotalBytes(output: string): number | undefined {
  const lines = output.trim().split('\n').slice(1);
  const joined = lines.join(' ').trim().split(/\s+/); // long device names wrap onto a second line
  const kib = Number.parseInt(joined[1] ?? '', 10);
  return Number.isInteger(kib) ? kib * 1024 : undefined;
}

export interface ExpansionResult {
  storageClass: string;
  from: string;
  to: string;
  capacity: string;
  fileSystem: string;
}

export async function growVolume(t: SetupContext, namespace: string, sc: V1StorageClass, size: string, ledger: VolumeLedger): Promise<ExpansionResult> {
  const name = className(sc);
  const claimName = dnsLabel(`grow-${name}`, name, 50);
  const pod = dnsLabel(`grower-${name}`, name, 50);
  const target = doubled(size);
  const wanted = quantityBytes(target) ?? 0;
  t.step(`class ${name}: create claim ${claimName} (${size}) and pod ${pod}`);
  const created = await createClaim(t.clients, claimManifest({ name: claimName, namespace, labels: t.labels({ [SUITE_LABEL]: 'storage' }), size, storageClass: name }));
  ledger.recordClaim({ checkId: t.id, namespace, claim: claimName, claimUid: created.metadata?.uid ?? claimName, storageClass: name });
  await createPod(t.clients, probeManifest(t, pod, SLEEP_FOREVER, { namespace, volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }));
  const guard = { clients: t.clients, namespace, listClaims: async () => [await readClaim(t.clients, namespace, claimName)], silence: storageDeadline(t.timeouts, 'provisionerSilence'), signal: t.signal };
  const bound = await guardProvisioning(guard, (signal) => waitForClaimBound(t.clients, namespace, claimName, storageDeadline(t.timeouts, 'volumeBind'), signal));
  const volume = await volumeOfClaim(t.clients, bound);
  ledger.recordVolume(created.metadata?.uid ?? claimName, volume.metadata?.name ?? '', volume.spec?.persistentVolumeReclaimPolicy ?? 'Delete');
  await waitForPodReady(t.clients, namespace, pod, t.deadline('podStart'), t.signal);

  t.step(`class ${name}: grow claim ${claimName} from ${size} to ${target} while ${pod} uses it`);
  await requestClaimSize(t.clients, namespace, claimName, target);
  const grown = await waitForClaimResized(t.clients, namespace, claimName, wanted, storageDeadline(t.timeouts, 'volumeResize'), t.signal);
  const df = await execOk(t, containerOf(namespace, pod), ['df', '-k', '/data'], 'read the size of the grown file system');
  const total = parseDfTotalBytes(df);
  // File systems keep some space for metadata: accept 90% of the requested size.
  expectThat(total !== undefined && total >= wanted * 0.9, `class ${name}: the claim reports ${grown.status?.capacity?.storage ?? '?'} but the pod sees a file system of ${total === undefined ? 'unknown size' : formatBytes(total)}, expected about ${target}`, df);
  return { storageClass: name, from: size, to: target, capacity: grown.status?.capacity?.storage ?? '?', fileSystem: total === undefined ? '?' : formatBytes(total) };
}
