// The `mplan.*` commands. Each returns a result object, so the integration tests can check what it did.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../runner/report/schema.js';
import type { AudienceSizes } from './audience-sizes.js';
import { firstLines, hasErrors } from './audience-sizes.js';
import type { MplanCli } from './cli.js';
import type { CompareResult, ComparePanels, DiffBaseState, DiffLenses } from './compare.js';
import { compareResult, pickBase, runComparison } from './compare.js';
import type { DiffBase } from './compare-core.js';
import { asDiffBase, baseLabel } from './compare-core.js';
import { clearEnginePassword, setEnginePassword } from './engine-settings.js';
import type { ServerController } from './language-client.js';
import type { ReportPanels } from './report-panel.js';
import { readReport, revealPlanLine } from './report-panel.js';
import { verdictSummary } from './report-view.js';
import { asOfDate, audienceDir, baseFolder, dataRootArgs, openReportAfterRun, reportDir } from './settings.js';
import type { StatusItems } from './status.js';
import { instantiate, PLAN_TEMPLATES } from './templates.js';

export interface EvaluationResult {
    plan: string;
    reportDir: string;
    reportFile: string;
    summary: string;
}

export interface ExportResult {
    plan: string;
    dir: string;
    files: string[];
}

export interface CheckResult {
    files: number;
    errors: number;
    warnings: number;
}

export interface NewPlanArgs {
    template?: string;
    name?: string;
    uri?: vscode.Uri;
}

interface Services {
    context: vscode.ExtensionContext;
    log: vscode.LogOutputChannel;
    cli: MplanCli;
    server: ServerController;
    panels: ReportPanels;
    sizes: AudienceSizes;
    status: StatusItems;
    checkDiagnostics: vscode.DiagnosticCollection;
    bases: DiffBaseState;
    diffs: DiffLenses;
    comparePanels: ComparePanels;
}

/** What a command that needs trust says in Restricted Mode (not awaited: the command returns at once). */
export function explainRestricted(what: string, why = 'it reads the plan\'s data files or writes files in the workspace'): void {
    void vscode.window.showWarningMessage(
        `mplan: ${what} is disabled in Restricted Mode: ${why}. Trust this workspace to use it.`,
        'Manage Workspace Trust'
    ).then(choice => { if (choice) void vscode.commands.executeCommand('workbench.trust.manage'); });
}

function showFailure(s: Services, message: string): void {
    void vscode.window.showErrorMessage(`mplan: ${message}`, 'Show Output').then(choice => { if (choice) s.log.show(); });
}

export function registerCommands(s: Services): vscode.Disposable[] {
    const { log } = s;
    const register = (id: string, handler: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
            return await handler(...args);
        } catch (error) {
            const message = (error as Error)?.message ?? String(error);
            log.error(`${id}: ${message}`);
            void vscode.window.showErrorMessage(`mplan: ${message}`, 'Show Output').then(choice => { if (choice) log.show(); });
            return undefined;
        }
    });

    return [
        register('mplan.runEvaluation', (uri?: vscode.Uri, campaign?: string) => runEvaluation(s, uri, campaign)),
        register('mplan.showReport', (uri?: vscode.Uri) => showReport(s, uri)),
        register('mplan.exportAudience', (uri?: vscode.Uri, campaign?: string) => exportAudience(s, uri, campaign)),
        register('mplan.checkWorkspace', () => checkWorkspace(s)),
        register('mplan.compareWithBase', (uri?: vscode.Uri) => compareWithBase(s, uri)),
        register('mplan.chooseDiffBase', (base?: unknown) => chooseDiffBase(s, base)),
        register('mplan.clearDiffBase', () => clearDiffBase(s)),
        register('mplan.newPlan', (args?: NewPlanArgs) => newPlan(s, args)),
        // The engine setting is not read in Restricted Mode, so there is no server to keep a password for.
        register('mplan.setEnginePassword', (uri?: vscode.Uri) => vscode.workspace.isTrusted
            ? setEnginePassword(s.context, log, uri) : explainRestricted('Set Engine Password', 'the engine setting is not used there')),
        register('mplan.clearEnginePassword', (uri?: vscode.Uri) => vscode.workspace.isTrusted
            ? clearEnginePassword(s.context, log, uri) : explainRestricted('Clear Engine Password', 'the engine setting is not used there')),
        register('mplan.restartServer', async () => {
            await s.server.restart();
            s.sizes.clear();
            return s.server.state;
        }),
        register('mplan.showOutput', () => s.log.show()),
        register('mplan.revealPlanLine', async (uri: vscode.Uri, line: number) => {
            const editor = await revealPlanLine(uri, line);
            return editor.selection.active.line;
        })
    ];
}

