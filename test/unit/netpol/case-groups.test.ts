import { expect } from 'chai';
import { formatGroupedFailures, groupFailures, type CaseOutcome } from '../../../src/netpol/case-groups.js';
import type { CaseDimensions } from '../../../src/netpol/generator.js';

const dims = (d: Partial<CaseDimensions>): CaseDimensions => ({
  target: 'pod', peer: 'pod-selector', port: 'numbered', protocol: 'TCP', direction: 'ingress', action: 'create-policy', ...d,
});
const outcome = (id: string, d: Partial<CaseDimensions>, failed: boolean): CaseOutcome => ({ id, dimensions: dims(d), failed });

describe('netpol generated cases: failures grouped by what they have in common', () => {
  it('GIVEN every unresolvable named-port case failing and nothing else THEN one group names that family, not its two port kinds', () => {
    const grouped = groupFailures([
      outcome('u1', { port: 'named-unserved' }, true),
      outcome('u2', { port: 'named-unserved', direction: 'egress' }, true),
      outcome('w1', { port: 'named-wrong-protocol' }, true),
      outcome('w2', { port: 'named-wrong-protocol', direction: 'egress', protocol: 'UDP' }, true),
      outcome('n1', { port: 'named-served' }, false),
      outcome('p1', {}, false),
    ]);
    expect(grouped.groups).to.have.length(1);
    expect(grouped.groups[0]?.trait.key).to.equal('port=unresolvable-named');
    expect(grouped.groups[0]?.cases).to.have.members(['u1', 'u2', 'w1', 'w2']);
    expect(grouped.other).to.deep.equal([]);
    expect(formatGroupedFailures(grouped)).to.contain('4 of 6 generated cases differ').and.contain('every case with a named port that resolves on no destination pod').and.contain('(4 of 4)');
  });

  it('GIVEN a trait only some of whose cases failed THEN it is no group, and its failures are listed as other', () => {
    const grouped = groupFailures([
      outcome('a', { peer: 'ip-block' }, true),
      outcome('b', { peer: 'ip-block', direction: 'egress' }, false),
      outcome('c', { peer: 'any-peer' }, false),
    ]);
    expect(grouped.groups).to.deep.equal([]);
    expect(grouped.other).to.deep.equal(['a']);
    expect(formatGroupedFailures(grouped)).to.contain('failing cases with nothing in common (1): a');
  });

  it('GIVEN two unrelated complete traits THEN both groups are reported, larger first, and leftovers separately', () => {
    const grouped = groupFailures([
      outcome('r1', { action: 'relabel-pod' }, true),
      outcome('r2', { action: 'relabel-pod', direction: 'egress' }, true),
      outcome('i1', { peer: 'ip-block-except', action: 'update-policy' }, true),
      outcome('i2', { peer: 'ip-block-except', direction: 'both', action: 'delete-policy' }, true),
      outcome('i3', { peer: 'ip-block-except', target: 'all', action: 'delete-pod' }, true),
      outcome('x', { target: 'namespace', action: 'create-pod' }, true),
      outcome('ok1', {}, false),
      outcome('ok2', { direction: 'egress' }, false),
    ]);
    expect(grouped.groups.map((g) => g.cases.length)).to.deep.equal([3, 2]);
    expect(grouped.groups[0]?.trait.key).to.equal('peer=ip-block-except');
    expect(grouped.groups[1]?.trait.key).to.equal('action=relabel-pod');
    expect(grouped.other).to.deep.equal(['x']);
  });

  it('GIVEN a trait with a single case THEN one failure is not called "every case with" it', () => {
    const grouped = groupFailures([outcome('only', { action: 'create-pod' }, true), outcome('ok', {}, false)]);
    expect(grouped.groups).to.deep.equal([]);
    expect(grouped.other).to.deep.equal(['only']);
  });
});

describe('netpol generated cases: failures explained by two traits at once', () => {
  it('GIVEN unresolvable named ports failing only where the rule names peers THEN the group is that pair, not "other"', () => {
    const grouped = groupFailures([
      outcome('peers-1', { port: 'named-unserved', peer: 'namespace-selector', direction: 'egress' }, true),
      outcome('peers-2', { port: 'named-wrong-protocol', peer: 'pod-and-namespace-selector' }, true),
      outcome('any-1', { port: 'named-unserved', peer: 'any-peer' }, false),
      outcome('any-2', { port: 'named-wrong-protocol', peer: 'any-peer', protocol: 'UDP' }, false),
      outcome('served', { port: 'named-served', peer: 'namespace-selector' }, false),
    ]);
    expect(grouped.groups.map((g) => g.trait.key)).to.deep.equal(['port=unresolvable-named+peer=named']);
    expect(formatGroupedFailures(grouped)).to.contain('every case with a named port that resolves on no destination pod').and.contain('and a rule that names its peers').and.contain('(2 of 2)');
  });
});
