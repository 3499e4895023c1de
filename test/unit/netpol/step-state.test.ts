import { expect } from 'chai';
import { stepStateChanges, stepTopology, splitPodId, hasStepStateChanges } from '../../../src/netpol/step-state.js';
import { findNamespace, findPod } from '../../../src/netpol/topology.js';
import { topologyWithIPs } from './fixture.js';

describe('netpol step state: labels and added pods between scenario steps', () => {
  const lab = topologyWithIPs({ namespaces: ['x', 'y'], pods: ['a', 'b'] });

  it('GIVEN pod and namespace labels for a step THEN its topology carries them on top of the lab labels', () => {
    const t = stepTopology(lab, { description: 's', policies: [], podLabels: { 'x/b': { role: 'peer' } }, namespaceLabels: { y: { team: 'peer' } } });
    expect(findPod(t, 'x/b')?.labels).to.include({ pod: 'b', role: 'peer' });
    expect(findPod(t, 'x/a')?.labels).to.not.have.property('role');
    expect(findNamespace(t, 'y')?.labels).to.include({ ns: 'y', team: 'peer' });
    expect(findPod(lab, 'x/b')?.labels).to.not.have.property('role');
  });

  it('GIVEN an added pod THEN it is modelled on its namespace\'s lab pods (ports) with its own name label, and gets its IP once known', () => {
    const step = { description: 's', policies: [], addedPods: { 'x/d': { labels: { role: 'peer' }, incarnation: 1 } } };
    const before = findPod(stepTopology(lab, step), 'x/d');
    expect(before?.labels).to.include({ pod: 'd', role: 'peer' });
    expect(before?.ports).to.deep.equal(findPod(lab, 'x/a')?.ports);
    expect(before?.ip).to.equal(undefined);
    expect(findPod(stepTopology(lab, step, new Map([['x/d', '10.0.1.9']])), 'x/d')?.ip).to.equal('10.0.1.9');
  });

  it('GIVEN a step naming pods or namespaces the lab lacks THEN it is refused with the name', () => {
    expect(() => stepTopology(lab, { description: 's', policies: [], podLabels: { 'z/a': { role: 'peer' } } })).to.throw(/z\/a/);
    expect(() => stepTopology(lab, { description: 's', policies: [], namespaceLabels: { z: { team: 'peer' } } })).to.throw(/namespace z/);
    expect(() => stepTopology(lab, { description: 's', policies: [], addedPods: { 'x/a': { incarnation: 1 } } })).to.throw(/already has/);
    expect(() => splitPodId('x')).to.throw(/namespace\/pod/);
  });

  it('GIVEN a label set, then changed, then gone THEN the patches set, change and remove (null) exactly those keys', () => {
    const one = { podLabels: { 'x/b': { role: 'peer' } } };
    const two = { podLabels: { 'x/b': { role: 'other', tier: 'x' } } };
    expect(Object.fromEntries(stepStateChanges(undefined, one).pods)).to.deep.equal({ 'x/b': { role: 'peer' } });
    expect(Object.fromEntries(stepStateChanges(one, two).pods)).to.deep.equal({ 'x/b': { role: 'other', tier: 'x' } });
    expect(Object.fromEntries(stepStateChanges(two, undefined).pods)).to.deep.equal({ 'x/b': { role: null, tier: null } });
    expect(hasStepStateChanges(stepStateChanges(one, { ...one }))).to.equal(false);
  });

  it('GIVEN added pods THEN a new one is created, a gone one deleted, and a new incarnation deleted and created again', () => {
    const first = { addedPods: { 'x/d': { incarnation: 1 } } };
    const again = { addedPods: { 'x/d': { incarnation: 2 } } };
    const create = stepStateChanges(undefined, first);
    expect(create.createPods.map((c) => c.id)).to.deep.equal(['x/d']);
    expect(create.deletePods).to.deep.equal([]);
    const recreate = stepStateChanges(first, again);
    expect(recreate.deletePods).to.deep.equal(['x/d']);
    expect(recreate.createPods.map((c) => c.id)).to.deep.equal(['x/d']);
    const keep = stepStateChanges(first, { ...first });
    expect(hasStepStateChanges(keep)).to.equal(false);
    const gone = stepStateChanges(again, undefined);
    expect(gone.deletePods).to.deep.equal(['x/d']);
    expect(gone.createPods).to.deep.equal([]);
  });
});
