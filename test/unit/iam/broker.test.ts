// iam/role-annotation-scoping without a cluster: the broker probe script run by a real shell
// against a fake `nc` answering as kube2iam would, its parser, the verdict for a safe broker and
// for each faulty setting (restrictions off, default role, unanchored pattern), kiam's way of
// refusing, the DaemonSet detection and the iam.intendedRoles audit.
import { expect } from 'chai';
import type { V1DaemonSet } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BROKER_CASES, brokerProbeScript, brokerVerdict, intendedRoleAudit, OTHER_ROLE, parseBrokerProbe, PERMITTED_ROLE, sameRole, TRAP_ROLE,
  type BrokerCaseResult, type BrokerObservation, type BrokerVerdict,
} from '../../../src/iam/broker.js';
import { brokerDaemonSets } from '../../../src/iam/broker-probe.js';
import type { ImdsStatus } from '../../../src/iam/imds.js';

const SECRET = 'fake/broker/secret-0123456789';
const SESSION = 'fake-broker-session-token';

// A fake nc answering as kube2iam does for a pod annotated $ROLE.
const FAKE_NC = `#!/bin/sh
line=$(head -1 | tr -d '\\r'); path=$(printf '%s' "$line" | cut -d' ' -f2)
P=/latest/meta-data/iam/security-credentials/
reply() { printf 'HTTP/1.1 %s\\r\\nContent-Type: text/plain\\r\\n\\r\\n%s' "$1" "$2"; }
case $path in
  $P) reply "200 OK" "$ROLE" ;;
  $P$ROLE) reply "200 OK" '{"AccessKeyId":"ASIAKASSAYBROKER0ABC","Code":"Success","SecretAccessKey":"${SECRET}","Token":"${SESSION}","Type":"AWS-HMAC"}' ;;
  *) reply "403 Forbidden" "Invalid role \${path#$P}" ;;
esac
`;

type Answer = { list: ImdsStatus; role?: string; creds?: ImdsStatus; ask?: ImdsStatus };

function observation(a: Answer): BrokerObservation {
  const gave = (s: ImdsStatus | undefined): boolean => s === 200;
  return {
    listing: { list: a.list, ...(a.role === undefined ? {} : { role: a.role }), ...(a.creds === undefined ? {} : { creds: a.creds, accessKey: gave(a.creds) ? 'ASIA…ABC' : undefined }), secretSeen: gave(a.creds) },
    ...(a.ask === undefined ? {} : { ask: { status: a.ask, secretSeen: gave(a.ask) } }),
  } as BrokerObservation;
}

/** A safe kube2iam, with `changes` per pod. */
function results(changes: Partial<Record<BrokerCaseResult['case']['pod'], Answer>> = {}): BrokerCaseResult[] {
  const safe: Record<BrokerCaseResult['case']['pod'], Answer> = {
    'permitted': { list: 200, role: PERMITTED_ROLE, creds: 200, ask: 403 },
    'not-permitted': { list: 404 },
    'unanchored-trap': { list: 404 },
    'unannotated': { list: 404 },
    'no-allow-list': { list: 404 },
  };
  return BROKER_CASES.map((c) => ({ case: c, namespace: c.namespace === 'allow-list' ? 'ns-allow' : 'ns-bare', observation: observation(changes[c.pod] ?? safe[c.pod]) }));
}

function verdictOf(r: BrokerCaseResult[], daemonSets: string[] = [], defaultRole?: string): BrokerVerdict {
  const v = brokerVerdict(r, daemonSets, defaultRole === undefined ? {} : { defaultRole });
  if (v.kind === 'skip') return expect.fail(`unexpected skip: ${v.reason}`);
  return v;
}

