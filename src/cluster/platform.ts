// Which kind of cluster a run targets. Decided from facts the API shows, never from names.
import type { V1Node } from '@kubernetes/client-node';
import type { Platform } from '../report/model.js';

/** Label the testbed puts on its node(s), so any kubeconfig pointing at it is recognised. */
export const TESTBED_NODE_LABEL = 'kube-assay.io/testbed';

export interface PlatformFacts {
  nodes: readonly V1Node[];
  server: string;
  /** API server URLs found in the local testbed's kubeconfig, if any. */
  testbedServers: readonly string[];
}

export function detectPlatform(facts: PlatformFacts): Platform {
  // EKS nodes (managed, self-managed and Fargate) carry an EC2 provider ID: aws:///zone/i-...
  if (facts.nodes.some((n) => n.spec?.providerID?.startsWith('aws://') === true)) return 'eks';
  if (facts.nodes.some((n) => n.metadata?.labels?.[TESTBED_NODE_LABEL] !== undefined)) return 'testbed';
  const server = normaliseServer(facts.server);
  if (facts.testbedServers.some((s) => normaliseServer(s) === server)) return 'testbed';
  return 'generic';
}

function normaliseServer(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}
