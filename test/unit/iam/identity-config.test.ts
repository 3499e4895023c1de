// The iam section's IRSA and Pod Identity keys: values reach the settings, bad ones stop the run
// with exit code 2 naming the path.
import { expect } from 'chai';
import { ExitCode, exitCodeFor } from '../../../src/cli/exit-codes.js';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { parseConfigText } from '../../../src/config/load.js';
import { mergeConfig } from '../../../src/config/resolve.js';
import { ConfigError } from '../../../src/errors.js';
import iam from '../../../suites/iam/suite.js';

const timeouts = new Timeouts(1);

describe('config: iam IRSA and Pod Identity keys', () => {
  it('GIVEN a role ARN and associated ServiceAccounts THEN they reach the settings', () => {
    const file = parseConfigText('iam:\n  irsaRoleArn: arn:aws:iam::123456789012:role/team/app-reader\n  podIdentityServiceAccounts: [team-a/app, payments/api.v2]\n', 'assay.yaml', [iam]);
    const settings = iam.settings({ config: mergeConfig(file, {}, '/tmp', { suites: [iam] }), timeouts });
    expect(settings.irsaRoleArn).to.equal('arn:aws:iam::123456789012:role/team/app-reader');
    expect(settings.podIdentityServiceAccounts).to.deep.equal(['team-a/app', 'payments/api.v2']);
  });

  it('GIVEN a malformed ARN or ServiceAccount reference THEN one config error naming the path, exit code 2', () => {
    for (const [text, path] of [
      ['iam:\n  irsaRoleArn: my-role\n', 'irsaRoleArn'],
      ['iam:\n  irsaRoleArn: arn:aws:iam::1234:role/x\n', 'irsaRoleArn'],
      ['iam:\n  podIdentityServiceAccounts: [app]\n', 'podIdentityServiceAccounts'],
      ['iam:\n  podIdentityServiceAccounts: [Team/App]\n', 'podIdentityServiceAccounts'],
    ] as const) {
      let caught: unknown;
      try {
        parseConfigText(text, 'assay.yaml', [iam]);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).to.be.instanceOf(ConfigError);
      expect((caught as Error).message, text).to.contain('$.iam').and.to.contain(path);
      expect(exitCodeFor(caught)).to.equal(ExitCode.Usage);
    }
  });
});
