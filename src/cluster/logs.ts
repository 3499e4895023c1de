// Container logs through the API server (control plane -> kubelet), as text.
import { describeApiError } from './api-errors.js';
import type { ClusterClients } from './client.js';

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  /** Logs of the previous (restarted) container instance. */
  previous?: boolean;
  tailLines?: number;
}

export async function readContainerLog(clients: ClusterClients, req: LogRequest): Promise<string> {
  try {
    const text = await clients.core.readNamespacedPodLog({
      name: req.pod,
      namespace: req.namespace,
      container: req.container,
      previous: req.previous,
      tailLines: req.tailLines,
    });
    return typeof text === 'string' ? text : String(text);
  } catch (err) {
    throw new Error(describeApiError(`read logs of ${req.namespace}/${req.pod} container ${req.container}${req.previous ? ' (previous)' : ''}`, err), { cause: err });
  }
}