/** The plan a command acts on: the argument, the active editor's plan, or one picked from the workspace. */
async function resolvePlan(uri: unknown, action: string): Promise<vscode.Uri | undefined> {
    if (uri instanceof vscode.Uri) return uri;
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'mplan' && active.uri.scheme === 'file') return active.uri;
    const files = await vscode.workspace.findFiles('**/*.mplan', '**/node_modules/**', 200);
    if (files.length === 0) {
        void vscode.window.showInformationMessage(`mplan: no .mplan plan to ${action} in this workspace.`);
        return undefined;
    }
    if (files.length === 1) return files[0];
    const picked = await vscode.window.showQuickPick(
        files.map(f => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), uri: f })),
        { placeHolder: `The plan to ${action}` }
    );
    return picked?.uri;
}

/** Saves the plan if it has unsaved changes; refuses (with a way to the Problems panel) when it has errors. */
async function readyToRun(plan: vscode.Uri, action: string): Promise<vscode.TextDocument | undefined> {
    const document = await vscode.workspace.openTextDocument(plan);
    if (document.isDirty) await document.save();
    if (hasErrors(plan)) {
        const count = vscode.languages.getDiagnostics(plan).filter(d => d.severity === vscode.DiagnosticSeverity.Error).length;
        // Not awaited: the command finishes now, the notification stays until the user answers or closes it.
        void vscode.window.showErrorMessage(
            `mplan: ${path.basename(plan.fsPath)} has ${count} error${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} before you ${action}.`,
            'Show Problems'
        ).then(choice => { if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
        return undefined;
    }
    return document;
}

/** The last line of progress the CLI wrote to stderr, for the notification. */
function progressLine(chunk: string): string | undefined {
    const lines = chunk.split(/\r?\n/).map(l => l.trim()).filter(Boolean);
    // Progress lines read `  1.2s  reading the data...`: the notification shows the step, not the clock.
    return lines.at(-1)?.replace(/^mplan( run| audience| diff)?:\s*/, '').replace(/^\d+(\.\d+)?s\s+/, '').slice(0, 120);
}

async function runEvaluation(s: Services, uri: unknown, campaign?: string): Promise<EvaluationResult | undefined> {
    if (!vscode.workspace.isTrusted) return void explainRestricted('Run Evaluation');
    const plan = await resolvePlan(uri, 'evaluate');
    if (!plan) return undefined;
    const document = await readyToRun(plan, 'evaluate it');
    if (!document) return undefined;
    const outDir = reportDir(plan);
    const args = ['run', plan.fsPath, '--out', outDir, ...dataRootArgs(plan)];
    const asOf = asOfDate(plan);
    if (asOf) args.push('--as-of', asOf);
    if (typeof campaign === 'string' && campaign) args.push('--campaign', campaign);
    const started = Date.now();
    const name = path.basename(plan.fsPath);
    const result = await vscode.window.withProgress(
        {
            location: vscode.ProgressLocation.Notification,
            title: `mplan: Evaluating ${name}${campaign ? ` (campaign ${campaign})` : ''}`,
            cancellable: true
        },
        (progress, token) => {
            progress.report({ message: 'reading the data…' });
            return s.cli.run(args, {
                cwd: baseFolder(plan),
                plan,
                token,
                onStderr: text => {
                    s.log.info(text.trimEnd());
                    const line = progressLine(text);
                    if (line) progress.report({ message: line });
                }
            });
        }
    );
    if (result.cancelled) {
        void vscode.window.showInformationMessage(`mplan: evaluation of ${name} cancelled.`);
        return undefined;
    }
    if (result.code !== 0) {
        s.log.error(result.stderr);
        showFailure(s, `evaluation of ${name} failed: ${firstLines(result.stderr) || `exit code ${result.code}`}`);
        return undefined;
    }
    const loaded = readReport(plan);
    if (!loaded) throw new Error(`mplan run wrote no report.json in ${outDir}`);
    const summary = verdictSummary(loaded.report).text;
    s.status.recordEvaluation({ plan: plan.fsPath, at: Date.now(), summary, durationMs: Date.now() - started });
    s.sizes.update(document, loaded.report as Report);
    s.log.info(`evaluated ${plan.fsPath}: ${summary}; report in ${outDir}`);
    if (openReportAfterRun(plan)) {
        await s.panels.show(plan, { preserveFocus: true });
    } else {
        void vscode.window.showInformationMessage(`mplan: ${name}: ${summary}.`, 'Show Report').then(choice => {
            if (choice) void s.panels.show(plan);
        });
    }
    return { plan: plan.fsPath, reportDir: outDir, reportFile: loaded.file, summary };
}

/**
 * Compares the plan with the base (asked for when none is set) by the CLI's `mplan diff ... --format json`, shows the
 * comparison beside the plan and hands it to the diff lenses. Runs git and reads data files: trusted workspaces only.
 */
async function compareWithBase(s: Services, uri: unknown): Promise<CompareResult | undefined> {
    if (!vscode.workspace.isTrusted) return void explainRestricted('Compare with Base');
    const plan = await resolvePlan(uri, 'compare');
    if (!plan) return undefined;
    const document = await vscode.workspace.openTextDocument(plan);
    // The diff reads the plan from disk. Problems on either side are not refused here: the comparison view lists them.
    if (document.isDirty) await document.save();
    const base = s.bases.get() ?? await chooseDiffBase(s, undefined, plan);
    if (!base) return undefined;
    const name = path.basename(plan.fsPath);
    const comparison = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `mplan: Comparing ${name} with ${baseLabel(base)}`, cancellable: true },
        (progress, token) => runComparison(s.cli, plan, base, token, text => {
            s.log.info(text.trimEnd());
            const line = progressLine(text);
            if (line) progress.report({ message: line });
        })
    );
    if (!comparison) return undefined;
    if (comparison.state !== 'diff') s.log.warn(`comparison of ${plan.fsPath} with ${baseLabel(base)}: ${comparison.message}`);
    s.diffs.take(document, base, comparison);
    await s.comparePanels.show(plan, comparison, base, { preserveFocus: true });
    return compareResult(plan, base, comparison);
}

