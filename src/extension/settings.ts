// The `mplan.*` settings and the folders derived from them.
import * as path from 'node:path';
import * as vscode from 'vscode';

export function config(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('mplan', scope);
}

/** The folder a plan's paths are relative to: its workspace folder, or the plan's own folder outside a workspace. */
export function baseFolder(plan: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(plan);
    return folder ? folder.uri.fsPath : path.dirname(plan.fsPath);
}

/** `plans/winback.mplan` → `winback`: the name of the plan's report and audience subfolders (as `mplan run` names them). */
export function planStem(plan: vscode.Uri): string {
    return path.basename(plan.fsPath).replace(/\.mplan$/i, '');
}

function resolveFolder(setting: string, fallback: string, plan: vscode.Uri): string {
    const configured = config(plan).get<string>(setting, fallback).trim() || fallback;
    return path.resolve(baseFolder(plan), configured);
}

/** Where `mplan run` writes the plan's report.json/md/html: `<mplan.reports.folder>/<plan>/`. */
export function reportDir(plan: vscode.Uri): string {
    return path.join(resolveFolder('reports.folder', 'reports', plan), planStem(plan));
}

/** Where `mplan audience` writes the plan's audience files: `<mplan.audience.folder>/<plan>/`. */
export function audienceDir(plan: vscode.Uri): string {
    return path.join(resolveFolder('audience.folder', 'audiences', plan), planStem(plan));
}

export function codeLensEnabled(scope?: vscode.Uri): boolean {
    return config(scope).get<boolean>('codeLens.enabled', true);
}

export function audienceSizesEnabled(scope?: vscode.Uri): boolean {
    return codeLensEnabled(scope) && config(scope).get<boolean>('codeLens.audienceSizes', true);
}

/** The evaluation date for `mplan run --as-of`, when set. */
export function asOfDate(scope?: vscode.Uri): string | undefined {
    const value = config(scope).get<string>('run.asOf', '').trim();
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

export function openReportAfterRun(scope?: vscode.Uri): boolean {
    return config(scope).get<boolean>('run.openReport', true);
}
