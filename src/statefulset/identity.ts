// Identity of StatefulSet replicas: names and start order, hostnames, per-pod DNS from peers,
// and one bound claim per replica holding that replica's own data.
import type { V1Pod } from '@kubernetes/client-node';
import type { CheckContext } from '../harness/context.js';
import { CheckFailure } from '../harness/errors.js';
import { expectEqual, expectThat } from '../harness/expect.js';
import { containerOf, execIn, execOk } from '../harness/probes.js';
import { describeFailedLookups, lookupPeer, parseResolvConf, type PeerLookup } from './dns.js';
import { CLAIM_TEMPLATE, claimsOf, identityOf, listSetClaims, podsOf, type SetFixture, type StatefulSetFixture } from './fixture.js';
import { claimName, podFqdn } from './manifests.js';
import { orderedStartViolations } from './order.js';
import { livePods } from './workload.js';

export async function checkOrderedStart(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const pods = podsOf(f.web, f.web.replicas);
  const verdict = orderedStartViolations(f.startTransitions, pods);
  t.attachTable(`pod events of StatefulSet ${f.web.name} while it started, in watch order`, ['#', 'event'], verdict.sequence.map((e, i) => [String(i + 1), e]));
  for (const gap of f.recorder.gaps) t.warn(`pod recorder: ${gap}`);
  expectEqual(`podManagementPolicy of StatefulSet ${f.web.name} (left unset, so the API default)`, 'OrderedReady', f.web.podManagementPolicy);
  expectEqual(`pods of StatefulSet ${f.web.name}`, pods, [...f.web.pods.keys()].sort());
  expectThat(verdict.violations.length === 0, `StatefulSet ${f.web.name} did not start in order: ${verdict.violations.join('; ')}`, verdict.sequence.join('\n'));
}

async function currentPods(t: CheckContext, f: StatefulSetFixture, set: SetFixture): Promise<Map<string, V1Pod>> {
  return livePods((await t.clients.core.listNamespacedPod({ namespace: f.namespace, labelSelector: set.selector })).items);
}

export async function checkHostnames(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const pods = podsOf(f.web, f.web.replicas);
  const live = await currentPods(t, f, f.web);
  t.step(`run hostname and hostname -f in ${pods.join(', ')}`);
  const rows = await Promise.all(
    pods.map(async (pod) => {
      const out = await execOk(t, containerOf(f.namespace, pod), ['sh', '-c', 'hostname; hostname -f'], `read the hostname of ${pod}`);
      const [short = '', full = ''] = out.trim().split('\n').map((l) => l.trim());
      const spec = live.get(pod)?.spec;
      return { pod, short, full, expectedFull: podFqdn(pod, f.web.service, f.namespace, t.config.clusterDomain).replace(/\.$/, ''), spec: `${spec?.hostname ?? '?'} / ${spec?.subdomain ?? '?'}` };
    }),
  );
  t.attachTable('hostnames', ['pod', 'hostname', 'hostname -f', 'spec hostname / subdomain'], rows.map((r) => [r.pod, r.short, r.full, r.spec]));
  for (const r of rows) {
    expectEqual(`hostname inside pod ${r.pod}`, r.pod, r.short);
    expectEqual(`fully qualified hostname inside pod ${r.pod}`, r.expectedFull, r.full);
  }
}

export async function checkPeerDns(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const pods = podsOf(f.web, f.web.replicas);
  const live = await currentPods(t, f, f.web);
  const first = pods[0] ?? '';
  const resolvConf = (await execIn(t, containerOf(f.namespace, first), ['cat', '/etc/resolv.conf'])).stdout;
  t.attachText(`/etc/resolv.conf of ${first}`, resolvConf.trim());
  const conf = parseResolvConf(resolvConf);
  t.step('resolve every replica by <pod>.<service> and by its full name from every other replica');
  const lookups: Array<Promise<PeerLookup>> = [];
  for (const from of pods) {
    for (const to of pods) {
      if (from === to) continue;
      const ip = live.get(to)?.status?.podIP ?? '?';
      const source = containerOf(f.namespace, from);
      lookups.push(lookupPeer(t, source, `${to}.${f.web.service}`, ip, conf));
      lookups.push(lookupPeer(t, source, podFqdn(to, f.web.service, f.namespace, t.config.clusterDomain), ip, conf));
    }
  }
  const results = await Promise.all(lookups);
  t.attachTable(
    'per-pod DNS seen from peers',
    ['from', 'name', 'expected (pod IP)', 'answer', 'answered as'],
    results.map((r) => [r.from, r.name, r.expected, r.ok ? (r.resolution?.addresses.join(', ') ?? '') : `FAILED: ${r.problem ?? ''}`, r.resolution?.answeredBy ?? '']),
    results.map((r) => [null, null, null, r.ok ? 'ok' : 'bad', null]),
  );
  const message = describeFailedLookups(results, conf.nameservers[0] ?? 'unknown', t.timeouts.label('dnsResolve'));
  if (message !== '') throw new CheckFailure(message, { details: results.filter((r) => !r.ok).map((r) => `reproduce: ${r.reproduce}`).join('\n') });
}

export async function checkVolumeClaims(t: CheckContext, f: StatefulSetFixture): Promise<void> {
  const pods = podsOf(f.web, f.web.replicas);
  const claims = new Map((await listSetClaims(t, f.namespace, f.web.name)).map((c) => [c.metadata?.name ?? '?', c]));
  const live = await currentPods(t, f, f.web);
  t.step(`read ${CLAIM_TEMPLATE} claims and each replica's identity file`);
  const rows = await Promise.all(
    pods.map(async (pod, n) => {
      const name = claimName(CLAIM_TEMPLATE, f.web.name, n);
      const claim = claims.get(name);
      const mounted = live.get(pod)?.spec?.volumes?.find((v) => v.name === CLAIM_TEMPLATE)?.persistentVolumeClaim?.claimName;
      const identity = await identityOf(t, f.namespace, pod);
      return { pod, name, claim, mounted, identity };
    }),
  );
  t.attachTable(
    'claims and identities',
    ['pod', 'claim', 'phase', 'volume', 'mounted claim', 'identity on the volume'],
    rows.map((r) => [r.pod, r.name, r.claim?.status?.phase ?? 'missing', r.claim?.spec?.volumeName ?? '', r.mounted ?? '', r.identity === undefined ? '(unreadable)' : `${r.identity.pod} ${r.identity.uid}`]),
  );
  expectEqual(`claims of StatefulSet ${f.web.name}`, claimsOf(f.web, f.web.replicas), [...claims.keys()].sort());
  const volumes = new Set<string>();
  for (const r of rows) {
    expectThat(r.claim?.status?.phase === 'Bound', `claim ${r.name} of ${r.pod} is ${r.claim?.status?.phase ?? 'missing'}, expected Bound`);
    expectEqual(`claim mounted by ${r.pod}`, r.name, r.mounted);
    expectEqual(`identity ${r.pod} wrote to its own volume`, `${r.pod} ${f.web.pods.get(r.pod)?.uid ?? '?'}`, r.identity === undefined ? undefined : `${r.identity.pod} ${r.identity.uid}`);
    volumes.add(r.claim?.spec?.volumeName ?? '');
  }
  expectEqual('distinct volumes behind the claims', rows.length, volumes.size);
}
