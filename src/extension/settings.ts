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

/**
 * `mplan.data.roots`: folders outside a plan's repository its data may come from, resolved against the workspace
 * folder. Never taken from an untrusted workspace (a restricted setting): a workspace must not widen its own sandbox.
 */
export function dataRoots(scope: vscode.Uri): string[] {
    if (!vscode.workspace.isTrusted) return [];
    const roots = config(scope).get<unknown>('data.roots', []);
    if (!Array.isArray(roots)) return [];
    return roots.filter((r): r is string => typeof r === 'string' && r.trim().length > 0).map(r => path.resolve(baseFolder(scope), r.trim()));
}

/** The same folders as `--data-root` arguments for `mplan run` and `mplan audience`. */
export function dataRootArgs(scope: vscode.Uri): string[] {
    return dataRoots(scope).flatMap(root => ['--data-root', root]);
}
