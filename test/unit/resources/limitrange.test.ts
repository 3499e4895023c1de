import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { judgeLimitRangeCase, LIMIT_RANGE, LIMIT_RANGE_CASES } from '../../../src/resources/limitrange.js';

const caseNamed = (name: string) => LIMIT_RANGE_CASES.find((c) => c.name === name) as (typeof LIMIT_RANGE_CASES)[number];
const stored = (resources: object): V1Pod => ({ spec: { containers: [{ name: 'probe', resources }] } });

describe('resources: judging what a LimitRange made of a container', () => {
  it('GIVEN a container with neither THEN both defaults must be applied, in any unit', () => {
    const row = judgeLimitRangeCase(caseNamed('neither'), { admitted: true, pod: stored({ requests: { cpu: '0.1', memory: '32Mi' }, limits: LIMIT_RANGE.default }) });
    expect(row.ok, row.observed).to.equal(true);
  });

  it('GIVEN a LimitRanger that did nothing THEN the row is wrong and shows what was stored', () => {
    const row = judgeLimitRangeCase(caseNamed('neither'), { admitted: true, pod: stored({}) });
    expect(row).to.deep.include({ ok: false, observed: 'admitted with no requests or limits' });
  });

  it('GIVEN a request-only container that also got the default request THEN it is wrong (only the limit may be added)', () => {
    const row = judgeLimitRangeCase(caseNamed('request-only'), { admitted: true, pod: stored({ requests: LIMIT_RANGE.defaultRequest, limits: LIMIT_RANGE.default }) });
    expect(row.ok).to.equal(false);
  });

  it('GIVEN the max case refused with the LimitRange message THEN it is ok; admitted THEN wrong', () => {
    const message = 'pods "above-max" is forbidden: maximum cpu usage per Container is 1, but limit is 2';
    expect(judgeLimitRangeCase(caseNamed('above-max'), { admitted: false, status: 403, message }).ok).to.equal(true);
    expect(judgeLimitRangeCase(caseNamed('above-max'), { admitted: true, pod: stored({}) }).ok).to.equal(false);
    expect(judgeLimitRangeCase(caseNamed('below-min'), { admitted: false, status: 403, message: 'pods "below-min" is forbidden: minimum cpu usage per Container is 10m, but request is 5m' }).ok).to.equal(true);
  });
});
