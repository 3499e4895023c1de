// The batched probe: ONE shell script per source pod and round, which starts every probe of that
// pod in the background, waits for all of them and prints one `@ka <index> <exit> <output>` line
// per probe. Building the script and reading its output are pure, so both are unit-tested; the
// exec itself lives in cluster-runner.ts.
//
// Tools (all in the probe image), picked per probe for speed without losing meaning:
// - busybox `nc -w T host port` for TCP to a probe pod: a busybox applet costs about a
//   millisecond to start, while agnhost (a 60 MB Go binary) costs 20-30 ms of CPU, which across
//   hundreds of probes on a small node is what made batches slow. The probe pods' TCP servers
//   write their name and close, so nc connects, reads and exits 0; it says "Connection
//   refused" or "timed out" otherwise.
// - UDP to a probe pod: the in-pod agent (agnhost netexec, see manifests.ts) asked over
//   loopback with busybox `wget`: GET /dial?protocol=udp sends a datagram and returns the reply
//   or the error as JSON ({"responses":[...]} or {"errors":["... connection refused"]}). The
//   agent waits up to 5 s for a reply, which would make every round with a dropped datagram
//   last 5 s (enforcers that DROP, and kube-router's rejects once the kernel's ICMP rate limit
//   holds them back); so `timeout` stops wget one second after the probe timeout, and being
//   stopped there reads as no reply (blocked), as for the other tools' own timeouts. That costs
//   one busybox applet start, not agnhost's. Debian's busybox nc has no UDP.
// - `/agnhost connect host:port --protocol=...` for SCTP, for targets that are not probe pods,
//   and for UDP when the pods have no agent: it says WHY it failed (TIMEOUT, REFUSED, DNS,
//   OTHER) and for UDP waits for the serve-hostname reply, so silence is a drop.
// - busybox `nslookup` for UDP to a DNS server: only a real query proves the server is
//   reachable. Read with classifyNslookup.
import { classifyAgnhostConnect, probeKey, type Probe, type ProbeOutcome } from './probe.js';
import { findExternal, findPod, type Topology } from './topology.js';

