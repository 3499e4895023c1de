import { expect } from 'chai';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECT_SCRIPT, collectNodeFiles, collectorPod, ENCRYPTION_STRUCTURE_AWK, encryptionOf, parseCollectorLog, parseFlags, SYSTEMD_UNIT_DIRS, type CollectorOps } from '../../../src/cis/node-files.js';

describe('cis: the node collector', () => {
  it('GIVEN flags as --name value, --name=value and bare --name THEN each is read, the last occurrence winning', () => {
    expect(parseFlags(['/usr/bin/kubelet', '--config', '/a.yaml', '--node-ip=10.0.0.1', '--v=2', '--config=/b.yaml', '--register-node'])).to.deep.equal({ config: '/b.yaml', 'node-ip': '10.0.0.1', v: '2', 'register-node': 'true' });
  });

  it("GIVEN the collector's log THEN the kubelet's arguments, flags and files (present, absent, not configured) are read", () => {
    const log = [
      'arg\t/usr/local/bin/kubelet',
      'arg\t--config',
      'arg\t/etc/kubelet/config.yaml',
      'arg\t--hostname-override=assay-node',
      'file\tconfig\t/etc/kubelet/config.yaml\t600 0:0',
      'file\tkubeconfig\t/etc/kubelet/kubelet.conf\tabsent',
      'file\tclient-ca\t\t',
      '',
    ].join('\n');
    expect(parseCollectorLog('n1', log)).to.deep.equal({
      node: 'n1',
      outcome: 'collected',
      kubeletArgs: ['/usr/local/bin/kubelet', '--config', '/etc/kubelet/config.yaml', '--hostname-override=assay-node'],
      flags: { config: '/etc/kubelet/config.yaml', 'hostname-override': 'assay-node' },
      files: { config: { path: '/etc/kubelet/config.yaml', present: true, mode: '600', owner: '0:0' }, kubeconfig: { path: '/etc/kubelet/kubelet.conf', present: false } },
      unitFiles: [],
      controlPlane: {},
    });
  });

  it('GIVEN no kubelet process, or an empty log THEN the node is failed with the reason', () => {
    expect(parseCollectorLog('n1', 'error\tno kubelet process is visible on this node\n')).to.deep.include({ outcome: 'failed', error: 'no kubelet process is visible on this node' });
    expect(parseCollectorLog('n1', '')).to.deep.include({ outcome: 'failed', error: 'the collector printed no kubelet command line' });
  });

  it('GIVEN a node THEN the pod runs on it, tolerates every taint, sees host processes and mounts the host read-only, never restarting', () => {
    const pod = collectorPod('ip-10-0-0-1.ec2.internal', 'ka-ns', 'probe:1', 'IfNotPresent', { a: 'b' });
    expect(pod.metadata?.name).to.equal('cis-node-ip-10-0-0-1-ec2-internal');
    expect(pod.spec).to.deep.include({ nodeName: 'ip-10-0-0-1.ec2.internal', hostPID: true, tolerations: [{ operator: 'Exists' }], restartPolicy: 'Never', automountServiceAccountToken: false });
    expect(pod.spec?.containers[0]?.volumeMounts).to.deep.equal([{ name: 'host', mountPath: '/host', readOnly: true }]);
    expect(pod.spec?.containers[0]?.securityContext).to.deep.equal({ allowPrivilegeEscalation: false });
  });

  const kubelet = ['arg\t/usr/bin/kubelet', 'arg\t--config=/var/lib/kubelet/config.yaml'];

  it("GIVEN the kubelet's systemd service THEN its unit file and drop-ins are read with their modes, in the order found", () => {
    const log = [...kubelet, 'unitname\tkubelet.service', 'unit\t/usr/lib/systemd/system/kubelet.service\t644 0:0', 'unit\t/etc/systemd/system/kubelet.service.d/10-kubeadm.conf\t600 0:0', 'unit\t\t'].join('\n');
    const seen = parseCollectorLog('n1', log);
    expect(seen.unitName).to.equal('kubelet.service');
    expect(seen.unitFiles).to.deep.equal([
      { path: '/usr/lib/systemd/system/kubelet.service', present: true, mode: '644', owner: '0:0' },
      { path: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', present: true, mode: '600', owner: '0:0' },
    ]);
  });

  it('GIVEN kube-proxy with a config file THEN the file decides its metrics address and kubeconfig, whatever its flags say', () => {
    const log = [
      ...kubelet,
      'parg\tkube-proxy\t/usr/local/bin/kube-proxy',
      'parg\tkube-proxy\t--config=/etc/kp.yaml',
      'parg\tkube-proxy\t--metrics-bind-address=0.0.0.0:10249',
      'proxycfg\tread\tyes',
      'proxycfg\tmetricsBindAddress\t127.0.0.1:10249',
      'file\tproxy-kubeconfig\t/etc/kp.conf\t600 0:0',
    ].join('\n');
    const seen = parseCollectorLog('n1', log);
    expect(seen.kubeProxy).to.deep.include({ metricsBindAddress: '127.0.0.1:10249', metricsFrom: 'config file', configRead: true });
    expect(seen.files['proxy-kubeconfig']).to.deep.equal({ path: '/etc/kp.conf', present: true, mode: '600', owner: '0:0' });
    expect(seen.controlPlane).to.deep.equal({});
  });

  it("GIVEN kube-proxy without a config file THEN its flag, else kube-proxy's default, is the metrics address", () => {
    const flag = parseCollectorLog('n1', [...kubelet, 'parg\tkube-proxy\tkube-proxy', 'parg\tkube-proxy\t--metrics-bind-address', 'parg\tkube-proxy\t0.0.0.0:10249'].join('\n'));
    expect(flag.kubeProxy).to.deep.include({ metricsBindAddress: '0.0.0.0:10249', metricsFrom: 'command line' });
    const none = parseCollectorLog('n1', [...kubelet, 'parg\tkube-proxy\tkube-proxy', 'parg\tkube-proxy\t--config=/etc/kp.yaml', 'proxycfg\tread\tyes', 'proxycfg\tmetricsBindAddress\t'].join('\n'));
    expect(none.kubeProxy).to.deep.include({ metricsBindAddress: '127.0.0.1:10249', metricsFrom: 'default' });
    expect(parseCollectorLog('n1', kubelet.join('\n')).kubeProxy).to.equal(undefined);
  });

  it('GIVEN control-plane processes THEN their flags and the files their flags name are kept per program', () => {
    const log = [
      ...kubelet,
      'parg\tkube-apiserver\t/usr/local/bin/kube-apiserver',
      'parg\tkube-apiserver\t--profiling=false',
      'parg\tkube-apiserver\t--tls-private-key-file',
      'parg\tkube-apiserver\t/etc/kubernetes/pki/apiserver.key',
      'pfile\tkube-apiserver\ttls-private-key-file\t/etc/kubernetes/pki/apiserver.key\t600 0:0',
      'parg\tetcd\tetcd',
      'parg\tetcd\t--data-dir=/var/lib/etcd',
      'pfile\tetcd\tdata-dir\t/var/lib/etcd\t700 0:0',
    ].join('\n');
    const seen = parseCollectorLog('n1', log);
    expect(Object.keys(seen.controlPlane)).to.deep.equal(['kube-apiserver', 'etcd']);
    expect(seen.controlPlane['kube-apiserver']?.flags).to.deep.equal({ profiling: 'false', 'tls-private-key-file': '/etc/kubernetes/pki/apiserver.key' });
    expect(seen.controlPlane['kube-apiserver']?.files).to.deep.equal({ 'tls-private-key-file': { path: '/etc/kubernetes/pki/apiserver.key', present: true, mode: '600', owner: '0:0' } });
    expect(seen.controlPlane.etcd?.files['data-dir']?.mode).to.equal('700');
  });

  it("GIVEN the script THEN it looks for the unit in systemd's directories and for every control-plane program", () => {
    for (const dir of SYSTEMD_UNIT_DIRS) expect(COLLECT_SCRIPT).to.include(dir);
    expect(COLLECT_SCRIPT).to.include('for n in kube-apiserver kube-controller-manager kube-scheduler etcd; do');
    // A pod that exits non-zero is failed by the kubelet: the script must end well whatever its last test found.
    expect(COLLECT_SCRIPT.split('\n').pop()).to.equal('exit 0');
  });
});

describe('cis: the collector on every node at once', () => {
  const deadline = { name: 'podStart', ms: 120_000 };
  const base = { image: 'probe:1', pullPolicy: 'IfNotPresent' as const, labels: {}, concurrency: 2, deadline };
  const node = (name: string, ready = true) => ({ name, ready, reason: ready ? 'Ready' : 'KubeletNotReady' });
  const log = 'arg\t/usr/bin/kubelet\narg\t--config=/etc/k.yaml\n';
  const pod = (name: string, phase: string, container?: object): V1Pod => ({ metadata: { name }, status: { phase, ...(container === undefined ? {} : { containerStatuses: [{ name: 'probe', ...container } as V1ContainerStatus] }) } });

  it('GIVEN nodes whose pods finish, fail, never finish, cannot be created or are not Ready THEN each node is named with its own outcome, and all pods were awaited together once', async () => {
    const created: string[] = [];
    const awaited: string[][] = [];
    const ops: CollectorOps = {
      async create(p) {
        if (p.spec?.nodeName === 'refused') throw new Error('pods "cis-node-refused" is forbidden: exceeded quota');
        created.push(p.metadata?.name ?? '');
      },
      async awaitAll(names, finished) {
        awaited.push([...names].sort());
        const seen = new Map<string, V1Pod>([
          ['cis-node-good', pod('cis-node-good', 'Succeeded')],
          ['cis-node-broken', pod('cis-node-broken', 'Pending', { ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: 'ErrImageNeverPull' } } })],
          ['cis-node-fake', pod('cis-node-fake', 'Running', { ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } })],
        ]);
        expect(finished(seen.get('cis-node-good') as V1Pod)).to.equal(true);
        expect(finished(seen.get('cis-node-broken') as V1Pod)).to.equal(true);
        expect(finished(seen.get('cis-node-fake') as V1Pod)).to.equal(false);
        return seen;
      },
      async readLog(name) {
        if (name === 'cis-node-good') return log;
        throw new Error('unexpected log read');
      },
    };
    const results = await collectNodeFiles([node('good'), node('broken'), node('fake'), node('gone'), node('refused'), node('down', false)], 'ka-nodes', ops, base);
    expect(awaited).to.deep.equal([['cis-node-broken', 'cis-node-fake', 'cis-node-gone', 'cis-node-good']]);
    expect(created).to.have.length(4);
    expect(results.map((r) => [r.node, r.outcome])).to.deep.equal([['good', 'collected'], ['broken', 'failed'], ['fake', 'failed'], ['gone', 'failed'], ['refused', 'failed'], ['down', 'failed']]);
    expect(results[0]?.flags).to.deep.equal({ config: '/etc/k.yaml' });
    expect(results[1]?.error).to.equal('its collector pod ka-nodes/cis-node-broken container probe is ErrImageNeverPull');
    expect(results[2]?.error).to.equal('its collector pod ka-nodes/cis-node-fake did not finish within 2m (timeout podStart); last seen: phase Running, container running');
    expect(results[3]?.error).to.equal('its collector pod ka-nodes/cis-node-gone did not finish within 2m (timeout podStart); last seen: it was never seen');
    expect(results[4]?.error).to.match(/^its collector pod could not be created: .*exceeded quota/);
    expect(results[5]?.error).to.equal('the node is not Ready (KubeletNotReady), so no collector pod was started on it');
  });

  it('GIVEN a finished pod whose log cannot be read THEN that node is failed naming the read, the others are collected', async () => {
    const ops: CollectorOps = {
      create: async () => undefined,
      awaitAll: async (names) => new Map([...names].map((n) => [n, pod(n, 'Succeeded')])),
      async readLog(name) {
        if (name === 'cis-node-b') throw new Error('timed out after 10s (timeout nodeRead)');
        return log;
      },
    };
    const results = await collectNodeFiles([node('a'), node('b')], 'ns', ops, base);
    expect(results.map((r) => r.outcome)).to.deep.equal(['collected', 'failed']);
    expect(results[1]?.error).to.equal('the log of its collector pod ns/cis-node-b could not be read: timed out after 10s (timeout nodeRead)');
  });

  it('GIVEN no Ready node THEN nothing is awaited', async () => {
    const ops: CollectorOps = { create: async () => expect.fail('created'), awaitAll: async () => expect.fail('awaited'), readLog: async () => expect.fail('read') };
    expect((await collectNodeFiles([node('down', false)], 'ns', ops, base)).map((r) => r.outcome)).to.deep.equal(['failed']);
  });
});

