import { expect } from 'chai';
import { parseConfigText } from '../../../src/config/load.js';
import { mergeConfig } from '../../../src/config/resolve.js';
import { ConfigError } from '../../../src/errors.js';

function configError(text: string): string {
  try {
    parseConfigText(text, 'assay.yaml');
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  return expect.fail('expected a ConfigError');
}

describe('config: storage and statefulset sections', () => {
  it('GIVEN classes, expansion and sizes THEN they reach the typed config', () => {
    const file = parseConfigText('storage:\n  classes: [gp3, io2-fast]\n  expansion: true\n  size: 2Gi\nstatefulset:\n  storageClass: gp3\n  size: 500Mi\n', 'assay.yaml');
    const config = mergeConfig(file, {}, '/tmp');
    expect(config.storage).to.deep.equal({ classes: ['gp3', 'io2-fast'], expansion: true, size: '2Gi' });
    expect(config.statefulset).to.deep.equal({ storageClass: 'gp3', size: '500Mi' });
  });

  it('GIVEN no sections THEN expansion is off and sizes default later (1Gi)', () => {
    const config = mergeConfig({}, {}, '/tmp');
    expect(config.storage.expansion).to.equal(undefined);
    expect(config.storage.size).to.equal(undefined);
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
