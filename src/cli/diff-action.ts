// The work of `mplan diff`, loaded only when the command runs: which plans, both sides built and checked, their
// meanings compared, the deployment evaluated where the data is at hand, and the result printed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiffOptions } from './diff-command.js';
import { CommandFailure, UsageError, chosenEngine, evaluationDate, extraDataRoots, memoryLimit, progressPrinter, runCommand } from './runner-support.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { guardOutputPipes } from './pipe-guard.js';
import { GitError, changedSince, defaultBase, filesAt, gitPath, readAt, repositoryTop, resolveCommit, workingFiles } from './git-revisions.js';
import type { BaseSource, PlanSide, Side } from './diff-sides.js';
import { loadSides } from './diff-sides.js';
import { toFileReport } from './plan-diagnostics.js';
import { formatText, useColor } from './diagnostic-formats.js';
import type { SideDeployment } from './diff-deployment.js';
import type { Diff, PlanDiff } from './diff-schema.js';
import { DIFF_SCHEMA_VERSION, DiffSchema } from './diff-schema.js';
import { formatDiffText } from './diff-text.js';
import { formatDiffMarkdown } from './diff-markdown.js';
import { isPlanPath } from '../language/imports.js';
import { isCurrencySetting } from '../language/generated/ast.js';
import { displayPath } from '../language/display-path.js';
import { formatDate } from '../language/semantics.js';
import { planMeaning } from '../language/plan-meaning.js';
import { comparePlans } from '../language/plan-compare.js';
import type { RunnerPlan } from '../runner/plan/runner-plan.js';
import { PlanError, readRunnerPlan } from '../runner/plan/runner-plan.js';
import { DataProblems, formatProblem } from '../runner/data/problems.js';
import { DataPathRefused, TableSourcesRefused } from '../runner/data/data-paths.js';
import { checkDataFiles } from '../runner/data/check-files.js';
import { isOutOfMemory } from '../runner/data/read-errors.js';
import { concurrentSessions } from '../runner/engine/open-engine.js';

interface Target {
    /** What the output names as the base. */
    label: string;
    commit: string | null;
    source: BaseSource;
    /** Absolute paths, in the working copy's place (a removed plan's too). */
    plans: string[];
    /** Plans that are, with everything they import, the same at the base as in the working copy: built once. */
    same: Set<string>;
}

export async function diffAction(args: string[], options: DiffOptions): Promise<void> {
    await runCommand('diff', async () => {
        guardOutputPipes();
        // Usage mistakes first: they cost nothing to find.
        const engine = chosenEngine(options);
        const asOf = evaluationDate(options.asOf);
        const memory = memoryLimit();
        const progress = progressPrinter();
        const target = options.baseFile !== undefined ? fileTarget(options.baseFile, args) : await gitTarget(args).catch(error => {
            // git missing, or a repository it cannot read: nothing mplan can do about it, said in one line.
            throw error instanceof GitError ? new UsageError(`git: ${error.message}`) : error;
        });
        progress(`reading ${target.plans.length} plan${target.plans.length === 1 ? '' : 's'} in the working copy and at ${target.label}`);

        const { head, base } = await loadSides(target.plans, target.source, file => fs.existsSync(file), target.same);
        const internal = [...head.internalErrors, ...base.internalErrors];
        if (internal.length > 0) throw new CommandFailure(internal.map(m => `mplan: internal error: ${m}`).join('\n'), EXIT_USAGE);
        refuseErrors(target, head, base);

        const plans: PlanDiff[] = [];
        for (const file of target.plans) {
            const same = target.same.has(file);
            plans.push(await planDiff(file, head.plans.get(file), same ? head.plans.get(file) : base.plans.get(file), { asOf, dataRoots: extraDataRoots(options), memoryLimit: memory, engine, progress }));
        }
        const diff: Diff = DiffSchema.parse({ schemaVersion: DIFF_SCHEMA_VERSION, base: target.label, baseCommit: target.commit, asOf: formatDate(asOf), plans });
        const output = options.format === 'json' ? JSON.stringify(diff, null, 2) + '\n'
            : options.format === 'markdown' ? formatDiffMarkdown(diff)
                : formatDiffText(diff, useColor(process.stdout));
        progress('done');
        process.stdout.write(output);
        process.exitCode = EXIT_OK;
    });
}

