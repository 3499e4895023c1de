// The DNS expectation of a check: a Service's name resolves, from a pod, to its ClusterIP.
// Retries until the dnsResolve deadline (records appear a moment after the Service) and fails
// with what was expected, what the resolver said and where to look.
import type { V1Service } from '@kubernetes/client-node';
import type { SetupContext } from './context.js';
import { CheckFailure } from './errors.js';
import { WaitTimeoutError } from '../errors.js';
import { lookupFromPod, serviceFqdn, type Lookup } from '../cluster/dns.js';
import { kubectlExec, type ContainerRef } from '../cluster/exec.js';
import { pollUntil } from '../cluster/wait.js';

export async function expectServiceNameResolves(t: SetupContext, from: ContainerRef, svc: V1Service, resolvConf: string): Promise<Lookup> {
  const name = serviceFqdn(svc.metadata?.name ?? '?', svc.metadata?.namespace ?? '?', t.config.clusterDomain);
  const expected = svc.spec?.clusterIP ?? '?';
  const nameserver = /^nameserver\s+(\S+)/m.exec(resolvConf)?.[1] ?? 'unknown';
  let last: Lookup | undefined;
  let lastError: unknown;
  try {
    return await pollUntil(
      async () => {
        try {
          last = await lookupFromPod(t.clients.kc, from, name, t.deadline('exec'), t.signal);
          lastError = undefined;
          return last;
        } catch (err) {
          lastError = err;
          throw err;
        }
      },
      (lookup) => lookup.addresses.includes(expected),
      {
        expectation: `${name} to resolve to ${expected}`,
        deadline: t.deadline('dnsResolve'),
        signal: t.signal,
        describe: (lookup) => (lookup === undefined ? 'no answer' : `addresses ${lookup.addresses.join(', ') || 'none'}; nslookup: ${lookup.output.replace(/\s+/g, ' ').slice(0, 300)}`),
      },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const said = last === undefined ? `the lookup itself failed: ${lastError instanceof Error ? lastError.message : String(lastError)}` : last.addresses.length > 0 ? `answered ${last.addresses.join(', ')}` : `said "${last.output.replace(/\s+/g, ' ').slice(0, 200)}"`;
    throw new CheckFailure(
      `cluster DNS (nameserver ${nameserver}) did not resolve ${name} to ${expected}, the ClusterIP of Service ${svc.metadata?.namespace ?? '?'}/${svc.metadata?.name ?? '?'}, within ${t.timeouts.label('dnsResolve')}: the resolver ${said}`,
      { details: `${err.details ?? err.message}\nreproduce: ${kubectlExec(from, ['nslookup', name])}\n/etc/resolv.conf:\n${resolvConf}`, cause: err },
    );
  }
}