/** Sets the workspace's base: the one given (tests, the view's link) or one picked; the diff lenses follow it. */
async function chooseDiffBase(s: Services, given: unknown, plan?: vscode.Uri): Promise<DiffBase | undefined> {
    // From a menu the argument is the plan, not a base.
    if (given instanceof vscode.Uri) [plan, given] = [given, undefined];
    let base = asDiffBase(given);
    if (given !== undefined && !base) throw new Error('not a base: give { kind: "default" }, { kind: "revision", revision } or { kind: "file", file } (absolute)');
    if (!base) {
        if (!vscode.workspace.isTrusted) return void explainRestricted('Choosing a base to compare with');
        const target = plan ?? await resolvePlan(undefined, 'compare');
        if (!target) return undefined;
        base = await pickBase(target);
    }
    if (!base) return undefined;
    await s.bases.set(base);
    s.log.info(`comparison base: ${baseLabel(base)}`);
    return base;
}

async function clearDiffBase(s: Services): Promise<boolean> {
    const had = s.bases.get() !== undefined;
    await s.bases.set(undefined);
    if (had) void vscode.window.showInformationMessage('mplan: the comparison base is cleared; the diff lenses are gone until you compare again.');
    return had;
}

async function showReport(s: Services, uri: unknown): Promise<boolean> {
    const plan = await resolvePlan(uri, 'show the report of');
    if (!plan) return false;
    if (await s.panels.show(plan, { preserveFocus: false })) return true;
    void vscode.window.showInformationMessage(
        `mplan: ${path.basename(plan.fsPath)} has no report yet (looked in ${vscode.workspace.asRelativePath(reportDir(plan))}).`,
        ...(vscode.workspace.isTrusted ? ['Run Evaluation'] : [])
    ).then(choice => { if (choice) void vscode.commands.executeCommand('mplan.runEvaluation', plan); });
    return false;
}

async function exportAudience(s: Services, uri: unknown, campaign?: string): Promise<ExportResult | undefined> {
    if (!vscode.workspace.isTrusted) return void explainRestricted('Export Audience');
    const plan = await resolvePlan(uri, 'export the audience of');
    if (!plan) return undefined;
    if (!(await readyToRun(plan, 'export its audience'))) return undefined;
    const outDir = audienceDir(plan);
    const args = ['audience', plan.fsPath, '--out', outDir, ...dataRootArgs(plan)];
    if (typeof campaign === 'string' && campaign) args.push('--campaign', campaign);
    const started = Date.now();
    const name = path.basename(plan.fsPath);
    const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `mplan: Exporting the audience of ${campaign ?? name}`, cancellable: true },
        (_progress, token) => s.cli.run(args, { cwd: baseFolder(plan), plan, token, onStderr: text => s.log.info(text.trimEnd()) })
    );
    if (result.cancelled) return undefined;
    if (result.code !== 0) {
        s.log.error(result.stderr);
        showFailure(s, `audience export of ${name} failed: ${firstLines(result.stderr) || `exit code ${result.code}`}`);
        return undefined;
    }
    const files = fs.existsSync(outDir)
        ? fs.readdirSync(outDir).filter(f => fs.statSync(path.join(outDir, f)).mtimeMs >= started - 1000).sort()
        : [];
    const relative = vscode.workspace.asRelativePath(outDir);
    void vscode.window.showInformationMessage(`mplan: wrote ${files.join(', ') || 'nothing'} to ${relative}.`, 'Reveal in Explorer').then(async choice => {
        if (choice) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(outDir, files[0] ?? '')));
    });
    return { plan: plan.fsPath, dir: outDir, files };
}

