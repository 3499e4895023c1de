// The iam verdicts over observations, without a cluster: metadata (pass, fail naming node, way
// and role, skip only when nothing answers anywhere), kubelet, anonymous API, tenant requests,
// the rules review and the namespace and node selection.
import { expect } from 'chai';
import type { V1Namespace, V1Node } from '@kubernetes/client-node';
import { judgeAnonymous } from '../../../src/iam/anonymous.js';
import type { ImdsObservation } from '../../../src/iam/imds.js';
import { nodeCredentialsVerdict, tokensRequiredVerdict, type NodeImds } from '../../../src/iam/imds-verdicts.js';
import { isolationRequests, outcomeOf, rulesBeyondDiscovery } from '../../../src/iam/isolation.js';
import { judgeKubelet, parseReadOnlyProbe } from '../../../src/iam/kubelet.js';
import { auditedNamespaces } from '../../../src/iam/namespaces.js';
import { sampleNodes } from '../../../src/iam/nodes.js';

const creds = { list: 200, role: 'node-role', creds: 200, accessKey: 'ASIA…XYZ', secretSeen: true } as const;
const open: ImdsObservation = { v1: { ...creds }, token: 200, v2: { ...creds } };
const v2Only: ImdsObservation = { v1: { list: 401, secretSeen: false }, token: 200, v2: { ...creds } };
const hopLimited: ImdsObservation = { v1: { list: 401, secretSeen: false }, token: 'no-reply' };
const silent: ImdsObservation = { v1: { list: 'no-reply', secretSeen: false }, token: 'no-reply' };
const at = (node: string, observation: ImdsObservation, network: NodeImds['network'] = 'pod network'): NodeImds => ({ node, network, observation });

