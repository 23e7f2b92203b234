// The report webview: one panel per plan, beside the plan, showing the plan's last report.json.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../runner/report/schema.js';
import { outlinePlan } from './plan-outline.js';
import { parseReport, renderMessageHtml, renderReportHtml } from './report-view.js';
import { reportDir } from './settings.js';
import { panelOptions, planPanelSerializer } from './webview-panels.js';

export const REPORT_VIEW_TYPE = 'mplan.report';

export interface LoadedReport {
    report: Report;
    file: string;
    written: Date;
}

/** The plan's report, or why it cannot be read (both undefined: there is none). */
function loadReport(plan: vscode.Uri): { loaded?: LoadedReport; problem?: string } {
    try {
        return { loaded: readReport(plan) };
    } catch (error) {
        return { problem: (error as Error).message };
    }
}

/**
 * Reads `<reports>/<plan>/report.json`; undefined when there is none. Throws, with a message to show, when it exists
 * but cannot be read or does not match the report schema: the view renders only reports the schema accepts.
 */
export function readReport(plan: vscode.Uri): LoadedReport | undefined {
    const file = path.join(reportDir(plan), 'report.json');
    if (!fs.existsSync(file)) return undefined;
    const report = parseReport(fs.readFileSync(file, 'utf8'), file);
    return { report, file, written: fs.statSync(file).mtime };
}

export class ReportPanels implements vscode.Disposable {
    private readonly panels = new Map<string, vscode.WebviewPanel>();
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {
        // Trusting the workspace brings the links back into the open reports.
        this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(async () => {
            for (const key of [...this.panels.keys()]) await this.refresh(vscode.Uri.parse(key));
        }));
    }

    /** The open report panel of a plan, if any (for tests and the status item). */
    panelFor(plan: vscode.Uri): vscode.WebviewPanel | undefined {
        return this.panels.get(plan.toString());
    }

    /** Opens (or refreshes and reveals) the report panel of a plan. Returns false when the plan has no report. */
    async show(plan: vscode.Uri, options: { preserveFocus?: boolean } = {}): Promise<boolean> {
        const { loaded, problem } = loadReport(plan);
        if (!loaded && !problem) return false;

        const key = plan.toString();
        let panel = this.panels.get(key);
        const column = this.besideColumn(plan);
        if (panel) {
            panel.reveal(column, options.preserveFocus ?? true);
        } else {
            panel = vscode.window.createWebviewPanel(
                REPORT_VIEW_TYPE,
                `Report: ${path.basename(plan.fsPath)}`,
                { viewColumn: column, preserveFocus: options.preserveFocus ?? true },
                panelOptions(this.context.extensionUri)
            );
            this.adopt(plan, panel);
        }
        panel.webview.html = await this.html(panel.webview, plan, loaded, problem);
        return true;
    }

    private adopt(plan: vscode.Uri, panel: vscode.WebviewPanel): void {
        const key = plan.toString();
        panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'icons', 'mplan-file.svg');
        this.panels.set(key, panel);
        panel.onDidDispose(() => { if (this.panels.get(key) === panel) this.panels.delete(key); }, undefined, this.disposables);
        panel.webview.onDidReceiveMessage(message => this.onMessage(plan, message), undefined, this.disposables);
    }

    /** Brings back the report panels that were open when the window closed (their state names the plan). */
    serializer(): vscode.WebviewPanelSerializer<{ plan?: string }> {
        return planPanelSerializer(this.context.extensionUri, plan => this.panels.has(plan.toString()), async (plan, panel) => {
            this.adopt(plan, panel);
            const { loaded, problem } = loadReport(plan);
            panel.webview.html = await this.html(panel.webview, plan, loaded, problem ?? (loaded ? undefined : 'The report is gone: run the evaluation again.'));
        });
    }

    /** Re-renders an open panel (after an evaluation wrote a new report). */
    async refresh(plan: vscode.Uri): Promise<void> {
        if (this.panels.has(plan.toString())) await this.show(plan);
    }

    private besideColumn(plan: vscode.Uri): vscode.ViewColumn {
        const editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === plan.toString());
        return editor?.viewColumn !== undefined ? editor.viewColumn + 1 : vscode.ViewColumn.Beside;
    }

    private async html(webview: vscode.Webview, plan: vscode.Uri, loaded: LoadedReport | undefined, problem: string | undefined): Promise<string> {
        const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', file)).toString();
        const nonce = randomBytes(16).toString('base64');
        const base = { cspSource: webview.cspSource, nonce, styleUri: media('report.css'), scriptUri: media('report.js') };
        if (!loaded) return renderMessageHtml('The report cannot be shown', problem ?? 'No report.', base);
        let text: string;
        try {
            text = (await vscode.workspace.openTextDocument(plan)).getText();
        } catch {
            text = '';
        }
        let planChanged = false;
        try {
            planChanged = fs.statSync(plan.fsPath).mtime > loaded.written;
        } catch {
            // the plan is gone; show the report as it is
        }
        const dirty = vscode.workspace.textDocuments.some(d => d.uri.toString() === plan.toString() && d.isDirty);
        return renderReportHtml(loaded.report, {
            ...base,
            // Restricted Mode: the report only, without links into the plan or commands that open files.
            restricted: !vscode.workspace.isTrusted,
            planUri: plan.toString(),
            outline: outlinePlan(text),
            subtitle: `Report written ${loaded.written.toLocaleString()} · ${path.relative(path.dirname(plan.fsPath), loaded.file) || loaded.file}`,
            stale: planChanged || dirty
        });
    }

    private async onMessage(plan: vscode.Uri, message: unknown): Promise<void> {
        const m = message as { type?: string; line?: number; file?: string };
        // The view offers no links in Restricted Mode; a message that arrives anyway is ignored.
        if (!vscode.workspace.isTrusted) return;
        try {
            if (m.type === 'reveal' && typeof m.line === 'number') {
                await revealPlanLine(plan, m.line);
            } else if (m.type === 'open' && (m.file === 'report.md' || m.file === 'report.html' || m.file === 'report.json')) {
                const file = vscode.Uri.file(path.join(reportDir(plan), m.file));
                if (m.file === 'report.html') await vscode.env.openExternal(file);
                else await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.Active, preview: true });
            } else if (m.type === 'rerun') {
                await vscode.commands.executeCommand('mplan.runEvaluation', plan);
            }
        } catch (error) {
            this.log.error(`report view: ${(error as Error).message}`);
        }
    }

    dispose(): void {
        for (const panel of this.panels.values()) panel.dispose();
        this.panels.clear();
        for (const d of this.disposables) d.dispose();
    }
}

/** Shows a plan with the cursor on a 0-based line, in the editor group where the plan is (or the first). */
export async function revealPlanLine(plan: vscode.Uri, line: number): Promise<vscode.TextEditor> {
    const visible = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === plan.toString());
    const document = await vscode.workspace.openTextDocument(plan);
    const target = Math.max(0, Math.min(line, document.lineCount - 1));
    const text = document.lineAt(target);
    const start = new vscode.Position(target, text.firstNonWhitespaceCharacterIndex);
    const editor = await vscode.window.showTextDocument(document, {
        viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
        selection: new vscode.Range(start, start),
        preserveFocus: false
    });
    editor.revealRange(text.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
}
