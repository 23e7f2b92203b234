// `npm run bench`: runs each benchmark script in its own node process, one after another, and prints their figures.
// `npm run bench -- check` runs only the scripts whose name contains "check".
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every benchmark; add new ones here (e.g. the runner's bench-run.js). */
const BENCHES = ['bench-check.js', 'bench-run.js', 'bench-clv.js'];

const filters = process.argv.slice(2);
const selected = BENCHES.filter(name => filters.length === 0 || filters.some(f => name.includes(f)));
if (selected.length === 0) {
    console.error(`bench: no benchmark matches ${filters.join(', ')}; there are ${BENCHES.join(', ')}.`);
    process.exit(2);
}

let failed = 0;
for (const name of selected) {
    console.log(`\n== ${name}`);
    const result = spawnSync(process.execPath, [path.join(here, name)], { stdio: 'inherit' });
    if (result.status !== 0) {
        console.error(`bench: ${name} failed (exit ${result.status ?? result.signal}).`);
        failed++;
    }
}
process.exitCode = failed > 0 ? 1 : 0;
