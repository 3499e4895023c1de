import { expect } from 'chai';
import { quantityValue } from '../../../src/cluster/quantity.js';

describe('resources: quantities', () => {
  it('GIVEN CPU, memory and count quantities THEN they become numbers in one unit', () => {
    expect(['500m', '0.5', '2', '1Gi', '64Mi', '1k', '1e3', '100n'].map(quantityValue)).to.deep.equal([0.5, 0.5, 2, 2 ** 30, 64 * 2 ** 20, 1000, 1000, 1e-7]);
  });

  it('GIVEN text that is no quantity THEN undefined', () => {
    expect(['', 'abc', '1Xi', '--1'].map(quantityValue)).to.deep.equal([undefined, undefined, undefined, undefined]);
  });
});
