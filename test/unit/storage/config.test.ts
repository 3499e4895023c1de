import { expect } from 'chai';
import { Timeouts } from '../../../src/cluster/timeouts.js';
import { parseConfigText } from '../../../src/config/load.js';
import { mergeConfig } from '../../../src/config/resolve.js';
import { ConfigError } from '../../../src/errors.js';
import { statefulSetManifest } from '../../../src/statefulset/manifests.js';
import { claimManifest } from '../../../src/storage/claims.js';
import statefulset from '../../../suites/statefulset/suite.js';
import storage from '../../../suites/storage/suite.js';

const suites = [storage, statefulset];
const timeouts = new Timeouts(1);

function configError(text: string): string {
  try {
    parseConfigText(text, 'assay.yaml', suites);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  return expect.fail('expected a ConfigError');
}

describe('config: storage and statefulset sections', () => {
  it('GIVEN classes, expansion and sizes THEN they reach the typed settings', () => {
    const file = parseConfigText('storage:\n  classes: [gp3, io2-fast]\n  expansion: true\n  size: 2Gi\nstatefulset:\n  storageClass: gp3\n  size: 500Mi\n', 'assay.yaml', suites);
    const config = mergeConfig(file, {}, '/tmp', { suites });
    expect(storage.settings({ config, timeouts })).to.deep.equal({ classes: ['gp3', 'io2-fast'], expansion: true, size: '2Gi' });
    expect(statefulset.settings({ config, timeouts })).to.deep.equal({ storageClass: 'gp3', size: '500Mi' });
  });

  it('GIVEN no sections THEN expansion is off, no extra classes, the default class and 1Gi volumes', () => {
    const config = mergeConfig({}, {}, '/tmp', { suites });
    expect(storage.settings({ config, timeouts })).to.deep.equal({ classes: [], expansion: false, size: '1Gi' });
    expect(statefulset.settings({ config, timeouts })).to.deep.equal({ storageClass: undefined, size: '1Gi' });
  });

  it('GIVEN no sizes THEN the storage claims and the StatefulSet claim template request 1Gi', () => {
    const config = mergeConfig({}, {}, '/tmp', { suites });
    const claim = claimManifest({ name: 'c', namespace: 'n', labels: {}, size: storage.settings({ config, timeouts }).size });
    expect(claim.spec?.resources?.requests?.storage).to.equal('1Gi');
    const set = statefulSetManifest({
      name: 'web', namespace: 'n', serviceName: 'web', replicas: 1, labels: {}, selector: { a: 'b' }, claimTemplate: 'data', claimLabels: {},
      size: statefulset.settings({ config, timeouts }).size, image: 'i', pullPolicy: 'Never',
    });
    expect(set.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage).to.equal('1Gi');
  });

  it('GIVEN a size that is not a quantity THEN the error names the path', () => {
    expect(configError('storage:\n  size: 1 GB\n')).to.include('$.storage.size');
    expect(configError('statefulset:\n  size: lots\n')).to.include('$.statefulset.size');
  });

  it('GIVEN expansion as a string or an unknown key THEN the file is rejected', () => {
    expect(configError('storage:\n  expansion: "yes"\n')).to.include('$.storage.expansion');
    expect(configError('storage:\n  expand: true\n')).to.include('unknown key "expand" at $.storage');
  });
});
