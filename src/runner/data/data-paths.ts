// Before the engine opens: every data path must lie inside the roots of the plan being run (its repository, or its
// own folder outside one; imported files' sources count against the same roots) or a folder the user allowed with
// --data-root or MPLAN_DATA_ROOTS. A path outside is refused without being read, so no line of it reaches a log.
import { AstUtils, GrammarUtils } from 'langium';
import { checkDataPath, DATA_ROOTS_ENV, dataRootsOf } from '../../language/data-roots.js';
import { displayPath } from '../../language/display-path.js';
import type { RunnerPlan, SourcePlan } from '../plan/runner-plan.js';

export class DataPathRefused extends Error {
    constructor(readonly refused: Array<{ source: SourcePlan; location: string }>, readonly root: string) {
        super(refused.map(r => refusalMessage(r.source, r.location, root)).join('\n'));
    }
}

/** Refuses data paths outside the roots; points every other source at its real path, which the engine then reads. */
export function confineDataPaths(plan: RunnerPlan, extraRoots: readonly string[] = []): void {
    const roots = dataRootsOf(plan.file, extraRoots);
    const refused: Array<{ source: SourcePlan; location: string }> = [];
    // A table source has no path: the database it names is the engine's business.
    for (const source of plan.sources.filter(s => !s.table)) {
        const verdict = checkDataPath(source.path, roots);
        if (verdict.inside) source.readPath = verdict.realPath;
        else refused.push({ source, location: locationOf(source) });
    }
    if (refused.length > 0) throw new DataPathRefused(refused, roots[0]);
}

/** A plan's table sources on an engine that has no tables of the user's: DuckDB, embedded and empty. */
export class TableSourcesRefused extends Error {
    constructor(message: string, readonly engine: string) {
        super(message);
    }
}

/** Refuses every table source when the engine is one that holds no user tables (nothing is looked up, nothing read). */
export function refuseTableSources(plan: RunnerPlan, engine: string): void {
    const tables = plan.sources.filter(s => s.table);
    if (tables.length === 0) return;
    throw new TableSourcesRefused(tables.map(s => `${locationOf(s)}: error: ${s.path} of source ${s.name} does not exist on the ${engine} engine; ` +
        'table sources need --engine with a database that has it').join('\n'), engine);
}

/** `plans/q4.mplan:6:27`: where the path (or table name) is written, as `mplan check` prints positions. */
function locationOf(source: SourcePlan): string {
    const file = displayPath(AstUtils.getDocument(source.node).uri.fsPath);
    const range = GrammarUtils.findNodeForProperty(source.node.$cstNode, 'path')?.range ?? source.node.$cstNode?.range;
    return range ? `${file}:${range.start.line + 1}:${range.start.character + 1}` : file;
}

function refusalMessage(source: SourcePlan, location: string, root: string): string {
    return `${location}: error: data file "${source.declaredPath}" of source ${source.name} is outside the plan's root folder ${root} ` +
        `(after resolving .. and symlinks), so it is not read. To allow it, pass --data-root with its folder ` +
        `(or list the folder in ${DATA_ROOTS_ENV}).`;
}
