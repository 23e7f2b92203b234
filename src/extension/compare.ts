// "mplan: Compare with Base": the bundled CLI's `mplan diff BASE PLAN --format json` (the same diff as in the terminal,
// read back, never recomputed) shown in a webview beside the plan, and, while a base is set, a code lens on each changed
// campaign (`audience 710 → 2,340 · cost ...`), computed in the background after a save. The base is remembered per
// workspace (workspace state), chosen in a quick pick: the CLI's default, a branch or tag, a revision, or another file.
// `mplan diff` runs git and reads the plan's data: like evaluations, it needs a trusted workspace.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inputFingerprint } from './audience-sizes-core.js';
import { hasErrors } from './audience-sizes.js';
import type { MplanCli } from './cli.js';
import type { Comparison, DiffBase, DiffLensText } from './compare-core.js';
import { asDiffBase, baseArgs, baseLabel, diffLensTexts, isRevisionText, readComparison, renderCompareHtml } from './compare-core.js';
import { diffSummary } from '../cli/diff-render.js';
import { outlinePlan } from './plan-outline.js';
import { revealPlanLine } from './report-panel.js';
import { panelOptions, planPanelSerializer } from './webview-panels.js';
import { asOfDate, codeLensEnabled, dataRootArgs, dataRoots } from './settings.js';

export const COMPARE_VIEW_TYPE = 'mplan.compare';
const BASE_KEY = 'mplan.diffBase';
/** How long the lenses wait after a save before comparing again: saves in quick succession run one diff. */
const LENS_DEBOUNCE_MS = 600;

/** Runs `mplan diff [BASE] PLAN --format json` in the plan's folder (so git finds the plan's repository). */
export async function runComparison(cli: MplanCli, plan: vscode.Uri, base: DiffBase, token?: vscode.CancellationToken,
    onStderr?: (text: string) => void): Promise<Comparison | undefined> {
    const args = ['diff', ...baseArgs(base), plan.fsPath, '--format', 'json', ...dataRootArgs(plan)];
    const asOf = asOfDate(plan);
    if (asOf) args.push('--as-of', asOf);
    const cwd = path.dirname(plan.fsPath);
    const result = await cli.run(args, { cwd, plan, token, onStderr, timeoutMs: 180_000 });
    if (result.cancelled) return token?.isCancellationRequested ? undefined : { state: 'failed', message: 'mplan diff took longer than 3 minutes and was stopped.' };
    return readComparison(result, plan.fsPath, cwd, file => fs.existsSync(file));
}

/** The base of this workspace's comparisons, kept in the workspace state. */
export class DiffBaseState implements vscode.Disposable {
    private readonly onDidChangeEmitter = new vscode.EventEmitter<DiffBase | undefined>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    constructor(private readonly context: vscode.ExtensionContext) {
        this.updateContext();
    }

    /** `mplan.diffBaseSet`: the palette offers to clear the base only when there is one. */
    private updateContext(): void {
        void vscode.commands.executeCommand('setContext', 'mplan.diffBaseSet', this.get() !== undefined);
    }

    get(): DiffBase | undefined {
        return asDiffBase(this.context.workspaceState.get<unknown>(BASE_KEY));
    }

    async set(base: DiffBase | undefined): Promise<void> {
        await this.context.workspaceState.update(BASE_KEY, base);
        this.updateContext();
        this.onDidChangeEmitter.fire(base);
    }

    dispose(): void {
        this.onDidChangeEmitter.dispose();
    }
}

function git(args: string[], cwd: string): Promise<string | undefined> {
    return new Promise(resolve => {
        execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => resolve(error ? undefined : stdout));
    });
}

type BaseItem = vscode.QuickPickItem & { pick?: () => Promise<DiffBase | undefined> };

