// What the report and comparison panels share: their webview options, and bringing a panel back after a reload.
import * as vscode from 'vscode';

/** Scripts and styles from the extension's media/ folder only, no command links, and a find widget. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
        enableScripts: true,
        enableCommandUris: false,
        enableFindWidget: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')]
    };
}

/**
 * A serializer for panels whose state names their plan: a restored panel gets the options back, then `restore`; one
 * without a plan, or for a plan that has a panel already, is closed.
 */
export function planPanelSerializer(
    extensionUri: vscode.Uri,
    hasPanel: (plan: vscode.Uri) => boolean,
    restore: (plan: vscode.Uri, panel: vscode.WebviewPanel) => void | Promise<void>
): vscode.WebviewPanelSerializer<{ plan?: string }> {
    return {
        deserializeWebviewPanel: async (panel, state) => {
            const plan = typeof state?.plan === 'string' ? vscode.Uri.parse(state.plan) : undefined;
            if (!plan || hasPanel(plan)) {
                panel.dispose();
                return;
            }
            panel.webview.options = panelOptions(extensionUri);
            await restore(plan, panel);
        }
    };
}