/** `--base-file OLD.mplan PLAN.mplan`: OLD stands in PLAN's place (its imports and data resolve next to PLAN). */
function fileTarget(baseFile: string, args: string[]): Target {
    if (args.length !== 1) throw new UsageError('--base-file compares two files: give the one plan to compare it with (mplan diff --base-file OLD.mplan PLAN.mplan).');
    for (const file of [baseFile, args[0]]) {
        if (!isPlanPath(file)) throw new UsageError(`'${file}' is not a plan: mplan diff compares .mplan files.`);
        if (!fs.existsSync(file)) throw new UsageError(`'${file}' does not exist.`);
    }
    const plan = path.resolve(args[0]);
    return { label: displayPath(path.resolve(baseFile)), commit: null, source: { kind: 'file', file: path.resolve(baseFile), plan }, plans: [plan], same: new Set() };
}

/** `mplan diff [BASE] [PLAN...]` in a git repository. */
async function gitTarget(args: string[]): Promise<Target> {
    const cwd = process.cwd();
    const top = await repositoryTop(cwd);
    if (!top) throw new UsageError('this is not inside a git repository; to compare two files, use --base-file OLD.mplan PLAN.mplan.');
    // The first argument is the base unless it names a plan or a folder.
    const first = args[0];
    const isRevision = first !== undefined && !isPlanPath(first) && !fs.existsSync(first);
    let label: string;
    let commit: string;
    if (isRevision) {
        const resolved = await resolveCommit(top, first);
        if (!resolved) throw new UsageError(`'${first}' is neither a revision of this repository (a branch, tag or commit) nor a plan file or folder.`);
        [label, commit] = [first, resolved];
    } else {
        const base = await defaultBase(top);
        if (!base) throw new UsageError('the repository has no commit to compare with yet; give a revision or use --base-file.');
        [label, commit] = [base.revision, base.commit];
    }
    const baseFiles = await filesAt(top, commit);
    const source: BaseSource = { kind: 'git', top, commit, files: baseFiles };
    const paths = isRevision ? args.slice(1) : args;
    const affected = await affectedPlans(top, commit, baseFiles);
    const plans = paths.length > 0 ? await namedPlans(top, paths, baseFiles) : [...affected].sort();
    return { label, commit, source, plans, same: new Set(plans.filter(p => !affected.has(p))) };
}

/** A path in the repository as an absolute path under the real top (git's view), whatever symlinks led to it. */
function inRepository(top: string, file: string): string {
    const absolute = path.resolve(file);
    let dir = path.dirname(absolute);
    const rest = [path.basename(absolute)];
    // A removed plan's folder may be gone too: resolve the nearest folder that exists.
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) {
        rest.unshift(path.basename(dir));
        dir = path.dirname(dir);
    }
    const real = path.join(fs.realpathSync.native(dir), ...rest);
    return path.relative(top, real).startsWith('..') ? absolute : real;
}

/** Named files and folders: a folder stands for its plans in the working copy and at the base (removed ones too). */
async function namedPlans(top: string, paths: string[], baseFiles: Set<string>): Promise<string[]> {
    const working = (await workingFiles(top)).filter(isPlanPath);
    const result = new Set<string>();
    for (const p of paths) {
        const absolute = inRepository(top, p);
        const relative = gitPath(top, absolute);
        if (relative === undefined) throw new UsageError(`'${p}' is outside the repository at ${top}.`);
        const isFolder = fs.existsSync(absolute) && fs.statSync(absolute).isDirectory();
        if (isFolder || [...baseFiles].some(f => f.startsWith(relative + '/'))) {
            const inside = [...working, ...[...baseFiles].filter(isPlanPath)].filter(f => f.startsWith(relative + '/'));
            if (inside.length === 0) throw new UsageError(`no .mplan files in '${p}', in the working copy or at the base.`);
            for (const f of inside) result.add(path.join(top, f));
        } else {
            if (!isPlanPath(p)) throw new UsageError(`'${p}' is not a plan: mplan diff compares .mplan files.`);
            if (!fs.existsSync(absolute) && !baseFiles.has(relative)) throw new UsageError(`'${p}' is neither in the working copy nor at the base.`);
            result.add(absolute);
        }
    }
    return [...result].sort();
}

