import { expect } from 'chai';
import { collectorPod, parseCollectorLog, parseFlags } from '../../../src/cis/node-files.js';

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
});