describe('iam: verdicts', () => {
  it('GIVEN IMDS open to pods THEN node-credentials fails naming the node, both ways, the role and the masked key', () => {
    expect(nodeCredentialsVerdict([at('n1', open), at('n2', hopLimited)], false)).to.deep.equal({
      kind: 'fail', message: "a tenant pod on the pod network obtained the node's cloud credentials from 169.254.169.254: node n1: IMDSv1 and IMDSv2 handed role node-role (ASIA…XYZ)",
    });
  });

  it('GIVEN only the host network gets credentials THEN node-credentials passes (that is imds-host-network\'s finding)', () => {
    expect(nodeCredentialsVerdict([at('n1', hopLimited), at('n1', open, 'host network')], true)).to.deep.equal({ kind: 'pass' });
  });

  it('GIVEN nothing answers anywhere THEN node-credentials skips with host probes and passes with a note without them', () => {
    expect(nodeCredentialsVerdict([at('n1', silent), at('n1', silent, 'host network')], true).kind).to.equal('skip');
    const verdict = nodeCredentialsVerdict([at('n1', silent)], false);
    expect(verdict.kind).to.equal('pass');
    expect(verdict.kind === 'pass' ? verdict.note : '').to.contain('iam.hostNetworkProbes');
  });

  it('GIVEN v1 open on the host network only THEN tokens-required fails naming it; v2-only passes; unreachable skips', () => {
    const failed = tokensRequiredVerdict([at('n1', hopLimited), at('n1', open, 'host network')], true);
    expect(failed).to.deep.equal({ kind: 'fail', message: 'IMDSv1 (no token) handed out credentials on node n1 (host network, role node-role)' });
    expect(tokensRequiredVerdict([at('n1', v2Only)], false)).to.deep.equal({ kind: 'pass' });
    expect(tokensRequiredVerdict([at('n1', silent)], false).kind).to.equal('skip');
  });

  it('GIVEN kubelet answers THEN 401/403/closed pass, 200s and an open read-only port fail, anonymous 403 warns, no answer is a probe failure', () => {
    expect(judgeKubelet('n', { anonymous: '401', token: '403', readOnlyPort: 'closed' })).to.deep.equal({ findings: [], warnings: [] });
    const bad = judgeKubelet('n', { anonymous: '200', token: '200', readOnlyPort: 'open' });
    expect(bad.findings.map((f) => f.problem.slice(0, 40))).to.have.length(3);
    expect(judgeKubelet('n', { anonymous: '403', token: '403', readOnlyPort: 'closed' }).warnings).to.have.length(1);
    expect(judgeKubelet('n', { anonymous: 'failed:ETIMEDOUT', token: '403', readOnlyPort: 'closed' }).probeFailed).to.contain('ETIMEDOUT');
    expect(parseReadOnlyProbe('readonly open\n')).to.equal('open');
    expect(parseReadOnlyProbe('')).to.equal('unknown');
  });

  it('GIVEN anonymous answers THEN a 200 on /api/v1/namespaces is named, version and health may answer, no answer is unanswered', () => {
    const v = judgeAnonymous([{ path: '/api', status: 403 }, { path: '/api/v1/namespaces', status: 200 }, { path: '/version', status: 200 }, { path: '/apis', status: 'ECONNRESET' }]);
    expect(v.answered.map((a) => a.path)).to.deep.equal(['/api/v1/namespaces']);
    expect(v.unanswered.map((a) => a.path)).to.deep.equal(['/apis']);
    expect(v.rows[2]).to.deep.equal(['/version', 'may answer', '200', 'answers (reported)']);
  });

  it('GIVEN tenant request statuses THEN 401/403 are refusals, 2xx/404/400 got past authorization, 5xx and errors are probe failures', () => {
    expect([401, 403, 200, 201, 404, 400, 500, 'ECONNREFUSED'].map(outcomeOf)).to.deep.equal(['refused', 'refused', 'allowed', 'allowed', 'allowed', 'allowed', 'probe failed', 'probe failed']);
    const plan = isolationRequests({ other: 'b', pod: 'p', secret: 's', configMap: 'c', image: 'img', audited: ['team-a'] });
    expect(plan.map((r) => `${r.method} ${r.path}`)).to.include.members(['GET /api/v1/secrets', 'POST /api/v1/namespaces/b/pods?dryRun=All', 'GET /api/v1/namespaces/team-a/secrets']);
  });

  it('GIVEN a rules review THEN the self reviews are discovery and anything else is beyond it', () => {
    const review = { spec: {}, status: { incomplete: false, nonResourceRules: [], resourceRules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] },
    ] } };
    expect(rulesBeyondDiscovery(review)).to.deep.equal(['get,list secrets']);
  });

  it('GIVEN namespaces THEN system, kube-assay\'s, terminating and excluded ones are not audited; named ones are, and absent ones are missing', () => {
    const ns = (name: string, labels?: Record<string, string>, deleting = false): V1Namespace => ({ metadata: { name, labels, ...(deleting ? { deletionTimestamp: new Date() } : {}) } });
    const all = [ns('kube-system'), ns('default'), ns('team-a'), ns('legacy-1'), ns('gone', {}, true), ns('ka-x', { 'app.kubernetes.io/managed-by': 'kube-assay', 'kube-assay.io/run-id': 'r' })];
    expect(auditedNamespaces(all, { namespaces: [], excludeNamespaces: ['legacy-*'] })).to.deep.equal({ audited: ['default', 'team-a'], missing: [] });
    expect(auditedNamespaces(all, { namespaces: ['team-a', 'nope'], excludeNamespaces: [] })).to.deep.equal({ audited: ['team-a'], missing: ['nope'] });
  });

  it('GIVEN 10 ready nodes and a sample of 3 THEN 3 nodes spread over the sorted list; not-ready nodes are left out', () => {
    const node = (name: string, ready = true): V1Node => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], addresses: [{ type: 'InternalIP', address: `10.0.0.${name.slice(1)}` }] } });
    const nodes = [...Array.from({ length: 10 }, (_, i) => node(`n${i}`)), node('n99', false)];
    expect(sampleNodes(nodes, 3).map((n) => n.name)).to.deep.equal(['n0', 'n3', 'n6']);
    expect(sampleNodes(nodes, 50)).to.have.length(10);
    expect(sampleNodes(nodes, 1)[0]).to.deep.equal({ name: 'n0', address: '10.0.0.0' });
  });
});
