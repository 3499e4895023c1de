// kube-assay's own image as deploy/image/build.sh assembled it for the testbed: runs as non-root,
// carries no shell, no compiler and no package manager, and only production dependencies.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { toolVersion } from '../../../src/cli/version.js';
import { requireTestbedWithImage } from './support.js';

// Prints the image config as JSON, then one layer path a line.
const READ_IMAGE = `
import json, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    index = json.load(t.extractfile("index.json"))
    manifest = json.load(t.extractfile("blobs/sha256/" + index["manifests"][0]["digest"][7:]))
    print(t.extractfile("blobs/sha256/" + manifest["config"]["digest"][7:]).read().decode())
    with tarfile.open(fileobj=t.extractfile("blobs/sha256/" + manifest["layers"][0]["digest"][7:])) as l:
        for m in l:
            print("/" + m.name)
`;

describe('cluster: kube-assay image (testbed build)', function () {
  this.timeout(120_000);
  let config: { config: { User?: string; Entrypoint?: string[]; Env?: string[] } };
  let paths: Set<string>;

  before(async function () {
    await requireTestbedWithImage(this);
    const cache = process.env.KUBE_ASSAY_CACHE ?? join(homedir(), '.cache', 'kube-assay', 'testbed');
    const [first, ...rest] = execFileSync('python3', ['-c', READ_IMAGE, join(cache, 'images', `kube-assay-${toolVersion()}.tar`)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim().split('\n');
    config = JSON.parse(first ?? '{}') as typeof config;
    paths = new Set(rest);
  });

  it('runs node on the CLI as the non-root user 65532 with the V8 sizing in NODE_OPTIONS', () => {
    expect(config.config.User).to.equal('65532:65532');
    expect(config.config.Entrypoint).to.deep.equal(['/usr/local/bin/node', '/app/dist/src/cli/main.js']);
    expect(config.config.Env).to.include('NODE_OPTIONS=--max-semi-space-size=1');
    for (const p of ['/usr/local/bin/node', '/lib64/ld-linux-x86-64.so.2', '/app/package.json', '/app/dist/suites', '/app/schemas/report.schema.json', '/app/suites/storage/checks.yaml']) {
      expect(paths.has(p), p).to.equal(true);
    }
  });

  it('has no shell, no compiler, no package manager and no development dependency', () => {
    const forbidden = [...paths].filter((p) => /^\/(usr\/)?s?bin\/(sh|bash|ash|dash|busybox|cc|gcc|g\+\+|ld|apt|apt-get|dpkg|npm|npx)$/.test(p));
    expect(forbidden).to.deep.equal([]);
    const devDependencies = ['typescript', 'eslint', 'typescript-eslint', '@eslint/js', 'playwright-core'].filter((d) => paths.has(`/app/node_modules/${d}`));
    expect(devDependencies).to.deep.equal([]);
    expect([...paths].filter((p) => p.startsWith('/app/dist/test') || p.startsWith('/app/dist/bench'))).to.deep.equal([]);
  });
});