/** Asks for the base: the CLI's default, a recent branch or tag, a revision typed in, or a plan file. */
export async function pickBase(plan: vscode.Uri): Promise<DiffBase | undefined> {
    const cwd = path.dirname(plan.fsPath);
    const inRepository = (await git(['rev-parse', '--is-inside-work-tree'], cwd))?.trim() === 'true';
    const items: BaseItem[] = [];
    if (inRepository) {
        const mergeBase = (await git(['rev-parse', '--verify', '--quiet', 'origin/HEAD'], cwd)) ? (await git(['merge-base', 'HEAD', 'origin/HEAD'], cwd))?.trim() : undefined;
        const head = (await git(['rev-parse', '--short', 'HEAD'], cwd))?.trim();
        items.push({
            label: '$(git-commit) Default: the merge base with origin/HEAD, else HEAD',
            description: mergeBase ? `merge base ${mergeBase.slice(0, 7)}` : head ? `HEAD ${head}` : 'no commit yet',
            detail: 'As `mplan diff` picks it without a revision: what a pull request of this branch would change.',
            pick: async () => ({ kind: 'default' })
        });
        const refs = (await git(['for-each-ref', '--sort=-committerdate', '--count=30',
            '--format=%(refname)%09%(refname:short)%09%(objectname:short)%09%(committerdate:relative)%09%(contents:subject)',
            'refs/heads', 'refs/remotes', 'refs/tags'], cwd)) ?? '';
        const refItems: BaseItem[] = refs.split('\n').filter(Boolean).map(line => line.split('\t')).filter(([full, short]) => !full.endsWith('/HEAD') && isRevisionText(short ?? ''))
            .map(([full, short, commit, when, subject]) => ({
                label: `${full.startsWith('refs/tags/') ? '$(tag)' : full.startsWith('refs/remotes/') ? '$(cloud)' : '$(git-branch)'} ${short}`,
                description: `${commit} · ${when}`,
                detail: subject,
                pick: async () => ({ kind: 'revision', revision: short })
            }));
        if (refItems.length > 0) items.push({ label: 'Branches and tags, most recent first', kind: vscode.QuickPickItemKind.Separator }, ...refItems);
        items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, {
            label: '$(edit) A revision…',
            description: 'a commit, or a ref such as HEAD~3',
            pick: async () => {
                const revision = await vscode.window.showInputBox({
                    prompt: 'The git revision to compare the plan with',
                    placeHolder: 'HEAD~1, origin/main, v1.2, 3f2a1bc',
                    validateInput: text => isRevisionText(text.trim()) ? undefined : 'A revision has no spaces and does not start with "-".'
                });
                return revision ? { kind: 'revision', revision: revision.trim() } : undefined;
            }
        });
    }
    items.push({
        label: '$(file) A file…',
        description: 'another .mplan file stands in for this plan (--base-file)',
        pick: async () => {
            const files = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.Uri.file(cwd), filters: { 'mplan plans': ['mplan'] }, openLabel: 'Compare with This Plan' });
            return files?.[0] ? { kind: 'file', file: files[0].fsPath } : undefined;
        }
    });
    const picked = await vscode.window.showQuickPick(items, {
        title: `mplan: Compare ${path.basename(plan.fsPath)} with…`,
        placeHolder: inRepository ? 'The base to compare the plan with (remembered for this workspace)' : 'Not in a git repository: compare with another plan file',
        matchOnDescription: true
    });
    return picked?.pick?.();
}

export type DiffEntry =
    | { state: 'computing'; previous?: Comparison }
    | { state: 'ready'; comparison: Comparison };

/**
 * The comparisons behind the diff lenses, per plan, for the current base: computed in the background by `mplan diff`
 * (debounced after a save, the previous run cancelled), cached until the base, the plan, its imports, its data files or
 * the repository's HEAD change. A comparison run by the command is taken as it is.
 */
export class DiffLenses implements vscode.Disposable {
    private readonly cache = new Map<string, { key: string; entry: DiffEntry }>();
    private readonly running = new Map<string, vscode.CancellationTokenSource>();
    private readonly timers = new Map<string, NodeJS.Timeout>();
    private readonly onDidChangeEmitter = new vscode.EventEmitter<vscode.Uri | undefined>();
    readonly onDidChange = this.onDidChangeEmitter.event;
    private readonly subscription: vscode.Disposable;

