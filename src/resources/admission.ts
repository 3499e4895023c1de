// Creating a pod to see what admission makes of it: admitted (with the spec the API server
// stored, defaults applied), or refused with its status and message. A refusal is an outcome
// here, not an error; anything that is not an admission answer (network, 5xx) still throws.
import type { V1Pod } from '@kubernetes/client-node';
import { apiStatusCode, apiStatusMessage } from '../cluster/api-errors.js';
import type { SetupContext } from '../harness/context.js';
import { createResourcePod, type ResourceContainer } from './pods.js';

export type Admission = { admitted: true; pod: V1Pod } | { admitted: false; status: number; message: string };

/** Statuses admission refuses with: 403 (quota, most plugins) and 422 (validation). */
const REFUSALS = new Set([400, 403, 422]);

export async function tryCreatePod(t: SetupContext, namespace: string, name: string, containers: ResourceContainer[]): Promise<Admission> {
  try {
    return { admitted: true, pod: await createResourcePod(t, namespace, name, containers) };
  } catch (err) {
    const status = apiStatusCode(err);
    if (status === undefined || !REFUSALS.has(status)) throw err;
    return { admitted: false, status, message: apiStatusMessage(err) ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/** `admitted` / `refused (403): <message>`, for tables. */
export function describeAdmission(a: Admission): string {
  return a.admitted ? 'admitted' : `refused (${a.status}): ${a.message}`;
}
