// Language status items for .mplan editors: the language server's state, and the last evaluation (or, in an
// untrusted workspace, why evaluations are off).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerController } from './language-client.js';

export interface LastEvaluation {
    plan: string;
    at: number;
    summary: string;
    durationMs: number;
}

const LAST_EVALUATION_KEY = 'mplan.lastEvaluation';

export class StatusItems implements vscode.Disposable {
    private readonly server: vscode.LanguageStatusItem;
    private readonly evaluation: vscode.LanguageStatusItem;
    private readonly disposables: vscode.Disposable[] = [];
    private last: LastEvaluation | undefined;

    constructor(private readonly context: vscode.ExtensionContext, private readonly controller: ServerController) {
        const selector: vscode.DocumentSelector = { language: 'mplan' };
        this.server = vscode.languages.createLanguageStatusItem('mplan.server', selector);
        this.server.name = 'mplan Language Server';
        this.evaluation = vscode.languages.createLanguageStatusItem('mplan.evaluation', selector);
        this.evaluation.name = 'mplan Evaluation';
        this.last = context.workspaceState.get<LastEvaluation>(LAST_EVALUATION_KEY);
        this.disposables.push(
            this.server,
            this.evaluation,
            controller.onDidChangeState(() => this.updateServer()),
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateEvaluation())
        );
        this.updateServer();
        this.updateEvaluation();
    }

    get lastEvaluation(): LastEvaluation | undefined {
        return this.last;
    }

    recordEvaluation(evaluation: LastEvaluation): void {
        this.last = evaluation;
        void this.context.workspaceState.update(LAST_EVALUATION_KEY, evaluation);
        this.updateEvaluation();
    }

    private updateServer(): void {
        const item = this.server;
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.busy = false;
        switch (this.controller.state) {
            case 'starting':
                item.text = 'mplan: starting';
                item.detail = 'The language server is starting';
                item.busy = true;
                break;
            case 'running':
                item.text = '$(check) mplan';
                item.detail = 'Language server running';
                break;
            case 'stopped':
                item.text = '$(circle-slash) mplan: stopped';
                item.detail = 'The language server is not running';
                item.severity = vscode.LanguageStatusSeverity.Warning;
                break;
            case 'failed':
                item.text = '$(error) mplan: failed';
                item.detail = this.controller.error ?? 'The language server failed to start; see the output';
                item.severity = vscode.LanguageStatusSeverity.Error;
                break;
        }
        item.command = { title: 'Restart', command: 'mplan.restartServer', tooltip: 'Restart the mplan language server' };
        void vscode.commands.executeCommand('setContext', 'mplan.serverRunning', this.controller.state === 'running');
    }

    private updateEvaluation(): void {
        const item = this.evaluation;
        if (!vscode.workspace.isTrusted) {
            item.text = '$(shield) Restricted Mode';
            item.detail = 'Evaluations and audience export read data files and write reports: trust this workspace to use them';
            item.severity = vscode.LanguageStatusSeverity.Warning;
            item.command = { title: 'Manage Trust', command: 'workbench.trust.manage' };
            return;
        }
        item.severity = vscode.LanguageStatusSeverity.Information;
        const last = this.last;
        if (!last) {
            item.text = 'No evaluation yet';
            item.detail = undefined;
            item.command = { title: 'Run Evaluation', command: 'mplan.runEvaluation' };
            return;
        }
        const when = new Date(last.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        item.text = `$(graph) ${last.summary}`;
        item.detail = `Last evaluation: ${path.basename(last.plan)} at ${when} (${(last.durationMs / 1000).toFixed(1)} s)`;
        item.command = { title: 'Show Report', command: 'mplan.showReport', arguments: [vscode.Uri.file(last.plan)] };
    }

    dispose(): void {
        for (const d of this.disposables) d.dispose();
    }
}
