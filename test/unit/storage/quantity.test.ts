import { expect } from 'chai';
import { doubled, formatBytes, quantityBytes } from '../../../src/storage/quantity.js';

describe('storage: quantities', () => {
  it('GIVEN binary and decimal suffixes THEN bytes follow Kubernetes (Gi = 2^30, G = 10^9)', () => {
    expect(quantityBytes('1Gi')).to.equal(2 ** 30);
    expect(quantityBytes('1G')).to.equal(1e9);
    expect(quantityBytes('64Mi')).to.equal(64 * 2 ** 20);
    expect(quantityBytes('1.5Gi')).to.equal(1.5 * 2 ** 30);
    expect(quantityBytes('500k')).to.equal(500_000);
    expect(quantityBytes('1073741824')).to.equal(2 ** 30);
  });

  it('GIVEN something that is not a size THEN undefined', () => {
    for (const q of ['', 'Gi', '1gb', '1 Gi', '-1Gi', '1e3', '100m']) expect(quantityBytes(q), q).to.equal(undefined);
  });

  it('GIVEN a size THEN doubled keeps whole units and falls back to bytes', () => {
    expect(doubled('1Gi')).to.equal('2Gi');
    expect(doubled('10G')).to.equal('20G');
    expect(doubled('1.5Gi')).to.equal(String(3 * 2 ** 30));
    expect(() => doubled('lots')).to.throw('"lots" is not a storage quantity such as 1Gi');
  });

  it('GIVEN bytes THEN formatBytes uses binary units', () => {
    expect(formatBytes(2 ** 30)).to.equal('1 GiB');
    expect(formatBytes(1.5 * 2 ** 20)).to.equal('1.5 MiB');
    expect(formatBytes(512)).to.equal('512 B');
  });
});
