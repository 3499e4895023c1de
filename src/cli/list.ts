// `kube-assay list`: suites and their checks with stable IDs and tags, read from the compiled
// specs without touching a cluster.
import { compiledSuitesDir } from '../config/paths.js';
import { discoverSuites } from '../harness/discover.js';
import { registeredChecks, registeredSuites, type CheckMeta, type SuiteMeta } from '../harness/registry.js';
import { loadSpecs } from '../harness/runner.js';

export function formatListing(suites: readonly SuiteMeta[], checks: readonly CheckMeta[]): string[] {
  const lines: string[] = [];
  const idWidth = Math.max(0, ...checks.map((c) => c.id.length));
  for (const suite of suites) {
    const own = checks.filter((c) => c.suite === suite.name);
    lines.push(`${suite.name}: ${suite.title} (${own.length} check${own.length === 1 ? '' : 's'})`);
    for (const c of own) {
      const tags = c.tags.length > 0 ? `  [${c.tags.join(', ')}]` : '';
      lines.push(`  ${c.id.padEnd(idWidth)}  ${c.title}${tags}`);
    }
  }
  return lines;
}

export async function listCommand(out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const found = discoverSuites(compiledSuitesDir);
  if (found.length === 0) {
    out.write(`no compiled suites under ${compiledSuitesDir}: run npm run build first\n`);
    return 1;
  }
  await loadSpecs(found.flatMap((s) => s.files));
  const declared = registeredSuites();
  // Order as discovered on disk; a directory whose specs declare no suite() still shows up.
  const suites = found.map((f) => declared.find((d) => d.name === f.name) ?? { name: f.name, title: '(declares no suite)' });
  formatListing(suites, registeredChecks()).forEach((l) => out.write(`${l}\n`));
  return 0;
}
