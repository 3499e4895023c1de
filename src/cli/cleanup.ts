// `kube-assay cleanup [--run-id ID]`: removes what runs left behind (including namespaces kept by
// --keep-on-failure), found by our labels only.
import { isValidRunId } from '../cluster/names.js';
import { sweep } from '../cluster/sweep.js';
import type { CliFlags } from '../config/types.js';
import { UsageError } from '../errors.js';
import { connect, describeTarget } from './session.js';
import { configWithSuites } from './suites.js';
import { ExitCode } from './exit-codes.js';

export async function cleanupCommand(flags: CliFlags & { runId?: string }, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (flags.runId !== undefined && !isValidRunId(flags.runId)) {
    throw new UsageError(`--run-id "${flags.runId}" is not a run id (they look like 20251121t214500-3fa2): copy it from the run's output or report.json.`);
  }
  const { config } = await configWithSuites(flags);
  const say = (line: string): void => void out.write(`${line}\n`);
  const session = await connect(config, say, { permissions: [
    { verb: 'list', resource: 'namespaces', neededBy: [] },
    { verb: 'delete', resource: 'namespaces', neededBy: [] },
  ] });
  if (session.target !== undefined) describeTarget({ access: session.access, target: session.target }).forEach(say);
  const scope = flags.runId === undefined ? 'every kube-assay run' : `run ${flags.runId}`;
  say(`removing objects labelled by kube-assay for ${scope}`);
  const result = await sweep(session.clients, flags.runId, { name: 'namespaceDelete', ms: session.timeouts.ms('namespaceDelete') });
  say(`deleted ${result.namespaces.length} namespace(s)${result.namespaces.length > 0 ? `: ${result.namespaces.join(', ')}` : ''}`);
  if (result.clusterObjects.length > 0) say(`deleted ${result.clusterObjects.length} cluster-scoped object(s): ${result.clusterObjects.join(', ')}`);
  for (const e of result.errors) say(`problem: ${e}`);
  return result.errors.length > 0 ? ExitCode.Failed : ExitCode.Passed;
}
