import { expect } from 'chai';
import { checkOrder, entryForRun, loadCisCatalogues } from '../../../src/cis/checks.js';
import { CIS_CONFIG } from '../../../src/cis/config.js';
import { chooseProfile } from '../../../src/cis/profile.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import type { Platform } from '../../../src/report/model.js';

const context = (platform: Platform, section: Record<string, unknown> = {}) => ({
  config: { sections: { cis: CIS_CONFIG.resolve?.(section, { resolvePath: (p) => p }) } } as never,
  timeouts: new Timeouts(),
  cluster: { platform, context: 'c', server: 's', version: 'v1.36.0', nodeCount: 1 },
});

describe('cis: profiles', () => {
  it('GIVEN an EKS platform THEN cis-eks; GIVEN any other THEN cis-generic; GIVEN cis.profile THEN it wins', () => {
    expect(chooseProfile('eks', 'auto').profile).to.equal('cis-eks');
    expect(chooseProfile('testbed', 'auto').profile).to.equal('cis-generic');
    expect(chooseProfile('generic', 'auto').profile).to.equal('cis-generic');
    expect(chooseProfile('testbed', 'cis-eks')).to.deep.equal({ profile: 'cis-eks', reason: 'forced by cis.profile (platform testbed)' });
  });

  it('GIVEN the shipped catalogues THEN the EKS profile keeps the shared IDs, replaces what differs and leaves out what EKS does not ask', () => {
    const catalogues = loadCisCatalogues();
    const eks = catalogues['cis-eks'].entries;
    const generic = catalogues['cis-generic'].entries;
    expect(eks.map((e) => e.id)).to.include('cis/kubelet-anonymous-auth').and.not.include('cis/kubelet-seccomp-default');
    expect(eks.find((e) => e.id === 'cis/kubelet-anonymous-auth')?.references).to.deep.equal({ 'cis-generic': ['4.2.1'], 'cis-eks': ['3.2.1'] });
    const rotation = (entries: typeof eks) => entries.find((e) => e.id === 'cis/kubelet-server-certificate-rotation')?.rule;
    expect(rotation(generic)).to.deep.include({ op: 'noteq', value: false });
    expect(rotation(eks)).to.deep.include({ op: 'eq', value: true });
    // Every ID of either profile is declared once.
    const ids = checkOrder(catalogues).map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids).to.include.members(generic.map((e) => e.id));
  });

  it('GIVEN a check the run profile lacks THEN it is skipped saying so; GIVEN one it has THEN that profile\'s entry is judged', () => {
    const rows = checkOrder(loadCisCatalogues());
    const seccomp = rows.find((r) => r.id === 'cis/kubelet-seccomp-default')?.entries ?? {};
    expect(entryForRun(seccomp, 'cis/kubelet-seccomp-default', context('eks'))).to.deep.equal({
      skip: 'cis/kubelet-seccomp-default is not a recommendation of profile cis-eks (detected: the nodes are EC2 instances (provider ID aws://), platform eks)',
    });
    const rotation = rows.find((r) => r.id === 'cis/kubelet-server-certificate-rotation')?.entries ?? {};
    const chosen = entryForRun(rotation, 'cis/kubelet-server-certificate-rotation', context('testbed', { profile: 'cis-eks' }));
    expect('entry' in chosen && chosen.profile).to.equal('cis-eks');
    expect('entry' in chosen && chosen.entry.rule).to.deep.include({ op: 'eq', value: true });
  });

  it('GIVEN an empty cis section THEN the defaults apply', () => {
    expect(CIS_CONFIG.resolve?.({}, { resolvePath: (p) => p })).to.deep.equal({ profile: 'auto', clusterAdminAllowList: [], excludedNamespaces: [], nodeConcurrency: 20 });
  });
});
