// Reading a container's CPU and memory limits and its throttling from its own cgroup, as the
// kernel enforces them: cgroup v1 (cpu.cfs_quota_us, cpu.cfs_period_us, memory.limit_in_bytes)
// or v2 (cpu.max, memory.max); cpu.stat counts throttled periods in both. Pure parsing; the
// script below prints the files in a fixed order so one exec reads all of them.

export const CGROUP_SCRIPT = [
  'if [ -f /sys/fs/cgroup/cpu.max ]; then',
  '  echo version=2; echo "cpu.max=$(cat /sys/fs/cgroup/cpu.max)"; echo "memory.max=$(cat /sys/fs/cgroup/memory.max)"; cat /sys/fs/cgroup/cpu.stat',
  'else',
  '  echo version=1; echo "cfs_quota_us=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"; echo "cfs_period_us=$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"',
  '  echo "memory.limit_in_bytes=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"; cat /sys/fs/cgroup/cpu/cpu.stat',
  'fi',
].join('\n');

export interface CgroupReading {
  version: 1 | 2;
  /** CPU quota in cores (quota / period), undefined when unlimited. */
  cpuLimitCores?: number;
  /** Memory limit in bytes, undefined when unlimited. */
  memoryLimitBytes?: number;
  periods: number;
  throttledPeriods: number;
  /** Time throttled, in seconds. */
  throttledSeconds: number;
}

/** v1 reports "no limit" as a huge number rounded to the page size. */
const V1_UNLIMITED = 2 ** 62;

export function parseCgroupReading(output: string): CgroupReading {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^([a-z_.]+)[= ](.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) values.set(m[1], m[2].trim());
  }
  const version = values.get('version');
  if (version !== '1' && version !== '2') throw new Error(`cannot read the cgroup: expected "version=1" or "version=2" first, got: ${output.trim().slice(0, 200) || '(nothing)'}`);
  const num = (key: string): number | undefined => {
    const v = values.get(key);
    return v === undefined || !/^-?\d+$/.test(v) ? undefined : Number(v);
  };
  const stat = (key: string): number => {
    const v = num(key);
    if (v === undefined) throw new Error(`cannot read the cgroup: cpu.stat has no ${key} in: ${output.trim().slice(0, 300)}`);
    return v;
  };
  if (version === '1') {
    const quota = num('cfs_quota_us');
    const period = num('cfs_period_us');
    const memory = num('memory.limit_in_bytes');
    return {
      version: 1,
      ...(quota !== undefined && quota > 0 && period !== undefined && period > 0 ? { cpuLimitCores: quota / period } : {}),
      ...(memory !== undefined && memory < V1_UNLIMITED ? { memoryLimitBytes: memory } : {}),
      periods: stat('nr_periods'),
      throttledPeriods: stat('nr_throttled'),
      throttledSeconds: stat('throttled_time') / 1e9,
    };
  }
  const [quota, period] = (values.get('cpu.max') ?? '').split(/\s+/);
  const memory = values.get('memory.max');
  return {
    version: 2,
    ...(quota !== undefined && /^\d+$/.test(quota) && period !== undefined && Number(period) > 0 ? { cpuLimitCores: Number(quota) / Number(period) } : {}),
    ...(memory !== undefined && /^\d+$/.test(memory) ? { memoryLimitBytes: Number(memory) } : {}),
    periods: stat('nr_periods'),
    throttledPeriods: stat('nr_throttled'),
    throttledSeconds: stat('throttled_usec') / 1e6,
  };
}