export type ProbeTool = 'nc' | 'dial' | 'connect' | 'dns';

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
  /** Port of the in-pod agent on loopback; UDP probes of pods go through it when set. */
  agentPort?: number;
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
/** Longest tool output kept per probe in evidence; agnhost's messages are one short line. */
const MAX_OUTPUT = 300;

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Resolves destinations and picks the tool of each probe, numbering them for the script. */
export function scriptProbes(probes: readonly Probe[], topology: Topology, options: { agent?: boolean } = {}): ScriptedProbe[] {
  return probes.map((probe, index) => {
    const base = { index, key: probeKey(probe), probe };
    const pod = findPod(topology, probe.to);
    const external = pod === undefined ? findExternal(topology, probe.to) : undefined;
    let tool: ProbeTool = 'connect';
    if (external?.dnsServer === true && probe.protocol === 'UDP') tool = 'dns';
    else if (pod !== undefined && probe.protocol === 'TCP') tool = 'nc';
    else if (pod !== undefined && probe.protocol === 'UDP' && options.agent === true) tool = 'dial';
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

/** How long a UDP probe through the agent may take: the probe timeout plus a second for the
 *  HTTP request to the agent on a busy node. */
function dialBoundSeconds(timeoutSeconds: number): number {
  return timeoutSeconds + 1;
}

/** Exit statuses of a tool stopped by `timeout`: busybox's (SIGTERM) and coreutils'. */
const STOPPED_BY_TIMEOUT: readonly number[] = [143, 124];

/** Whether the agent's dial was stopped at its bound before printing anything: no reply. */
function dialStoppedAtBound(exitCode: number, output: string): boolean {
  return STOPPED_BY_TIMEOUT.includes(exitCode) && output === '';
}

/** The command of one probe, without the surrounding reporting. */
export function probeCommand(item: ScriptedProbe, options: ProbeScriptOptions): string[] {
  if (item.address === undefined) throw new Error(`probeCommand: ${item.key} has no address`);
  const timeout = Math.max(1, Math.round(options.timeoutSeconds));
  if (item.tool === 'dns') return ['nslookup', `-timeout=${timeout}`, '-retry=1', options.dnsName, item.address];
  if (item.tool === 'nc') return ['nc', '-w', String(timeout), item.address, String(item.probe.port)];
  if (item.tool === 'dial') {
    if (options.agentPort === undefined) throw new Error(`probeCommand: ${item.key} needs the probe agent, but no agentPort is set`);
    const query = `request=hostname&protocol=udp&host=${encodeURIComponent(item.address)}&port=${item.probe.port}&tries=1`;
    return ['timeout', String(dialBoundSeconds(timeout)), 'wget', '-q', '-O', '-', `http://127.0.0.1:${options.agentPort}/dial?${query}`];
  }
  return [
    options.agnhostPath ?? '/agnhost', 'connect', hostPort(item.address, item.probe.port),
    `--timeout=${timeout}s`, `--protocol=${item.probe.protocol.toLowerCase()}`,
  ];
}

/**
 * The script for one source pod. `p` runs one probe and prints its result line; every probe
 * runs in the background, so the batch takes about as long as its slowest probe. Kept lean on
 * purpose (one subshell and the tool per probe, no pipes; `timeout` only for the agent's UDP
 * dial, whose own wait is 5 s), because process starts are what a round costs on a small node.
 * Every tool has its own timeout; the exec deadline bounds the batch if one hangs anyway (its
 * probes then read probe-failed). `set -f` stops the unquoted `$o` (which joins the tool's
 * output onto one line) from expanding globs.
 * Probes without an address are left out (the parser reports them as probe-failed).
 */
export function buildProbeScript(items: readonly ScriptedProbe[], options: ProbeScriptOptions): string {
  const lines = ['set -f', `p(){ i=$1; shift; o=$("$@" 2>&1); echo "${RESULT_MARKER} $i $?" $o; }`];
  for (const item of items) {
    if (item.address === undefined) continue;
    // stdin from /dev/null: nc would otherwise wait on the exec's (absent) input.
    lines.push(`p ${item.index} ${probeCommand(item, options).map(shellQuote).join(' ')} </dev/null &`);
  }
  lines.push('wait', `echo ${DONE_MARKER}`);
  return lines.join('\n');
}

/**
 * Reads busybox nc connecting over TCP: exit 0 means connected (allowed); refused or timed out
 * (an enforcer rejecting or dropping) and the unreachable errors some enforcers' rejects
 * produce mean blocked; anything else (bad address, missing applet) is probe-failed.
 */
export function classifyNc(exitCode: number, output: string): ProbeOutcome {
  if (exitCode === 0) return 'allowed';
  if (/connection refused|timed out|no route to host|host is unreachable|network is unreachable|operation not permitted/i.test(output)) return 'blocked';
  return 'probe-failed';
}

/**
 * Reads the agent's /dial answer for UDP: a reply is allowed; "connection refused" (an
 * enforcer's ICMP reject), "i/o timeout" (no reply in the agent's 5 s) or wget stopped by its
 * `timeout` bound with nothing printed (no reply within dialBoundSeconds: dropped) is blocked;
 * a failed request to the agent itself (wget error, e.g. refused on loopback) or anything else
 * is probe-failed.
 */
export function classifyDial(exitCode: number, output: string): ProbeOutcome {
  if (dialStoppedAtBound(exitCode, output)) return 'blocked';
  if (STOPPED_BY_TIMEOUT.includes(exitCode)) return 'probe-failed';
  // Read by pattern, not JSON.parse: the output line is cut to a bounded length.
  if (exitCode !== 0 || !output.startsWith('{')) return 'probe-failed';
  if (/"responses":\["/.test(output)) return 'allowed';
  if (/"errors":\[/.test(output) && /connection refused|i\/o timeout/i.test(output)) return 'blocked';
  return 'probe-failed';
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
  // The agent's dial is the one probe with a `timeout` bound of its own: stopped there is no reply.
  if (item.tool === 'dial') return classifyDial(exitCode, output);
  // Killed by a signal (SIGTERM 143, SIGKILL 137, timeout(1) 124): no verdict, a broken probe.
  if (exitCode === 143 || exitCode === 137 || exitCode === 124) return 'probe-failed';
  // 126/127: the tool could not be run at all (missing binary, not executable).
  if (exitCode === 126 || exitCode === 127) return 'probe-failed';
  if (item.tool === 'dns') return classifyNslookup(exitCode, output);
  if (item.tool === 'nc') return classifyNc(exitCode, output);
  return classifyAgnhostConnect(exitCode, output);
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
    byIndex.set(Number(match[1]), { exitCode: Number(match[2]), output: (match[3] ?? '').trim().slice(0, MAX_OUTPUT) });
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
    const detail = item.tool === 'dial' && dialStoppedAtBound(result.exitCode, result.output) ? `exit ${result.exitCode}: no reply before the probe's time bound (wget stopped by timeout)`
      : result.output === '' ? `exit ${result.exitCode}` : `exit ${result.exitCode}: ${result.output}`;
    observations.set(item.key, { outcome, detail });
  }
  return observations;
}

/** Every probe of a batch failed for the same infrastructure reason (e.g. the exec failed). */
export function failBatch(items: readonly ScriptedProbe[], reason: string): Map<string, ProbeObservation> {
  return new Map(items.map((item) => [item.key, { outcome: 'probe-failed' as const, detail: reason }]));
}
