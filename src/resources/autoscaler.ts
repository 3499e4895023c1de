// Finding the cluster autoscaler and reading its command line: it runs as a Deployment in
// kube-system, recognised by name, by the labels its Helm chart and manifests set, or by its
// image; its settings are flags (`--expander=least-waste`, `--balance-similar-node-groups`).
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { parseImageReference } from './images.js';

export const AUTOSCALER_NAMESPACE = 'kube-system';
const NAME = /cluster-autoscaler/;
const LABEL_KEYS = ['app', 'app.kubernetes.io/name', 'k8s-app'];

/** The container that runs the autoscaler, when the Deployment is one. */
export function autoscalerContainer(d: V1Deployment): V1Container | undefined {
  const containers = d.spec?.template.spec?.containers ?? [];
  const byImage = containers.find((c) => NAME.test(parseImageReference(c.image ?? '').repository));
  if (byImage !== undefined) return byImage;
  const labels = { ...d.metadata?.labels, ...d.spec?.template.metadata?.labels };
  const named = NAME.test(d.metadata?.name ?? '') || LABEL_KEYS.some((k) => NAME.test(labels[k] ?? ''));
  if (!named) return undefined;
  return containers.find((c) => NAME.test(c.name) || [...(c.command ?? []), ...(c.args ?? [])].some((a) => NAME.test(a))) ?? containers[0];
}

/** `--flag=value` and bare `--flag` (true) from command and args. A repeated flag (several
 *  --node-group-auto-discovery or --nodes) keeps every value, separated by a space. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const arg of argv) {
    const m = /^--?([a-z0-9][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (m?.[1] === undefined) continue;
    const value = m[2] ?? 'true';
    flags[m[1]] = flags[m[1]] === undefined ? value : `${flags[m[1]]} ${value}`;
  }
  return flags;
}

/** Minor version from an image tag such as `v1.30.2` or `1.30.2-eks`, if it has one. */
export function minorOfTag(tag: string | undefined): number | undefined {
  const m = /^v?1\.(\d+)(?:\.|$|-)/.exec(tag ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The cluster's minor version from /version (`36`, or `36+` on some providers). */
export function clusterMinor(minor: string | undefined): number | undefined {
  const m = /^(\d+)/.exec(minor ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
