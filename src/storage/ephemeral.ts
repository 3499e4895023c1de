// Ephemeral volumes: emptyDir lives exactly as long as its pod (it survives a container restart,
// it is gone when the pod is replaced), on disk and in memory alike; and a container whose root
// file system is read-only can still write to its volumes, and nowhere else.
import { PROBE_SECURITY_CONTEXT } from '../cluster/probe-spec.js';
import { createPod, deletePodAndWait, restartCount, waitForContainerRestart, waitForPodReady, SLEEP_FOREVER } from '../cluster/pods.js';
import type { SetupContext } from '../harness/context.js';
import { expectEqual, expectThat } from '../harness/expect.js';
import { containerOf, execIn, execOk, podStartLimits, probeManifest, startProbe } from '../harness/probes.js';

export type EmptyDirMedium = 'disk' | 'memory';

export interface EmptyDirResult {
  medium: EmptyDirMedium;
  afterRestart: string;
  afterReplace: string;
}

// agnhost pause exits on SIGTERM, so `kill 1` from an exec makes the container exit and the
// kubelet restart it, and deleting the pod does not wait out a grace period (sh as PID 1 would
// ignore SIGTERM).
const EXIT_ON_SIGNAL = SLEEP_FOREVER;

export async function emptyDirLifecycle(t: SetupContext, namespace: string, medium: EmptyDirMedium): Promise<EmptyDirResult> {
  const name = `scratch-${medium}`;
  const options = {
    namespace,
    volumes: [{ name: 'scratch', emptyDir: medium === 'memory' ? { medium: 'Memory', sizeLimit: '16Mi' } : {} }],
    volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
  };
  const first = await startProbe(t, name, EXIT_ON_SIGNAL, options);
  const target = containerOf(namespace, name);
  const marker = `written by ${t.runId} into the ${medium} emptyDir`;
  t.step(`${medium} emptyDir: write a file, make the container exit and wait for its restart`);
  await execOk(t, target, ['sh', '-c', `echo '${marker}' > /scratch/marker`], `write to the ${medium} emptyDir`);
  await execIn(t, target, ['sh', '-c', 'kill 1']).catch(() => undefined); // the exec may die with the container
  await waitForContainerRestart(t.clients, namespace, name, restartCount(first), t.deadline('containerRestart'), t.signal);
  const afterRestart = (await execOk(t, target, ['cat', '/scratch/marker'], `read the ${medium} emptyDir after the restart`)).trim();
  expectEqual(`file in the ${medium} emptyDir after the container restarted (same pod)`, marker, afterRestart);

  t.step(`${medium} emptyDir: replace the pod`);
  await deletePodAndWait(t.clients, namespace, name, t.deadline('podDelete'), t.signal);
  await createPod(t.clients, probeManifest(t, name, EXIT_ON_SIGNAL, options));
  const second = await waitForPodReady(t.clients, namespace, name, t.deadline('podStart'), t.signal, podStartLimits(t));
  expectThat(second.metadata?.uid !== first.metadata?.uid, `the replacement pod ${name} has the same UID as the deleted one`);
  const afterReplace = (await execOk(t, target, ['ls', '-A', '/scratch'], `list the ${medium} emptyDir of the new pod`)).trim();
  expectEqual(`contents of the ${medium} emptyDir of the replacement pod`, '', afterReplace);
  return { medium, afterRestart, afterReplace };
}

export interface WriteAttempt {
  path: string;
  expected: 'writable' | 'read-only';
  exitCode: number;
  output: string;
  ok: boolean;
}

/** Paths probed in the read-only container: the volume must take writes, the image's own
 *  directories must not. */
export const READ_ONLY_PROBES: ReadonlyArray<{ path: string; expected: WriteAttempt['expected'] }> = [
  { path: '/data/kube-assay-probe', expected: 'writable' },
  { path: '/kube-assay-probe', expected: 'read-only' },
  { path: '/tmp/kube-assay-probe', expected: 'read-only' },
  { path: '/etc/kube-assay-probe', expected: 'read-only' },
];

/** Judges one write attempt: a write expected to fail must fail because the file system is
 *  read-only, not for another reason (missing directory, permission). */
export function judgeWrite(path: string, expected: WriteAttempt['expected'], exitCode: number, output: string): WriteAttempt {
  const ok = expected === 'writable' ? exitCode === 0 : exitCode !== 0 && /read-only file system/i.test(output);
  return { path, expected, exitCode, output: output.trim(), ok };
}

export async function readOnlyRootFilesystem(t: SetupContext, namespace: string): Promise<WriteAttempt[]> {
  const name = 'read-only-root';
  const pod = probeManifest(t, name, SLEEP_FOREVER, {
    namespace,
    volumes: [{ name: 'data', emptyDir: {} }],
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
  });
  const container = pod.spec?.containers[0];
  if (container !== undefined) container.securityContext = { ...PROBE_SECURITY_CONTEXT, readOnlyRootFilesystem: true };
  t.step(`start pod ${namespace}/${name} with readOnlyRootFilesystem: true`);
  await createPod(t.clients, pod);
  await waitForPodReady(t.clients, namespace, name, t.deadline('podStart'), t.signal, podStartLimits(t));
  const target = containerOf(namespace, name);
  t.step('try to write to the volume and to the root file system');
  return Promise.all(
    READ_ONLY_PROBES.map(async ({ path, expected }) => {
      const r = await execIn(t, target, ['sh', '-c', `echo probe > ${path} && cat ${path}`]);
      return judgeWrite(path, expected, r.exitCode, `${r.stdout}${r.stderr}`);
    }),
  );
}
