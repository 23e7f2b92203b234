// Shared by the CLI tests: run the built `mplan` binary, make throwaway folders of plans.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
export const specDir = path.resolve(repoRoot, '../shared/spec');
const bin = path.join(repoRoot, 'bin', 'mplan.js');

/** The CLI tests run the compiled code; say so plainly instead of failing with a module-not-found stack. */
export function assertBuilt(): void {
    const main = path.join(repoRoot, 'out', 'cli', 'main.js');
    if (!fs.existsSync(main)) {
        throw new Error(`${main} does not exist: run \`npm run build\` before the CLI tests.`);
    }
}

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * This process's environment with some variables set or, when undefined or empty, removed. Removed, not emptied: from
 * Node 22 on, a FORCE_COLOR that is set (even empty) beside NO_COLOR makes Node print a warning on stderr.
 */
function childEnv(changes: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const env = { ...process.env, ...changes };
    for (const [name, value] of Object.entries(changes)) if (value === undefined || value === '') delete env[name];
    return env;
}

/** Runs `node bin/mplan.js ...args` in `cwd` and resolves with its exit code and output (never rejects on exit code). */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        execFile(process.execPath, [bin, ...args], {
            cwd,
            env: childEnv({ NO_COLOR: '1', FORCE_COLOR: undefined, MPLAN_DEBUG: undefined, ...env }),
            maxBuffer: 64 * 1024 * 1024,
            timeout: 30_000
        }, (error, stdout, stderr) => {
            if (error && typeof error.code !== 'number') return reject(error);
            resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
        });
    });
}

/** Runs the CLI and closes its stdout after the first chunk, as `mplan check | head -1` does. */
export function runCliClosingStdout(args: string[], cwd: string): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd, env: childEnv({ NO_COLOR: '1', FORCE_COLOR: undefined, MPLAN_DEBUG: undefined }) });
        let stdout = '';
        let stderr = '';
        child.stdout.once('data', (chunk: Buffer) => {
            stdout = chunk.toString();
            child.stdout.destroy();
        });
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on('error', reject);
        child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }));
    });
}

/** A fresh temp folder holding the given files (paths relative to it; string or bytes). */
export function makeTempDir(files: Record<string, string | Buffer> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-cli-'));
    for (const [name, content] of Object.entries(files)) {
        const full = path.join(dir, name);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, content);
    }
    return dir;
}

export function removeDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}

/** A plan with no errors and no warnings (its data file exists next to it). */
export const VALID_PLAN = `plan "Valid" {
  objective retention
  customers people from "people.csv" key id {
    spend: number
  }
  channel email cost 0.10 per contact
  metric spend = people.spend
  campaign welcome {
    audience everyone
    channel email
    runs 2026-05-01 to 2026-05-31
    control 10% seed "welcome"
    goal lift(spend) >= 10% by 2026-07-01
  }
}
`;

export const PEOPLE_CSV = 'id,spend\n1,20\n2,35\n';

/** The same plan with a reference to a metric that does not exist (line 13). */
export const UNRESOLVED_PLAN = VALID_PLAN.replace('goal lift(spend)', 'goal lift(spending)');

/** A missing `from` path: a syntax error on line 3. */
export const SYNTAX_ERROR_PLAN = VALID_PLAN.replace('customers people from "people.csv"', 'customers people from');

/** A goal without `by DATE` (line 13): an error once the SMART checks are in. */
export const NO_DEADLINE_PLAN = VALID_PLAN.replace(' by 2026-07-01', '');
