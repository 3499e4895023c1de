// The executable's first line must work where `env -S` does not exist (busybox, Alpine): the
// kernel hands a shebang's interpreter at most ONE argument, so `env -S node FLAGS` only works
// with an env that splits it. Busybox's env (the testbed's busybox-static) does not.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../../src/config/paths.js';
import { toolVersion } from '../../../src/cli/version.js';

const run = promisify(execFile);
const bin = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
const BUSYBOX = '/bin/busybox';

/** As the kernel reads `#!INTERPRETER [ARG]`: the rest of the line after the path is one argument. */
function shebang(file: string): { interpreter: string; arg?: string } {
  const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
  const match = /^#!\s*(\S+)(?:\s+(.*\S))?\s*$/.exec(first);
  if (match?.[1] === undefined) throw new Error(`${file} has no shebang`);
  return { interpreter: match[1], ...(match[2] === undefined ? {} : { arg: match[2] }) };
}

describe('the kube-assay executable', () => {
  it('starts through busybox env, which has no -S, exactly as the kernel would call it', async function () {
    if (!existsSync(BUSYBOX)) {
      console.log(`      skipped: ${BUSYBOX} is missing (Debian's busybox-static, which the testbed build installs)`);
      this.skip();
    }
    const line = shebang(bin);
    expect(line.interpreter).to.equal('/usr/bin/env');
    const args = [...(line.arg === undefined ? [] : [line.arg]), bin, 'version'];
    // busybox env finds `node` on PATH like any env: the directory of the node running this test.
    const env = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
    const { stdout } = await run(BUSYBOX, ['env', ...args], { env });
    expect(stdout.trim()).to.equal(`kube-assay ${toolVersion()}`);
  });

  it('is executable after the build, so `npx kube-assay` runs it from the clone', async () => {
    expect(statSync(bin).mode & 0o111, `${bin} has no execute bit`).to.equal(0o111);
    const { stdout } = await run(bin, ['version']);
    expect(stdout.trim()).to.equal(`kube-assay ${toolVersion()}`);
  });
});
