// `mplan.engine` in the editor: the setting (trusted workspaces only, read for the plan's resource), the server's
// password in VS Code's secret storage, and the commands that store and forget that password.
import * as vscode from 'vscode';
import { type EngineSetting, engineEnvironment, engineLogText, parseEngineSetting } from './engine-settings-core.js';
import { config } from './settings.js';

/**
 * The engine setting for a plan. In an untrusted workspace it is never read (a restricted setting): a workspace from
 * a pull request must not point the runner at a server of its choosing.
 */
export function engineSetting(scope?: vscode.Uri): EngineSetting {
    if (!vscode.workspace.isTrusted) return { kind: 'unset' };
    return parseEngineSetting(config(scope).get<unknown>('engine', ''));
}

/** The variables a run of the plan gets (over the inherited environment) and what the output channel may say. */
export async function engineForRun(secrets: vscode.SecretStorage, plan: vscode.Uri): Promise<{ env: Record<string, string>; log?: string }> {
    const setting = engineSetting(plan);
    const password = setting.kind === 'server' ? await secrets.get(setting.secretKey) : undefined;
    return { env: engineEnvironment(setting, password), log: engineLogText(setting, password) };
}

/** The server the password commands act on: that of the given plan or the active one; undefined when there is none. */
function serverSetting(uri: unknown): Extract<EngineSetting, { kind: 'server' }> | undefined {
    const active = vscode.window.activeTextEditor?.document;
    const scope = uri instanceof vscode.Uri ? uri : active?.languageId === 'mplan' ? active.uri : undefined;
    const setting = engineSetting(scope);
    if (setting.kind === 'invalid') throw new Error(setting.message);
    if (setting.kind === 'server') return setting;
    void vscode.window.showInformationMessage(
        'mplan: mplan.engine names no database server (postgres://user@host:port/database or clickhouse://user@host:port/database), the engines whose password mplan keeps; the embedded DuckDB needs none.',
        'Open Settings'
    ).then(choice => { if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'mplan.engine'); });
    return undefined;
}

/** "mplan: Set Engine Password": asks for the password of mplan.engine's server; returns that server (user@host:port/db). */
export async function setEnginePassword(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, uri?: unknown): Promise<string | undefined> {
    const setting = serverSetting(uri);
    if (!setting) return undefined;
    const password = await vscode.window.showInputBox({
        title: 'mplan: Set Engine Password',
        prompt: `The password of ${setting.server}, kept in VS Code's secret storage (never in a settings file)`,
        password: true,
        ignoreFocusOut: true,
        validateInput: value => (value ? undefined : 'Type the password, or press Escape to cancel')
    });
    if (!password) return undefined;
    await context.secrets.store(setting.secretKey, password);
    log.info(`engine password of ${setting.server} stored in the secret storage`);
    void vscode.window.showInformationMessage(`mplan: the password of ${setting.server} is stored in VS Code's secret storage; runs pass it to the engine.`);
    return setting.server;
}

/** "mplan: Clear Engine Password": forgets the stored password of mplan.engine's server; true when there was one. */
export async function clearEnginePassword(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, uri?: unknown): Promise<boolean> {
    const setting = serverSetting(uri);
    if (!setting) return false;
    const had = (await context.secrets.get(setting.secretKey)) !== undefined;
    await context.secrets.delete(setting.secretKey);
    log.info(`engine password of ${setting.server} ${had ? 'removed from' : 'was not in'} the secret storage`);
    void vscode.window.showInformationMessage(had
        ? `mplan: the password of ${setting.server} is removed from VS Code's secret storage.`
        : `mplan: no password of ${setting.server} was stored.`);
    return had;
}
