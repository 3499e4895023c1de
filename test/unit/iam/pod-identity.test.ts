// iam/pod-identity end to end without a cluster: the request script a pod runs, executed by a real
// shell whose `nc` hands each request to the testbed's agent stand-in (its `answer`, with the
// API server's TokenReview replaced by a table), in the agent's safe and faulty modes; then the
// parser and the verdict. Credentials never appear in the script's output.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/config/paths.js';
import { agentAnswered, agentProbeScript, judgePodIdentity, parseAgentProbe, type PodIdentityPodSeen } from '../../../src/iam/pod-identity.js';

const AGENT = pathToFileURL(join(packageRoot, 'testbed', 'standins', 'pod-identity-agent.mjs')).href;
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (aud: string, sub: string): string => `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ aud: [aud], sub })}.c2ln`;
const ASSOCIATED_TOKEN = jwt('pods.eks.amazonaws.com', 'system:serviceaccount:team:app');
const OTHER_TOKEN = jwt('pods.eks.amazonaws.com', 'system:serviceaccount:check:unassociated');

// Reads one HTTP request from stdin and prints the stand-in agent's answer to it.
const AGENT_NC = `
import { readFileSync } from 'node:fs';
const { answer } = await import(process.env.AGENT);
const lines = readFileSync(0, 'utf8').split('\\r\\n');
const header = (n) => lines.find((l) => l.toLowerCase().startsWith(n + ':'))?.slice(n.length + 1).trim();
const accounts = { [process.env.ASSOCIATED_TOKEN]: { namespace: 'team', name: 'app' }, [process.env.OTHER_TOKEN]: { namespace: 'check', name: 'unassociated' } };
const a = await answer({ host: header('host'), token: header('authorization'), mode: process.env.AGENT_MODE,
  associations: [{ namespace: 'team', serviceAccount: 'app', roleArn: 'arn:aws:iam::111122223333:role/app' }], authenticate: async (t) => accounts[t] });
process.stdout.write('HTTP/1.1 ' + a.status + ' X\\r\\nContent-Type: text/plain\\r\\n\\r\\n' + a.body);
`;

describe('iam: Pod Identity agent requests, against the testbed stand-in', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-pod-identity-'));
    writeFileSync(join(dir, 'agent-nc.mjs'), AGENT_NC);
    writeFileSync(join(dir, 'nc'), `#!/bin/sh\n[ "$AGENT_MODE" = off ] && { echo "nc: can't connect: Connection refused" >&2; exit 1; }\nexec node ${join(dir, 'agent-nc.mjs')}\n`);
    chmodSync(join(dir, 'nc'), 0o755);
    writeFileSync(join(dir, 'associated-token'), `${ASSOCIATED_TOKEN}\n`);
    writeFileSync(join(dir, 'other-token'), OTHER_TOKEN);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function probe(mode: string, tokenFile: string): string {
    return execFileSync('sh', ['-c', agentProbeScript(join(dir, tokenFile))], {
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, AGENT: AGENT, AGENT_MODE: mode, ASSOCIATED_TOKEN, OTHER_TOKEN }, encoding: 'utf8',
    });
  }

  it('GIVEN the safe agent THEN the associated pod gets credentials (masked) and the other pod is refused with the agent\'s codes', () => {
    const mine = probe('safe', 'associated-token');
    const other = probe('safe', 'other-token');
    for (const out of [mine, other]) expect(out).not.to.contain('fake-pod-identity-secret').and.not.to.contain('session-token');
    expect(parseAgentProbe(mine)).to.deep.equal([
      { way: 'no token', status: 400, secretSeen: false },
      { way: 'own token', status: 200, secretSeen: true, accessKey: 'ASIA…QRS' },
      { way: 'wrong host', status: 403, secretSeen: false },
    ]);
    expect(parseAgentProbe(other).map((a) => a.status)).to.deep.equal([400, 404, 403]);
  });

  it('GIVEN the agent checking no token THEN every request of the other pod gets credentials, and the verdict names them', () => {
    const answers = parseAgentProbe(probe('no-token-check', 'other-token'));
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 403]);
    const associated = parseAgentProbe(probe('no-token-check', 'associated-token'));
    const verdict = judgePodIdentity([seen('team/app', associated, true)], seen('check/unassociated', answers, false));
    expect(verdict.problems.join('; ')).to.contain('answered a request without a token with credentials (ASIA…QRS)')
      .and.to.contain('with the token of pod unassociated-0 (ServiceAccount check/unassociated, no association)');
  });

  it('GIVEN no agent THEN nothing answered', () => {
    expect(agentAnswered(parseAgentProbe(probe('off', 'other-token')))).to.equal(false);
    expect(agentAnswered(parseAgentProbe(probe('safe', 'other-token')))).to.equal(true);
  });

  function seen(account: string, answers: PodIdentityPodSeen['answers'], injected: boolean): PodIdentityPodSeen {
    const env: Record<string, string> = injected ? { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token' } : {};
    return { account, pod: `${account.split('/')[1] ?? ''}-0`, view: { env, ...(injected ? { podIdentityToken: ASSOCIATED_TOKEN } : {}) }, answers };
  }

  it('GIVEN the safe agent THEN the verdict has no problem; GIVEN a missing injection or a wrong audience THEN it names them', () => {
    const safe = judgePodIdentity([seen('team/app', parseAgentProbe(probe('safe', 'associated-token')), true)], seen('check/unassociated', parseAgentProbe(probe('safe', 'other-token')), false));
    expect(safe.problems).to.deep.equal([]);
    expect(safe.rows[0]).to.deep.equal(['team/app', 'yes', 'AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'pods.eks.amazonaws.com', '400', '200 (ASIA…QRS)', '403']);
    const bare = judgePodIdentity([{ ...seen('team/app', [], true), view: { env: {} } }], { ...seen('check/unassociated', [], false), view: { env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'x' } } });
    expect(bare.problems.join('; ')).to.contain('got AWS_CONTAINER_CREDENTIALS_FULL_URI (unset)').and.to.contain('no readable Pod Identity token')
      .and.to.contain('gave the associated ServiceAccount team/app no credentials').and.to.contain('which has no association, got AWS_CONTAINER_CREDENTIALS_FULL_URI');
    const wrongAud = judgePodIdentity([{ ...seen('team/app', [], true), view: { env: seen('a/b', [], true).view.env, podIdentityToken: jwt('sts.amazonaws.com', 'x') } }], seen('check/unassociated', [], false));
    expect(wrongAud.problems.join()).to.contain('has aud sts.amazonaws.com, expected only pods.eks.amazonaws.com');
  });
});
