// Per-pod DNS of a StatefulSet as a peer sees it. Short names (`web-1.web`) resolve through the
// search list of the pod's /etc/resolv.conf; busybox nslookup does not apply that list, so the
// candidates are expanded here exactly as the C library does (ndots, search order) and each is
// asked in turn from inside the pod. The table then shows which name answered.
import { kubectlExec, type ContainerRef } from '../cluster/exec.js';
import { lookupFromPod, type Lookup } from '../cluster/dns.js';
import { pollUntil } from '../cluster/wait.js';
import type { SetupContext } from '../harness/context.js';
import { WaitTimeoutError } from '../errors.js';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1 };
  for (const raw of text.split('\n')) {
    const [keyword, ...args] = raw.trim().split(/\s+/);
    if (keyword === 'nameserver' && args[0] !== undefined) conf.nameservers.push(args[0]);
    // The last search or domain line wins.
    else if (keyword === 'search') conf.search = args;
    else if (keyword === 'domain' && args[0] !== undefined) conf.search = [args[0]];
    else if (keyword === 'options') {
      for (const option of args) {
        const ndots = /^ndots:(\d+)$/.exec(option);
        if (ndots?.[1] !== undefined) conf.ndots = Math.min(Number(ndots[1]), 15);
      }
    }
  }
  return conf;
}

/** Fully qualified names a resolver tries for `name`, in order (resolv.conf(5)). */
export function resolverCandidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name];
  const searched = conf.search.map((domain) => `${name}.${domain.replace(/\.$/, '')}.`);
  const dots = name.split('.').length - 1;
  return dots >= conf.ndots ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

export interface Resolution {
  name: string;
  /** The candidate that answered, if any. */
  answeredBy?: string;
  addresses: string[];
  tried: Lookup[];
}

export async function resolveFromPod(t: SetupContext, from: ContainerRef, name: string, conf: ResolvConf): Promise<Resolution> {
  const tried: Lookup[] = [];
  for (const candidate of resolverCandidates(name, conf)) {
    const lookup = await lookupFromPod(t.clients.kc, from, candidate, t.deadline('exec'), t.signal);
    tried.push(lookup);
    if (lookup.addresses.length > 0) return { name, answeredBy: candidate, addresses: lookup.addresses, tried };
    // No server answered at all: the next candidate would only time out the same way.
    if (/no servers could be reached|connection refused/i.test(lookup.output)) break;
  }
  return { name, addresses: [], tried };
}

export interface PeerLookup {
  from: string;
  name: string;
  expected: string;
  resolution?: Resolution;
  ok: boolean;
  /** Set when it failed: what the resolver said. */
  problem?: string;
  reproduce: string;
}

function said(r: Resolution | undefined, error: unknown): string {
  if (r === undefined) return `the lookup itself failed: ${error instanceof Error ? error.message : String(error)}`;
  if (r.addresses.length > 0) return `answered ${r.addresses.join(', ')}${r.answeredBy !== undefined && r.answeredBy !== r.name ? ` (as ${r.answeredBy})` : ''}`;
  // The first candidate is the name that should have answered (the search-list expansion in the
  // pod's own namespace); later candidates failing is normal.
  const first = r.tried[0];
  return `said "${(first?.output ?? 'nothing').replace(/\s+/g, ' ').slice(0, 160)}" for ${first?.name ?? r.name} (also tried ${r.tried.slice(1).map((l) => l.name).join(', ') || 'nothing else'})`;
}

/** Resolves `name` from `from` until it answers `expected` or dnsResolve passes; never throws
 *  for a wrong or missing answer (the caller tabulates all lookups), only when interrupted. */
export async function lookupPeer(t: SetupContext, from: ContainerRef, name: string, expected: string, conf: ResolvConf): Promise<PeerLookup> {
  let last: Resolution | undefined;
  let lastError: unknown;
  const reproduce = kubectlExec(from, ['nslookup', resolverCandidates(name, conf)[0] ?? name]);
  try {
    last = await pollUntil(
      async () => {
        try {
          last = await resolveFromPod(t, from, name, conf);
          lastError = undefined;
          return last;
        } catch (err) {
          lastError = err;
          throw err;
        }
      },
      (r) => r.addresses.includes(expected),
      { expectation: `${name} to resolve to ${expected}`, deadline: t.deadline('dnsResolve'), signal: t.signal, describe: (r) => said(r, lastError) },
    );
    return { from: from.pod, name, expected, resolution: last, ok: true, reproduce };
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    return { from: from.pod, name, expected, resolution: last, ok: false, problem: said(last, lastError), reproduce };
  }
}

/** One sentence for failed lookups: the first in full, the rest counted. */
export function describeFailedLookups(lookups: readonly PeerLookup[], nameserver: string, timeoutLabel: string): string {
  const failed = lookups.filter((l) => !l.ok);
  const first = failed[0];
  if (first === undefined) return '';
  const more = failed.length > 1 ? `; ${failed.length - 1} more of ${lookups.length} lookups failed too` : '';
  return `cluster DNS (nameserver ${nameserver}) did not resolve ${first.name} from ${first.from} to ${first.expected}, the pod's IP, within ${timeoutLabel}: the resolver ${first.problem ?? 'gave no answer'}${more}`;
}
