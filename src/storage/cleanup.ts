// The end-of-suite proof that cleanup leaves nothing behind: the suite's claims are gone (their
// namespaces were deleted by each check's cleanup) and every volume whose reclaim policy is
// Delete was deleted by the provisioner. Waits by watch; on timeout says what is left.
import { formatDuration } from '../cluster/timeouts.js';
import type { SetupContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { DetailedError, WaitTimeoutError } from '../errors.js';
import { suiteClaimSelector, waitForClaimsGone, waitForVolumesGone } from './claims.js';
import { cleanupClean, cleanupVerdict, type CleanupVerdict, type ProvisionedVolume } from './ledger.js';
import { storageDeadline } from './timeouts.js';

export async function verifyNothingLeft(t: SetupContext, suite: string, ledger: readonly ProvisionedVolume[]): Promise<CleanupVerdict> {
  const selector = suiteClaimSelector(t.runId, suite);
  const deadline = storageDeadline(t.timeouts, 'volumeDelete');
  const deleteVolumes = ledger.flatMap((e) => (e.volume !== undefined && e.reclaimPolicy === 'Delete' ? [e.volume] : []));
  t.step(`wait until no claim of the suite (${selector}) and none of ${deleteVolumes.length} Delete-policy volume(s) is left`);
  const waits = await Promise.allSettled([
    waitForClaimsGone(t.clients, selector, deadline, t.signal, `the claims of suite ${suite}`),
    waitForVolumesGone(t.clients, deleteVolumes, deadline, t.signal),
  ]);
  const claims = (await t.clients.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector: selector })).items;
  const volumes = (await t.clients.core.listPersistentVolume()).items;
  const verdict = cleanupVerdict(ledger, claims, volumes);
  if (!cleanupClean(verdict)) {
    const timedOut = waits.some((w) => w.status === 'rejected' && w.reason instanceof WaitTimeoutError);
    const parts = [
      verdict.claims.length > 0 ? `claims still present: ${verdict.claims.join(', ')}` : '',
      verdict.undeleted.length > 0 ? `volumes with reclaim policy Delete not deleted: ${verdict.undeleted.join(', ')}` : '',
    ].filter((p) => p !== '');
    throw new CheckFailure(`cleanup left ${parts.join('; ')}${timedOut ? ` after ${formatDuration(deadline.ms)} (timeout ${deadline.name})` : ''}`, {
      details: waits.map((w) => (w.status === 'rejected' ? reasonText(w.reason) : 'ok')).join('\n'),
    });
  }
  for (const w of waits) if (w.status === 'rejected' && !(w.reason instanceof WaitTimeoutError)) throw w.reason;
  return verdict;
}

function reasonText(reason: unknown): string {
  if (reason instanceof DetailedError) return reason.details ?? reason.message;
  return reason instanceof Error ? reason.message : String(reason);
}
