// The git that `mplan diff` needs: the repository's top, the base revision, which files differ from it, and a file's
// bytes at it. Git runs as a program with an argument list (execFile), never through a shell: revisions and paths come
// from pull requests.
import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Plans and their imports are at most 5 MB each; listings of large repositories are bigger. */
const MAX_BUFFER = 256 * 1024 * 1024;

export class GitError extends Error {}

function git(args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile('git', args, { cwd, maxBuffer: MAX_BUFFER, encoding: 'utf8' }, (error, stdout, stderr) => {
            if (error) {
                const code = (error as NodeJS.ErrnoException).code;
                reject(new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : (stderr || error.message).trim().split('\n')[0]));
            } else resolve(stdout);
        });
    });
}

/** The top folder of the repository holding `cwd` (real path), or undefined outside one. */
export async function repositoryTop(cwd: string): Promise<string | undefined> {
    try {
        return path.resolve((await git(['rev-parse', '--show-toplevel'], cwd)).trim());
    } catch (error) {
        if (error instanceof GitError && /not installed/.test(error.message)) throw error;
        return undefined;
    }
}

/** The commit a revision names, or undefined when it names none. */
export async function resolveCommit(top: string, revision: string): Promise<string | undefined> {
    // `--end-of-options`: a revision that starts with `-` is a revision, not an option.
    try {
        return (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], top)).trim() || undefined;
    } catch {
        return undefined;
    }
}

/** The default base: where the branch left the remote's default branch (`origin/HEAD`), else `HEAD`. */
export async function defaultBase(top: string): Promise<{ revision: string; commit: string } | undefined> {
    if (await resolveCommit(top, 'origin/HEAD')) {
        try {
            const commit = (await git(['merge-base', 'HEAD', 'origin/HEAD'], top)).trim();
            if (commit) return { revision: 'merge-base of HEAD and origin/HEAD', commit };
        } catch {
            // No common history (a shallow clone): fall back to HEAD.
        }
    }
    const head = await resolveCommit(top, 'HEAD');
    return head ? { revision: 'HEAD', commit: head } : undefined;
}

function nulList(text: string): string[] {
    return text.split('\0').filter(s => s.length > 0);
}

/** Every file path (relative to the top, with `/`) at a commit. */
export async function filesAt(top: string, commit: string): Promise<Set<string>> {
    return new Set(nulList(await git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit], top)));
}

/** Files that differ between a commit and the working copy (tracked, staged or not), and new untracked files. */
export async function changedSince(top: string, commit: string): Promise<string[]> {
    const [tracked, untracked] = await Promise.all([
        git(['diff', '--name-only', '-z', '--no-renames', commit, '--'], top),
        git(['ls-files', '--others', '--exclude-standard', '-z'], top)
    ]);
    return [...new Set([...nulList(tracked), ...nulList(untracked)])];
}

/** Tracked and untracked (not ignored) files of the working copy. */
export async function workingFiles(top: string): Promise<string[]> {
    return nulList(await git(['ls-files', '--cached', '--others', '--exclude-standard', '-z'], top));
}

/**
 * A file's bytes at a commit. Synchronous because the plan loader follows imports one file at a time; each call is one
 * short `git cat-file`.
 */
export function readAt(top: string, commit: string, relative: string): Buffer {
    return execFileSync('git', ['cat-file', 'blob', `${commit}:${relative}`], { cwd: top, maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** A path inside the top as git names it (relative, with `/`), or undefined outside it. */
export function gitPath(top: string, absolute: string): string | undefined {
    const relative = path.relative(top, absolute);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
}
