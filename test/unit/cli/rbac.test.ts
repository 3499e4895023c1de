import { expect } from 'chai';
import { loadAll } from 'js-yaml';
import type { V1ClusterRole, V1ClusterRoleBinding } from '@kubernetes/client-node';
import { HARNESS_PERMISSIONS, type Permission } from '../../../src/cluster/permissions.js';
import { neededPermissions } from '../../../src/cluster/preflight.js';
import { UsageError } from '../../../src/errors.js';
import { defineSuite } from '../../../src/harness/suite-definition.js';
import { rbacManifests } from '../../../src/cli/rbac.js';
import { BUILT_IN_SUITES } from '../config/suites.js';

const grants = (role: V1ClusterRole, p: Permission): boolean =>
  (role.rules ?? []).some((r) => r.apiGroups?.includes(p.group ?? '') && r.resources?.includes(p.subresource ? `${p.resource}/${p.subresource}` : p.resource) && r.verbs.includes(p.verb));

describe('kube-assay rbac', () => {
  const volumes = defineSuite({ name: 'volumes', title: 'Volumes', permissions: [{ verb: 'create', resource: 'persistentvolumeclaims' }, { verb: 'list', resource: 'persistentvolumeclaims' }] });

  it('GIVEN a suite THEN the ClusterRole grants every right preflight asks for, one rule per resource with its verbs sorted', () => {
    const [role] = loadAll(rbacManifests({ suites: [volumes], name: 'kube-assay' })) as [V1ClusterRole];
    expect(role.kind).to.equal('ClusterRole');
    for (const p of neededPermissions([volumes])) expect(grants(role, p), JSON.stringify(p)).to.equal(true);
    const claims = (role.rules ?? []).filter((r) => r.resources?.includes('persistentvolumeclaims'));
    expect(claims).to.deep.equal([{ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'list'] }]);
    const keys = (role.rules ?? []).map((r) => `${r.apiGroups?.[0]}|${r.resources?.[0]}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('GIVEN no suite selected THEN the role holds only what the harness itself needs', () => {
    const [role] = loadAll(rbacManifests({ suites: [], name: 'kube-assay' })) as [V1ClusterRole];
    for (const p of HARNESS_PERMISSIONS) expect(grants(role, p), JSON.stringify(p)).to.equal(true);
    expect(grants(role, { verb: 'create', resource: 'persistentvolumeclaims' })).to.equal(false);
  });

  it('GIVEN every built-in suite THEN each suite right is in the role, and no wildcard is', () => {
    const [role] = loadAll(rbacManifests({ suites: BUILT_IN_SUITES, name: 'kube-assay' })) as [V1ClusterRole];
    for (const s of BUILT_IN_SUITES) for (const p of s.permissions) expect(grants(role, p), `${s.name}: ${JSON.stringify(p)}`).to.equal(true);
    expect(JSON.stringify(role.rules)).to.not.include('"*"');
  });

  it('GIVEN a ServiceAccount THEN a ClusterRoleBinding of the role to it follows', () => {
    const docs = loadAll(rbacManifests({ suites: [volumes], name: 'assay-ci', serviceAccount: 'ci/runner' })) as [V1ClusterRole, V1ClusterRoleBinding];
    expect(docs.map((d) => d.kind)).to.deep.equal(['ClusterRole', 'ClusterRoleBinding']);
    expect(docs[1].roleRef).to.deep.equal({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'assay-ci' });
    expect(docs[1].subjects).to.deep.equal([{ kind: 'ServiceAccount', name: 'runner', namespace: 'ci' }]);
    expect(docs[0].metadata?.annotations?.['kube-assay.io/suites']).to.equal('volumes');
  });

  it('GIVEN a malformed ServiceAccount or name THEN a usage error shows the expected form', () => {
    expect(() => rbacManifests({ suites: [], name: 'kube-assay', serviceAccount: 'runner' })).to.throw(UsageError, /is not NAMESPACE\/NAME: pass e\.g\. --service-account kube-assay\/runner/);
    expect(() => rbacManifests({ suites: [], name: 'Kube Assay' })).to.throw(UsageError, /--name "Kube Assay" is not a valid object name/);
  });
});
