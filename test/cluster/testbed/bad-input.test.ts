// The testbed's own failure messages: one sentence naming the component and the log to read, and
// a non-zero exit, for the cases a person hits (unknown component, port in use, unhealthy start).
import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, runCommand, skipWithoutCluster, testbed } from '../../support/kubectl.js';

const script = path.join(repoRoot, 'testbed/testbed.sh');
const tb = (args: string[], env: Record<string, string> = {}) =>
  runCommand('bash', ['-c', `${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}bash ${script} ${args.join(' ')}`], { timeoutMs: 120_000 });

describe('testbed bad input (live testbed)', function () {
  this.timeout(300_000);

  before(function () {
    skipWithoutCluster(this);
  });

  it('rejects an unknown component with usage and exit 2', async () => {
    const r = await tb(['stop', 'no-such-thing']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/unknown component 'no-such-thing'/);
    expect(r.stderr).to.match(/components: etcd apiserver/);
  });

  it('names the component, the port and its holder when a port is already in use', async () => {
    // imds-front holds 169.254.169.254:80 (the mock itself listens on loopback).
    await testbed('stop', 'imds-front');
    let server: Server | undefined;
    try {
      server = createServer();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(80, '169.254.169.254', () => resolve());
      });
      const r = await tb(['start', 'imds-front']);
      expect(r.code).to.not.equal(0);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(/^testbed: imds-front: port 80 is already in use by node pid \d+/);
    } finally {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await testbed('start', 'imds-front');
    }
  });

  it('names the component and its log when it does not become healthy', async () => {
    const argsFile = path.join(repoRoot, '.testbed/etc/imds.args');
    const saved = `${argsFile}.saved-by-test`;
    await copyFile(argsFile, saved);
    try {
      // A command line the component rejects at once: the supervisor keeps restarting it.
      await writeFile(argsFile, `${(await readFile(saved, 'utf8')).trimEnd()}\n--no-such-flag\n`);
      const r = await tb(['restart', 'imds'], { TESTBED_START_TIMEOUT: '5' });
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/^testbed: imds: did not become healthy within 5s \(read \.testbed\/logs\/imds\.log\)/m);
    } finally {
      await copyFile(saved, argsFile);
      await testbed('restart', 'imds');
    }
  });
});
