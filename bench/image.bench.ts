// `npm run bench -- image`: builds kube-assay's container image (deploy/image/build.sh; a no-op
// when nothing changed) and prints its size, split into what takes the space. A benchmark, not a
// test: it measures and prints, it asserts nothing about size.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/config/paths.js';
import { toolVersion } from '../src/cli/version.js';

const script = join(packageRoot, 'deploy', 'image', 'build.sh');
const cache = process.env.KUBE_ASSAY_CACHE ?? join(homedir(), '.cache', 'kube-assay', 'testbed');

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Bytes of the layer's entries, grouped by the first path components that say what they are. */
function breakdown(tarball: string): Map<string, number> {
  const listing = execFileSync('python3', ['-c', LAYER_SIZES, tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const groups = new Map<string, number>();
  for (const line of listing.trim().split('\n')) {
    const [size, name] = line.split('\t');
    if (size === undefined || name === undefined) continue;
    const group = name.startsWith('app/node_modules/') ? 'app/node_modules' : name.startsWith('app/') ? 'app (dist, schemas, fixtures)' : name.startsWith('usr/local/bin/node') ? 'node binary' : name.startsWith('lib') ? 'C libraries' : 'other';
    groups.set(group, (groups.get(group) ?? 0) + Number(size));
  }
  return groups;
}

// Reads the one layer of the image-layout tarball and prints "size<TAB>name" per file.
const LAYER_SIZES = `
import json, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    index = json.load(t.extractfile("index.json"))
    manifest = json.load(t.extractfile("blobs/sha256/" + index["manifests"][0]["digest"][7:]))
    layer = t.extractfile("blobs/sha256/" + manifest["layers"][0]["digest"][7:])
    with tarfile.open(fileobj=layer) as l:
        for m in l:
            if m.isfile():
                print(f"{m.size}\\t{m.name}")
`;

const started = Date.now();
const line = execFileSync('bash', [script], { encoding: 'utf8', env: { ...process.env, KUBE_ASSAY_CACHE: cache } }).trim();
const buildMs = Date.now() - started;
const tarball = join(cache, 'images', `kube-assay-${toolVersion()}.tar`);
const size = statSync(tarball).size;
const gzipped = Number(execFileSync('bash', ['-c', 'gzip -1 -c "$1" | wc -c', 'bash', tarball], { encoding: 'utf8' }).trim());
console.log(line);
console.log(`image build or cache check: ${(buildMs / 1000).toFixed(1)}s`);
console.log(`image size: ${mib(size)} uncompressed, ${mib(gzipped)} gzipped (as a registry would store it)`);
for (const [group, bytes] of [...breakdown(tarball)].sort((a, b) => b[1] - a[1])) console.log(`  ${group}: ${mib(bytes)}`);
