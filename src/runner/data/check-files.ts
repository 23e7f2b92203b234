// Before any engine opens: is each data file inside the plan's data roots, there, a plain file, not empty, and of a
// format the runner reads? Apart from the loading itself, so that `mplan diff` can tell a plan whose data is not at
// hand without loading the engines' and the statistics' code.
import * as fs from 'node:fs';
import { formatOf } from '../sql/dialect.js';
import type { RunnerPlan } from '../plan/runner-plan.js';
import type { DataProblem } from './problems.js';
import { DataProblems } from './problems.js';
import { confineDataPaths } from './data-paths.js';

/**
 * The checks an engine session starts with (openPlanEngine), and `mplan diff` before it loads the runner: the data
 * paths confined to the plan's roots (DataPathRefused), then each file at hand (DataProblems).
 */
export function checkDataFiles(plan: RunnerPlan, extraRoots: readonly string[] = []): void {
    confineDataPaths(plan, extraRoots);
    checkFiles(plan);
}

/** Checks that each data file exists, is a plain file and has a format the runner reads, before the engine opens. */
function checkFiles(plan: RunnerPlan): void {
    const problems: DataProblem[] = [];
    // A table source has no file (its path is only a label).
    for (const source of plan.sources.filter(s => !s.table)) {
        const base = { file: source.path, source: source.name };
        if (!formatOf(source.path)) {
            problems.push({ ...base, message: 'the file is not .csv, .tsv, .parquet, .json or .jsonl, so the runner cannot read it' });
            continue;
        }
        let stat: fs.Stats;
        try {
            stat = fs.statSync(source.readPath);
        } catch {
            problems.push({ ...base, message: `file not found (declared as "${source.declaredPath}")` });
            continue;
        }
        if (!stat.isFile()) problems.push({ ...base, message: 'this is not a regular file' });
        else if (stat.size === 0) problems.push({ ...base, message: 'the file is empty' });
    }
    if (problems.length > 0) throw new DataProblems(problems);
}
