// oci_image.py --tree: a directory copied whole into the layer (kube-assay's own image ships
// dist/, schemas and node_modules that way). Same inputs must give the same digest, whatever
// the host's modes and walk order; symlinks stay symlinks; executables keep their bit.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../support/kubectl.js';

const run = promisify(execFile);
const writer = path.join(repoRoot, 'testbed', 'images', 'oci_image.py');

async function build(out: string, tree: string): Promise<string> {
  const { stdout } = await run('python3', [writer, '--out', out, '--name', 'kube-assay.local/t:1', '--version', '1', '--source', 'test', '--tree', `${tree}:/app`]);
  return stdout.trim();
}

/** Entries of the image's one layer, as `tar -tv` lists them (mode, owner and name). */
async function layerListing(image: string, dir: string): Promise<string> {
  await run('tar', ['-xf', image, '-C', dir]);
  const { stdout: index } = await run('cat', [path.join(dir, 'index.json')]);
  const manifestDigest = (JSON.parse(index) as { manifests: Array<{ digest: string }> }).manifests[0]?.digest.slice(7) ?? '';
  const { stdout: manifest } = await run('cat', [path.join(dir, 'blobs', 'sha256', manifestDigest)]);
  const layer = (JSON.parse(manifest) as { layers: Array<{ digest: string }> }).layers[0]?.digest.slice(7) ?? '';
  const { stdout } = await run('tar', ['-tvf', path.join(dir, 'blobs', 'sha256', layer)]);
  return stdout;
}

describe('oci_image.py --tree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ka-oci-tree-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(name: string, fileMode: number): string {
    const root = path.join(dir, name);
    mkdirSync(path.join(root, 'lib', 'deep'), { recursive: true });
    writeFileSync(path.join(root, 'lib', 'deep', 'a.js'), 'export {};\n');
    writeFileSync(path.join(root, 'run'), '#!/bin/false\n');
    chmodSync(path.join(root, 'lib', 'deep', 'a.js'), fileMode);
    chmodSync(path.join(root, 'run'), 0o700);
    symlinkSync('lib/deep/a.js', path.join(root, 'link.js'));
    return root;
  }

  it('gives the same digest for the same content whatever the host file modes', async () => {
    const a = await build(path.join(dir, 'a.tar'), tree('one', 0o600));
    const b = await build(path.join(dir, 'b.tar'), tree('two', 0o664));
    expect(a).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(b).to.equal(a);
  });

  it('keeps symlinks and the execute bit, and makes everything readable by any user', async () => {
    await build(path.join(dir, 'a.tar'), tree('one', 0o600));
    mkdirSync(path.join(dir, 'x'));
    const listing = await layerListing(path.join(dir, 'a.tar'), path.join(dir, 'x'));
    expect(listing).to.match(/^-rw-r--r-- 0\/0 .* app\/lib\/deep\/a\.js$/m);
    expect(listing).to.match(/^-rwxr-xr-x 0\/0 .* app\/run$/m);
    expect(listing).to.match(/^lrwxrwxrwx 0\/0 .* app\/link\.js -> lib\/deep\/a\.js$/m);
  });

  it('refuses a --tree that is not a directory, in one sentence', async () => {
    const err = await build(path.join(dir, 'a.tar'), path.join(dir, 'missing')).then(() => undefined, (e: unknown) => e as { stderr: string });
    expect(err?.stderr.trim()).to.equal(`oci_image: --tree names ${path.join(dir, 'missing')}, which is not a directory`);
  });
});
