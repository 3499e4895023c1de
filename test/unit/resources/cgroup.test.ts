import { expect } from 'chai';
import { parseCgroupReading } from '../../../src/resources/cgroup.js';
import { describeReading } from '../../../src/resources/limits.js';

describe('resources: reading limits and throttling from a container cgroup', () => {
  it('GIVEN cgroup v1 files of a 100m / 48Mi container THEN quota, memory limit and throttling are read', () => {
    const r = parseCgroupReading(['version=1', 'cfs_quota_us=10000', 'cfs_period_us=100000', 'memory.limit_in_bytes=50331648', 'nr_periods 40', 'nr_throttled 36', 'throttled_time 2900000000'].join('\n'));
    expect(r).to.deep.equal({ version: 1, cpuLimitCores: 0.1, memoryLimitBytes: 50331648, periods: 40, throttledPeriods: 36, throttledSeconds: 2.9 });
    expect(describeReading(r)).to.equal('throttled in 36 of 40 periods (90%), 2.90 s in all');
  });

  it('GIVEN cgroup v1 without limits THEN both limits are unset', () => {
    const r = parseCgroupReading(['version=1', 'cfs_quota_us=-1', 'cfs_period_us=100000', 'memory.limit_in_bytes=9223372036854771712', 'nr_periods 0', 'nr_throttled 0', 'throttled_time 0'].join('\n'));
    expect(r.cpuLimitCores).to.equal(undefined);
    expect(r.memoryLimitBytes).to.equal(undefined);
  });

  it('GIVEN cgroup v2 files THEN cpu.max and throttled_usec are read', () => {
    const r = parseCgroupReading(['version=2', 'cpu.max=10000 100000', 'memory.max=max', 'usage_usec 5', 'nr_periods 20', 'nr_throttled 15', 'throttled_usec 1500000'].join('\n'));
    expect(r).to.deep.equal({ version: 2, cpuLimitCores: 0.1, periods: 20, throttledPeriods: 15, throttledSeconds: 1.5 });
  });

  it('GIVEN output that is not the script\'s THEN it says what it got', () => {
    expect(() => parseCgroupReading('sh: cat: not found')).to.throw('cannot read the cgroup: expected "version=1" or "version=2" first, got: sh: cat: not found');
    expect(() => parseCgroupReading('version=1\ncfs_quota_us=1')).to.throw('cpu.stat has no nr_periods');
  });
});
