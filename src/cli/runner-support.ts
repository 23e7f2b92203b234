// What `mplan run` and `mplan audience` share: loading and refusing invalid plans, opening the session, turning
// failures into exit codes and messages, and progress lines on a terminal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Session, SessionOptions } from '../runner/session.js';
import { loadPlan } from '../runner/load-plan.js';
import type { RunnerPlan } from '../runner/plan/runner-plan.js';
import { PlanError } from '../runner/plan/runner-plan.js';
import { DataProblems, formatProblem } from '../runner/data/problems.js';
import { DataPathRefused, TableSourcesRefused } from '../runner/data/data-paths.js';
import { rootsFromEnv } from '../language/data-roots.js';
import { isPlanPath } from '../language/imports.js';
import { OUT_OF_MEMORY_ADVICE, isOutOfMemory } from '../runner/data/read-errors.js';
import { parseDate } from '../language/semantics.js';
import { toFileReport } from './plan-diagnostics.js';
import { EngineError } from '../runner/engine/engine.js';
import { EngineUrlError } from '../runner/engine/engine-url.js';
import { engineKind, engineUrl } from '../runner/engine/open-engine.js';
import { formatText, useColor } from './diagnostic-formats.js';
import { EXIT_ERRORS, EXIT_USAGE } from './exit-codes.js';

export class UsageError extends Error {}

/** Failures end the command with a message on stderr and an exit code; nothing is written. */
export class CommandFailure extends Error {
    constructor(message: string, readonly exitCode: number) {
        super(message);
    }
}

/** `--as-of DATE`, or today (UTC) when absent. */
export function evaluationDate(text: string | undefined, now: Date = new Date()): number {
    if (text === undefined) return Math.floor(now.getTime() / 86_400_000);
    const day = parseDate(text);
    if (day === undefined) throw new UsageError(`--as-of needs a date as YYYY-MM-DD, not '${text}'.`);
    return day;
}

/** Loads the plan; a plan with errors is refused with its diagnostics printed as `mplan check` prints them. */
export async function loadRunnablePlan(file: string, command: string): Promise<RunnerPlan> {
    if (!isPlanPath(file)) {
        throw new UsageError(`'${file}' is not a plan: mplan ${command} takes a .mplan file (data files are named by the plan's sources).`);
    }
    const loaded = await loadPlan(file);
    if (!loaded.plan) {
        const errors = loaded.diagnostics.filter(d => (d.severity ?? 1) === 1);
        const report = toFileReport(loaded.path, errors);
        throw new CommandFailure(formatText([report], useColor(process.stderr)) + `mplan ${command}: the plan has errors; fix them first (mplan check ${file}).\n`, EXIT_ERRORS);
    }
    return loaded.plan;
}

export function checkCampaign(plan: RunnerPlan, name: string | undefined): void {
    if (name !== undefined && !plan.campaigns.some(c => c.name === name)) {
        const names = plan.campaigns.map(c => c.name).join(', ') || 'none';
        throw new UsageError(`the plan has no campaign '${name}' (campaigns: ${names}).`);
    }
}

/** Progress lines on stderr: on a terminal, or wherever MPLAN_PROGRESS=1 asks for them (the VS Code extension does). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (step: string) => void {
    if (!stream.isTTY && process.env.MPLAN_PROGRESS !== '1') return () => {};
    const start = Date.now();
    return step => stream.write(`  ${((Date.now() - start) / 1000).toFixed(1).padStart(5)}s  ${step}...\n`);
}

/** `--out DIR`, resolved; an existing file there is a usage mistake (a folder is created when missing). */
export function outputFolder(out: string): string {
    const resolved = path.resolve(out);
    let stat: fs.Stats | undefined;
    try {
        stat = fs.statSync(resolved);
    } catch {
        return resolved;
    }
    if (!stat.isDirectory()) throw new UsageError(`--out '${out}' is a file; give a folder (it is created when missing).`);
    return resolved;
}

/** MPLAN_MEMORY_LIMIT, checked: a number and a unit, as the engine takes it. */
export function memoryLimit(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const value = env.MPLAN_MEMORY_LIMIT?.trim();
    if (!value) return undefined;
    if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value)) {
        throw new UsageError(`MPLAN_MEMORY_LIMIT='${env.MPLAN_MEMORY_LIMIT}' is not a memory size: give a number and a unit, e.g. 512MB or 4GB.`);
    }
    return value;
}

/** The engine URL of --engine or MPLAN_ENGINE, checked (a usage mistake when it names no engine). */
export function chosenEngine(options: { engine?: string }): string {
    const url = engineUrl(options.engine);
    engineKind(url);
    return url;
}

/** The extra data roots: `--data-root` folders, then those MPLAN_DATA_ROOTS lists. */
export function extraDataRoots(options: { dataRoot?: string[] }): string[] {
    return [...(options.dataRoot ?? []), ...rootsFromEnv()];
}

export async function withSession<T>(plan: RunnerPlan, options: SessionOptions, body: (session: Session) => Promise<T>): Promise<T> {
    // Loaded here, not with this file: `mplan diff` uses the rest of it and needs the runner only where data is at hand.
    const { openSession } = await import('../runner/session.js');
    const session = await openSession(plan, options);
    try {
        return await body(session);
    } finally {
        await session.close();
    }
}

/** Runs a command body and maps what went wrong to the exit codes: 1 for plan or data problems, 2 for usage or internal. */
export async function runCommand(command: string, body: () => Promise<void>): Promise<void> {
    try {
        await body();
    } catch (error) {
        if (error instanceof CommandFailure) {
            process.stderr.write(error.message.endsWith('\n') ? error.message : error.message + '\n');
            process.exitCode = error.exitCode;
        } else if (error instanceof DataPathRefused) {
            process.stderr.write(error.message + '\n');
            process.stderr.write(`mplan ${command}: data outside the plan's root is not read; nothing was written.\n`);
            process.exitCode = EXIT_ERRORS;
        } else if (error instanceof TableSourcesRefused) {
            // One line per table source, as `mplan check` prints a plan's errors: nothing more to add.
            process.stderr.write(error.message + '\n');
            process.exitCode = EXIT_ERRORS;
        } else if (error instanceof DataProblems) {
            process.stderr.write(error.problems.map(p => formatProblem(p)).join('\n') + '\n');
            process.stderr.write(`mplan ${command}: the data has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}; nothing was written.\n`);
            process.exitCode = EXIT_ERRORS;
        } else if (error instanceof PlanError) {
            process.stderr.write(`mplan ${command}: ${error.message}\n`);
            process.exitCode = EXIT_ERRORS;
        } else if (error instanceof EngineError) {
            process.stderr.write(`mplan ${command}: ${error.message}; nothing was written.\n`);
            process.exitCode = EXIT_ERRORS;
        } else if (error instanceof UsageError || error instanceof EngineUrlError) {
            process.stderr.write(`mplan ${command}: ${error.message}\n`);
            process.exitCode = EXIT_USAGE;
        } else if (isOutOfMemory(error)) {
            process.stderr.write(`mplan ${command}: the engine ran out of memory; ${OUT_OF_MEMORY_ADVICE}. Nothing was written.\n`);
            process.exitCode = EXIT_ERRORS;
        } else {
            // One line, as everywhere in the CLI; MPLAN_DEBUG=1 adds the stack.
            const detail = process.env.MPLAN_DEBUG ? (error as Error)?.stack : (error as Error)?.message;
            process.stderr.write(`mplan ${command}: internal error: ${detail ?? String(error)}\n`);
            process.exitCode = EXIT_USAGE;
        }
    }
}
