import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildProbeScript, classifyDial, classifyNc, classifyNslookup, DONE_MARKER, failBatch, parseProbeOutput, probeCommand, scriptProbes, type ProbeScriptOptions,
} from '../../../src/netpol/cluster-script.js';
import type { Probe } from '../../../src/netpol/probe.js';
import { buildTopology, CLOUD_METADATA, CLUSTER_DNS, withIPs } from '../../../src/netpol/topology.js';

const OPTIONS: ProbeScriptOptions = { timeoutSeconds: 2, dnsName: 'kubernetes.default.svc.cluster.local' };

function lab() {
  const topology = buildTopology({ namespaces: ['x', 'y'], pods: ['a', 'b'], externals: [CLUSTER_DNS, CLOUD_METADATA] }, { namespaceName: (n) => `ka-r-${n}` });
  return withIPs(topology, { 'x/a': '10.0.1.1', 'x/b': '10.0.1.2', 'y/a': '10.0.2.1', 'cluster-dns': '10.0.9.9' });
}

const probe = (from: string, to: string, port: number, protocol: Probe['protocol']): Probe => ({ from, to, port, protocol });

describe('netpol batched probe script', () => {
  const topology = lab();
  const probes: Probe[] = [
    probe('x/a', 'y/a', 80, 'TCP'),
    probe('x/a', 'y/a', 80, 'UDP'),
    probe('x/a', 'cluster-dns', 53, 'UDP'),
    probe('x/a', 'cluster-dns', 53, 'TCP'),
    probe('x/a', 'cloud-metadata', 80, 'TCP'),
    probe('x/a', 'y/b', 80, 'TCP'), // y/b has no IP in this topology
  ];
  const items = scriptProbes(probes, topology);
  const at = (i: number) => {
    const item = items[i];
    if (item === undefined) throw new Error(`no item ${i}`);
    return item;
  };

  it('GIVEN pod, DNS and address targets THEN each probe gets the right tool and address, numbered in order', () => {
    expect(items.map((i) => [i.index, i.tool, i.address])).to.deep.equal([
      [0, 'nc', '10.0.2.1'], [1, 'connect', '10.0.2.1'], [2, 'dns', '10.0.9.9'], [3, 'connect', '10.0.9.9'],
      [4, 'connect', '169.254.169.254'], [5, 'nc', undefined],
    ]);
    expect(items[5]?.problem).to.equal('the address of y/b is not known');
  });

  it('GIVEN each tool THEN its command carries the timeout, protocol and address (IPv6 in brackets for agnhost)', () => {
    expect(probeCommand(at(0), OPTIONS)).to.deep.equal(['nc', '-w', '2', '10.0.2.1', '80']);
    expect(probeCommand(at(1), OPTIONS)).to.deep.equal(['/agnhost', 'connect', '10.0.2.1:80', '--timeout=2s', '--protocol=udp']);
    expect(probeCommand(at(2), OPTIONS)).to.deep.equal(['nslookup', '-timeout=2', '-retry=1', 'kubernetes.default.svc.cluster.local', '10.0.9.9']);
 const v6 = scriptProbes([probe('x/a', 'cloud-metadata', 80, 'TCP')], { ...topology, externals: [{ ...CLOUD_METADATA, ip: 'fd00::1' }] });
    expect(probeCommand(v6[0] ?? at(4), { ...OPTIONS, agnhostPath: '/bin/agnhost' })).to.deep.equal(['/bin/agnhost', 'connect', '[fd00::1]:80', '--timeout=2s', '--protocol=tcp']);
  });

  it('GIVEN a batch THEN the script starts every addressable probe in the background, waits, and ends with the done marker', () => {
    const script = buildProbeScript(items, OPTIONS);
    const lines = script.split('\n');
    expect(lines.slice(0, 2)).to.deep.equal(['set -f', 'p(){ i=$1; shift; o=$("$@" 2>&1); echo "@ka $i $?" $o; }']);
    expect(lines.filter((l) => l.startsWith('p '))).to.deep.equal([
      'p 0 nc -w 2 10.0.2.1 80 </dev/null &',
      'p 1 /agnhost connect 10.0.2.1:80 --timeout=2s --protocol=udp </dev/null &',
      'p 2 nslookup -timeout=2 -retry=1 kubernetes.default.svc.cluster.local 10.0.9.9 </dev/null &',
      'p 3 /agnhost connect 10.0.9.9:53 --timeout=2s --protocol=tcp </dev/null &',
      'p 4 /agnhost connect 169.254.169.254:80 --timeout=2s --protocol=tcp </dev/null &',
    ]);
    expect(lines.slice(-2)).to.deep.equal(['wait', `echo ${DONE_MARKER}`]);
  });

  it('GIVEN pods with a probe agent THEN UDP to a pod goes through the agent over loopback; UDP to other targets does not', () => {
    const withAgent = scriptProbes(probes, topology, { agent: true });
    expect(withAgent.map((i) => i.tool)).to.deep.equal(['nc', 'dial', 'dns', 'connect', 'connect', 'nc']);
    const dial = withAgent[1];
    if (dial === undefined) throw new Error('no dial probe');
    expect(probeCommand(dial, { ...OPTIONS, agentPort: 8079 })).to.deep.equal(
      ['timeout', '3', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8079/dial?request=hostname&protocol=udp&host=10.0.2.1&port=80&tries=1']);
    expect(() => probeCommand(dial, OPTIONS)).to.throw(/no agentPort/);
    expect(buildProbeScript([dial], { ...OPTIONS, agentPort: 8079 })).to.include("p 1 timeout 3 wget -q -O - 'http://127.0.0.1:8079/dial?request=hostname&protocol=udp&host=10.0.2.1&port=80&tries=1' </dev/null &");
  });

  describe('run by a real sh with stand-in tools', () => {
    // The only prerequisite is a POSIX sh at /bin/sh (the busybox tools are replaced by the
    // stand-ins written below, whose #! lines name it); without one the test is skipped with the
    // reason, decided before anything runs. Once it runs, any failure of the script (a syntax
    // error, a missing result line) fails the test.
    const SH = '/bin/sh';
    before(function () {
      if (!existsSync(SH)) {
        console.log(`      skipped: no POSIX sh at ${SH} to run the generated probe script`);
        this.skip();
      }
    });

    it('GIVEN the script THEN every result line comes back and parses (one line per probe, even with multi-line output)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ka-script-'));
      try {
        // Stand-ins: nc succeeds for .1 addresses and is refused otherwise; agnhost prints two lines and fails.
        writeFileSync(join(dir, 'nc'), '#!/bin/sh\ncase "$3" in *.1) echo a; exit 0;; *) echo "nc: can\'t connect to remote host ($3): Connection refused" >&2; exit 1;; esac\n');
        writeFileSync(join(dir, 'agnhost'), '#!/bin/sh\necho "TIMEOUT: read udp"; echo "second line" >&2; exit 1\n');
        writeFileSync(join(dir, 'nslookup'), '#!/bin/sh\necho "Name: kubernetes"; exit 0\n');
        for (const tool of ['nc', 'agnhost', 'nslookup']) chmodSync(join(dir, tool), 0o755);
        const script = buildProbeScript(items, { ...OPTIONS, agnhostPath: join(dir, 'agnhost') });
        // Throws, and so fails the test with sh's message, when the script does not run.
        const stdout = execFileSync(SH, ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8' });
        expect(stdout.trimEnd().endsWith(DONE_MARKER), 'the script ran to its done marker').to.equal(true);
        const observed = parseProbeOutput(items, stdout);
        expect([...observed.values()].map((o) => o.outcome)).to.deep.equal(['allowed', 'blocked', 'allowed', 'blocked', 'blocked', 'probe-failed']);
        expect(observed.get(items[1]?.key ?? '')?.detail).to.equal('exit 1: TIMEOUT: read udp second line');
        expect(observed.get(items[5]?.key ?? '')?.detail).to.equal('not probed: the address of y/b is not known');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it('GIVEN an agent that never answers a UDP dial THEN timeout stops wget at its bound and the probe reads blocked', function () {
      // Needs a timeout(1) on PATH, as the probe image has; skipped with the reason otherwise.
      const timeoutTool = ['/usr/bin/timeout', '/bin/timeout'].find((path) => existsSync(path));
      if (timeoutTool === undefined) {
        console.log('      skipped: no timeout(1) on this machine to bound the stand-in wget');
        this.skip();
      }
      const dir = mkdtempSync(join(tmpdir(), 'ka-script-'));
      try {
        writeFileSync(join(dir, 'wget'), '#!/bin/sh\nexec sleep 30\n');
        chmodSync(join(dir, 'wget'), 0o755);
        const dial = scriptProbes([probe('x/a', 'x/b', 80, 'UDP')], lab(), { agent: true });
        const script = buildProbeScript(dial, { ...OPTIONS, timeoutSeconds: 1, agentPort: 8079 });
        const stdout = execFileSync(SH, ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8', timeout: 20_000 });
        expect(stdout.trimEnd().endsWith(DONE_MARKER), 'the script ran to its done marker').to.equal(true);
        expect([...parseProbeOutput(dial, stdout).values()].map((o) => o.outcome)).to.deep.equal(['blocked']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('parsing', () => {
    it('GIVEN result lines in any order among noise THEN each probe gets its own outcome and evidence', () => {
      const stdout = [
        'some noise',
        '@ka 3 1 REFUSED: dial tcp 10.0.9.9:53: connect: connection refused',
        '@ka 0 0 a',
        '@ka 2 1 ;; connection timed out; no servers could be reached',
        '@ka 1 0 ',
        '@ka 4 1 OTHER: dial tcp: no route to host',
        DONE_MARKER,
      ].join('\n');
      const observed = parseProbeOutput(items, stdout);
      expect([...observed.values()].map((o) => o.outcome)).to.deep.equal(['allowed', 'allowed', 'blocked', 'blocked', 'blocked', 'probe-failed']);
      expect(observed.get(items[0]?.key ?? '')?.detail).to.equal('exit 0: a');
      expect(observed.get(items[1]?.key ?? '')?.detail).to.equal('exit 0');
    });

    it('GIVEN a tool killed by a signal or missing THEN it is probe-failed, never blocked', () => {
      const observed = parseProbeOutput(items.slice(0, 3), ['@ka 0 143 ', '@ka 1 127 sh: /agnhost: not found', '@ka 2 137', DONE_MARKER].join('\n'));
      expect([...observed.values()].map((o) => o.outcome)).to.deep.equal(['probe-failed', 'probe-failed', 'probe-failed']);
    });

    it('GIVEN output cut off before the done marker THEN missing probes are probe-failed and say the script did not finish', () => {
      const observed = parseProbeOutput(items.slice(0, 2), '@ka 0 0 a\n');
      expect(observed.get(items[1]?.key ?? '')).to.deep.equal({ outcome: 'probe-failed', detail: 'no result line (the script did not run to the end)' });
      const finished = parseProbeOutput(items.slice(0, 2), `@ka 0 0 a\n${DONE_MARKER}\n`);
      expect(finished.get(items[1]?.key ?? '')?.detail).to.equal('no result line (the script finished without a result for it)');
    });

    it('GIVEN an exec that failed THEN the whole batch is probe-failed with the reason', () => {
      const failed = failBatch(items.slice(0, 2), 'exec failed: 500');
      expect([...failed.values()]).to.deep.equal([{ outcome: 'probe-failed', detail: 'exec failed: 500' }, { outcome: 'probe-failed', detail: 'exec failed: 500' }]);
    });
  });

  describe('classifiers', () => {
    it('GIVEN busybox nc results THEN connected is allowed, refused/timed out/unreachable blocked, anything else probe-failed', () => {
      expect(classifyNc(0, 'a')).to.equal('allowed');
      expect(classifyNc(1, "nc: can't connect to remote host (10.0.0.1): Connection refused")).to.equal('blocked');
      expect(classifyNc(1, 'nc: timed out')).to.equal('blocked');
      expect(classifyNc(1, "nc: can't connect to remote host (10.0.0.1): No route to host")).to.equal('blocked');
      expect(classifyNc(1, 'nc: bad address \'x\'')).to.equal('probe-failed');
      expect(classifyNc(1, '')).to.equal('probe-failed');
    });

    it('GIVEN answers of the agent THEN a reply is allowed, refused or timed out is blocked, a broken agent probe-failed', () => {
      expect(classifyDial(0, '{"responses":["a"]}')).to.equal('allowed');
      expect(classifyDial(0, `{"errors":["reading from udp connection failed. err:'read udp 10.0.1.1:4->10.0.2.1:81: read: connection refused'"]}`)).to.equal('blocked');
      expect(classifyDial(0, `{"errors":["reading from udp connection failed. err:'read udp 10.0.1.1:4->10.0.2.1:81: i/o timeout'"]}`)).to.equal('blocked');
      expect(classifyDial(0, '{"errors":["udp dial failed. err:dial udp: address x: missing port"]}')).to.equal('probe-failed');
      expect(classifyDial(1, 'wget: can\'t connect to remote host (127.0.0.1): Connection refused')).to.equal('probe-failed');
      expect(classifyDial(0, 'not json')).to.equal('probe-failed');
    });

    it('GIVEN the agent\'s dial stopped by its timeout bound THEN silence is blocked, anything printed or any other signal probe-failed', () => {
      expect(classifyDial(143, '')).to.equal('blocked');
      expect(classifyDial(124, '')).to.equal('blocked');
      expect(classifyDial(143, 'wget: short read')).to.equal('probe-failed');
      expect(classifyDial(137, '')).to.equal('probe-failed');
      const dial = scriptProbes([{ from: 'x/a', to: 'x/b', port: 80, protocol: 'UDP' }], lab(), { agent: true });
      expect(dial.map((i) => i.tool)).to.deep.equal(['dial']);
      const observed = parseProbeOutput(dial, ['@ka 0 143', DONE_MARKER].join('\n'));
      expect([...observed.values()]).to.deep.equal([{ outcome: 'blocked', detail: "exit 143: no reply before the probe's time bound (wget stopped by timeout)" }]);
      // The same exit status of any other tool is a broken probe, never a block.
      const nc = scriptProbes([{ from: 'x/a', to: 'x/b', port: 80, protocol: 'TCP' }], lab(), { agent: true });
      expect(parseProbeOutput(nc, ['@ka 0 143', DONE_MARKER].join('\n')).get(nc[0]?.key ?? '')?.outcome).to.equal('probe-failed');
    });

    it('GIVEN busybox nslookup results THEN any answer (even NXDOMAIN) is allowed, refused or no server blocked', () => {
      expect(classifyNslookup(0, 'Name: kubernetes.default')).to.equal('allowed');
      expect(classifyNslookup(1, "** server can't find x.cluster.local: NXDOMAIN")).to.equal('allowed');
      expect(classifyNslookup(1, ";; connection timed out; no servers could be reached")).to.equal('blocked');
      expect(classifyNslookup(1, "nslookup: write to '10.0.9.9': Connection refused ;; connection timed out; no servers could be reached")).to.equal('blocked');
      expect(classifyNslookup(1, 'nslookup: bad address')).to.equal('probe-failed');
    });
  });
});
