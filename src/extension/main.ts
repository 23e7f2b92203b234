// The mplan extension: the language client, commands, code lenses, the report webview, tasks and status items.
import * as vscode from 'vscode';
import { AudienceSizes, type SizesEntry } from './audience-sizes.js';
import { MplanCli } from './cli.js';
import { CampaignCodeLenses } from './code-lens.js';
import { registerCommands } from './commands.js';
import { COMPARE_VIEW_TYPE, ComparePanels, DiffBaseState, DiffLenses, type DiffEntry } from './compare.js';
import type { DiffBase } from './compare-core.js';
import { SECRET_KEY_PREFIX } from './engine-settings-core.js';
import { ServerController, type ServerState } from './language-client.js';
import { REPORT_VIEW_TYPE, ReportPanels } from './report-panel.js';
import { StatusItems, type LastEvaluation } from './status.js';
import { MplanTaskProvider, TASK_TYPE } from './tasks.js';

/** What `activate` returns: used by the integration tests. */
export interface MplanExtensionApi {
    serverState(): ServerState;
    whenServerRunning(timeoutMs?: number): Promise<ServerState>;
    reportPanel(plan: vscode.Uri): vscode.WebviewPanel | undefined;
    audienceSizes(document: vscode.TextDocument): SizesEntry | undefined;
    onDidChangeAudienceSizes: vscode.Event<vscode.Uri>;
    lastEvaluation(): LastEvaluation | undefined;
    comparePanel(plan: vscode.Uri): vscode.WebviewPanel | undefined;
    diffBase(): DiffBase | undefined;
    diffLenses(document: vscode.TextDocument): DiffEntry | undefined;
    onDidChangeDiffLenses: vscode.Event<vscode.Uri | undefined>;
}

let server: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<MplanExtensionApi> {
    const log = vscode.window.createOutputChannel('mplan', { log: true });
    context.subscriptions.push(log);
    log.info(`mplan ${context.extension.packageJSON.version} activating in ${vscode.env.appName} ${vscode.version}`);

    const controller = new ServerController(context, log);
    server = controller;
    const cli = new MplanCli(context, log);
    const panels = new ReportPanels(context, log);
    const sizes = new AudienceSizes(cli, log);
    const status = new StatusItems(context, controller);
    const bases = new DiffBaseState(context);
    const diffs = new DiffLenses(cli, bases, log);
    const comparePanels = new ComparePanels(context, log);
    const lenses = new CampaignCodeLenses(sizes, diffs, bases);
    const checkDiagnostics = vscode.languages.createDiagnosticCollection('mplan-check');
    const refreshSizes = () => {
        sizes.clear();
        lenses.refresh();
    };

    context.subscriptions.push(
        controller,
        panels,
        sizes,
        bases,
        diffs,
        comparePanels,
        status,
        lenses,
        checkDiagnostics,
        vscode.languages.registerCodeLensProvider({ language: 'mplan', scheme: 'file' }, lenses),
        vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, panels.serializer()),
        vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, comparePanels.serializer()),
        vscode.tasks.registerTaskProvider(TASK_TYPE, new MplanTaskProvider(cli)),
        ...registerCommands({ context, log, cli, server: controller, panels, sizes, status, checkDiagnostics, bases, diffs, comparePanels }),
        // An opened plan gets the language server's diagnostics; drop the workspace check's copy of them.
        vscode.workspace.onDidOpenTextDocument(d => checkDiagnostics.delete(d.uri)),
        vscode.workspace.onDidSaveTextDocument(d => {
            if (d.languageId === 'mplan') void panels.refresh(d.uri);
        }),
        vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
        // Another engine or password: the sizes computed on the old one, or that failed to connect, are computed again.
        vscode.workspace.onDidChangeConfiguration(e => {
            if (e.affectsConfiguration('mplan.engine')) refreshSizes();
        }),
        context.secrets.onDidChange(e => {
            if (e.key.startsWith(SECRET_KEY_PREFIX)) refreshSizes();
        }),
        // An open comparison follows the plan: the lenses compare again after a save, and the view shows that diff.
        diffs.onDidChange(uri => {
            const comparison = uri && diffs.latest(uri);
            const base = bases.get();
            if (uri && comparison && base) comparePanels.update(uri, comparison, base);
        })
    );

    await controller.start();

    return {
        serverState: () => controller.state,
        whenServerRunning: timeoutMs => new Promise(resolve => {
            if (controller.state === 'running' || controller.state === 'failed') return resolve(controller.state);
            const timer = setTimeout(() => { subscription.dispose(); resolve(controller.state); }, timeoutMs ?? 30_000);
            const subscription = controller.onDidChangeState(state => {
                if (state === 'running' || state === 'failed') {
                    clearTimeout(timer);
                    subscription.dispose();
                    resolve(state);
                }
            });
        }),
        reportPanel: plan => panels.panelFor(plan),
        audienceSizes: document => sizes.get(document),
        onDidChangeAudienceSizes: sizes.onDidChange,
        lastEvaluation: () => status.lastEvaluation,
        comparePanel: plan => comparePanels.panelFor(plan),
        diffBase: () => bases.get(),
        diffLenses: document => diffs.get(document),
        onDidChangeDiffLenses: diffs.onDidChange
    };
}

export async function deactivate(): Promise<void> {
    await server?.stop();
    server = undefined;
}
