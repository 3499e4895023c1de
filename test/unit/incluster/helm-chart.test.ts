// The Helm chart's pieces that kube-assay generates must not drift from it: its RBAC files are
// what `kube-assay rbac --suite NAME` prints today, its values schema knows exactly the built-in
// suites, and the test pod is a helm test hook replaced on the next test.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rbacManifests } from '../../../src/cli/rbac.js';
import { packageRoot } from '../../../src/config/paths.js';
import { BUILT_IN_SUITES } from '../config/suites.js';

const chart = join(packageRoot, 'deploy', 'helm', 'kube-assay');

describe('Helm chart deploy/helm/kube-assay', () => {
  it('ships, for each built-in suite, the RBAC `kube-assay rbac` generates for it', () => {
    const files = readdirSync(join(chart, 'files', 'rbac')).sort();
    expect(files).to.deep.equal(BUILT_IN_SUITES.map((s) => `${s.name}.yaml`).sort());
    for (const suite of BUILT_IN_SUITES) {
      const shipped = readFileSync(join(chart, 'files', 'rbac', `${suite.name}.yaml`), 'utf8');
      expect(shipped, `regenerate: node dist/src/cli/main.js rbac --suite ${suite.name} --name kube-assay > deploy/helm/kube-assay/files/rbac/${suite.name}.yaml`)
        .to.equal(rbacManifests({ suites: [suite], name: 'kube-assay' }));
    }
  });

  it('accepts exactly the built-in suites in values.schema.json, and no unknown top-level key', () => {
    const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as { additionalProperties: boolean; properties: { suites: { items: { enum: string[] } } } };
    expect(schema.additionalProperties).to.equal(false);
    expect([...schema.properties.suites.items.enum].sort()).to.deep.equal(BUILT_IN_SUITES.map((s) => s.name).sort());
  });

  it('runs the check as a helm test Pod replaced before the next test', () => {
    const pod = readFileSync(join(chart, 'templates', 'test-run.yaml'), 'utf8');
    expect(pod).to.match(/^kind: Pod$/m);
    expect(pod).to.match(/^\s+helm\.sh\/hook: test$/m);
    expect(pod).to.match(/^\s+helm\.sh\/hook-delete-policy: before-hook-creation$/m);
  });
});
