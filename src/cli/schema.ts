// `kube-assay schema`: the whole config schema (harness keys and every suite's section), the
// same one `--config` files are validated against.
import { configSchema } from '../config/schema.js';
import { ExitCode } from './exit-codes.js';
import { knownSuites } from './suites.js';

export async function schemaCommand(out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { definitions } = await knownSuites();
  out.write(`${JSON.stringify(configSchema(definitions), null, 2)}\n`);
  return ExitCode.Passed;
}