    constructor(private readonly cli: MplanCli, private readonly bases: DiffBaseState, private readonly log: vscode.LogOutputChannel) {
        this.subscription = bases.onDidChange(() => {
            this.clear();
            this.onDidChangeEmitter.fire(undefined);
        });
    }

    /** What the diff lenses of a plan show; starts a comparison when it is not known (and may run). */
    get(document: vscode.TextDocument): DiffEntry | undefined {
        const base = this.bases.get();
        if (!base || document.uri.scheme !== 'file' || !vscode.workspace.isTrusted || !codeLensEnabled(document.uri)) return undefined;
        const uri = document.uri;
        const key = this.keyOf(document, base);
        const cached = this.cache.get(uri.toString());
        // Unsaved edits: keep what the last saved text gave until the next save.
        if (cached && (cached.key === key || document.isDirty)) return cached.entry;
        if (document.isDirty || hasErrors(uri)) return cached?.entry;
        const previous = cached?.entry.state === 'ready' ? cached.entry.comparison : cached?.entry.previous;
        const entry: DiffEntry = { state: 'computing', previous };
        this.cache.set(uri.toString(), { key, entry });
        this.schedule(uri, base, key);
        return entry;
    }

    /** Takes the comparison the command just ran. */
    take(document: vscode.TextDocument, base: DiffBase, comparison: Comparison): void {
        if (JSON.stringify(this.bases.get()) !== JSON.stringify(base)) return;
        this.cancel(document.uri);
        this.cache.set(document.uri.toString(), { key: this.keyOf(document, base), entry: { state: 'ready', comparison } });
        this.onDidChangeEmitter.fire(document.uri);
    }

    /** The last comparison computed for a plan with the current base, if any. */
    latest(uri: vscode.Uri): Comparison | undefined {
        const entry = this.cache.get(uri.toString())?.entry;
        return entry?.state === 'ready' ? entry.comparison : undefined;
    }

    /** The lens texts of the changed campaigns, by name; undefined while there is no diff. */
    lensTexts(entry: DiffEntry | undefined, base: DiffBase): Map<string, DiffLensText> | undefined {
        const comparison = entry?.state === 'ready' ? entry.comparison : entry?.previous;
        if (comparison?.state !== 'diff' || !comparison.plan) return undefined;
        return diffLensTexts(comparison.plan, baseLabel(base));
    }

    private keyOf(document: vscode.TextDocument, base: DiffBase): string {
        const { key } = inputFingerprint(document.uri.fsPath, document.getText(), dataRoots(document.uri));
        const other = base.kind === 'file' ? fileStamp(base.file) : headStamp(path.dirname(document.uri.fsPath));
        return `${JSON.stringify(base)}|${other}|${key}`;
    }

    private schedule(uri: vscode.Uri, base: DiffBase, key: string): void {
        const id = uri.toString();
        clearTimeout(this.timers.get(id));
        this.timers.set(id, setTimeout(() => {
            this.timers.delete(id);
            void this.compute(uri, base, key);
        }, LENS_DEBOUNCE_MS));
    }

    private cancel(uri: vscode.Uri): void {
        const id = uri.toString();
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
        this.running.get(id)?.cancel();
    }

    private async compute(uri: vscode.Uri, base: DiffBase, key: string): Promise<void> {
        const id = uri.toString();
        this.running.get(id)?.cancel();
        const source = new vscode.CancellationTokenSource();
        this.running.set(id, source);
        let comparison: Comparison | undefined;
        try {
            comparison = await runComparison(this.cli, uri, base, source.token);
        } catch (error) {
            comparison = { state: 'failed', message: (error as Error).message };
        } finally {
            if (this.running.get(id) === source) this.running.delete(id);
            source.dispose();
        }
        if (!comparison) return;
        if (comparison.state !== 'diff') this.log.warn(`comparison of ${uri.fsPath} with ${baseLabel(base)}: ${comparison.message}`);
        const current = this.cache.get(id);
        if (current?.key === key) {
            this.cache.set(id, { key, entry: { state: 'ready', comparison } });
            this.onDidChangeEmitter.fire(uri);
        }
    }

