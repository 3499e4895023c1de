// The quota check's reading of refusals, proven on Status bodies the API server returned (and two
// written in its format): a namespace whose quota admission is bypassed cannot be produced on the
// testbed, so this is where a wrong parse would show.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiException } from '@kubernetes/client-node';
import { apiStatusMessage, withContext } from '../../../src/cluster/api-errors.js';
import { packageRoot } from '../../../src/config/paths.js';
import { isExpectedExceeded, quotaComputed, quotaRefusalEvent } from '../../../src/resources/quota.js';
import { parseQuotaRefusal } from '../../../src/resources/quota-message.js';

interface Recorded {
  case: string;
  code?: number;
  body?: { message: string };
  event?: string;
  expect: unknown;
}

const recorded = (JSON.parse(readFileSync(join(packageRoot, 'test', 'unit', 'resources', 'recorded', 'quota-refusals.json'), 'utf8')) as { responses: Recorded[] }).responses;

describe('resources: quota refusals read from recorded API responses', () => {
  for (const r of recorded) {
    it(`GIVEN ${r.case} THEN the refusal reads as ${r.expect === null ? 'not a quota refusal' : (r.expect as { kind: string }).kind}`, () => {
      // The way the check meets it: an ApiException wrapped with the create's context.
      const message = r.body !== undefined ? apiStatusMessage(withContext('create pod ns/p', new ApiException(r.code ?? 403, 'Forbidden', JSON.stringify(r.body), {}))) : r.event;
      expect(message).to.be.a('string');
      expect(parseQuotaRefusal(message as string) ?? null).to.deep.equal(r.expect);
    });
  }

  it('GIVEN the recorded fifth-pod refusal THEN it is exactly what the check expects; another quota or amount is not', () => {
    const first = recorded[0] as Recorded;
    expect(isExpectedExceeded(parseQuotaRefusal(first.body?.message ?? ''))).to.equal(true);
    expect(isExpectedExceeded(parseQuotaRefusal((first.body?.message ?? '').replace('used: limits.cpu=2', 'used: limits.cpu=1500m')))).to.equal(false);
    expect(isExpectedExceeded(parseQuotaRefusal((first.body?.message ?? '').replace('compute', 'other')))).to.equal(false);
  });

  it('GIVEN the events of the namespace THEN the ReplicaSet FailedCreate quoting the quota is found, nothing else', () => {
    const event = (reason: string, kind: string, message: string) => ({ metadata: {}, involvedObject: { kind, name: 'x' }, reason, message });
    const quoted = recorded[2]?.event ?? '';
    expect(quotaRefusalEvent([event('Scheduled', 'Pod', 'assigned'), event('FailedCreate', 'ReplicaSet', 'Error creating: something else')])).to.equal(undefined);
    expect(quotaRefusalEvent([event('FailedCreate', 'ReplicaSet', quoted)])?.refusal.kind).to.equal('exceeded');
  });

  it('GIVEN a quota without status, then with it THEN it counts as computed only once hard and used are reported', () => {
    const spec = { hard: { 'limits.cpu': '2' } };
    expect(quotaComputed({ spec })).to.equal(false);
    expect(quotaComputed({ spec, status: { hard: { 'limits.cpu': '2' } } })).to.equal(false);
    expect(quotaComputed({ spec, status: { hard: { 'limits.cpu': '2' }, used: { 'limits.cpu': '0' } } })).to.equal(true);
  });
});
