// The metadata probe script, run by a real shell against a fake `nc` that answers like the
// metadata service in each testbed mode, and its parser: what a pod would print, and that the
// secret and the session token never appear in that output.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialLeaks, imdsAnswered, imdsProbeScript, parseImdsProbe, v1Accepted } from '../../../src/iam/imds.js';

const SECRET = 'fake/secret/access-key-0123456789';
const SESSION = 'fake-session-token-abcdef';

// A fake nc: reads one HTTP request from stdin and answers as IMDS would in $IMDS_MODE.
const FAKE_NC = `#!/bin/sh
req=$(cat | tr -d '\\r')
line=$(printf '%s\\n' "$req" | head -1); method=\${line%% *}; path=$(printf '%s' "$line" | cut -d' ' -f2)
tok=$(printf '%s\\n' "$req" | grep -i '^X-aws-ec2-metadata-token:' | cut -d' ' -f2)
case $IMDS_MODE in
  refused) echo "nc: can't connect to remote host (169.254.169.254): Connection refused" >&2; exit 1 ;;
  silent) exit 1 ;;
esac
reply() { printf 'HTTP/1.1 %s\\r\\nContent-Type: text/plain\\r\\n\\r\\n%s' "$1" "$2"; }
if [ "$method" = PUT ]; then
  [ "$IMDS_MODE" = hop-limit ] && exit 0
  reply "200 OK" "token-123"; exit 0
fi
if [ "$IMDS_MODE" != open ] && [ "$tok" != token-123 ] && [ "$path" != /latest/meta-data/iam/security-credentials/ ]; then reply "401 Unauthorized" "no"; exit 0; fi
case $path in
  /latest/meta-data/iam/security-credentials/) reply "200 OK" "node-role" ;;
  /latest/meta-data/iam/security-credentials/node-role) reply "200 OK" '{ "AccessKeyId" : "ASIAFAKEKEY123XYZ", "SecretAccessKey" : "${SECRET}", "Token" : "${SESSION}" }' ;;
  *) reply "404 Not Found" "" ;;
esac
`;

describe('iam: metadata probe script and parser', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ka-iam-nc-'));
    writeFileSync(join(dir, 'nc'), FAKE_NC);
    chmodSync(join(dir, 'nc'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function runProbe(mode: string): string {
    return execFileSync('sh', ['-c', imdsProbeScript()], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, IMDS_MODE: mode }, encoding: 'utf8' });
  }

  it('GIVEN IMDS open to pods THEN both ways hand out the role, the key is masked and no secret is printed', () => {
    const out = runProbe('open');
    expect(out).not.to.contain(SECRET).and.not.to.contain(SESSION).and.not.to.contain('token-123').and.not.to.contain('ASIAFAKEKEY123XYZ');
    const o = parseImdsProbe(out);
    expect(credentialLeaks(o)).to.deep.equal([
      { way: 'IMDSv1', role: 'node-role', accessKey: 'ASIA…XYZ' },
      { way: 'IMDSv2', role: 'node-role', accessKey: 'ASIA…XYZ' },
    ]);
    expect(v1Accepted(o)).to.equal(true);
  });

  it('GIVEN tokens required THEN v1 gets 401 for the credentials (the listing still names the role) and v2 leaks', () => {
    const o = parseImdsProbe(runProbe('tokens-required'));
    expect(o.v1).to.deep.equal({ list: 200, role: 'node-role', creds: 401, secretSeen: false });
    expect(v1Accepted(o)).to.equal(false);
    expect(credentialLeaks(o).map((l) => l.way)).to.deep.equal(['IMDSv2']);
  });

  it('GIVEN tokens required and hop limit 1 (no token reply) THEN no way leaks but IMDS answered', () => {
    const o = parseImdsProbe(runProbe('hop-limit'));
    expect(o.token).to.equal('no-reply');
    expect(o.v2).to.equal(undefined);
    expect(credentialLeaks(o)).to.deep.equal([]);
    expect(imdsAnswered(o)).to.equal(true);
  });

  it('GIVEN traffic dropped or refused THEN nothing answered, told apart as no-reply and refused', () => {
    const silent = parseImdsProbe(runProbe('silent'));
    expect([silent.v1.list, silent.token, imdsAnswered(silent)]).to.deep.equal(['no-reply', 'no-reply', false]);
    const refused = parseImdsProbe(runProbe('refused'));
    expect([refused.v1.list, refused.token]).to.deep.equal(['refused', 'refused']);
  });

  it('GIVEN garbage output THEN the parser reports no reply rather than a leak', () => {
    const o = parseImdsProbe('hello\nv1 creds 200 ASIA XYZ yes\n');
    expect(o.v1.list).to.equal('no-reply');
    expect(credentialLeaks(o)).to.deep.equal([]);
  });
});
