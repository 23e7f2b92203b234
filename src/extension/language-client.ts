// The language client: starts the bundled language server (dist/server.cjs) in a Node process over IPC.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { dataRoots } from './settings.js';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node.js';
import { LanguageClient, State, TransportKind } from 'vscode-languageclient/node.js';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export class ServerController implements vscode.Disposable {
    private client: LanguageClient | undefined;
    private current: ServerState = 'stopped';
    private readonly onDidChangeStateEmitter = new vscode.EventEmitter<ServerState>();
    readonly onDidChangeState = this.onDidChangeStateEmitter.event;
    private lastError: string | undefined;

    constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

    get state(): ServerState {
        return this.current;
    }

    get error(): string | undefined {
        return this.lastError;
    }

    private setState(state: ServerState): void {
        if (state !== this.current) {
            this.current = state;
            this.onDidChangeStateEmitter.fire(state);
        }
    }

    async start(): Promise<void> {
        if (this.client) return;
        const serverModule = this.context.asAbsolutePath('dist/server.cjs');
        // The server warns about data paths outside a plan's root unless `mplan.data.roots` allows their folder.
        const roots = (vscode.workspace.workspaceFolders ?? []).flatMap(folder => dataRoots(folder.uri));
        const env = { ...process.env, MPLAN_DATA_ROOTS: roots.join(path.delimiter) };
        const serverOptions: ServerOptions = {
            run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
            debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } }
        };
        const clientOptions: LanguageClientOptions = {
            documentSelector: [{ scheme: 'file', language: 'mplan' }, { scheme: 'untitled', language: 'mplan' }],
            synchronize: {
                // Imported plans and data files may change outside the editor.
                fileEvents: vscode.workspace.createFileSystemWatcher('**/*.mplan')
            },
            outputChannel: this.log,
            traceOutputChannel: this.log,
            diagnosticCollectionName: 'mplan'
        };
        // The id 'mplan' makes the client read the `mplan.trace.server` setting.
        const client = new LanguageClient('mplan', 'mplan Language Server', serverOptions, clientOptions);
        client.onDidChangeState(event => {
            if (event.newState === State.Running) this.setState('running');
            else if (event.newState === State.Starting) this.setState('starting');
            else if (this.current !== 'failed') this.setState('stopped');
        });
        this.client = client;
        this.setState('starting');
        try {
            await client.start();
            this.lastError = undefined;
            this.setState('running');
            this.log.info('language server running');
        } catch (error) {
            this.lastError = (error as Error)?.message ?? String(error);
            this.log.error(`language server failed to start: ${this.lastError}`);
            this.setState('failed');
        }
    }

    async stop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client) {
            try {
                await client.dispose(5000);
            } catch (error) {
                this.log.warn(`stopping the language server: ${(error as Error)?.message ?? error}`);
            }
        }
        this.setState('stopped');
    }

    async restart(): Promise<void> {
        this.log.info('restarting the language server');
        await this.stop();
        await this.start();
    }

    dispose(): void {
        void this.stop();
        this.onDidChangeStateEmitter.dispose();
    }
}