    clear(): void {
        for (const uri of [...this.running.keys(), ...this.timers.keys()]) this.cancel(vscode.Uri.parse(uri));
        this.cache.clear();
    }

    dispose(): void {
        this.clear();
        this.subscription.dispose();
        this.onDidChangeEmitter.dispose();
    }
}

function fileStamp(file: string): string {
    try {
        const stat = fs.statSync(file);
        return `${stat.size}:${stat.mtimeMs}`;
    } catch {
        return 'missing';
    }
}

/**
 * What moves when a commit, checkout or fetch moves the base: the repository's HEAD, the ref it names and the packed
 * refs (a few stats, no git process, so it can run for every lens request).
 */
function headStamp(folder: string): string {
    let dir = folder;
    while (!fs.existsSync(path.join(dir, '.git'))) {
        const parent = path.dirname(dir);
        if (parent === dir) return 'no-repository';
        dir = parent;
    }
    let gitDir = path.join(dir, '.git');
    try {
        // A worktree or submodule: `.git` is a file naming the real folder.
        if (fs.statSync(gitDir).isFile()) gitDir = path.resolve(dir, fs.readFileSync(gitDir, 'utf8').replace(/^gitdir:\s*/, '').trim());
        const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
        const ref = /^ref: (.+)$/.exec(head)?.[1];
        const common = fs.existsSync(path.join(gitDir, 'commondir')) ? path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
        const stamps = [ref ? path.join(common, ref) : undefined, path.join(common, 'packed-refs'), path.join(common, 'refs', 'remotes', 'origin', 'HEAD')]
            .filter((f): f is string => f !== undefined).map(fileStamp);
        return `${head}|${stamps.join('|')}`;
    } catch {
        return 'unreadable';
    }
}

/** One webview panel per plan with its last comparison, beside the plan, in the report view's style. */
export class ComparePanels implements vscode.Disposable {
    private readonly panels = new Map<string, { panel: vscode.WebviewPanel; comparison?: Comparison }>();
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

    panelFor(plan: vscode.Uri): vscode.WebviewPanel | undefined {
        return this.panels.get(plan.toString())?.panel;
    }

