// Writing reports and exports atomically: every file is written to a temporary name in the same folder, flushed,
// then renamed over the old one, so an interrupted run never leaves a half-written file over the last good one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export function temporaryPath(target: string): string {
    return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes all files, or none: contents go to temporary files first; the renames come last. */
export function writeFilesAtomically(files: Array<{ path: string; content: string }>): void {
    const staged: Array<{ temp: string; target: string }> = [];
    try {
        for (const file of files) {
            fs.mkdirSync(path.dirname(file.path), { recursive: true });
            const temp = temporaryPath(file.path);
            staged.push({ temp, target: file.path });
            const fd = fs.openSync(temp, 'w');
            try {
                fs.writeFileSync(fd, file.content, 'utf8');
                fs.fsyncSync(fd);
            } finally {
                fs.closeSync(fd);
            }
        }
        for (const { temp, target } of staged) fs.renameSync(temp, target);
    } catch (error) {
        for (const { temp } of staged) fs.rmSync(temp, { force: true });
        throw error;
    }
}

/** Renames already-written temporary files into place (for exports the engine writes itself). */
export function commitRenames(staged: Array<{ temp: string; target: string }>): void {
    for (const { temp, target } of staged) fs.renameSync(temp, target);
}
