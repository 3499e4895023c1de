// Conformance: the control plane answers and the nodes are Ready.
import { check, suite } from '../../src/harness/index.js';
import conformance from './suite.js';
import { expectThat } from '../../src/harness/expect.js';
import { nodeReadiness } from '../../src/cluster/nodes.js';

suite(conformance, () => {
  check(
    'conformance/api-version',
    'API server answers and reports its version',
    async (t) => {
      t.step('GET /version');
      const info = await t.clients.version.getCode();
      expectThat(/^v\d+\.\d+\.\d+/.test(info.gitVersion), `the API server reported version "${info.gitVersion}", expected a semantic version like v1.36.3`);
      t.attachTable('server version', ['field', 'value'], [
        ['gitVersion', info.gitVersion],
        ['platform', info.platform],
        ['goVersion', info.goVersion],
        ['buildDate', info.buildDate],
      ]);
    },
    { namespace: false, retryable: true, tags: ['control-plane'], remediation: 'Check that kube-apiserver is running and healthy (its /readyz endpoint and logs) and that this machine reaches it.' },
  );

  check(
    'conformance/nodes-ready',
    'Every node is Ready',
    async (t) => {
      t.step('list nodes');
      const nodes = (await t.clients.core.listNode()).items;
      const rows = nodes.map(nodeReadiness);
      t.attachTable('nodes', ['node', 'ready', 'reason', 'kubelet', 'schedulable'], rows.map((r) => [r.name, r.ready ? 'True' : 'False', r.reason, r.kubelet, r.schedulable ? 'yes' : 'no']));
      expectThat(nodes.length > 0, 'the cluster has no nodes: expected at least one Ready node');
      const notReady = rows.filter((r) => !r.ready);
      expectThat(notReady.length === 0, `${notReady.length} of ${rows.length} nodes are not Ready: ${notReady.map((r) => `${r.name} (${r.reason})`).join(', ')}`);
    },
    { namespace: false, retryable: true, tags: ['nodes'], remediation: 'On each NotReady node check the kubelet (running, logs), the container runtime and the CNI plugin; `kubectl describe node` shows the failing condition.' },
  );
});
