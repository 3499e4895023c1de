// Runs the CLI in-process with captured stdout and stderr, for the command-line tests.
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/program.js';

export interface Captured {
  code: number;
  out: string;
  err: string;
}

export async function cli(...args: string[]): Promise<Captured> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: string[] = [];
  const e: string[] = [];
  out.on('data', (c: Buffer) => o.push(c.toString()));
  err.on('data', (c: Buffer) => e.push(c.toString()));
  const code = await main(['node', 'kube-assay', ...args], { out: out as unknown as NodeJS.WriteStream, err });
  return { code, out: o.join(''), err: e.join('') };
}