describe('iam: role-annotation scoping (kube2iam/kiam)', () => {
  it('GIVEN a kube2iam-like reply THEN the script prints the role, the masked key and the 403 of the other role, never a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ka-iam-broker-'));
    try {
      writeFileSync(join(dir, 'nc'), FAKE_NC);
      chmodSync(join(dir, 'nc'), 0o755);
      const out = execFileSync('sh', ['-c', brokerProbeScript(OTHER_ROLE)], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, ROLE: PERMITTED_ROLE }, encoding: 'utf8' });
      expect(out).not.to.contain(SECRET).and.not.to.contain(SESSION).and.not.to.contain('ASIAKASSAYBROKER0ABC');
      expect(parseBrokerProbe(out)).to.deep.equal({
        listing: { list: 200, role: PERMITTED_ROLE, creds: 200, accessKey: 'ASIA…ABC', secretSeen: true },
        ask: { status: 403, secretSeen: false },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a role name that is not one THEN no script is built', () => {
    expect(() => brokerProbeScript('a b; rm -rf /')).to.throw(/not a role name/);
  });

  it('GIVEN a safe broker THEN no finding, no warning, and the table says what each pod got', () => {
    const v = verdictOf(results());
    expect([v.findings, v.warnings, v.probeFailures]).to.deep.equal([[], [], []]);
    expect(v.rows.map((r) => [r[0], r[7], r[8]])).to.deep.equal([
      ['permitted', PERMITTED_ROLE, 'ok'], [`permitted (asks for ${OTHER_ROLE})`, '-', 'ok'], ['not-permitted', '-', 'ok'],
      ['unanchored-trap', '-', 'ok'], ['unannotated', '-', 'ok'], ['no-allow-list', '-', 'ok'],
    ]);
    expect(v.rows[0]?.[6]).to.equal('200 ASIA…ABC');
  });

  it('GIVEN the metadata service answering annotated and unannotated pods alike and no broker DaemonSet THEN skipped with the reason', () => {
    const node = { list: 200, role: 'node-role', creds: 401 } as const;
    const v = brokerVerdict(results({ 'permitted': node, 'not-permitted': node, 'unanchored-trap': node, 'unannotated': node, 'no-allow-list': node }), [], {});
    expect(v.kind).to.equal('skip');
    expect(v.kind === 'skip' ? v.reason : '').to.match(/^no kube2iam or kiam broker: .*answered an annotated and an unannotated probe pod alike \(listing 200 node-role\)/);
  });

  it('GIVEN a kube2iam DaemonSet but answers alike THEN a finding: pod traffic does not reach it', () => {
    const node = { list: 200, role: 'node-role', creds: 200 } as const;
    const v = verdictOf(results({ 'permitted': node, 'unannotated': node }), ['DaemonSet kube-system/kube2iam (jtblin/kube2iam:0.11.2)']);
    expect(v.findings[0]).to.match(/kube2iam .* runs, but the metadata service answered .* alike .*does not reach the broker/);
  });

  it('GIVEN restrictions off THEN one finding naming it, with the ignored allow-list as its consequence', () => {
    const v = verdictOf(results({
      'not-permitted': { list: 200, role: OTHER_ROLE, creds: 200 },
      'unanchored-trap': { list: 200, role: TRAP_ROLE, creds: 200 },
      'no-allow-list': { list: 200, role: PERMITTED_ROLE, creds: 200 },
    }));
    expect(v.findings).to.have.length(1);
    expect(v.findings[0]).to.match(/^namespace restrictions are off: pod no-allow-list in namespace ns-bare, which has no allow-list annotation, got kassay-probe-app, and namespace ns-allow's allow-list .* ignored too: pod not-permitted got kassay-probe-other, pod unanchored-trap got kassay-probe-app-admin$/);
    expect(v.marks.filter((m) => m[8] === 'bad')).to.have.length(3);
  });

  it('GIVEN a default role for unannotated pods THEN a finding naming it, or a warning when iam.defaultRole declares it', () => {
    const withDefault = results({ unannotated: { list: 200, role: 'kassay-default-role', creds: 200 } });
    const v = verdictOf(withDefault);
    expect(v.findings).to.deep.equal(['an unannotated pod got the default role kassay-default-role: every pod without a role annotation in any namespace gets it']);
    expect(v.defaultRoleSeen).to.equal('kassay-default-role');
    const declared = verdictOf(withDefault, [], 'kassay-default-role');
    expect(declared.findings).to.deep.equal([]);
    expect(declared.warnings).to.deep.equal(['pods without a role annotation get the default role kassay-default-role (iam.defaultRole)']);
  });

  it('GIVEN an unanchored pattern THEN the trap is named: "app" admits "app-admin"', () => {
    const v = verdictOf(results({ 'unanchored-trap': { list: 200, role: TRAP_ROLE, creds: 200 } }));
    expect(v.findings).to.have.length(1);
    expect(v.findings[0]).to.match(/allow-list pattern "kassay-probe-app" of namespace ns-allow let kassay-probe-app-admin through: the broker matches it unanchored/);
  });

  it('GIVEN an allow-list not enforced (but restrictions on) THEN the not-permitted role is the finding', () => {
    const v = verdictOf(results({ 'not-permitted': { list: 200, role: OTHER_ROLE, creds: 200 }, 'unanchored-trap': { list: 200, role: TRAP_ROLE, creds: 200 } }));
    expect(v.findings).to.deep.equal(['namespace ns-allow permits only kassay-probe-app, yet pod not-permitted got kassay-probe-other: the allow-list is not enforced']);
  });

  it('GIVEN kiam (the listing names the annotated role, its credentials are refused with 500) THEN refused, no finding', () => {
    const kiam = { list: 200, creds: 500 } as const;
    const v = verdictOf(results({
      'not-permitted': { ...kiam, role: OTHER_ROLE }, 'unanchored-trap': { ...kiam, role: TRAP_ROLE }, 'no-allow-list': { ...kiam, role: PERMITTED_ROLE },
      'permitted': { list: 200, role: PERMITTED_ROLE, creds: 200, ask: 500 },
    }));
    expect(v.findings).to.deep.equal([]);
    expect(v.rows.find((r) => r[0] === 'not-permitted')?.slice(5, 8)).to.deep.equal([`200 ${OTHER_ROLE}`, '500', '-']);
  });

  it('GIVEN a pod getting another role by asking, the wrong role, or no credentials for its own THEN findings, or a warning for the last', () => {
    expect(verdictOf(results({ permitted: { list: 200, role: PERMITTED_ROLE, creds: 200, ask: 200 } })).findings)
      .to.deep.equal([`pod permitted (annotated ${PERMITTED_ROLE}) obtained the credentials of ${OTHER_ROLE} just by asking for them`]);
    expect(verdictOf(results({ permitted: { list: 200, role: 'something-else', creds: 200 } })).findings[0]).to.match(/got something-else instead of exactly kassay-probe-app/);
    const sts = verdictOf(results({ permitted: { list: 200, role: PERMITTED_ROLE, creds: 500, ask: 403 } }));
    expect(sts.findings).to.deep.equal([]);
    expect(sts.warnings[0]).to.match(/named kassay-probe-app for pod permitted but answered its credentials with 500/);
  });

  it('GIVEN a broker and a probe pod that got no answer THEN a probe failure, never a refusal', () => {
    const v = verdictOf(results({ 'no-allow-list': { list: 'no-reply' } }));
    expect(v.probeFailures).to.deep.equal(['probe pod ns-bare/no-allow-list: no reply in 3s from /latest/meta-data/iam/security-credentials/']);
  });

  it('GIVEN DaemonSets THEN those named, labelled or imaged kube2iam or kiam are the brokers', () => {
    const ds = (name: string, image: string, labels: Record<string, string> = {}): V1DaemonSet => ({
      metadata: { name, namespace: 'kube-system', labels }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image }] } } },
    });
    expect(brokerDaemonSets([ds('kube2iam', 'x/y:1'), ds('agent', 'quay.io/uswitch/kiam:v4'), ds('iam', 'z', { app: 'kiam-agent' }), ds('kube-proxy', 'k8s/kube-proxy')]))
      .to.deep.equal(['DaemonSet kube-system/kube2iam (x/y:1)', 'DaemonSet kube-system/agent (quay.io/uswitch/kiam:v4)', 'DaemonSet kube-system/iam (z)']);
  });

  it('GIVEN iam.intendedRoles THEN a pod asking for, or defaulted to, a role outside its namespace\'s list is a finding; ARNs and names compare by name', () => {
    const pods = [
      { namespace: 'payments', name: 'api', role: 'arn:aws:iam::111122223333:role/payments-app' },
      { namespace: 'payments', name: 'batch', role: 'payments-admin' },
      { namespace: 'payments', name: 'web' },
      { namespace: 'other', name: 'x', role: 'anything' },
    ];
    const audit = intendedRoleAudit(pods, { payments: ['payments-app'] }, 'kassay-default-role');
    expect(audit.rows.map((r) => [r[1], r[2], r[3], r[5]])).to.deep.equal([
      ['api', 'arn:aws:iam::111122223333:role/payments-app', 'annotation', 'ok'], ['batch', 'payments-admin', 'annotation', 'FINDING'], ['web', 'kassay-default-role', 'default role', 'FINDING'],
    ]);
    expect(audit.findings).to.deep.equal([
      'pod payments/batch asks for payments-admin, which is not among iam.intendedRoles.payments (payments-app)',
      'pod payments/web gets the default role kassay-default-role, which is not among iam.intendedRoles.payments (payments-app)',
    ]);
    expect(sameRole('a', 'arn:aws:iam::1:role/path/a')).to.equal(true);
    expect(sameRole('a', 'b')).to.equal(false);
  });
});
