// A watchdog over claims while something waits for them (a pod to start, a StatefulSet to be
// ready). Claims that can never bind (no default class, missing class) and claims whose
// provisioner stays silent for the provisionerSilence timeout end the wait at once with a
// diagnosis; a wait that times out on its own gets the diagnosis of its unbound claims added.
// Without it, a broken provisioner looks like "pod did not start within 2m".
import type { V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';
import type { ClusterClients } from '../cluster/client.js';
import { formatDuration } from '../cluster/timeouts.js';
import { pause, type Deadline } from '../cluster/wait.js';
import { CheckFailure } from '../harness/errors.js';
import { WaitTimeoutError } from '../errors.js';
import { awaitsProvisioner, claimProgress, diagnoseUnboundClaim, hopelessClaim, type ClaimFacts, type Diagnosis } from './diagnosis.js';
import { consumerOf, eventsOf, gatherClaimFacts, listStorageClasses } from './facts.js';

/** A claim that will not bind, with the cause. */
export class ClaimNotBound extends CheckFailure {
  override readonly name = 'ClaimNotBound';
  readonly diagnoses: Diagnosis[];
  constructor(message: string, diagnoses: Diagnosis[], details: string, cause?: unknown) {
    super(message, { details, cause });
    this.diagnoses = diagnoses;
  }
}

export interface GuardOptions {
  clients: ClusterClients;
  namespace: string;
  /** The claims to watch over; listed every round, so claims created later (StatefulSet
   *  volumeClaimTemplates) are covered too. */
  listClaims: () => Promise<V1PersistentVolumeClaim[]>;
  silence: Deadline;
  signal: AbortSignal;
  /** Between rounds; each round is one list plus one events list per unbound claim. */
  intervalMs?: number;
}

function factsText(facts: ClaimFacts): string {
  const lines = [`claim ${facts.claim.metadata?.namespace ?? '?'}/${facts.claim.metadata?.name ?? '?'}: phase ${facts.claim.status?.phase ?? 'unknown'}, class ${facts.claim.spec?.storageClassName ?? '(none)'}`];
  for (const e of facts.events) lines.push(`  event ${e.type ?? ''} ${e.reason ?? ''} from ${e.reportingComponent || e.source?.component || '?'}: ${(e.message ?? '').trim()}`);
  if (facts.presence !== undefined) {
    const p = facts.presence;
    lines.push(`provisioner ${p.provisioner}: ${p.known === undefined ? 'not in kube-assay\'s table of known provisioners' : `pods ${p.known.podSelector}`}; CSIDriver registered: ${p.csiDriverRegistered ? 'yes' : 'no'}`);
    for (const pod of p.pods) lines.push(`  pod ${pod.namespace}/${pod.name}: ${pod.state}`);
    for (const w of p.workloads) lines.push(`  ${w.kind} ${w.namespace}/${w.name}: ${w.replicas} replica(s), ${w.ready} ready`);
  }
  return lines.join('\n');
}

async function diagnoseAll(opts: GuardOptions, claims: readonly V1PersistentVolumeClaim[], waited: Map<string, number>): Promise<{ diagnoses: Diagnosis[]; details: string }> {
  const pods = (await opts.clients.core.listNamespacedPod({ namespace: opts.namespace }).catch(() => ({ items: [] as V1Pod[] }))).items;
  const diagnoses: Diagnosis[] = [];
  const details: string[] = [];
  for (const claim of claims) {
    const since = waited.get(claim.metadata?.uid ?? '');
    const facts = await gatherClaimFacts(opts.clients, claim, { consumer: consumerOf(claim.metadata?.name ?? '', pods), waitedMs: since === undefined ? undefined : Date.now() - since });
    const d = diagnoseUnboundClaim(facts);
    diagnoses.push(d);
    details.push(`${d.text}\nremediation: ${d.remediation}\n${factsText(facts)}`);
  }
  return { diagnoses, details: details.join('\n\n') };
}

/** Runs `wait` under the watchdog. `wait` must honour the signal it is given. */
export async function guardProvisioning<T>(opts: GuardOptions, wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(opts.signal.reason);
  if (opts.signal.aborted) onOuterAbort();
  else opts.signal.addEventListener('abort', onOuterAbort, { once: true });
  const waitingSince = new Map<string, number>();
  let rejectStall: (err: Error) => void = () => undefined;
  const stall = new Promise<never>((_, reject) => {
    rejectStall = reject;
  });
  stall.catch(() => undefined);

  const stop = (err: ClaimNotBound): void => {
    controller.abort(err);
    rejectStall(err);
  };

  const watch = async (): Promise<void> => {
    let classes: V1StorageClass[] | undefined;
    while (!controller.signal.aborted) {
      try {
        await pause(opts.intervalMs ?? 1000, controller.signal);
      } catch {
        return;
      }
      try {
        const pending = (await opts.listClaims()).filter((c) => c.status?.phase !== 'Bound');
        if (pending.length === 0) continue;
        classes ??= await listStorageClasses(opts.clients);
        for (const claim of pending) {
          const hopeless = hopelessClaim(claim, classes);
          if (hopeless !== undefined) {
            const { diagnoses, details } = await diagnoseAll(opts, [claim], waitingSince);
            stop(new ClaimNotBound(hopeless.text, diagnoses, details));
            return;
          }
          const uid = claim.metadata?.uid ?? '';
          const progress = claimProgress(claim, await eventsOf(opts.clients, opts.namespace, claim.metadata?.uid));
          if (!awaitsProvisioner(progress)) {
            waitingSince.delete(uid);
            continue;
          }
          const since = waitingSince.get(uid) ?? Date.now();
          waitingSince.set(uid, since);
          if (Date.now() - since >= opts.silence.ms) {
            const { diagnoses, details } = await diagnoseAll(opts, [claim], waitingSince);
            const text = diagnoses[0]?.text ?? `claim ${claim.metadata?.name ?? '?'} is not bound`;
            stop(new ClaimNotBound(`${text} (gave up after ${formatDuration(opts.silence.ms)}, timeout ${opts.silence.name})`, diagnoses, details));
            return;
          }
        }
      } catch {
        // A failed read is not a diagnosis; the wait's own deadline still bounds everything.
      }
    }
  };
  const watchdog = watch();

  try {
    return await Promise.race([wait(controller.signal), stall]);
  } catch (err) {
    if (err instanceof ClaimNotBound) throw err;
    if (!(err instanceof WaitTimeoutError)) throw err;
    // The wait ran out on its own: say why the claims it depends on are not bound.
    const pending = (await opts.listClaims().catch(() => [] as V1PersistentVolumeClaim[])).filter((c) => c.status?.phase !== 'Bound');
    if (pending.length === 0) throw err;
    const { diagnoses, details } = await diagnoseAll(opts, pending, waitingSince);
    throw new ClaimNotBound(`${err.message}; ${diagnoses.map((d) => d.text).join('; ')}`, diagnoses, `${details}\n\n${err.details ?? ''}`, err);
  } finally {
    opts.signal.removeEventListener('abort', onOuterAbort);
    if (!controller.signal.aborted) controller.abort(new Error('wait finished'));
    await watchdog;
  }
}