// Liberal on purpose: a match too many only costs a second build, a match missed would hide a change.
const IMPORT = /\bimport\s*"([^"\r\n]+)"/g;

/**
 * The plans that differ from the base, and those that import (transitively) a file that does: a changed channels
 * library changes every plan that reads it. Imports are found by a scan of the texts: it decides what to list by
 * default, and which named plans need no second build (those outside this set read the same texts on both sides).
 */
async function affectedPlans(top: string, commit: string, baseFiles: Set<string>): Promise<Set<string>> {
    const changed = new Set((await changedSince(top, commit)).filter(isPlanPath));
    const all = new Set([...(await workingFiles(top)).filter(isPlanPath), ...[...baseFiles].filter(isPlanPath)]);
    const importers = new Map<string, string[]>();
    for (const file of all) {
        const absolute = path.join(top, file);
        let text: string;
        try {
            text = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : readAt(top, commit, file).toString('utf8');
        } catch {
            continue;
        }
        for (const match of text.matchAll(IMPORT)) {
            const imported = gitPath(top, path.resolve(path.dirname(absolute), match[1]));
            if (imported === undefined) continue;
            importers.set(imported, [...(importers.get(imported) ?? []), file]);
        }
    }
    const result = new Set(changed);
    const queue = [...changed];
    while (queue.length > 0) {
        for (const importer of importers.get(queue.shift()!) ?? []) {
            if (!result.has(importer)) {
                result.add(importer);
                queue.push(importer);
            }
        }
    }
    return new Set([...result].filter(f => all.has(f)).map(f => path.join(top, f)));
}

/** A plan with errors on either side cannot be compared: its errors, as `mplan check` prints them, and exit 1. */
function refuseErrors(target: Target, head: Side, base: Side): void {
    const reports = [];
    for (const file of target.plans) {
        for (const [side, label] of [[head, undefined], [base, target.label]] as const) {
            const errors = side.plans.get(file)?.diagnostics.filter(d => (d.severity ?? 1) === 1) ?? [];
            if (errors.length === 0) continue;
            const report = toFileReport(file, errors);
            // The base's lines are in the base's text: say which side a message is about.
            if (label !== undefined) report.path = `${label}:${report.path}`;
            reports.push(report);
        }
    }
    if (reports.length === 0) return;
    throw new CommandFailure(formatText(reports, useColor(process.stderr)) + 'mplan diff: a plan has errors; fix them first (mplan check).\n', EXIT_ERRORS);
}

interface EvaluationOptions {
    asOf: number;
    dataRoots: string[];
    memoryLimit?: string;
    /** The engine URL both sides are evaluated on. */
    engine: string;
    progress: (step: string) => void;
}

async function planDiff(file: string, head: PlanSide | undefined, base: PlanSide | undefined, options: EvaluationOptions): Promise<PlanDiff> {
    const meaningOf = (side: PlanSide | undefined) => side?.document ? planMeaning(side.document, side.documents) : undefined;
    const changes = comparePlans(meaningOf(base), meaningOf(head));
    const status = !base?.document ? 'added' : !head?.document ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
    const currencyOf = (side: PlanSide | undefined) => side?.document?.parseResult.value.plans[0]?.settings.find(isCurrencySetting);
    const result: PlanDiff = {
        path: displayPath(file), status, changes, deployment: [], evaluated: false, notes: [],
        currency: currencyOf(head)?.currency ?? currencyOf(base)?.currency ?? null
    };
    const hasPlan = (side: PlanSide | undefined) => side?.document?.parseResult.value.plans.length ? true : false;
    // The same meaning on the same data deploys the same: nothing to evaluate. A library has no deployment of its own.
    if (changes.length === 0 || (!hasPlan(head) && !hasPlan(base))) return result;

    options.progress(`evaluating the deployment of ${displayPath(file)}, both sides`);
    const evaluated = await evaluateSides([hasPlan(base) ? base : undefined, hasPlan(head) ? head : undefined], options);
    const failed = evaluated.map((e, i) => [e, i === 0 ? 'base' : 'working copy'] as const).filter(([e]) => typeof e === 'string');
    const whys = [...new Set(failed.map(([why]) => why))];
    if (failed.length === 2 && whys.length === 1) result.notes.push(`Sizes, costs and MDEs are not shown, only the plan diff: the plan could not be evaluated on either side (${whys[0]}).`);
    else for (const [why, name] of failed) result.notes.push(`Sizes, costs and MDEs are not shown, only the plan diff: the ${name}'s plan could not be evaluated (${why}).`);
    if (failed.length > 0) return result;
    const [before, after] = evaluated as Array<SideDeployment | undefined>;
    const { compareDeployments, unmeasured } = await import('./diff-deployment.js');
    result.deployment = compareDeployments(before, after);
    result.evaluated = true;
    const asOf = formatDate(options.asOf);
    const waiting = [before, after].map(side => (side ? unmeasured(side) : []));
    const note = (names: string[], where: string) => result.notes.push(`MDEs are left out for ${names.join(', ')}${where}: the data holds no outcomes for ${names.length === 1 ? 'it' : 'them'} yet as of ${asOf}.`);
    if (waiting[0].join() === waiting[1].join()) {
        if (waiting[1].length > 0) note(waiting[1], '');
    } else {
        if (waiting[0].length > 0) note(waiting[0], ' on the base');
        if (waiting[1].length > 0) note(waiting[1], ' on the working copy');
    }
    return result;
}

