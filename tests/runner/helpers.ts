// Shared by the runner tests: temporary folders, running plans through the API and the CLI in-process, and
// independent statistics (no @stdlib: the t distribution integrated numerically here).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { loadPlan } from '../../src/runner/load-plan.js';
import { openSession } from '../../src/runner/session.js';
import type { Session } from '../../src/runner/session.js';
import { evaluate } from '../../src/runner/evaluate.js';
import type { Report } from '../../src/runner/report/schema.js';
import { parseDate } from '../../src/language/semantics.js';
import { registerRunCommand } from '../../src/cli/run-command.js';
import { registerAudienceCommand } from '../../src/cli/audience-command.js';

export const repoRoot = path.resolve(__dirname, '../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');
export const sharedSpec = path.resolve(repoRoot, '../shared/spec');

/** A normative example by file name, in spec/ or, while its issue is open, spec-next/. */
export function findSpec(file: string): string {
    const found = [path.join(sharedSpec, file), path.resolve(sharedSpec, '../spec-next', file)].find(f => fs.existsSync(f));
    if (!found) throw new Error(`no spec file ${file} in ../shared/spec or ../shared/spec-next`);
    return found;
}

export function tempDir(prefix = 'mplan-test-'): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function day(iso: string): number {
    const d = parseDate(iso);
    if (d === undefined) throw new Error(`bad date ${iso}`);
    return d;
}

/** `extra.dataRoots`: folders outside the plan's root its data may come from (the shared data sets are). */
export async function withPlanSession<T>(file: string, asOf: string, body: (session: Session) => Promise<T>, extra: { writableDirectories?: string[]; dataRoots?: string[]; engine?: string } = {}): Promise<T> {
    const loaded = await loadPlan(file);
    if (!loaded.plan) throw new Error(`plan has errors: ${loaded.diagnostics.map(d => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
    const session = await openSession(loaded.plan, { asOf: day(asOf), ...extra });
    try {
        return await body(session);
    } finally {
        await session.close();
    }
}

export async function evaluateFile(file: string, asOf: string, extra: { dataRoots?: string[]; engine?: string } = {}): Promise<Report> {
    return withPlanSession(file, asOf, session => evaluate(session), extra);
}

/** Runs `mplan run|audience ...` in this process; returns exit code and what it printed. */
export async function runCli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const program = new Command('mplan').exitOverride().version('0.1.0').configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerRunCommand(program);
    registerAudienceCommand(program);
    let stdout = '', stderr = '';
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const previousCode = process.exitCode;
    const previousCwd = process.cwd();
    process.exitCode = undefined;
    (process.stdout as any).write = (chunk: unknown) => ((stdout += String(chunk)), true);
    (process.stderr as any).write = (chunk: unknown) => ((stderr += String(chunk)), true);
    if (cwd) process.chdir(cwd);
    let code: number;
    try {
        await program.parseAsync(['node', 'mplan', ...args]);
        code = Number(process.exitCode ?? 0);
    } catch (error) {
        code = (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
        if (cwd) process.chdir(previousCwd);
        process.exitCode = previousCode;
    }
    return { code, stdout, stderr };
}

/** A small RFC 4180 CSV parser for test data: quoted fields, doubled quotes, CRLF. */
export function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [], field = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
            else if (ch === '"') quoted = false;
            else field += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') { row.push(field); field = ''; }
        else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && text[i + 1] === '\n') i++;
            row.push(field); rows.push(row); row = []; field = '';
        } else field += ch;
    }
    if (field.length > 0 || row.length > 0) { row.push(field); rows.push(row); }
    return rows;
}

export function readCsv(file: string): Array<Record<string, string>> {
    const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
    return rows.map(cells => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

// ---------------------------------------------------------------- independent statistics

export function neumaierSum(values: number[]): number {
    let sum = 0, c = 0;
    for (const v of values) {
        const t = sum + v;
        c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
    }
    return sum + c;
}

export function meanVar(values: number[]): { n: number; mean: number; variance: number } {
    const n = values.length;
    const mean = neumaierSum(values) / n;
    const variance = neumaierSum(values.map(v => (v - mean) ** 2)) / (n - 1);
    return { n, mean, variance };
}

// An independent Student t distribution (Lanczos log-gamma, Simpson's rule), to check the runner's statistics
// against figures computed without the library it uses.
function logGamma(x: number): number {
    // Lanczos approximation (g = 7, n = 9), good to ~1e-15.
    const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
    if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    x -= 1;
    let a = c[0];
    const t = x + 7.5;
    for (let i = 1; i < 9; i++) a += c[i] / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function tDensity(x: number, df: number): number {
    return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log(1 + (x * x) / df));
}

function simpson(f: (x: number) => number, a: number, b: number, n = 20000): number {
    const h = (b - a) / n;
    let sum = f(a) + f(b);
    for (let i = 1; i < n; i++) sum += f(a + i * h) * (i % 2 ? 4 : 2);
    return (sum * h) / 3;
}

/** P(|T| >= |t|) by integrating the density from 0 to |t|. */
export function tTwoSided(t: number, df: number): number {
    return 1 - 2 * simpson(x => tDensity(x, df), 0, Math.abs(t));
}

/** The 97.5% quantile of Student's t, by bisection on tTwoSided. */
export function tQuantile975(df: number): number {
    let lo = 0, hi = 20;
    for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (tTwoSided(mid, df) > 0.05) lo = mid; else hi = mid;
    }
    return (lo + hi) / 2;
}

/** Welch's interval for mean(t) − mean(c), computed from raw values. */
export function welchFromValues(t: number[], c: number[]) {
    const a = meanVar(t), b = meanVar(c);
    const vt = a.variance / a.n, vc = b.variance / b.n;
    const df = (vt + vc) ** 2 / (vt ** 2 / (a.n - 1) + vc ** 2 / (b.n - 1));
    const se = Math.sqrt(vt + vc);
    const q = tQuantile975(df);
    const diff = a.mean - b.mean;
    return { diff, df, ci: [diff - q * se, diff + q * se] as [number, number], treatment: a, control: b };
}
