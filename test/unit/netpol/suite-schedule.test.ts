import { expect } from 'chai';
import { generatedCases, type GeneratedCase } from '../../../src/netpol/generator.js';
import { SCENARIOS } from '../../../src/netpol/scenarios.js';
import { estimatedCaseSeconds, suiteJobs } from '../../../src/netpol/suite-schedule.js';

const DEFAULT_CASES = generatedCases('default', { sctp: false });
const byAction = (action: string): GeneratedCase => {
  const found = DEFAULT_CASES.find((c) => c.dimensions.action === action);
  if (found === undefined) throw new Error(`no default case with action ${action}`);
  return found;
};

describe('netpol suite schedule', () => {
  it('GIVEN cases that re-create a pod or relabel a namespace THEN they are estimated dearer than a one-step create', () => {
    const create = estimatedCaseSeconds(byAction('create-policy'));
    expect(estimatedCaseSeconds(byAction('delete-pod'))).to.be.greaterThan(estimatedCaseSeconds(byAction('create-pod')));
    expect(estimatedCaseSeconds(byAction('create-pod'))).to.be.greaterThan(create);
    expect(estimatedCaseSeconds(byAction('relabel-namespace'))).to.be.greaterThan(create);
    expect(estimatedCaseSeconds(byAction('update-policy'))).to.be.greaterThan(create);
  });

  it('GIVEN the scenarios and the default cases THEN the scenarios come first in declaration order, then every case once, dearest first', () => {
    const jobs = suiteJobs(SCENARIOS, DEFAULT_CASES);
    expect(jobs.slice(0, SCENARIOS.length).map((j) => j.id)).to.deep.equal(SCENARIOS.map((s) => s.id));
    const cases = jobs.slice(SCENARIOS.length);
    expect(cases.map((j) => j.id).sort()).to.deep.equal(DEFAULT_CASES.map((c) => c.id).sort());
    const costs = cases.map((j) => (j.kind === 'case' ? estimatedCaseSeconds(j.generated) : Number.NaN));
    expect(costs).to.deep.equal([...costs].sort((a, b) => b - a));
    const firstTwo = cases.slice(0, 2).map((j) => (j.kind === 'case' ? j.generated.dimensions.action : j.kind));
    expect(firstTwo.sort()).to.deep.equal(['delete-pod', 'relabel-namespace']);
  });

  it('GIVEN a small lane THEN only generated cases fit it; a full lab fits every job', () => {
    const jobs = suiteJobs(SCENARIOS, DEFAULT_CASES);
    expect(jobs.filter((j) => j.fits({ full: false })).every((j) => j.kind === 'case')).to.equal(true);
    expect(jobs.filter((j) => j.fits({ full: false })).length).to.equal(DEFAULT_CASES.length);
    expect(jobs.every((j) => j.fits({ full: true }))).to.equal(true);
  });
});
