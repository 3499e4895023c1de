// The CLI end to end in-process, for everything that needs no real cluster: usage and config
// errors (2), unreachable or unauthorised clusters (3, with a fake API server), version, list.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/config/paths.js';
import { closedPort, startFakeApi } from '../cluster/fake-api.js';
import { kubeconfigYaml } from '../cluster/kubeconfig-fixture.js';
import { cli } from './cli-run.js';

const fixture = (name: string): string => join(packageRoot, 'fixtures', 'conformance', 'config', name);

describe('kube-assay command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('version prints the version and exits 0', async () => {
    const r = await cli('version');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^kube-assay \d+\.\d+\.\d+\n$/);
  });

  it('no command: help on stderr, exit 2', async () => {
    const r = await cli();
    expect(r.code).to.equal(2);
    expect(r.err).to.include('Usage: kube-assay');
  });

  it('an unknown flag or command: one line, exit 2', async () => {
    const flag = await cli('run', '--sute', 'conformance');
    expect(flag.code).to.equal(2);
    expect(flag.err).to.match(/^kube-assay: unknown option '--sute'/);
    const cmd = await cli('frobnicate');
    expect(cmd.code).to.equal(2);
  });

  it('an unknown suite: exit 2 with the known suites listed, before touching any cluster', async () => {
    const r = await cli('run', '--suite', 'conformace', '--kubeconfig', join(dir, 'missing'));
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/^kube-assay: unknown suite "conformace": known suites are .*conformance.*; pass one of them to --suite\.\n$/);
  });

  it('a malformed or invalid config file: exit 2, one sentence naming the file', async () => {
    const malformed = await cli('run', '--config', fixture('malformed.yaml'));
    expect(malformed.code).to.equal(2);
    expect(malformed.err).to.include(`config file ${fixture('malformed.yaml')} is not valid YAML`);
    expect(malformed.err.trim().split('\n')).to.have.length(1);
    const unknown = await cli('run', '--config', fixture('unknown-key.yaml'));
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.include('did you mean "parallel"?');
  });

  it('bad flag values: exit 2', async () => {
    expect((await cli('run', '--parallel', '0')).code).to.equal(2);
    expect((await cli('run', '--timeout-scale', 'fast')).code).to.equal(2);
    expect((await cli('run', '--grep', '(')).code).to.equal(2);
    expect((await cli('cleanup', '--run-id', 'NOT A RUN')).code).to.equal(2);
  });

  it('a report directory that cannot be written: exit 2 before anything runs', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const r = await cli('run', '--report-dir', join(dir, 'a-file', 'reports'), '--kubeconfig', join(dir, 'missing'));
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/report directory .* cannot be written \(ENOTDIR\): pass a writable directory with --report-dir\./);
  });

  it('an unreachable API server: exit 3, one sentence, no stack', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(`https://127.0.0.1:${await closedPort()}`));
    const r = await cli('run', '--suite', 'conformance', '--kubeconfig', kubeconfig);
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/^kube-assay: cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): check that the cluster is running and that --kubeconfig\/--context point at it\.\n$/);
  });

  it('an identity without rights: exit 3 naming the missing permission', async () => {
    const api = await startFakeApi({ allowed: (verb, resource) => !(verb === 'create' && resource === 'namespaces') });
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigYaml(api.url));
      const r = await cli('run', '--suite', 'conformance', '--kubeconfig', kubeconfig);
      expect(r.code).to.equal(3);
      expect(r.err).to.equal('kube-assay: identity "tester" of context "main" is not authorised to create namespaces (cluster-wide), which kube-assay itself needs: ' +
        'grant it the ClusterRole rule {apiGroups: [""], resources: ["namespaces"], verbs: ["create"]} (`kube-assay rbac` prints the whole least-privilege role) or use another --context.\n');
      expect(api.requests.some((req) => req.startsWith('POST /api/v1/namespaces'))).to.equal(false);
    } finally {
      await api.close();
    }
  });

  it('an unknown context: exit 2 listing the contexts', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml('https://127.0.0.1:1', ['one', 'two']));
    const r = await cli('run', '--kubeconfig', kubeconfig, '--context', 'three');
    expect(r.code).to.equal(2);
    expect(r.err).to.include('pass --context with one of one, two');
  });

  it('list works without a cluster and shows stable IDs and tags', async () => {
    const r = await cli('list');
    expect(r.code).to.equal(0);
    expect(r.out).to.include('conformance: Conformance smoke test');
    expect(r.out).to.match(/conformance\/dns-service\s+Cluster DNS resolves a Service name\s+\[networking, dns\]/);
  });
});
