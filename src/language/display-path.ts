// How every command prints a file's path. It lives in the language layer so that the CLI, the runner and its reports
// all print paths the same way without the runner importing the CLI.
import * as path from 'node:path';

/** The path as printed: relative to `cwd`, forward slashes on every platform. */
export function displayPath(absolute: string, cwd: string = process.cwd()): string {
    const relative = path.relative(cwd, absolute) || path.basename(absolute);
    return relative.split(path.sep).join('/');
}
