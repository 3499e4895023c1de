import { expect } from 'chai';
import type { V1VolumeNodeAffinity } from '@kubernetes/client-node';
import { describeAffinity, nodeMatchesVolumeAffinity, termMatches, volumeZones, zoneOfNode } from '../../../src/storage/affinity.js';

const node = { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'eu-west-1a', cores: '8' } };
const affinity = (...terms: Array<Array<{ key: string; operator: string; values?: string[] }>>): V1VolumeNodeAffinity => ({
  required: { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) },
});

describe('storage: volume node affinity', () => {
  it('GIVEN a local-path volume pinned to the node THEN the node matches and the reason says where', () => {
    const v = nodeMatchesVolumeAffinity(affinity([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }]), node);
    expect(v).to.deep.equal({ matches: true, reason: "node n1 (zone eu-west-1a) satisfies the volume's affinity kubernetes.io/hostname In [n1]" });
  });

  it('GIVEN an EBS volume in another zone THEN the node does not match', () => {
    const v = nodeMatchesVolumeAffinity(affinity([{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['eu-west-1b'] }]), { name: 'n1', labels: { 'topology.ebs.csi.aws.com/zone': 'eu-west-1a' } });
    expect(v.matches).to.equal(false);
    expect(v.reason).to.equal("node n1 does not satisfy the volume's affinity topology.ebs.csi.aws.com/zone In [eu-west-1b]");
  });

  it('GIVEN no affinity THEN every node matches', () => {
    expect(nodeMatchesVolumeAffinity(undefined, node).matches).to.equal(true);
    expect(nodeMatchesVolumeAffinity({}, node).reason).to.equal('the volume has no node affinity: every node can use it');
  });

  it('GIVEN several terms THEN they are ORed; expressions within a term are ANDed', () => {
    const wrongZone = [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1b'] }];
    const rightZoneWrongHost = [
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] },
      { key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] },
    ];
    const rightZone = [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] }];
    expect(nodeMatchesVolumeAffinity(affinity(wrongZone, rightZoneWrongHost), node).matches).to.equal(false);
    expect(nodeMatchesVolumeAffinity(affinity(wrongZone, rightZone), node).matches).to.equal(true);
  });

  it('GIVEN each operator THEN it evaluates like the scheduler', () => {
    const m = (key: string, operator: string, values?: string[]): boolean => termMatches({ matchExpressions: [{ key, operator, values }] }, node);
    expect(m('topology.kubernetes.io/zone', 'NotIn', ['eu-west-1b'])).to.equal(true);
    expect(m('topology.kubernetes.io/zone', 'NotIn', ['eu-west-1a'])).to.equal(false);
    expect(m('missing', 'NotIn', ['x'])).to.equal(true);
    expect(m('cores', 'Exists')).to.equal(true);
    expect(m('missing', 'Exists')).to.equal(false);
    expect(m('missing', 'DoesNotExist')).to.equal(true);
    expect(m('cores', 'Gt', ['4'])).to.equal(true);
    expect(m('cores', 'Lt', ['4'])).to.equal(false);
    expect(m('topology.kubernetes.io/zone', 'Gt', ['4'])).to.equal(false);
    expect(m('cores', 'Bogus', ['8'])).to.equal(false);
  });

  it('GIVEN an empty term THEN it matches nothing; matchFields match the node name', () => {
    expect(termMatches({}, node)).to.equal(false);
    expect(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, node)).to.equal(true);
    expect(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }, node)).to.equal(false);
  });

  it('GIVEN zone requirements THEN volumeZones lists them and the description reads as a selector', () => {
    const a = affinity([{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['eu-west-1a'] }], [{ key: 'failure-domain.beta.kubernetes.io/zone', operator: 'In', values: ['eu-west-1b'] }]);
    expect(volumeZones(a)).to.deep.equal(['eu-west-1a', 'eu-west-1b']);
    expect(describeAffinity(a)).to.equal('topology.ebs.csi.aws.com/zone In [eu-west-1a] or failure-domain.beta.kubernetes.io/zone In [eu-west-1b]');
    expect(volumeZones(affinity([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }]))).to.deep.equal([]);
  });

  it('GIVEN only the deprecated zone label THEN zoneOfNode still finds it', () => {
    expect(zoneOfNode({ 'failure-domain.beta.kubernetes.io/zone': 'z' })).to.equal('z');
    expect(zoneOfNode({})).to.equal(undefined);
  });
});
