import { expect } from 'chai';
import type { V1Namespace } from '@kubernetes/client-node';
import type { ApiRequest, ApiSend, GetOutcome } from '../../../src/cis/node-get.js';
import { warningTexts } from '../../../src/cis/node-get.js';
import { evaluateNamespace, parseViolationWarnings, relabelPlan, violatorFindings } from '../../../src/cis/pss-violators.js';

const ns = (name: string, labels: Record<string, string> = {}): V1Namespace => ({ metadata: { name, labels } });
const enforce = 'pod-security.kubernetes.io/enforce';

/** A fake API server: records what is sent, answers with the given outcome. */
function fakeSend(outcome: GetOutcome): { send: ApiSend; sent: ApiRequest[] } {
  const sent: ApiRequest[] = [];
  return { sent, send: async (request) => (sent.push(request), outcome) };
}

describe('cis: Pod Security violators by dry-run relabel', () => {
  it('GIVEN the enforced level THEN the relabel asks admission to evaluate at that level, spelled as another equal version', () => {
    expect(relabelPlan(ns('a', { [enforce]: 'restricted' }), 36)).to.deep.equal({ namespace: 'a', enforced: 'restricted', level: 'restricted', version: 'v1.36' });
    expect(relabelPlan(ns('b', { [enforce]: 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.30' }), 36)).to.deep.include({ level: 'baseline', version: 'latest' });
    expect(relabelPlan(ns('c'), 36)).to.deep.include({ enforced: 'none', level: 'restricted', version: 'latest' });
    expect(relabelPlan(ns('d', { [enforce]: 'bogus' }), 36)).to.deep.include({ enforced: 'none', level: 'restricted' });
    expect(relabelPlan(ns('e', { [enforce]: 'privileged' }), 36)).to.have.property('skip').that.match(/privileged by decision/);
  });

  it("GIVEN Pod Security's warnings THEN each names a pod (and how many others share its violations); the rest are notes", () => {
    const parsed = parseViolationWarnings([
      'existing pods in namespace "web" violate the new PodSecurity enforce level "restricted:latest"',
      'new PodSecurity enforce level only checked against the first 3000 of 4000 existing pods',
      'init-priv: privileged (container "setup" must not set securityContext.privileged=true)',
      'web-7d9 (and 2 other pods): allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false)',
      'debug (and 1 other pod): privileged (ephemeral container "shell" must not set securityContext.privileged=true)',
    ]);
    expect(parsed.violators.map((v) => [v.pod, v.others])).to.deep.equal([['init-priv', 0], ['web-7d9', 2], ['debug', 1]]);
    expect(parsed.notes).to.deep.equal(['new PodSecurity enforce level only checked against the first 3000 of 4000 existing pods']);
  });

  it('GIVEN Warning headers THEN their quoted texts are read one per header, escapes undone', () => {
    expect(warningTexts(['Content-Type', 'application/json', 'Warning', '299 - "a: x \\"quoted\\", y"', 'warning', '299 - "b"'])).to.deep.equal(['a: x "quoted", y', 'b']);
  });

  it('GIVEN a namespace THEN it is PATCHed with dryRun=All as a merge patch of its two labels, and the warnings become violators', async () => {
    const { send, sent } = fakeSend({ kind: 'answered', status: 200, body: '{}', warnings: ['p: hostPID=true'] });
    const result = await evaluateNamespace(send, relabelPlan(ns('web', { [enforce]: 'restricted' }), 36), 1000);
    expect(sent).to.deep.equal([
      { method: 'PATCH', path: '/api/v1/namespaces/web?dryRun=All', body: { contentType: 'application/merge-patch+json', data: { metadata: { labels: { [enforce]: 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.36' } } } } },
    ]);
    expect(result).to.deep.equal({ namespace: 'web', enforced: 'restricted', outcome: 'evaluated', evaluatedAt: 'restricted:v1.36', violators: [{ pod: 'p', others: 0, violation: 'hostPID=true' }], notes: [] });
  });

  it('GIVEN a privileged namespace THEN nothing is sent; GIVEN a refusal or no answer THEN the namespace is failed with the reason', async () => {
    const quiet = fakeSend({ kind: 'answered', status: 200, body: '{}' });
    expect(await evaluateNamespace(quiet.send, relabelPlan(ns('kube-system', { [enforce]: 'privileged' }), 36), 1000)).to.deep.include({ outcome: 'not-evaluated' });
    expect(quiet.sent).to.deep.equal([]);
    const refused = await evaluateNamespace(fakeSend({ kind: 'answered', status: 403, body: '{"message":"namespaces \\"web\\" is forbidden"}' }).send, relabelPlan(ns('web'), 36), 1000);
    expect(refused).to.deep.include({ outcome: 'failed', reason: 'the dry-run relabel was refused (403): namespaces "web" is forbidden' });
    const timeout = await evaluateNamespace(fakeSend({ kind: 'timeout', ms: 20_000 }).send, relabelPlan(ns('web'), 36), 20_000);
    expect(timeout.reason).to.match(/did not answer within 20s/);
    expect(violatorFindings({ kind: 'Namespace', name: 'web', data: refused })[0]?.because).to.match(/could not be evaluated/);
  });

  it('GIVEN violators THEN a namespace enforcing the level fails them and one enforcing nothing warns', () => {
    const violators = [{ pod: 'p', others: 1, violation: 'hostPID=true' }];
    const enforced = violatorFindings({ kind: 'Namespace', name: 'a', data: { namespace: 'a', enforced: 'baseline', outcome: 'evaluated', evaluatedAt: 'baseline:v1.36', violators, notes: [] } });
    expect(enforced).to.deep.equal([{ field: 'pod p (and 1 other pod)', seen: 'hostPID=true', expected: 'admitted at baseline:v1.36', severity: 'fail', because: 'pod p (and 1 other pod) runs against the baseline level its namespace enforces: hostPID=true' }]);
    const none = violatorFindings({ kind: 'Namespace', name: 'b', data: { namespace: 'b', enforced: 'none', outcome: 'evaluated', evaluatedAt: 'restricted:latest', violators, notes: [] } });
    expect(none[0]).to.deep.include({ severity: 'warn', because: 'pod p (and 1 other pod) would be refused if the namespace enforced restricted: hostPID=true' });
  });
});
