// Shared by the `mplan diff` tests: a throwaway git repository holding the shipped win-back plan, its channels library
// and its example data (copied into the repository by the test, never committed to ours).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, repoRoot } from './helpers.js';

export const PLAN = 'retention/winback.mplan';
export const CHANNELS = 'shared/channels.mplan';

/** Runs git in `cwd` with a fixed identity, returning stdout. */
export function git(cwd: string, ...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=mplan test', '-c', 'user.email=test@mplan.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']
    });
}

/** A git repository with the win-back example committed on `main`: retention/winback.mplan, its data, shared/channels.mplan. */
export function exampleRepository(): string {
    const dir = makeTempDir();
    const copy = (from: string, to: string) => fs.cpSync(path.join(repoRoot, from), path.join(dir, to), { recursive: true });
    copy('examples/retention/winback.mplan', PLAN);
    copy('examples/retention/data', 'retention/data');
    copy('examples/shared/channels.mplan', CHANNELS);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'The win-back plan');
    return dir;
}

export function readPlan(dir: string, file = PLAN): string {
    return fs.readFileSync(path.join(dir, file), 'utf8');
}

export function writePlan(dir: string, text: string, file = PLAN): void {
    fs.writeFileSync(path.join(dir, file), text);
}

/** Replaces text in a plan, failing when the text is not there (a test must not pass on a replace that did nothing). */
export function edit(text: string, from: string, to: string): string {
    if (!text.includes(from)) throw new Error(`the plan has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
}
