import { ApiException } from '@kubernetes/client-node';
import { expect } from 'chai';
import { remediationText, runCatalogueEntry, type EntryContext } from '../../../src/checks/declare.js';
import { ClusterFactSource, InMemoryFactSource, listCollector } from '../../../src/checks/sources.js';
import type { ClusterClients } from '../../../src/cluster/client.js';
import { CheckSkipped } from '../../../src/harness/context.js';
import { CheckFailure } from '../../../src/harness/errors.js';
import type { Platform, TableAttachment } from '../../../src/report/model.js';
import { entryWithRule, fact } from './support.js';

/** A check context that records what the entry reported. */
class FakeContext implements EntryContext {
  readonly tables: TableAttachment[] = [];
  readonly warnings: string[] = [];
  constructor(readonly cluster: { platform: Platform } = { platform: 'generic' }) {}
  step(): void {}
  attachTable(title: string, columns: string[], rows: string[][]): void {
    this.tables.push({ kind: 'table', title, columns, rows });
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }
}

const forbidden = (): ApiException<string> =>
  new ApiException(403, 'Forbidden', JSON.stringify({ kind: 'Status', message: 'storageclasses.storage.k8s.io is forbidden: User "u" cannot list resource "storageclasses"' }), {});

async function outcome(run: Promise<void>): Promise<string> {
  try {
    await run;
    return 'passed';
  } catch (err) {
    if (err instanceof CheckSkipped) return `skipped: ${err.message}`;
    if (err instanceof CheckFailure) return `failed: ${err.message}`;
    throw err;
  }
}

describe('checks: a catalogue entry as a harness check', () => {
  const entry = entryWithRule('{ path: ok, op: eq, value: true }');

  it('GIVEN offenders THEN it fails with the count sentence and attaches one offenders table row per offence', async () => {
    const t = new FakeContext();
    const source = new InMemoryFactSource({ things: [fact('a', { ok: true }), fact('b', { ok: false })] });
    expect(await outcome(runCatalogueEntry(t, entry, source, {}))).to.equal('failed: 1 of 2 Things break the rule: b: ok is false, expected true');
    expect(t.tables).to.deep.equal([
      { kind: 'table', title: 'demo/rule: offenders', columns: ['object', 'field', 'value seen', 'value expected', 'severity', 'why'], rows: [['b', 'ok', 'false', 'true', 'fail', '']] },
    ]);
  });

  it('GIVEN a warn entry with offenders THEN it warns once and does not fail', async () => {
    const t = new FakeContext();
    const source = new InMemoryFactSource({ things: [fact('b', { ok: false })] });
    expect(await outcome(runCatalogueEntry(t, entryWithRule('{ path: ok, op: eq, value: true }', { severity: 'warn' }), source, {}))).to.equal('passed');
    expect(t.warnings).to.deep.equal(['1 of 1 Things break the rule: b: ok is false, expected true']);
  });

  it('GIVEN a collector answering 403 through the cluster source THEN the check fails naming the collector and the API error', async () => {
    const collectors = { things: listCollector('Thing', 'list StorageClasses', () => Promise.reject(forbidden())) };
    const source = new ClusterFactSource({} as ClusterClients, collectors);
    expect(await outcome(runCatalogueEntry(new FakeContext(), entry, source, {}))).to.equal(
      'failed: collector things could not list StorageClasses: 403 storageclasses.storage.k8s.io is forbidden: User "u" cannot list resource "storageclasses", so demo/rule cannot be judged',
    );
  });

  it('GIVEN an in-memory collector set to an error THEN the check fails, never passes', async () => {
    const source = new InMemoryFactSource({ things: forbidden() });
    expect(await outcome(runCatalogueEntry(new FakeContext(), entry, source, {}))).to.match(/^failed: collector things could not collect: 403 /);
  });

  it('GIVEN no object THEN it is skipped with the printed reason', async () => {
    expect(await outcome(runCatalogueEntry(new FakeContext(), entry, new InMemoryFactSource({ things: [] }), {}))).to.equal('skipped: no object of collector things is in scope (0 collected)');
  });

  it('GIVEN an entry for another platform or profile THEN it is skipped saying which', async () => {
    const eks = entryWithRule('{ path: ok, op: set }', { extra: '    appliesTo: { platforms: [eks], profiles: [cis-eks] }' });
    const source = new InMemoryFactSource({ things: [fact('a', {})] });
    expect(await outcome(runCatalogueEntry(new FakeContext({ platform: 'testbed' }), eks, source, {}))).to.equal('skipped: demo/rule applies only to platform eks; this cluster is testbed');
    expect(await outcome(runCatalogueEntry(new FakeContext({ platform: 'eks' }), eks, source, { profiles: ['cis-generic'] }))).to.equal(
      'skipped: demo/rule belongs to profile cis-eks, which this run does not audit (cis-generic)',
    );
  });

  it('GIVEN an inventory THEN every collected object gets a row, with defaults for missing values', async () => {
    const withInventory = entryWithRule('{ path: ok, op: set }', { extra: '    inventory: { title: Things, columns: [ { header: name, path: metadata.name }, { header: mode, path: mode, default: Immediate } ] }' });
    const t = new FakeContext();
    const source = new InMemoryFactSource({ things: [fact('a', { ok: 1, metadata: { name: 'a' } }), fact('b', { ok: 1, mode: 'Wait', metadata: { name: 'b' } })] });
    expect(await outcome(runCatalogueEntry(t, withInventory, source, {}))).to.equal('passed');
    expect(t.tables).to.deep.equal([{ kind: 'table', title: 'Things', columns: ['name', 'mode'], rows: [['a', 'Immediate'], ['b', 'Wait']] }]);
  });

  it('GIVEN references per profile THEN the remediation shown in reports lists them', () => {
    const referenced = entryWithRule('{ path: ok, op: set }', { extra: '    references: { cis-generic: ["4.2.1", "4.2.2"], cis-eks: ["3.2.1"] }' });
    expect(remediationText(referenced)).to.equal('fix it (references: cis-generic 4.2.1, 4.2.2; cis-eks 3.2.1)');
    expect(remediationText(entry)).to.equal('fix it');
  });
});
