// `npm run bench`: runs every bench in dist/bench (*.bench.js), one after another, each in its
// own process so one bench's cluster state and memory do not affect the next. Arguments filter
// by name: `npm run bench -- storage` runs only storage.bench.js. Exits with the worst exit code.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file)], { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if (benches.length === 0) {
    console.error(`bench: no bench matches ${filters.join(', ') || '*.bench.js'} in ${here}; run npm run build first.`);
    return 2;
  }
  let worst = 0;
  for (const file of benches) {
    console.log(`=== ${file}`);
    worst = Math.max(worst, await run(file));
  }
  return worst;
}

main().then((code) => process.exit(code));
