import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClients } from '../../../src/cluster/client.js';
import { resolveClusterAccess } from '../../../src/cluster/kubeconfig.js';
import { explainUnreachable, neededPermissions, preflight } from '../../../src/cluster/preflight.js';
import { describePermission } from '../../../src/cluster/permissions.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { ClusterAccessError } from '../../../src/errors.js';
import { closedPort, startFakeApi, type FakeApi } from './fake-api.js';
import { kubeconfigYaml } from './kubeconfig-fixture.js';

describe('preflight (against a fake API server)', () => {
  let dir: string;
  let api: FakeApi | undefined;
  const env = (): Parameters<typeof resolveClusterAccess>[1] => ({ env: {}, home: dir, testbedKubeconfigs: [], serviceAccountTokenPath: join(dir, 'none') });
  const access = (server: string) => {
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, kubeconfigYaml(server));
    return resolveClusterAccess({ kubeconfig: path }, env());
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-preflight-'));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN an answering, authorised API THEN it reports version, identity, platform and node count', async () => {
    api = await startFakeApi({ providerID: 'aws:///eu-west-1a/i-1' });
    const a = access(api.url);
    const clients = createClients(a.kc);
    const result = await preflight(a, clients, new Timeouts(1));
    expect(result.cluster).to.deep.equal({ context: 'main', server: api.url, version: 'v1.36.3', platform: 'eks', nodeCount: 1 });
    expect(result.identity).to.equal('tester');
    expect(clients.requestCount()).to.be.greaterThan(10);
  });

  it('GIVEN an identity without rights THEN exit-3 error names the missing permissions', async () => {
    api = await startFakeApi({ allowed: (verb, resource) => !(verb === 'create' && resource === 'namespaces') && resource !== 'pods/exec' });
    const a = access(api.url);
    const err = await preflight(a, createClients(a.kc), new Timeouts(1)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterAccessError);
    expect((err as Error).message).to.equal(
      'identity "tester" of context "main" is not authorised to create namespaces (cluster-wide), which kube-assay itself needs (and 2 more: create pods/exec, get pods/exec): ' +
        'grant it the ClusterRole rule {apiGroups: [""], resources: ["namespaces"], verbs: ["create"]} (`kube-assay rbac` prints the whole least-privilege role) or use another --context.',
    );
  });

  it('GIVEN a selected suite needs a right the identity lacks THEN exit-3 error names the suite, the right and the rule that grants it', async () => {
    api = await startFakeApi({ allowed: (verb, resource) => !(verb === 'create' && resource === 'persistentvolumeclaims') });
    const a = access(api.url);
    const permissions = neededPermissions([
      { name: 'storage', permissions: [{ verb: 'create', resource: 'persistentvolumeclaims' }, { verb: 'list', resource: 'storageclasses', group: 'storage.k8s.io' }] },
      { name: 'conformance', permissions: [] },
    ]);
    const err = await preflight(a, createClients(a.kc), new Timeouts(1), { permissions }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterAccessError);
    expect((err as Error).message).to.equal(
      'suite storage needs "create persistentvolumeclaims" (cluster-wide), which identity "tester" of context "main" lacks: ' +
        'grant it the ClusterRole rule {apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["create"]} (`kube-assay rbac --suite storage` prints the whole least-privilege role) or use another --context.',
    );
  });

  it('GIVEN two suites need the same right THEN it is asked once and both are named', () => {
    const shared = { verb: 'list', resource: 'persistentvolumes' };
    const needed = neededPermissions([{ name: 'storage', permissions: [shared] }, { name: 'statefulset', permissions: [shared, { verb: 'create', resource: 'namespaces' }] }]);
    expect(needed.filter((p) => p.resource === 'persistentvolumes')).to.deep.equal([{ ...shared, neededBy: ['storage', 'statefulset'] }]);
    // A right the harness needs anyway stays the harness's: its denial is about every run.
    expect(needed.filter((p) => p.resource === 'namespaces' && p.verb === 'create')).to.deep.equal([{ verb: 'create', resource: 'namespaces', neededBy: [] }]);
  });

  it('GIVEN rejected credentials THEN exit-3 error says 401 and what to do', async () => {
    api = await startFakeApi({ status: 401 });
    const a = access(api.url);
    const err = await preflight(a, createClients(a.kc), new Timeouts(1)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterAccessError);
    expect((err as Error).message).to.include('rejected the credentials of context "main" (401 Unauthorized)');
  });

  it('GIVEN nothing listens THEN exit-3 error says the server cannot be reached, quickly', async () => {
    const port = await closedPort();
    const a = access(`https://127.0.0.1:${port}`);
    const started = Date.now();
    const err = await preflight(a, createClients(a.kc), new Timeouts(1)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterAccessError);
    expect((err as Error).message).to.match(new RegExp(`^cannot reach the API server https://127.0.0.1:${port} \\(ECONNREFUSED\\): check that the cluster is running`));
    expect(Date.now() - started).to.be.lessThan(5000);
  });

  it('GIVEN an untrusted server certificate THEN the sentence says so and points at the CA data', () => {
    const err = Object.assign(new Error('request to https://10.0.0.1:6443/version failed, reason: self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(explainUnreachable(err, { server: 'https://10.0.0.1:6443', context: 'prod' }).message).to.equal(
      'the API server https://10.0.0.1:6443 presented a TLS certificate that context "prod" does not trust (SELF_SIGNED_CERT_IN_CHAIN): check that the kubeconfig\'s certificate-authority data belongs to this cluster.',
    );
  });

  it('phrases permissions as verbs on resources', () => {
    expect(describePermission({ verb: 'create', resource: 'deployments', group: 'apps' })).to.equal('create deployments.apps');
    expect(describePermission({ verb: 'get', resource: 'pods', subresource: 'log' })).to.equal('get pods/log');
  });
});
