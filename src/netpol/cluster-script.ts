// The batched probe: ONE shell script per source pod and round, which starts every probe of that
// pod in the background, waits for all of them and prints one `@ka <index> <exit> <output>` line
// per probe. Building the script and reading its output are pure, so both are unit-tested; the
// exec itself lives in cluster-runner.ts.
//
// Tools (both in the probe image):
// - `/agnhost connect host:port --protocol=tcp|udp|sctp`: says WHY it failed (TIMEOUT, REFUSED,
//   DNS, OTHER). For UDP it waits for the reply of the serve-hostname servers, so silence is a
//   drop. Read with classifyAgnhostConnect.
// - busybox `nslookup` for UDP to a DNS server: connect's payload is not a DNS query, so only a
//   real query proves the server is reachable. Read with classifyNslookup.
// Every probe runs under busybox `timeout`, so one hung tool cannot hold the exec.
import { classifyAgnhostConnect, probeKey, type Probe, type ProbeOutcome } from './probe.js';
import { findExternal, findPod, type Topology } from './topology.js';

export type ProbeTool = 'connect' | 'dns';

/** One probe with everything the script needs; `address` undefined means "cannot be probed". */
export interface ScriptedProbe {
  index: number;
  key: string;
  probe: Probe;
  tool: ProbeTool;
  address?: string;
  /** Why there is no address (e.g. the pod has no IP yet). */
  problem?: string;
}

export interface ProbeScriptOptions {
  /** Per-probe connect timeout in seconds (agnhost --timeout, nslookup -timeout). */
  timeoutSeconds: number;
  /** Path of agnhost in the probe image; default `/agnhost`. */
  agnhostPath?: string;
  /** Name a DNS probe asks for; any answer, even NXDOMAIN, proves the server was reached. */
  dnsName: string;
}

/** What one probe produced: the outcome plus the raw evidence, kept for reports. */
export interface ProbeObservation {
  outcome: ProbeOutcome;
  /** e.g. `exit 0`, `exit 1: REFUSED`, `no output line (exec failed: ...)`. */
  detail: string;
}

/** Marker of result lines; anything else the script prints is ignored. */
export const RESULT_MARKER = '@ka';
/** Printed after `wait`, proving the script ran to the end (a missing line is then a real gap). */
export const DONE_MARKER = '@ka-done';
/** Longest tool output kept per probe; agnhost's messages are one short line. */
const MAX_OUTPUT = 200;

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Resolves destinations and picks the tool of each probe, numbering them for the script. */
export function scriptProbes(probes: readonly Probe[], topology: Topology): ScriptedProbe[] {
  return probes.map((probe, index) => {
    const base = { index, key: probeKey(probe), probe };
    const pod = findPod(topology, probe.to);
    const external = pod === undefined ? findExternal(topology, probe.to) : undefined;
    const tool: ProbeTool = external?.dnsServer === true && probe.protocol === 'UDP' ? 'dns' : 'connect';
    const address = pod?.ip ?? external?.ip;
    if (pod === undefined && external === undefined) return { ...base, tool, problem: `${probe.to} is not in the topology` };
    if (address === undefined) return { ...base, tool, problem: `the address of ${probe.to} is not known` };
    return { ...base, tool, address };
  });
}

/** Single-quotes a word for sh. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./[\]-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command of one probe, without the surrounding reporting. */
export function probeCommand(item: ScriptedProbe, options: ProbeScriptOptions): string[] {
  if (item.address === undefined) throw new Error(`probeCommand: ${item.key} has no address`);
  const timeout = Math.max(1, Math.round(options.timeoutSeconds));
  if (item.tool === 'dns') return ['nslookup', `-timeout=${timeout}`, '-retry=1', options.dnsName, item.address];
  return [
    options.agnhostPath ?? '/agnhost', 'connect', hostPort(item.address, item.probe.port),
    `--timeout=${timeout}s`, `--protocol=${item.probe.protocol.toLowerCase()}`,
  ];
}

/**
 * The script for one source pod. `p` runs one probe under `timeout` (a hard cap a little above
 * the tool's own timeout), squeezes its output onto one line and prints the result line; every
 * probe runs in the background so the whole batch takes about as long as its slowest probe.
 * Probes without an address are left out (the parser reports them as probe-failed).
 */
