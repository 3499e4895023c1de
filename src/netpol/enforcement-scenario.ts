// The scenario behind netpol/enforcement: first no policy (every cell into y must be allowed,
// which proves the probes and servers work), then one deny-all ingress policy in y (every cell
// into y must be blocked). If the second step sees all of them allowed, the cluster accepts
// NetworkPolicy objects without enforcing them; detectNonEnforcement phrases that.
import { networkPolicy } from './policies.js';
import type { Scenario } from './scenarios.js';

export const ENFORCEMENT_POLICY_NAME = 'enforcement-deny-ingress';

export const ENFORCEMENT_SCENARIO: Scenario = {
  id: 'netpol/enforcement',
  title: 'NetworkPolicy objects are enforced: a deny-all ingress policy blocks the traffic it selects',
  topology: { namespaces: ['x', 'y', 'z'], pods: ['a', 'b', 'c'], ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }] },
  probes: { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }], to: ['y/a', 'y/b', 'y/c'] },
  steps: [
    { description: 'no policy: every pod reaches the pods of y', policies: [] },
    {
      description: 'y denies all ingress',
      policies: [networkPolicy({ name: ENFORCEMENT_POLICY_NAME, namespace: 'y', policyTypes: ['Ingress'] })],
    },
  ],
};
