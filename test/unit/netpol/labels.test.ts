import { expect } from 'chai';
import { describeSelector, selectorMatches, selectorProblems } from '../../../src/netpol/labels.js';
import { select, where } from '../../../src/netpol/policies.js';

describe('netpol label selectors', () => {
  const labels = { pod: 'a', tier: 'web' };

  it('GIVEN an empty selector THEN it matches any labels, even none', () => {
    expect(selectorMatches({}, labels)).to.equal(true);
    expect(selectorMatches({}, {})).to.equal(true);
  });

  it('GIVEN matchLabels THEN every pair must be present with the same value', () => {
    expect(selectorMatches(select.labels({ pod: 'a' }), labels)).to.equal(true);
    expect(selectorMatches(select.labels({ pod: 'a', tier: 'db' }), labels)).to.equal(false);
    expect(selectorMatches(select.labels({ zone: 'a' }), labels)).to.equal(false);
  });

  it('GIVEN In / NotIn THEN NotIn also matches when the key is missing, In does not', () => {
    expect(selectorMatches(select.expressions(where('pod', 'In', ['a', 'b'])), labels)).to.equal(true);
    expect(selectorMatches(select.expressions(where('pod', 'In', ['b'])), labels)).to.equal(false);
    expect(selectorMatches(select.expressions(where('zone', 'In', ['a'])), labels)).to.equal(false);
    expect(selectorMatches(select.expressions(where('pod', 'NotIn', ['a'])), labels)).to.equal(false);
    expect(selectorMatches(select.expressions(where('pod', 'NotIn', ['b'])), labels)).to.equal(true);
    expect(selectorMatches(select.expressions(where('zone', 'NotIn', ['a'])), labels)).to.equal(true);
  });

  it('GIVEN Exists / DoesNotExist THEN only the presence of the key counts', () => {
    expect(selectorMatches(select.expressions(where('tier', 'Exists')), labels)).to.equal(true);
    expect(selectorMatches(select.expressions(where('zone', 'Exists')), labels)).to.equal(false);
    expect(selectorMatches(select.expressions(where('zone', 'DoesNotExist')), labels)).to.equal(true);
    expect(selectorMatches(select.expressions(where('tier', 'DoesNotExist')), labels)).to.equal(false);
  });

  it('GIVEN an unknown operator THEN the requirement matches nothing and is reported', () => {
    const bad = { matchExpressions: [{ key: 'pod', operator: 'Like', values: ['a'] }] };
    expect(selectorMatches(bad, labels)).to.equal(false);
    expect(selectorProblems(bad)).to.deep.equal(['unknown selector operator "Like" on key "pod"']);
  });

  it('GIVEN In without values or Exists with values THEN both are reported as the API would reject them', () => {
    expect(selectorProblems(select.expressions({ key: 'pod', operator: 'In', values: [] }))).to.have.length(1);
    expect(selectorProblems(select.expressions({ key: 'pod', operator: 'Exists', values: ['a'] }))).to.have.length(1);
    expect(selectorProblems(select.expressions(where('pod', 'In', ['a'])))).to.deep.equal([]);
  });

  it('GIVEN selectors THEN describeSelector reads like kubectl label syntax', () => {
    expect(describeSelector({})).to.equal('all');
    expect(describeSelector({ matchLabels: { pod: 'a' }, matchExpressions: [where('tier', 'In', ['web', 'api']), where('legacy', 'DoesNotExist'), where('ns', 'Exists'), where('x', 'NotIn', ['y'])] }))
      .to.equal('pod=a,tier in (web,api),!legacy,ns,x notin (y)');
  });
});
