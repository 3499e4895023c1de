// Short forms of the src/cluster helpers for spec code: they fill in the image, pull policy,
// labels, deadlines and abort signal from the check's context.
import type { V1Pod } from '@kubernetes/client-node';
import { execInContainer, kubectlExec, type ContainerRef, type ExecResult } from '../cluster/exec.js';
import type { Labels } from '../cluster/labels.js';
import { PROBE_CONTAINER, probePod, startProbePod, type ProbePodSpec } from '../cluster/pods.js';
import type { PodStartLimits } from '../cluster/pod-start.js';
import type { SetupContext } from './context.js';
import { CheckFailure } from './errors.js';

export interface ProbeOptions {
  namespace: string;
  /** Selector labels, added to the ownership labels. */
  labels?: Labels;
  ports?: ProbePodSpec['ports'];
  env?: ProbePodSpec['env'];
  volumes?: ProbePodSpec['volumes'];
  volumeMounts?: ProbePodSpec['volumeMounts'];
  readinessProbe?: ProbePodSpec['readinessProbe'];
  restartPolicy?: ProbePodSpec['restartPolicy'];
}

export function probeSpec(t: SetupContext, name: string, command: string[], options: ProbeOptions): ProbePodSpec {
  return {
    name,
    command,
    image: t.probeImage,
    pullPolicy: t.config.images.pullPolicy,
    ...options,
    labels: t.labels(options.labels),
  };
}

export function probeManifest(t: SetupContext, name: string, command: string[], options: ProbeOptions): V1Pod {
  return probePod(probeSpec(t, name, command, options));
}

/** Creates a probe pod and waits (timeout podStart) until it is Running and Ready. */
export function startProbe(t: SetupContext, name: string, command: string[], options: ProbeOptions): Promise<V1Pod> {
  t.step(`start pod ${options.namespace}/${name}`);
  return startProbePod(t.clients, probeSpec(t, name, command, options), t.deadline('podStart'), t.signal, podStartLimits(t));
}

/** How long a probe pod may go without a scheduler decision, or keep failing to pull. */
export function podStartLimits(t: SetupContext): PodStartLimits {
  return { schedulerSilence: t.deadline('schedulerSilence'), imagePull: t.deadline('imagePull') };
}

export function containerOf(namespace: string, pod: string, container = PROBE_CONTAINER): ContainerRef {
  return { namespace, pod, container };
}

/** Runs a command (timeout exec) and returns its output whatever the exit code. */
export function execIn(t: SetupContext, target: ContainerRef, command: string[]): Promise<ExecResult> {
  return execInContainer(t.clients.kc, target, command, t.deadline('exec'), t.signal, t.timeouts.ms('apiUnavailable'));
}

/** Runs a command that must succeed; a non-zero exit fails the check with its output. */
export async function execOk(t: SetupContext, target: ContainerRef, command: string[], purpose: string): Promise<string> {
  const result = await execIn(t, target, command);
  if (result.exitCode !== 0) {
    throw new CheckFailure(`${purpose}: command exited with ${result.exitCode} in ${target.namespace}/${target.pod}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`, {
      details: `reproduce: ${kubectlExec(target, command)}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    });
  }
  return result.stdout;
}