    async show(plan: vscode.Uri, comparison: Comparison, base: DiffBase, options: { preserveFocus?: boolean } = {}): Promise<void> {
        let open = this.panels.get(plan.toString());
        const column = besideColumn(plan);
        if (open) {
            open.panel.reveal(column, options.preserveFocus ?? true);
        } else {
            const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, `Compare: ${path.basename(plan.fsPath)}`,
                { viewColumn: column, preserveFocus: options.preserveFocus ?? true }, panelOptions(this.context.extensionUri));
            open = this.adopt(plan, panel);
        }
        open.comparison = comparison;
        // The diff names the base as the CLI resolved it (`HEAD`, `merge-base of HEAD and origin/HEAD`).
        const label = comparison.state === 'diff' ? comparison.diff.base : baseLabel(base);
        open.panel.title = `Compare: ${path.basename(plan.fsPath)} ↔ ${label}`;
        open.panel.webview.html = this.html(open.panel.webview, plan, comparison, label);
    }

    /** Re-renders an open panel with a newer comparison (the lenses' run after a save), without revealing it. */
    update(plan: vscode.Uri, comparison: Comparison, base: DiffBase): void {
        const open = this.panels.get(plan.toString());
        if (!open || open.comparison === comparison) return;
        open.comparison = comparison;
        const label = comparison.state === 'diff' ? comparison.diff.base : baseLabel(base);
        open.panel.webview.html = this.html(open.panel.webview, plan, comparison, label);
    }

    /** Brings back the panels open when the window closed: compared again when that may run, else a message. */
    serializer(): vscode.WebviewPanelSerializer<{ plan?: string }> {
        return planPanelSerializer(this.context.extensionUri, plan => this.panels.has(plan.toString()), (plan, panel) => {
            this.adopt(plan, panel);
            const message: Comparison = { state: 'failed', message: vscode.workspace.isTrusted
                ? 'Run "mplan: Compare with Base" to compare the plan again.'
                : 'Comparing runs git and reads the plan\'s data: trust this workspace, then run "mplan: Compare with Base".' };
            panel.webview.html = this.html(panel.webview, plan, message, 'its base');
        });
    }

    private adopt(plan: vscode.Uri, panel: vscode.WebviewPanel): { panel: vscode.WebviewPanel; comparison?: Comparison } {
        const key = plan.toString();
        const open = { panel } as { panel: vscode.WebviewPanel; comparison?: Comparison };
        panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'icons', 'mplan-file.svg');
        this.panels.set(key, open);
        panel.onDidDispose(() => { if (this.panels.get(key) === open) this.panels.delete(key); }, undefined, this.disposables);
        panel.webview.onDidReceiveMessage(message => this.onMessage(plan, message), undefined, this.disposables);
        return open;
    }

    private html(webview: vscode.Webview, plan: vscode.Uri, comparison: Comparison, base: string): string {
        const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', file)).toString();
        const text = vscode.workspace.textDocuments.find(d => d.uri.toString() === plan.toString())?.getText() ?? readText(plan.fsPath);
        return renderCompareHtml(comparison, {
            cspSource: webview.cspSource,
            nonce: randomBytes(16).toString('base64'),
            styleUri: media('report.css'),
            scriptUri: media('compare.js'),
            planLabel: vscode.workspace.asRelativePath(plan),
            base,
            planUri: plan.toString(),
            outline: outlinePlan(text),
            restricted: !vscode.workspace.isTrusted,
            subtitle: comparison.state === 'diff' ? `Compared ${new Date().toLocaleString()}` : undefined
        });
    }

    private async onMessage(plan: vscode.Uri, message: unknown): Promise<void> {
        const m = message as { type?: string; line?: number; index?: number };
        // The view offers no links in Restricted Mode; a message that arrives anyway is ignored.
        if (!vscode.workspace.isTrusted) return;
        try {
            if (m.type === 'reveal' && typeof m.line === 'number') {
                await revealPlanLine(plan, m.line);
            } else if (m.type === 'problem' && typeof m.index === 'number') {
                // The page sends an index only: the file comes from the comparison this panel shows.
                const comparison = this.panels.get(plan.toString())?.comparison;
                const problem = comparison?.state === 'errors' ? comparison.problems[m.index] : undefined;
                if (problem?.file) await revealPlanLine(vscode.Uri.file(problem.file), problem.line - 1);
            } else if (m.type === 'rerun') {
                await vscode.commands.executeCommand('mplan.compareWithBase', plan);
            } else if (m.type === 'choose-base') {
                if (await vscode.commands.executeCommand('mplan.chooseDiffBase', plan)) await vscode.commands.executeCommand('mplan.compareWithBase', plan);
            }
        } catch (error) {
            this.log.error(`comparison view: ${(error as Error).message}`);
        }
    }

    dispose(): void {
        for (const { panel } of this.panels.values()) panel.dispose();
        this.panels.clear();
        for (const d of this.disposables) d.dispose();
    }
}

function readText(file: string): string {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch {
        return '';
    }
}

function besideColumn(plan: vscode.Uri): vscode.ViewColumn {
    const editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === plan.toString());
    return editor?.viewColumn !== undefined ? editor.viewColumn + 1 : vscode.ViewColumn.Beside;
}

/** What the command returns, for the integration tests. */
export interface CompareResult {
    plan: string;
    base: string;
    state: Comparison['state'];
    /** The summary line (a diff) or the message (problems, a failure). */
    summary: string;
}

export function compareResult(plan: vscode.Uri, base: DiffBase, comparison: Comparison): CompareResult {
    return {
        plan: plan.fsPath,
        base: baseLabel(base),
        state: comparison.state,
        summary: comparison.state === 'diff' ? diffSummary(comparison.diff) : comparison.message
    };
}
