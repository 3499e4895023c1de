import { expect } from 'chai';
import { parseImageReference } from '../../../src/resources/images.js';
import { autoscalerContainer, clusterMinor, minorOfTag, parseFlags } from '../../../src/resources/autoscaler.js';

describe('resources: image references', () => {
  it('GIVEN references of every form THEN registry, tag, digest and pinning are read as the kubelet reads them', () => {
    const read = (r: string) => {
      const i = parseImageReference(r);
      return [i.registry, i.repository, i.tag ?? '-', i.digest ?? '-', i.pinning];
    };
    expect(read('nginx')).to.deep.equal(['docker.io', 'nginx', '-', '-', 'none']);
    expect(read('nginx:latest')).to.deep.equal(['docker.io', 'nginx', 'latest', '-', 'latest']);
    expect(read('library/nginx:1.27')).to.deep.equal(['docker.io', 'library/nginx', '1.27', '-', 'tag']);
    expect(read('localhost:5000/app')).to.deep.equal(['localhost:5000', 'app', '-', '-', 'none']);
    expect(read('kube-assay.local/probe:1.0')).to.deep.equal(['kube-assay.local', 'probe', '1.0', '-', 'tag']);
    expect(read('ghcr.io/o/app:1@sha256:abc')).to.deep.equal(['ghcr.io', 'o/app', '1', 'sha256:abc', 'digest']);
  });

  it('GIVEN ECR references THEN their region is read from the host, other hosts have none', () => {
    expect(parseImageReference('123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1').ecrRegion).to.equal('eu-west-1');
    expect(parseImageReference('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web:1').ecrRegion).to.equal('us-gov-west-1');
    expect(parseImageReference('public.ecr.aws/nginx/nginx:1').ecrRegion).to.equal(undefined);
  });
});

describe('resources: recognising the cluster autoscaler', () => {
  it('GIVEN a Deployment by image, by label or neither THEN the autoscaler container is found only for the first two', () => {
    const byImage = autoscalerContainer({ metadata: { name: 'ca' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'main', image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.0' }] } } } });
    expect(byImage?.name).to.equal('main');
    const byLabel = autoscalerContainer({ metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'aws-cluster-autoscaler' } }, spec: { selector: {}, template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:1' }, { name: 'stand-in', image: 'probe:1.0', command: ['sh', '-c', 'exec /agnhost pause', './cluster-autoscaler'] }] } } } });
    expect(byLabel?.name).to.equal('stand-in');
    expect(autoscalerContainer({ metadata: { name: 'coredns' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'coredns', image: 'coredns:1' }] } } } })).to.equal(undefined);
  });

  it('GIVEN flags, tags and /version minors THEN they are read', () => {
    expect(parseFlags(['./cluster-autoscaler', '--v=4', '--balance-similar-node-groups', '-expander=priority', 'positional'])).to.deep.equal({ v: '4', 'balance-similar-node-groups': 'true', expander: 'priority' });
    expect([minorOfTag('v1.30.2'), minorOfTag('1.36.0-eks'), minorOfTag('1.0'), minorOfTag('latest'), minorOfTag(undefined)]).to.deep.equal([30, 36, 0, undefined, undefined]);
    expect([clusterMinor('36'), clusterMinor('36+'), clusterMinor('')]).to.deep.equal([36, 36, undefined]);
  });
});