/**
 * Each side's deployment, or why it could not be evaluated. Sides that read the same data share one engine and load
 * it once (the usual case: a change of campaigns, not of sources); otherwise each has its own, both at once where the
 * engine allows two sessions (each waits on its files part of the time).
 */
async function evaluateSides(sides: [PlanSide | undefined, PlanSide | undefined], options: EvaluationOptions): Promise<Array<SideDeployment | string | undefined>> {
    const plans = sides.map(side => {
        if (!side) return undefined;
        try {
            const plan = readRunnerPlan(side.document!, side.documents);
            // The checks an engine session starts with, first: a side whose data files are not at hand is not
            // evaluated, and the engines' and the statistics' code is loaded only for a side whose are.
            checkDataFiles(plan, options.dataRoots);
            return plan;
        } catch (error) {
            return whyNot(error);
        }
    });
    if (!plans.some(plan => typeof plan === 'object')) {
        options.progress('the data is not at hand for either side: the plan diff alone');
        return plans as Array<string | undefined>;
    }
    const { evaluateDeployment, evaluateDeploymentsSharingData, sameSources } = await import('./diff-deployment.js');
    const [before, after] = plans;
    if (typeof before === 'object' && typeof after === 'object') {
        if (sameSources(before, after, options.dataRoots)) {
            options.progress('the sources are the same on both sides: reading the data once');
            return evaluateDeploymentsSharingData([before, after], options, whyNot);
        }
        options.progress('the sources differ between the sides: reading the data for each');
    }
    const evaluate = async (plan: RunnerPlan | string | undefined) => {
        if (typeof plan !== 'object') return plan;
        try {
            return await evaluateDeployment(plan, options);
        } catch (error) {
            return whyNot(error);
        }
    };
    return concurrentSessions(options.engine) ? Promise.all(plans.map(evaluate)) : [await evaluate(before), await evaluate(after)];
}

/** Why a side could not be evaluated (no data, data outside the root, a plan the runner refuses); other errors go on. */
function whyNot(error: unknown): string {
    if (error instanceof DataProblems) {
        const [first] = error.problems;
        const more = error.problems.length > 1 ? ` and ${error.problems.length - 1} more data problem${error.problems.length > 2 ? 's' : ''}` : '';
        return `${formatProblem(first).replace(': error: ', ': ')}${more}`;
    }
    if (error instanceof DataPathRefused) return `a data file is outside the plan's root: ${error.refused.map(r => r.source.declaredPath).join(', ')}`;
    if (error instanceof TableSourcesRefused) return `the plan reads database tables, which the embedded ${error.engine} engine does not have (give --engine with a database that has them)`;
    if (error instanceof PlanError) return error.message.replace(/\.$/, '');
    if (isOutOfMemory(error)) return 'the engine ran out of memory; raise MPLAN_MEMORY_LIMIT';
    throw error;
}
