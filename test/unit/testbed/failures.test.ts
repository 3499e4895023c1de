// The testbed's messages for failures a person can hit before any cluster exists: a Debian
// package that cannot be installed and a build that fails. Each must be one sentence naming what
// failed and the log to read, with a non-zero exit. Fakes for apt-get and go stand in on PATH.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
