// Where a plan may read data: inside its root (the nearest folder above the plan holding `.git`, else the plan's own
// folder) or inside a folder the user allowed. Plans come from pull requests, so a data path must not reach a CI
// machine's secrets through `..`, an absolute path or a symlink. `mplan check` and the language server warn; `mplan run`
// and `mplan audience` refuse.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Extra data roots, a list separated by `path.delimiter` (`:` or `;` on Windows). */
export const DATA_ROOTS_ENV = 'MPLAN_DATA_ROOTS';

/** The plan's root: the nearest folder at or above the plan's own holding `.git` (a folder, or a file in worktrees). */
export function planRoot(planFile: string): string {
    const own = path.dirname(path.resolve(planFile));
    for (let dir = own; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, '.git'))) return dir;
        if (path.dirname(dir) === dir) return own;
    }
}

/** The folders a plan's data may come from: the plan's root, then the extra ones the user allowed. */
export function dataRootsOf(planFile: string, extraRoots: readonly string[] = []): string[] {
    return [planRoot(planFile), ...extraRoots.map(r => path.resolve(r))];
}

/** The folders `MPLAN_DATA_ROOTS` names, resolved against the working folder. */
export function rootsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
    return (env[DATA_ROOTS_ENV] ?? '').split(path.delimiter).map(s => s.trim()).filter(s => s.length > 0).map(s => path.resolve(s));
}

/** The real path (symlinks resolved); for a path that does not exist, its nearest existing ancestor's, plus the rest. */
export function realPathOf(file: string): string {
    const absolute = path.resolve(file);
    const rest: string[] = [];
    for (let current = absolute; ; current = path.dirname(current)) {
        try {
            return path.join(fs.realpathSync.native(current), ...rest);
        } catch {
            if (path.dirname(current) === current) return absolute;
            rest.unshift(path.basename(current));
        }
    }
}

export function isWithin(file: string, folder: string): boolean {
    const relative = path.relative(folder, file);
    // `..x` is a child named `..x`; another drive on Windows comes back absolute.
    return relative === '' || (!path.isAbsolute(relative) && relative !== '..' && !relative.startsWith('..' + path.sep));
}

export type DataPathVerdict = { inside: true; realPath: string } | { inside: false };

/**
 * Whether a data file lies inside one of the roots once symlinks are resolved. A path that is outside by its text alone
 * is never touched (no stat, no realpath): whether it exists is none of the plan's business.
 */
export function checkDataPath(file: string, roots: readonly string[]): DataPathVerdict {
    const absolute = path.resolve(file);
    const lexicalRoots = roots.map(r => path.resolve(r));
    const realRoots = lexicalRoots.map(realPathOf);
    if (![...lexicalRoots, ...realRoots].some(root => isWithin(absolute, root))) return { inside: false };
    const realPath = realPathOf(absolute);
    return realRoots.some(root => isWithin(realPath, root)) ? { inside: true, realPath } : { inside: false };
}
