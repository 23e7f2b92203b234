// Which plan files a command works on: named files as given, folders searched recursively for *.mplan.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLAN_EXTENSION, isPlanPath } from '../language/imports.js';

export interface CollectedFiles {
    /** Absolute paths, each once, in argument order (folders sorted). Named files are kept even if they do not exist. */
    files: string[];
    /** Folders named on the command line that hold no plan file, or cannot be read: one sentence each. */
    folderProblems: string[];
}

/**
 * Expands the command-line paths. A folder contributes every *.mplan below it, skipping node_modules and hidden
 * entries (dot-folders such as .git, and dot-files such as editor lock files or our own temp files). A named file is
 * taken as it is: if it is missing or not a plan, that is reported on the file itself.
 */
export function collectPlanFiles(args: string[], cwd: string = process.cwd()): CollectedFiles {
    const seen = new Set<string>();
    const files: string[] = [];
    const folderProblems: string[] = [];
    const add = (file: string) => {
        if (!seen.has(file)) {
            seen.add(file);
            files.push(file);
        }
    };
    for (const arg of args.length > 0 ? args : ['.']) {
        const absolute = path.resolve(cwd, arg);
        if (!isDirectory(absolute)) {
            add(absolute);
            continue;
        }
        const found: string[] = [];
        try {
            walk(absolute, found, true);
        } catch (error) {
            folderProblems.push(`cannot read folder ${arg}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
            continue;
        }
        if (found.length === 0) folderProblems.push(`no ${PLAN_EXTENSION} files found in ${arg}`);
        found.sort().forEach(add);
    }
    return { files, folderProblems };
}

function isDirectory(absolute: string): boolean {
    try {
        return fs.statSync(absolute).isDirectory();
    } catch {
        return false;
    }
}

function walk(folder: string, found: string[], top: boolean): void {
    let entries: fs.Dirent[];
    try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (error) {
        // The folder named on the command line must be readable; an unreadable subfolder is skipped.
        if (top) throw error;
        return;
    }
    for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== 'node_modules') walk(full, found, false);
        } else if (isPlanPath(entry.name)) {
            // Symlinked plan files count; symlinked folders are not followed (they can form cycles).
            if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) found.push(full);
        }
    }
}

function isFile(absolute: string): boolean {
    try {
        return fs.statSync(absolute).isFile();
    } catch {
        return false;
    }
}

/**
 * Why a named file cannot be a plan although it exists: the language is registered for `.mplan` only (case matters,
 * as in the language server), and the parser cannot even be chosen for anything else.
 */
export function notAPlanFile(file: string): string | undefined {
    if (isPlanPath(file) || isDirectory(file) || !fs.existsSync(file)) return undefined;
    return `Not a plan file: plan file names end in ${PLAN_EXTENSION}.`;
}
