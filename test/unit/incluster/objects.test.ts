// The objects of an in-cluster run: every one labelled for cleanup, the role exactly the one
// `kube-assay rbac` generates for the same suites (never cluster-admin or a wildcard), the runner
// locked down, and the pod's arguments the workstation's run.
import { expect } from 'chai';
import { loadAll } from 'js-yaml';
import type { V1ClusterRole } from '@kubernetes/client-node';
import { isOwnedByKubeAssay, RUNNER_LABEL } from '../../../src/cluster/labels.js';
import { isSparedByRunSweep } from '../../../src/cluster/namespaces.js';
import { rbacManifests } from '../../../src/cli/rbac.js';
import { creationOrder, inClusterObjects, RUNNER_PATHS, type InClusterRunSpec } from '../../../src/incluster/objects.js';
import { chooseImage, runnerConfigText } from '../../../src/incluster/submit.js';
import { UsageError } from '../../../src/errors.js';
import { BUILT_IN_SUITES } from '../config/suites.js';

const conformance = BUILT_IN_SUITES.filter((s) => s.name === 'conformance');

function spec(overrides: Partial<InClusterRunSpec> = {}): InClusterRunSpec {
  return { runId: '20261201t120000-abcd', suites: conformance, image: 'kube-assay.local/kube-assay:0.1.0', pullPolicy: 'IfNotPresent', prefix: 'ka', configText: '{}\n', timeoutScale: 1, retries: 0, holdSeconds: 600, ...overrides };
}

describe('in-cluster run objects', () => {
  it('GIVEN a run THEN every object carries the run id labels, so cleanup --run-id finds it', () => {
    for (const o of creationOrder(inClusterObjects(spec()))) {
      expect(isOwnedByKubeAssay(o.metadata?.labels, '20261201t120000-abcd'), `${o.kind}/${o.metadata?.name}`).to.equal(true);
    }
    const job = inClusterObjects(spec()).job;
    expect(isOwnedByKubeAssay(job.spec?.template.metadata?.labels, '20261201t120000-abcd')).to.equal(true);
  });

  it("GIVEN a run THEN the runner's namespace is spared by its own end-of-run sweep but not by cleanup", () => {
    const ns = inClusterObjects(spec()).namespace;
    expect(ns.metadata?.labels?.[RUNNER_LABEL]).to.equal('true');
    expect(isSparedByRunSweep(ns)).to.equal(true);
    expect(isSparedByRunSweep({ metadata: { labels: { 'app.kubernetes.io/managed-by': 'kube-assay' } } })).to.equal(false);
  });

  it('GIVEN suites THEN the ClusterRole has the rules `kube-assay rbac` prints for them, bound to the runner account only', () => {
    const objects = inClusterObjects(spec({ suites: BUILT_IN_SUITES }));
    const [printed] = loadAll(rbacManifests({ suites: BUILT_IN_SUITES, name: 'x' })) as [V1ClusterRole];
    expect(objects.clusterRole.rules).to.deep.equal(printed.rules);
    expect(JSON.stringify(objects.clusterRole.rules)).to.not.include('"*"');
    expect(objects.clusterRoleBinding.roleRef.name).to.equal(objects.clusterRole.metadata?.name);
    expect(objects.clusterRoleBinding.roleRef.name).to.not.equal('cluster-admin');
    expect(objects.clusterRoleBinding.subjects).to.deep.equal([{ kind: 'ServiceAccount', name: 'kube-assay', namespace: 'ka-run-20261201t120000-abcd' }]);
  });

  it('GIVEN a run THEN the runner is non-root with a read-only root, no privileges, and the run id, suites and hold as arguments', () => {
    const pod = inClusterObjects(spec({ grep: 'dns', timeoutScale: 2, retries: 1 })).job.spec?.template.spec;
    const c = pod?.containers[0];
    expect(pod?.serviceAccountName).to.equal('kube-assay');
    expect(c?.securityContext).to.include({ runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c?.securityContext?.capabilities?.drop).to.deep.equal(['ALL']);
    expect(c?.args).to.deep.equal([
      'run', '--suite', 'conformance', '--config', RUNNER_PATHS.configFile, '--report-dir', RUNNER_PATHS.results,
      '--run-id', '20261201t120000-abcd', '--hold', '600', '--grep', 'dns', '--timeout-scale', '2', '--retries', '1',
    ]);
    expect(inClusterObjects(spec()).job.spec?.backoffLimit).to.equal(0);
  });

  it('GIVEN a config file THEN the runner gets it without the keys that only mean something on the workstation', () => {
    const text = runnerConfigText({ kubeconfig: '/home/me/.kube/config', context: 'prod', reportDir: 'out', suites: ['netpol'], timeoutScale: 2, netpol: { x: 1 } });
    expect(loadAll(text)).to.deep.equal([{ timeoutScale: 2, netpol: { x: 1 } }]);
    expect(runnerConfigText(undefined)).to.equal('{}\n');
  });

  it('GIVEN no --image THEN the testbed uses its own image and any other cluster is one sentence, exit 2', () => {
    expect(chooseImage(undefined, 'testbed')).to.match(/^kube-assay\.local\/kube-assay:\d+\.\d+\.\d+$/);
    expect(chooseImage('r.example/kube-assay:1', 'eks')).to.equal('r.example/kube-assay:1');
    expect(() => chooseImage(undefined, 'generic')).to.throw(UsageError, /--in-cluster needs --image on a generic cluster/);
  });
});
