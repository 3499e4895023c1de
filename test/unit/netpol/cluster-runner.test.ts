import { expect } from 'chai';
import { ClusterProbeRunner, PerCellProbeRunner, type ExecFn } from '../../../src/netpol/cluster-runner.js';
import { planProbes, probeKey } from '../../../src/netpol/probe.js';
import { DEFAULT_PORTS } from '../../../src/netpol/topology.js';
import { topologyWithIPs } from './fixture.js';

type Target = Parameters<ExecFn>[0];

/** Answers a batched script like the probe pod would: every `p <i> ...` line gets a result. */
function scriptAnswer(script: string, answer: (line: string) => string): string {
  const lines = script.split('\n').filter((l) => l.startsWith('p '));
  return `${lines.map((l) => `@ka ${l.split(' ')[1] ?? '?'} ${answer(l)}`).join('\n')}\n@ka-done\n`;
}

/** What a healthy pod answers: nc prints the server's name, the agent a JSON reply. */
const connected = (line: string): string => (line.includes(' wget ') ? '0 {"responses":["a"]}' : '0 a');

function recordingExec(answer: (target: Target, line: string) => string | Error): { exec: ExecFn; calls: Array<{ target: Target; command: string[] }> } {
  const calls: Array<{ target: Target; command: string[] }> = [];
  const exec: ExecFn = (target, command) => {
    calls.push({ target, command });
    const script = command[2] ?? '';
    const failure = answer(target, '');
    if (failure instanceof Error) return Promise.reject(failure);
    return Promise.resolve({ stdout: scriptAnswer(script, (line) => String(answer(target, line))), stderr: '', exitCode: 0 });
  };
  return { exec, calls };
}

function at<T>(items: readonly T[], index = 0): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const topology = topologyWithIPs({ namespaces: ['x', 'y', 'z'], pods: ['a', 'b', 'c'] });
const options = { kc: undefined as never, topology, execDeadline: { name: 'netpolProbeBatch', ms: 1000 }, timeoutSeconds: 2, dnsName: 'k.default', agentPort: 8079 };

describe('netpol cluster probe runner (batched, with a fake exec)', () => {
  const probes = planProbes(topology, { ports: DEFAULT_PORTS });

  it('GIVEN the full 324-probe matrix THEN it makes exactly one exec per source pod (9), into its first server container, and answers every probe', async () => {
    const { exec, calls } = recordingExec((_t, line) => connected(line));
    const runner = new ClusterProbeRunner(options, exec);
    const outcomes = await runner.probeAll(probes);
    expect(calls).to.have.length(9);
    expect(runner.execCount).to.equal(9);
    expect(calls.map((c) => `${c.target.namespace}/${c.target.pod}/${c.target.container}`)).to.include('y/b/cont-80-tcp');
    expect(calls.every((c) => c.command[0] === 'sh' && c.command[1] === '-c')).to.equal(true);
    expect(calls.every((c) => (c.command[2] ?? '').split('\n').filter((l) => l.startsWith('p ')).length === 36)).to.equal(true);
    expect(outcomes.size).to.equal(324);
    expect([...outcomes.values()].every((o) => o === 'allowed')).to.equal(true);
    expect(runner.evidence.get(probeKey(at(probes)))?.detail).to.equal('exit 0: a');
  });

  it('GIVEN an exec that fails for one source pod THEN only its probes are probe-failed, with the reason, never blocked', async () => {
    const { exec } = recordingExec((target, line) => (target.namespace === 'x' && target.pod === 'b' ? new Error('500 container not found') : connected(line)));
    const runner = new ClusterProbeRunner(options, exec);
    const outcomes = await runner.probeAll(probes);
    const fromXb = probes.filter((p) => p.from === 'x/b');
    expect(fromXb.every((p) => outcomes.get(probeKey(p)) === 'probe-failed')).to.equal(true);
    expect(runner.evidence.get(probeKey(at(fromXb)))?.detail).to.equal('exec failed: 500 container not found');
    expect(probes.filter((p) => p.from !== 'x/b').every((p) => outcomes.get(probeKey(p)) === 'allowed')).to.equal(true);
  });

  it('GIVEN the check is aborted while an exec fails THEN the runner rethrows instead of reporting probe results', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    const { exec } = recordingExec(() => new Error('interrupted by SIGINT'));
    const runner = new ClusterProbeRunner({ ...options, signal: controller.signal }, exec);
    let caught: unknown;
    await runner.probeAll(probes.slice(0, 3)).catch((err: unknown) => (caught = err));
    expect(String(caught)).to.include('interrupted');
  });

  it('GIVEN UDP probes and an agent port THEN they go to the agent by wget bounded by timeout; TCP by nc', async () => {
    const { exec, calls } = recordingExec(() => '0 {"responses":["a"]}');
    await new ClusterProbeRunner(options, exec).probeAll(probes.filter((p) => p.from === 'x/a' && p.to === 'y/b'));
    const script = calls[0]?.command[2] ?? '';
    expect(script).to.match(/^p \d+ nc -w 2 10\.0\.2\.2 80 </m);
    expect(script).to.match(/^p \d+ timeout 3 wget -q -O - 'http:\/\/127\.0\.0\.1:8079\/dial\?request=hostname&protocol=udp&host=10\.0\.2\.2&port=81&tries=1'/m);
  });

  it('GIVEN exec-per-cell THEN it makes one exec per probe, never more than the pool size at once, with the same answers', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const exec: ExecFn = async (_target, command) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { stdout: scriptAnswer(command[2] ?? '', connected), stderr: '', exitCode: 0 };
    };
    const subset = probes.slice(0, 20);
    const runner = new PerCellProbeRunner(options, 3, exec);
    const outcomes = await runner.probeAll(subset);
    expect(runner.execCount).to.equal(20);
    expect(maxInFlight).to.equal(3);
    expect([...outcomes.values()].every((o) => o === 'allowed')).to.equal(true);
  });
});
