import { expect } from 'chai';
import type { V1Node } from '@kubernetes/client-node';
import { detectPlatform } from '../../../src/cluster/platform.js';

const node = (providerID?: string, labels: Record<string, string> = {}): V1Node => ({ metadata: { name: 'n', labels }, spec: { providerID } });

describe('platform detection', () => {
  it('GIVEN a node with an aws:// provider ID THEN the platform is EKS', () => {
    expect(detectPlatform({ nodes: [node('aws:///eu-west-1a/i-0123')], server: 'https://x.eks.amazonaws.com', testbedServers: [] })).to.equal('eks');
  });

  it("GIVEN the testbed's node label or its API server address THEN the platform is testbed", () => {
    expect(detectPlatform({ nodes: [node(undefined, { 'kube-assay.io/testbed': 'true' })], server: 'https://10.0.0.1:6443', testbedServers: [] })).to.equal('testbed');
    expect(detectPlatform({ nodes: [node()], server: 'https://127.0.0.1:6443/', testbedServers: ['https://127.0.0.1:6443'] })).to.equal('testbed');
  });

  it('GIVEN anything else THEN the platform is generic', () => {
    expect(detectPlatform({ nodes: [node('gce://p/z/n')], server: 'https://k8s:6443', testbedServers: ['https://127.0.0.1:6443'] })).to.equal('generic');
    expect(detectPlatform({ nodes: [], server: 'https://k8s:6443', testbedServers: [] })).to.equal('generic');
  });
});