interface CheckJson {
    files: { path: string; diagnostics: { severity: 'error' | 'warning' | 'info'; line: number; column: number; endLine: number; endColumn: number; code: string; message: string }[] }[];
    errors: number;
    warnings: number;
}

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    info: vscode.DiagnosticSeverity.Information
};

async function checkWorkspace(s: Services): Promise<CheckResult | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
        void vscode.window.showInformationMessage('mplan: open a folder to check its plans.');
        return undefined;
    }
    const total: CheckResult = { files: 0, errors: 0, warnings: 0 };
    s.checkDiagnostics.clear();
    const open = new Set(vscode.workspace.textDocuments.map(d => d.uri.toString()));
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'mplan: Checking all plans', cancellable: true }, async (_progress, token) => {
        for (const folder of folders) {
            const plans = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.mplan'), '**/node_modules/**');
            if (plans.length === 0 || token.isCancellationRequested) continue;
            const result = await s.cli.run(['check', '--format', 'json', '.'], { cwd: folder.uri.fsPath, token });
            if (result.cancelled) return;
            if (result.code !== 0 && result.code !== 1) {
                throw new Error(`mplan check failed in ${folder.name}: ${firstLines(result.stderr) || `exit code ${result.code}`}`);
            }
            const report = JSON.parse(result.stdout) as CheckJson;
            total.files += report.files.length;
            total.errors += report.errors;
            total.warnings += report.warnings;
            for (const file of report.files) {
                const uri = vscode.Uri.file(path.resolve(folder.uri.fsPath, file.path));
                // Open plans already have the language server's diagnostics; the rest get the check's.
                if (open.has(uri.toString()) || file.diagnostics.length === 0) continue;
                s.checkDiagnostics.set(uri, file.diagnostics.map(d => {
                    const range = new vscode.Range(Math.max(0, d.line - 1), Math.max(0, d.column - 1), Math.max(0, d.endLine - 1), Math.max(0, d.endColumn - 1));
                    const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
                    diagnostic.code = d.code;
                    diagnostic.source = 'mplan';
                    return diagnostic;
                }));
            }
        }
    });
    const text = `${total.errors} error${total.errors === 1 ? '' : 's'}, ${total.warnings} warning${total.warnings === 1 ? '' : 's'} in ${total.files} plan${total.files === 1 ? '' : 's'}`;
    s.log.info(`check: ${text}`);
    const show = total.errors + total.warnings > 0 ? ['Show Problems'] : [];
    const notify = total.errors > 0 ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    void notify(`mplan: ${text}.`, ...show).then(choice => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return total;
}

function slug(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plan';
}

async function newPlan(s: Services, args: NewPlanArgs | undefined): Promise<vscode.Uri | undefined> {
    if (!vscode.workspace.isTrusted) return void explainRestricted('New Plan from Template');
    let template = PLAN_TEMPLATES.find(t => t.id === args?.template);
    if (!template) {
        const picked = await vscode.window.showQuickPick(
            PLAN_TEMPLATES.map(t => ({ label: t.label, description: t.description, template: t })),
            { placeHolder: 'Start the plan from a template' }
        );
        if (!picked) return undefined;
        template = picked.template;
    }
    let name = args?.name;
    if (!name) {
        name = await vscode.window.showInputBox({ prompt: 'The plan\'s name', value: 'New plan', validateInput: v => v.trim() ? undefined : 'Give the plan a name' });
        if (!name) return undefined;
    }
    let target = args?.uri;
    if (!target) {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        target = await vscode.window.showSaveDialog({
            defaultUri: folder ? vscode.Uri.joinPath(folder, `${slug(name)}.mplan`) : undefined,
            filters: { 'mplan plans': ['mplan'] },
            saveLabel: 'Create Plan'
        });
        if (!target) return undefined;
    }
    await vscode.workspace.fs.writeFile(target, Buffer.from(instantiate(template, name.trim()), 'utf8'));
    const editor = await vscode.window.showTextDocument(target);
    const objective = editor.document.getText().split('\n').findIndex(l => /^\s*objective\b/.test(l));
    if (objective >= 0) {
        const position = new vscode.Position(objective, editor.document.lineAt(objective).firstNonWhitespaceCharacterIndex);
        editor.selection = new vscode.Selection(position, position);
    }
    s.log.info(`new plan ${target.fsPath} from template ${template.id}`);
    return target;
}
