// Binds a catalogue to the harness: one check() per entry inside the current suite(), whose body
// collects the entry's facts, judges them (engine.ts), attaches the inventory and offenders
// tables, and ends as pass, warn (t.warn), fail (CheckFailure) or skip, always with a reason.
import { errorSentence } from '../cluster/api-errors.js';
import { check } from '../harness/check.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import type { CheckDetails } from '../harness/registry.js';
import type { Platform } from '../report/model.js';
import { describeVerification } from './describe.js';
import { evaluateEntry, inventoryRows, OFFENDER_COLUMNS, offenderRows } from './engine.js';
import { ClusterFactSource, CollectorError, type Collectors } from './sources.js';
import type { Catalogue, CatalogueEntry, FactSource, Predicates } from './types.js';

export interface CatalogueBinding {
  /** The collectors the entries' `source` names refer to. */
  collectors: Collectors;
  predicates?: Predicates;
  /** Profiles this run audits against; entries limited to other profiles are skipped. When not
   *  given, `appliesTo.profiles` does not restrict (there is no profile selection yet). */
  profiles?: readonly string[];
  /** Where facts come from (default: the collectors against the check's cluster clients). */
  factSource?: (t: CheckContext) => FactSource;
}

/** What a running entry needs of the check context (a subset, so tests can fake it). */
export type EntryContext = Pick<CheckContext, 'step' | 'attachTable' | 'warn' | 'skip'> & { readonly cluster: { platform: Platform } };

/** Declares one harness check per entry, in catalogue order. Call it inside suite(). */
export function declareCatalogueChecks(catalogue: Catalogue, binding: CatalogueBinding): void {
  for (const entry of catalogue.entries) {
    if (binding.collectors[entry.source] === undefined && binding.factSource === undefined) {
      throw new Error(`${catalogue.file}:${entry.line}: check ${entry.id} reads collector ${entry.source}, which the suite does not provide (it provides ${Object.keys(binding.collectors).join(', ') || 'none'})`);
    }
    check(
      entry.id,
      entry.title,
      async (t) => {
        const source = binding.factSource?.(t) ?? new ClusterFactSource(t.clients, binding.collectors);
        await runCatalogueEntry(t, entry, source, binding);
      },
      // Catalogue checks only read what their collectors list, so repeating one is safe.
      { namespace: false, retryable: true, tags: entry.tags, remediation: remediationText(entry), details: entryDetails(entry, binding.collectors[entry.source]?.description) },
    );
  }
}

/** What `kube-assay explain` prints about an entry besides its title and remediation. */
export function entryDetails(entry: CatalogueEntry, collectorDescription?: string): CheckDetails {
  return { rationale: entry.rationale, verification: describeVerification(entry, collectorDescription), references: entry.references };
}

/** The remediation as reports show it, with the benchmark sections it answers (CIS numbers per
 *  profile), since the result model has no field for references. */
export function remediationText(entry: CatalogueEntry): string {
  const references = Object.entries(entry.references).map(([profile, sections]) => `${profile} ${sections.join(', ')}`);
  return references.length === 0 ? entry.remediation : `${entry.remediation} (references: ${references.join('; ')})`;
}

function applicability(entry: CatalogueEntry, platform: Platform, profiles: readonly string[] | undefined): string | undefined {
  if (entry.notVerifiable !== undefined) return `not verifiable: ${entry.notVerifiable}`;
  if (entry.platforms !== undefined && !entry.platforms.includes(platform)) {
    return `${entry.id} applies only to platform ${entry.platforms.join(', ')}; this cluster is ${platform}`;
  }
  if (entry.profiles !== undefined && profiles !== undefined && !entry.profiles.some((p) => profiles.includes(p))) {
    return `${entry.id} belongs to profile ${entry.profiles.join(', ')}, which this run does not audit (${profiles.join(', ') || 'none'})`;
  }
  return undefined;
}

/** The body of a catalogue check. Exported for tests with a fake context and fact source. */
export async function runCatalogueEntry(t: EntryContext, entry: CatalogueEntry, source: FactSource, binding: Pick<CatalogueBinding, 'predicates' | 'profiles'>): Promise<void> {
  const notHere = applicability(entry, t.cluster.platform, binding.profiles);
  if (notHere !== undefined) t.skip(notHere);
  t.step(`collect ${entry.source}`);
  let facts;
  try {
    facts = await source.collect(entry.source);
  } catch (err) {
    // A collector that cannot read is never a pass: the check fails saying why.
    const reason = err instanceof CollectorError ? err.message : `collector ${entry.source} failed: ${errorSentence(err)}`;
    throw new CheckFailure(`${reason}, so ${entry.id} cannot be judged`, { cause: err });
  }
  t.step(`evaluate ${entry.id} over ${facts.length} object(s)`);
  const verdict = evaluateEntry(entry, facts, binding.predicates ?? {});
  if (entry.inventory !== undefined) t.attachTable(entry.inventory.title, entry.inventory.columns.map((c) => c.header), inventoryRows(entry, facts));
  if (verdict.offences.length > 0) t.attachTable(`${entry.id}: offenders`, OFFENDER_COLUMNS, offenderRows(verdict.offences));
  if (verdict.status === 'skipped') t.skip(verdict.message);
  if (verdict.status === 'failed') throw new CheckFailure(verdict.message);
  if (verdict.status === 'warn') t.warn(verdict.message);
  if (verdict.status === 'passed') t.step(verdict.message);
}
