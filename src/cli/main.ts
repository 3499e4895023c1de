#!/usr/bin/env node
// The `kube-assay` executable. A plain `env node` shebang, so the bin runs where `env -S` does
// not exist (busybox, Alpine); the V8 sizing it used to pass lives in node-flags.ts.
import { main } from './program.js';

main(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`kube-assay: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(4);
  },
);
