// Entry of a --parallel child: runs one suite in-process and sends progress and its part of the
// result to the parent over IPC. Never started by users directly.
import { errorSentence } from '../cluster/api-errors.js';
import { CleanupStack } from '../cluster/cleanup-stack.js';
import { createClients } from '../cluster/client.js';
import { primeReadiness } from '../cluster/readiness.js';
import { defaultEnvironment, resolveClusterAccess } from '../cluster/kubeconfig.js';
import { Timeouts } from '../cluster/timeouts.js';
import { packageRoot } from '../config/paths.js';
import { InterruptedError } from '../errors.js';
import { compileGrep } from '../harness/discover.js';
import { runSuitesInProcess } from '../harness/runner.js';
import { ComponentFindings } from '../harness/findings.js';
import { setRuntime } from '../harness/runtime.js';
import type { ChildMessage, ChildRequest } from './parallel.js';
import { installSignalHandlers } from './signals.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

async function runChild(request: ChildRequest): Promise<void> {
  const { config } = request;
  const access = resolveClusterAccess({ kubeconfig: config.kubeconfig, context: config.context }, defaultEnvironment(packageRoot));
  const timeouts = new Timeouts(config.timeoutScale);
  const clients = createClients(access.kc, { retryBudget: timeouts.deadline('apiUnavailable') });
  await primeReadiness(access.kc);
  const interrupt = new AbortController();
  const signals = installSignalHandlers(
    (signal) => interrupt.abort(new InterruptedError(signal)),
    () => process.exit(130),
  );
  const cleanup = new CleanupStack();
  setRuntime({
    clients,
    config,
    runId: request.runId,
    cluster: request.cluster,
    probeImage: request.probeImage,
    timeouts,
    cleanup,
    progress: { emit: (event) => void send({ type: 'progress', event }) },
    interrupt: interrupt.signal,
    findings: new ComponentFindings(),
  });
  try {
    const suites = await runSuitesInProcess({ files: request.suite.files, grep: compileGrep(config.grep), sink: { emit: (event) => void send({ type: 'progress', event }) }, interrupt: interrupt.signal });
    await cleanup.runAll();
    await send({ type: 'result', suites, apiRequests: clients.requestCount(), maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  } finally {
    signals.dispose();
  }
}

process.once('message', (raw: unknown) => {
  const request = raw as ChildRequest;
  runChild(request)
    .then(() => process.exit(0))
    .catch(async (err: unknown) => {
      await send({ type: 'error', message: errorSentence(err) });
      process.exit(4);
    });
});
