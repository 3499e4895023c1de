// The routing expectation of a check: requests through a Service reach every backend. Fails
// with what was expected, what answered and a command to reproduce.
import type { ClusterClients } from '../cluster/client.js';
import { execInContainer, kubectlExec, type ContainerRef } from '../cluster/exec.js';
import { httpGetLoopCommand } from '../cluster/services.js';
import { pollUntil, type Deadline } from '../cluster/wait.js';
import { WaitTimeoutError } from '../errors.js';
import { CheckFailure } from './errors.js';

/** Sends batches of requests through `url` from a client pod until every expected backend has
 *  answered. Fails with what was expected, what answered and a command to reproduce. */
export async function expectAllBackendsAnswer(
  clients: ClusterClients,
  from: ContainerRef,
  url: string,
  expectedBackends: readonly string[],
  deadline: Deadline,
  execDeadline: Deadline,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let failures = 0;
  const command = httpGetLoopCommand(url, 10);
  try {
    await pollUntil(
      async () => {
        const result = await execInContainer(clients.kc, from, command, execDeadline, signal);
        for (const line of result.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
          if (line === 'request-failed') failures += 1;
          else seen.set(line, (seen.get(line) ?? 0) + 1);
        }
        return seen;
      },
      (s) => expectedBackends.every((b) => s.has(b)),
      {
        expectation: `every backend (${expectedBackends.join(', ')}) to answer through ${url}`,
        deadline,
        signal,
        describe: () => `answers by backend: ${[...seen].map(([b, n]) => `${b}=${n}`).join(', ') || 'none'}; failed requests: ${failures}`,
      },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const missing = expectedBackends.filter((b) => !seen.has(b));
    throw new CheckFailure(
      `requests to ${url} from ${from.namespace}/${from.pod} did not reach ${missing.join(', ')}: expected answers from ${expectedBackends.join(', ')}, seen ${[...seen.keys()].join(', ') || 'no answer'} (${failures} failed requests)`,
      { details: `${err.details ?? err.message}\nreproduce: ${kubectlExec(from, command)}`, cause: err },
    );
  }
  return seen;
}
