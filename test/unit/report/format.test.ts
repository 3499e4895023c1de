import { expect } from 'chai';
import { formatDuration as formatDurationOfTimeouts } from '../../../src/cluster/timeouts.js';
import { formatDuration, formatInstant, stripAnsi, toSeconds } from '../../../src/report/format.js';

describe('report formatting', () => {
  it('formats durations for people, in the same words in the terminal, errors and reports', () => {
    expect(formatDuration(0)).to.equal('0ms');
    expect(formatDuration(850.4)).to.equal('850ms');
    expect(formatDuration(12_345)).to.equal('12.3s');
    expect(formatDuration(30_000)).to.equal('30s');
    expect(formatDuration(119_600)).to.equal('2m');
    expect(formatDuration(245_000)).to.equal('4m5s');
    expect(formatDuration(3_725_000)).to.equal('1h2m');
    expect(formatDuration(-1)).to.equal('-');
    expect(formatDuration(Number.NaN)).to.equal('-');
    expect(formatDurationOfTimeouts).to.equal(formatDuration);
  });

  it('gives JUnit seconds with millisecond precision', () => {
    expect(toSeconds(1234.6)).to.equal(1.235);
    expect(toSeconds(Number.NaN)).to.equal(0);
  });

  it('shows instants in UTC whatever the local zone, and leaves non-dates alone', () => {
    expect(formatInstant('2025-11-21T12:04:05.123+02:00')).to.equal('2025-11-21 10:04:05 UTC');
    expect(formatInstant('not a date')).to.equal('not a date');
  });

  it('removes terminal colour sequences', () => {
    expect(stripAnsi('\u001b[1;31mERROR\u001b[0m x\u001b[2K')).to.equal('ERROR x');
  });
});
