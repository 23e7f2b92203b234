// The built language server run over stdio and driven by a real JSON-RPC client, as an editor would: shared by the
// server tests that open a plan, wait for its diagnostics and send requests (see server.test.ts for the protocol
// checks themselves).
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as rpc from 'vscode-languageserver-protocol/node.js';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'bin/mplan-language-server.js');

export interface StdioServer {
    connection: rpc.ProtocolConnection;
    process: ChildProcessWithoutNullStreams;
    /** Opens a document and waits for the diagnostics the server publishes for it. */
    open(uri: string, text: string): Promise<PublishDiagnosticsParams>;
    stop(): Promise<void>;
}

/** Starts the server (building it first when dist/ has none) with `env` added to the environment, and initializes it. */
export async function startServer(env: Record<string, string> = {}): Promise<StdioServer> {
    if (!fs.existsSync(path.join(ROOT, 'dist/server.cjs'))) {
        execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    }
    const server = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, env: { ...process.env, ...env } });
    let stderr = '';
    server.stderr.on('data', chunk => { stderr += String(chunk); });
    const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
    const published = new Map<string, PublishDiagnosticsParams>();
    const waiting = new Map<string, Array<() => void>>();
    connection.onNotification(rpc.PublishDiagnosticsNotification.type, params => {
        published.set(params.uri, params);
        const resolvers = waiting.get(params.uri) ?? [];
        waiting.set(params.uri, []);
        for (const resolve of resolvers) resolve();
    });
    connection.listen();
    await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
    await connection.sendNotification(rpc.InitializedNotification.type, {});
    return {
        connection,
        process: server,
        async open(uri, text) {
            const done = new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} (stderr: ${stderr})`)), 30_000);
                waiting.set(uri, [...(waiting.get(uri) ?? []), () => { clearTimeout(timer); resolve(); }]);
            });
            await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'mplan', version: 1, text } });
            await done;
            return published.get(uri)!;
        },
        async stop() {
            if (server.exitCode === null) {
                await connection.sendRequest(rpc.ShutdownRequest.type).catch(() => undefined);
                await connection.sendNotification(rpc.ExitNotification.type).catch(() => undefined);
            }
            connection.dispose();
            if (server.exitCode === null) server.kill();
        }
    };
}

/** The position `delta` characters after the first `needle` in `text`. */
export function position(text: string, needle: string, delta: number) {
    const index = text.indexOf(needle);
    if (index < 0) throw new Error(`'${needle}' not found`);
    const before = text.slice(0, index + delta).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
}