export function buildProbeScript(items: readonly ScriptedProbe[], options: ProbeScriptOptions): string {
  const cap = Math.max(1, Math.round(options.timeoutSeconds)) * 2 + 1;
  const lines = [
    // `o=$(...)` keeps the tool's exit code in $?; `tr` joins lines, `cut` bounds the length.
    `p(){ i=$1; shift; o=$(timeout ${cap} "$@" 2>&1); r=$?; echo "${RESULT_MARKER} $i $r $(printf '%s' "$o" | tr '\\n\\r' '  ' | cut -c1-${MAX_OUTPUT})"; }`,
  ];
  for (const item of items) {
    if (item.address === undefined) continue;
    lines.push(`p ${item.index} ${probeCommand(item, options).map(shellQuote).join(' ')} &`);
  }
  lines.push('wait', `echo ${DONE_MARKER}`);
  return lines.join('\n');
}

/**
 * Reads busybox nslookup: exit 0, or any answer from the server (NXDOMAIN included), means the
 * server was reached; "connection refused" (an enforcer rejecting) or "no servers could be
 * reached" (dropped) means blocked; anything else, including being killed by `timeout`
 * (exit 124/143, it did not even finish its own retries), is probe-failed.
 */
export function classifyNslookup(exitCode: number, output: string): ProbeOutcome {
  if (exitCode === 0) return 'allowed';
  if (/server can't find|NXDOMAIN|SERVFAIL|REFUSED answer/i.test(output)) return 'allowed';
  if (/connection refused|no servers could be reached|connection timed out/i.test(output)) return 'blocked';
  return 'probe-failed';
}

const RESULT_LINE = new RegExp(`^${RESULT_MARKER} (\\d+) (\\d+) ?(.*)$`);

function classify(item: ScriptedProbe, exitCode: number, output: string): ProbeOutcome {
  // busybox `timeout` kills with SIGTERM: exit 143 (or 124 in other builds). The tool never
  // answered within twice its own timeout: that is a broken probe, not a verdict.
  if (exitCode === 143 || exitCode === 124) return 'probe-failed';
  // 126/127: the tool could not be run at all (missing binary, not executable).
  if (exitCode === 126 || exitCode === 127) return 'probe-failed';
  return item.tool === 'dns' ? classifyNslookup(exitCode, output) : classifyAgnhostConnect(exitCode, output);
}

/**
 * Turns the script's stdout into one observation per probe. A probe without a result line is
 * probe-failed: when the script did not reach its end the reason says so (the exec died), else
 * the line went missing. Never throws.
 */
export function parseProbeOutput(items: readonly ScriptedProbe[], stdout: string): Map<string, ProbeObservation> {
  const byIndex = new Map<number, { exitCode: number; output: string }>();
  let finished = false;
  for (const line of stdout.split('\n')) {
    const text = line.trimEnd();
    if (text === DONE_MARKER) finished = true;
    const match = RESULT_LINE.exec(text);
    if (match === null) continue;
    byIndex.set(Number(match[1]), { exitCode: Number(match[2]), output: (match[3] ?? '').trim() });
  }
  const observations = new Map<string, ProbeObservation>();
  for (const item of items) {
    if (item.address === undefined) {
      observations.set(item.key, { outcome: 'probe-failed', detail: `not probed: ${item.problem ?? 'no address'}` });
      continue;
    }
    const result = byIndex.get(item.index);
    if (result === undefined) {
      const why = finished ? 'the script finished without a result for it' : 'the script did not run to the end';
      observations.set(item.key, { outcome: 'probe-failed', detail: `no result line (${why})` });
      continue;
    }
    const outcome = classify(item, result.exitCode, result.output);
    const detail = result.output === '' ? `exit ${result.exitCode}` : `exit ${result.exitCode}: ${result.output}`;
    observations.set(item.key, { outcome, detail });
  }
  return observations;
}

/** Every probe of a batch failed for the same infrastructure reason (e.g. the exec failed). */
export function failBatch(items: readonly ScriptedProbe[], reason: string): Map<string, ProbeObservation> {
  return new Map(items.map((item) => [item.key, { outcome: 'probe-failed' as const, detail: reason }]));
}
