// `kube-assay list [--suite NAME]...`: suites and their checks with stable IDs and tags, and
// `kube-assay explain CHECK-ID`: one check's rationale, how it is verified and its remediation.
// Both read the compiled specs without touching a cluster.
import { compiledSuitesDir } from '../config/paths.js';
import { UsageError } from '../errors.js';
import { discoverSuites, selectSuites } from '../harness/discover.js';
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

export async function listCommand(out: NodeJS.WritableStream = process.stdout, wanted: readonly string[] = []): Promise<number> {
  const all = discoverSuites(compiledSuitesDir);
  if (all.length === 0) {
    out.write(`no compiled suites under ${compiledSuitesDir}: run npm run build first\n`);
    return 1;
  }
  const found = selectSuites(all, wanted);
  await loadSpecs(found.flatMap((s) => s.files));
  const declared = registeredSuites();
  // Order as discovered on disk; a directory whose specs declare no suite() still shows up.
  const suites = found.map((f) => declared.find((d) => d.name === f.name) ?? { name: f.name, title: '(declares no suite)' });
  formatListing(suites, registeredChecks()).forEach((l) => out.write(`${l}\n`));
  return 0;
}

/** What `explain` prints about one check. */
export function formatExplanation(meta: CheckMeta): string[] {
  const lines = [`${meta.id}: ${meta.title}`, `  suite: ${meta.suite}${meta.tags.length > 0 ? `; tags: ${meta.tags.join(', ')}` : ''}`];
  const details = meta.details;
  if (details?.rationale !== undefined) lines.push(`  why: ${details.rationale}`);
  if (details?.verification !== undefined) lines.push(`  verified: ${details.verification}`);
  if (meta.remediation !== undefined) lines.push(`  remediation: ${meta.remediation}`);
  const references = Object.entries(details?.references ?? {});
  if (references.length > 0) lines.push(`  references: ${references.map(([profile, sections]) => `${profile} ${sections.join(', ')}`).join('; ')}`);
  return lines;
}

export async function explainCommand(id: string, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const found = discoverSuites(compiledSuitesDir);
  // The suite is the ID's first segment; load only its specs when it exists.
  const own = found.filter((s) => s.name === id.split('/')[0]);
  await loadSpecs((own.length > 0 ? own : found).flatMap((s) => s.files));
  const meta = registeredChecks().find((c) => c.id === id);
  if (meta === undefined) {
    throw new UsageError(`unknown check "${id}": \`kube-assay list\` prints every check ID${own.length > 0 ? ` (\`kube-assay list --suite ${own[0]?.name ?? ''}\` those of its suite)` : ''}.`);
  }
  formatExplanation(meta).forEach((l) => out.write(`${l}\n`));
  return 0;
}
