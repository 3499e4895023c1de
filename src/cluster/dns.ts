// Resolving names from inside a pod with the image's nslookup (busybox or bind flavour; both
// print the answers as "Address: <ip>" lines after a "Name:" line).
import type { KubeConfig } from '@kubernetes/client-node';
import { execInContainer, type ContainerRef } from './exec.js';
import type { Deadline } from './wait.js';

/** Addresses in nslookup output, ignoring the resolver's own "Address:" line above the answers. */
export function parseNslookupAddresses(output: string): string[] {
  const addresses: string[] = [];
  let inAnswer = false;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (/^Name:/i.test(line)) {
      inAnswer = true;
      continue;
    }
    if (!inAnswer) continue;
    const match = /^Address(?:\s+\d+)?:\s*([0-9a-fA-F.:]+?)(?:#\d+)?$/.exec(line);
    if (match?.[1] !== undefined) addresses.push(match[1]);
  }
  return [...new Set(addresses)];
}

/** Fully qualified name of a Service, with a trailing dot so no search domain is tried. */
export function serviceFqdn(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}.`;
}

export interface Lookup {
  name: string;
  addresses: string[];
  /** What nslookup printed (stdout and stderr), for failure messages. */
  output: string;
  exitCode: number;
}

export async function lookupFromPod(kc: KubeConfig, from: ContainerRef, name: string, deadline: Deadline, signal?: AbortSignal): Promise<Lookup> {
  const result = await execInContainer(kc, from, ['nslookup', name], deadline, signal);
  const output = `${result.stdout}${result.stderr}`.trim();
  return { name, addresses: parseNslookupAddresses(result.stdout), output, exitCode: result.exitCode };
}
