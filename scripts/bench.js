// `npm run bench`: runs each benchmark script in its own node process, one after another, and prints their figures.
// `npm run bench -- check` runs only the scripts whose name contains "check". `--engine URL` (e.g.
// postgres://user@host:port/db) also times bench-run.js's evaluation on that engine, beside DuckDB's.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every benchmark; add new ones here (e.g. the runner's bench-run.js). */
const BENCHES = ['bench-check.js', 'bench-run.js', 'bench-clv.js'];

const args = process.argv.slice(2);
const engineAt = args.indexOf('--engine');
const engine = engineAt >= 0 ? args.splice(engineAt, 2)[1] : undefined;
if (engineAt >= 0 && !engine) {
    console.error('bench: --engine needs a URL, e.g. --engine postgres://user@127.0.0.1:5432/db');
    process.exit(2);
}
const filters = args;
const selected = BENCHES.filter(name => filters.length === 0 || filters.some(f => name.includes(f)));
if (selected.length === 0) {
    console.error(`bench: no benchmark matches ${filters.join(', ')}; there are ${BENCHES.join(', ')}.`);
    process.exit(2);
}

let failed = 0;
for (const name of selected) {
    console.log(`\n== ${name}`);
    const env = engine ? { ...process.env, MPLAN_BENCH_ENGINE: engine } : process.env;
    const result = spawnSync(process.execPath, [path.join(here, name)], { stdio: 'inherit', env });
    if (result.status !== 0) {
        console.error(`bench: ${name} failed (exit ${result.status ?? result.signal}).`);
        failed++;
    }
}
process.exitCode = failed > 0 ? 1 : 0;
