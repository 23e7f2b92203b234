// Replaces a file's content so that a crash or a full disk never leaves it half-written: the new content goes to a
// temp file in the same folder (same file system, so the rename is atomic), which then takes the file's place.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, content: string): void {
    // Write through symlinks: renaming onto the link itself would replace it with a plain file.
    let target = file;
    try {
        target = fs.realpathSync(file);
    } catch {
        // A file that does not exist yet is written where it was named.
    }
    let mode: number | undefined;
    try {
        mode = fs.statSync(target).mode & 0o7777;
    } catch {
        mode = undefined;
    }
    // A dot-name, so `mplan check` on the folder never picks up a leftover temp file.
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
    let fd: number | undefined;
    try {
        fd = fs.openSync(temp, 'wx', mode ?? 0o666);
        fs.writeFileSync(fd, content, 'utf8');
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        // The umask may have narrowed the mode given to open; the formatted file keeps the original's.
        if (mode !== undefined) fs.chmodSync(temp, mode);
        fs.renameSync(temp, target);
    } catch (error) {
        if (fd !== undefined) {
            try { fs.closeSync(fd); } catch { /* already failing */ }
        }
        try { fs.unlinkSync(temp); } catch { /* never created */ }
        throw error;
    }
}