describe("cis: the collector's view of the API server's encryption configuration", () => {
  // Keys a real file would hold: base64, and one of only lowercase letters, which looks like a
  // resource name, so that only the tokenizer's context keeps it out.
  const secrets = ['c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1mb3ItYWVzY2JjIQ==', 'abcdefghijklmnopqrstuvwxyzabcdef', 'kms-plugin-endpoint-token'];
  const keyNames = ['key20261202', 'old-key'];
  const files: Record<string, string> = {
    'YAML block style': [
      'apiVersion: apiserver.config.k8s.io/v1',
      'kind: EncryptionConfiguration',
      '# secrets first: aescbc, then identity to read what was stored before',
      'resources:',
      '  - resources:',
      '      - secrets',
      "      - 'configmaps'",
      '    providers:',
      '      - aescbc:',
      '          keys:',
      `            - name: ${keyNames[0]}`,
      `              secret: ${secrets[0]}`,
      `            - name: ${keyNames[1]}`,
      '              secret: |',
      `                ${secrets[1]}`,
      '      - identity: {}',
      '  - resources: ["*.apps"]',
      '    providers:',
      '      - kms:',
      '          apiVersion: v2',
      `          name: ${secrets[2]}`,
      '          endpoint: unix:///var/run/kms.sock',
      '',
    ].join('\n'),
    JSON: JSON.stringify({
      kind: 'EncryptionConfiguration',
      apiVersion: 'apiserver.config.k8s.io/v1',
      resources: [
        { resources: ['secrets', 'configmaps'], providers: [{ aescbc: { keys: [{ name: keyNames[0], secret: secrets[0] }, { name: keyNames[1], secret: secrets[1] }] } }, { identity: {} }] },
        { resources: ['*.apps'], providers: [{ kms: { apiVersion: 'v2', name: secrets[2], endpoint: 'unix:///var/run/kms.sock' } }] },
      ],
    }),
    'YAML flow style on one line per entry': [
      'kind: EncryptionConfiguration',
      'resources:',
      `- {resources: [secrets, configmaps], providers: [{aescbc: {keys: [{name: ${keyNames[0]}, secret: "${secrets[0]}"}, {name: ${keyNames[1]}, secret: ${secrets[1]}}]}}, {identity: {}}]}`,
      `- {resources: ["*.apps"], providers: [{kms: {apiVersion: v2, name: ${secrets[2]}, endpoint: "unix:///var/run/kms.sock"}}]}`,
    ].join('\n'),
  };
  const awks = ['awk', ...(spawnSync('busybox', ['awk', 'BEGIN {}']).status === 0 ? ['busybox awk'] : [])];

  for (const awk of awks) {
    for (const [style, text] of Object.entries(files)) {
      it(`GIVEN a configuration in ${style} THEN ${awk} prints only its resources and provider types, in order, and no key name or secret`, () => {
        const dir = mkdtempSync(join(tmpdir(), 'ka-enc-'));
        try {
          writeFileSync(join(dir, 'enc.yaml'), text);
          const [cmd, ...pre] = awk.split(' ');
          const run = spawnSync(cmd as string, [...pre, '-v', 'P=penc\\tkube-apiserver\\t', ENCRYPTION_STRUCTURE_AWK, join(dir, 'enc.yaml')], { encoding: 'utf8' });
          expect(run.stderr).to.equal('');
          for (const secret of [...secrets, ...keyNames]) expect(run.stdout).to.not.include(secret);
          const seen = parseCollectorLog('n1', ['arg\t/usr/bin/kubelet', 'parg\tkube-apiserver\tkube-apiserver', 'penc\tkube-apiserver\tread', run.stdout].join('\n'));
          expect(seen.controlPlane['kube-apiserver']?.encryption).to.deep.equal({
            read: true,
            groups: [
              { resources: ['secrets', 'configmaps'], providers: ['aescbc', 'identity'] },
              { resources: ['*.apps'], providers: ['kms'] },
            ],
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }

  it('GIVEN the records THEN an unreadable file is kept as such, and entries covering nothing are dropped', () => {
    expect(encryptionOf([['unreadable']])).to.deep.equal({ read: false, groups: [] });
    expect(encryptionOf([['read'], ['resources'], ['resources'], ['provider', 'identity'], ['resources'], ['resource', 'secrets'], ['provider', 'secretbox']])).to.deep.equal({ read: true, groups: [{ resources: ['secrets'], providers: ['secretbox'] }] });
  });

  it('GIVEN the script THEN it reads the file only for the API server and prints it only through the structure filter', () => {
    // The file's only reader is the filter: "$ef" is tested for being readable and set, then given to awk.
    expect(COLLECT_SCRIPT).to.include(`'${ENCRYPTION_STRUCTURE_AWK}' "$ef"`);
    expect(COLLECT_SCRIPT.match(/\$ef\b/g)?.length).to.equal(3);
    expect(ENCRYPTION_STRUCTURE_AWK).to.not.include("'");
  });
});
