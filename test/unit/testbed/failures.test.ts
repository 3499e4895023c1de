// The testbed's messages for failures a person can hit before any cluster exists: a Debian
// package that cannot be installed and a build that fails (one sentence naming what failed and
// the log to read, non-zero exit), and another checkout's testbed already up (one sentence naming
// it). Fakes for apt-get, go and ip stand in on PATH.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../support/kubectl.js';

const run = promisify(execFile);

async function bash(script: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run('bash', ['-c', script], { env: { ...process.env, ...env }, cwd: repoRoot });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stderr: e.stderr ?? '' };
  }
}

describe('testbed failure messages', () => {
  let dir: string;
  let fakeBin: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ka-testbed-fail-'));
    fakeBin = path.join(dir, 'bin');
    mkdirSync(fakeBin);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fake(name: string, body: string): void {
    const file = path.join(fakeBin, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }

  it('names the packages and the log when a Debian package cannot be installed', async () => {
    fake('apt-get', 'echo "E: Unable to locate package $*" >&2; exit 100');
    const r = await bash(
      'source testbed/lib/common.sh; source testbed/lib/tools.sh; TB_BUILD_PACKAGES=(kube-assay-no-such-package); install_packages',
      { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, TESTBED_STATE: path.join(dir, 'state') },
    );
    expect(r.code).to.not.equal(0);
    const sentences = r.stderr.trim().split('\n').filter((l) => l.startsWith('testbed:'));
    expect(sentences).to.have.length(1);
    // As root it tries apt-get and names its log; as another user it says root is needed.
    expect(sentences[0]).to.match(
      /^testbed: packages: (could not install Debian packages: kube-assay-no-such-package \(read .*\/logs\/packages\.log\)|missing Debian packages \(kube-assay-no-such-package\) and not root to install them)$/,
    );
  });

  it('names the project and its build log when a build fails', async () => {
    fake('go', 'echo "go: simulated compiler failure" >&2; exit 1');
    const cache = path.join(dir, 'cache');
    const r = await bash('source testbed/lib/common.sh; source testbed/lib/build.sh; tb_build kube-router', {
      PATH: `${fakeBin}:${process.env.PATH ?? ''}`,
      KUBE_ASSAY_CACHE: cache,
    });
    expect(r.code).to.not.equal(0);
    expect(r.stderr.trim()).to.match(/^testbed build: building kube-router v[\d.]+ failed; read .*\/logs\/kube-router-v[\d.]+\.log$/);
  });

  it("stops when another checkout's testbed is up, and takes over from one whose processes are gone", async () => {
    const run = path.join(dir, 'run');
    const other = path.join(dir, 'other');
    const mine = path.join(dir, 'mine');
    mkdirSync(path.join(other, 'run'), { recursive: true });
    mkdirSync(run);
    writeFileSync(path.join(run, 'owner'), `${other}\n`);
    const env = { TESTBED_RUN: run, TESTBED_STATE: mine };
    const claim = 'source testbed/lib/common.sh; source testbed/lib/supervise.sh; claim_testbed';

    // This test's own process stands in for the other testbed's live etcd.
    writeFileSync(path.join(other, 'run', 'etcd.pid'), `${process.pid}\n`);
    const busy = await bash(claim, env);
    expect(busy.code).to.not.equal(0);
    expect(busy.stderr.trim()).to.equal(
      `testbed: another checkout's testbed is up on this host (its state is in ${other}); run 'npm run testbed:down' in that checkout first`,
    );
    expect(readFileSync(path.join(run, 'owner'), 'utf8')).to.equal(`${other}\n`);
    // Commands that change a running testbed refuse the same way (this checkout has nothing to stop).
    const stop = await bash('bash testbed/testbed.sh stop kubelet', env);
    expect(stop.code).to.not.equal(0);
    expect(stop.stderr.trim()).to.equal(busy.stderr.trim());

    // A pid that no process has (beyond the kernel's largest) is a testbed that crashed.
    writeFileSync(path.join(other, 'run', 'etcd.pid'), '99999999\n');
    const free = await bash(claim, env);
    expect(free).to.deep.equal({ code: 0, stderr: '' });
    expect(readFileSync(path.join(run, 'owner'), 'utf8')).to.equal(`${mine}\n`);
  });

  it('adds a loopback address only when it is not there, whatever the timing of the listing', async () => {
    // A fake ip that lists the wanted address first and goes on writing after a pause: the
    // listing outlives a reader that stops at the first match, which made `ip | grep -q` fail.
    fake(
      'ip',
      [
        'if [ "$1" = -4 ]; then',
        '  echo "1: lo: <LOOPBACK,UP>"; echo "    inet 169.254.169.254/32 scope global lo:kassay"',
        '  sleep 0.1; echo "    inet 127.0.0.1/8 scope host lo"',
        'else echo "ip $*" >>"$IP_CALLS"; fi',
      ].join('\n'),
    );
    const calls = path.join(dir, 'ip-calls');
    const env = { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, IP_CALLS: calls, TESTBED_STATE: path.join(dir, 'state') };
    const r = await bash(
      'set -euo pipefail; source testbed/lib/common.sh; source testbed/lib/network.sh; add_lo_address 169.254.169.254; add_lo_address 10.250.0.1',
      env,
    );
    expect(r).to.deep.equal({ code: 0, stderr: '' });
    expect(readFileSync(calls, 'utf8')).to.equal('ip addr add 10.250.0.1/32 dev lo label lo:kassay\n');
  });
});
