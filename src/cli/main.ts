#!/usr/bin/env node
// The `kube-assay` executable.
import { main } from './program.js';

main(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`kube-assay: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(4);
  },
);
