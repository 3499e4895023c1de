// The iam config section: defaults, typed settings, and bad values refused (exit 2, as every
// config error) naming the path.
import { expect } from 'chai';
import { ExitCode, exitCodeFor } from '../../../src/cli/exit-codes.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { parseConfigText } from '../../../src/config/load.js';
import { mergeConfig } from '../../../src/config/resolve.js';
import { ConfigError } from '../../../src/errors.js';
import { DEFAULT_IRSA_ROLE_ARN } from '../../../src/iam/config.js';
import iam from '../../../suites/iam/suite.js';

const timeouts = new Timeouts(1);

function configError(text: string): Error {
  try {
    parseConfigText(text, 'assay.yaml', [iam]);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as Error;
  }
  return expect.fail('expected a ConfigError');
}

describe('config: iam section', () => {
  it('GIVEN no section THEN every user namespace, 5 nodes and no host-network probes', () => {
    expect(iam.settings({ config: mergeConfig({}, {}, '/tmp', { suites: [iam] }), timeouts })).to.deep.equal({ namespaces: [], excludeNamespaces: [], nodeSample: 5, hostNetworkProbes: false, irsaRoleArn: DEFAULT_IRSA_ROLE_ARN, podIdentityServiceAccounts: [], intendedRoles: {} });
  });

  it('GIVEN every key THEN they reach the typed settings', () => {
    const file = parseConfigText('iam:\n  namespaces: [team-a]\n  excludeNamespaces: [legacy-*]\n  nodeSample: 2\n  hostNetworkProbes: true\n', 'assay.yaml', [iam]);
    expect(iam.settings({ config: mergeConfig(file, {}, '/tmp', { suites: [iam] }), timeouts })).to.deep.equal({ namespaces: ['team-a'], excludeNamespaces: ['legacy-*'], nodeSample: 2, hostNetworkProbes: true, irsaRoleArn: DEFAULT_IRSA_ROLE_ARN, podIdentityServiceAccounts: [], intendedRoles: {} });
  });

  it('GIVEN the roles each namespace is meant to get and a default role THEN they reach the typed settings', () => {
    const file = parseConfigText('iam:\n  intendedRoles: {payments: [payments-app, "arn:aws:iam::111122223333:role/web"]}\n  defaultRole: base\n', 'assay.yaml', [iam]);
    const settings = iam.settings({ config: mergeConfig(file, {}, '/tmp', { suites: [iam] }), timeouts });
    expect([settings.intendedRoles, settings.defaultRole]).to.deep.equal([{ payments: ['payments-app', 'arn:aws:iam::111122223333:role/web'] }, 'base']);
  });

  it('GIVEN bad values THEN one config error naming the path, exit code 2', () => {
    for (const [text, path] of [['iam:\n  nodeSample: 0\n', 'nodeSample'], ['iam:\n  hostNetworkProbes: yes please\n', 'hostNetworkProbes'], ['iam:\n  namespaces: [Team_A]\n', 'namespaces'], ['iam:\n  roles: {}\n', 'roles'], ['iam:\n  intendedRoles: {Payments: [a]}\n', 'intendedRoles'], ['iam:\n  intendedRoles: {payments: app}\n', 'intendedRoles'], ['iam:\n  defaultRole: "two words"\n', 'defaultRole']] as const) {
      const err = configError(text);
      expect(err.message, text).to.contain('$.iam').and.to.contain(path);
      expect(exitCodeFor(err)).to.equal(ExitCode.Usage);
    }
  });
});
