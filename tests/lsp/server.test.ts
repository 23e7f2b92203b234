// The language server over stdio, driven by a real JSON-RPC client, as an editor would.
// It runs the built server (bin/mplan-language-server.js imports out/): CI runs `npm run build` before `npm test`.
// When out/ is missing (a fresh checkout), beforeAll compiles it with `tsc -b --force` first (--force: a stale
// tsconfig.tsbuildinfo must not make tsc think the deleted output is up to date).
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rpc from 'vscode-languageserver-protocol/node.js';
import type { CompletionItem, CompletionList, Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'bin/mplan-language-server.js');
const URI = 'file:///tmp/mplan-server-test/plan.mplan';

const PLAN = `plan "Server test" {
  objective growth
  customers people from "people.csv" key id {
    spend: number
  }
  channel sms cost 0.05 per contact
  metric spend = people.spend

  campaign vague {
    audience everyone
    channel sms
    runs 2026-05-01 to 2026-05-31
    control 5% seed "vague"
    goal lift(spend) >= 10%
  }
}
`;
const GOAL_LINE = 13; // 0-based line of `goal lift(spend) >= 10%`

let server: ChildProcessWithoutNullStreams;
let connection: rpc.ProtocolConnection;
let stderr = '';
let exitCode: Promise<number | null>;
const diagnostics = new Map<string, Array<(params: PublishDiagnosticsParams) => void>>();

/** The next diagnostics published for `uri`. */
function nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} (stderr: ${stderr})`)), 30_000);
        const waiting = diagnostics.get(uri) ?? [];
        waiting.push(params => {
            clearTimeout(timer);
            resolve(params);
        });
        diagnostics.set(uri, waiting);
    });
}

function position(text: string, needle: string, delta: number) {
    const offset = text.indexOf(needle) + delta;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
}

beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'out/language/main.js'))) {
        execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json', '--force'], { cwd: ROOT, stdio: 'inherit' });
    }
    server = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT });
    server.stderr.on('data', chunk => { stderr += String(chunk); });
    exitCode = new Promise(resolve => server.on('exit', code => resolve(code)));
    connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
    connection.onNotification(rpc.PublishDiagnosticsNotification.type, params => {
        const waiting = diagnostics.get(params.uri) ?? [];
        diagnostics.set(params.uri, []);
        for (const resolve of waiting) resolve(params);
    });
    connection.listen();
});

afterAll(async () => {
    connection?.dispose();
    if (server && server.exitCode === null) server.kill();
});

describe('language server over stdio', () => {
    it('initializes and announces the editor features', async () => {
        const result = await connection.sendRequest(rpc.InitializeRequest.type, {
            processId: process.pid,
            rootUri: null,
            workspaceFolders: null,
            capabilities: { textDocument: { semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] } } }
        });
        const capabilities = result.capabilities;
        expect(capabilities.completionProvider?.triggerCharacters).toEqual(expect.arrayContaining(['.', '(']));
        expect(capabilities.hoverProvider).toBeTruthy();
        expect(capabilities.definitionProvider).toBeTruthy();
        expect(capabilities.referencesProvider).toBeTruthy();
        expect(capabilities.renameProvider).toBeTruthy();
        expect(capabilities.documentSymbolProvider).toBeTruthy();
        expect(capabilities.foldingRangeProvider).toBeTruthy();
        expect(capabilities.documentFormattingProvider).toBeTruthy();
        expect(capabilities.codeActionProvider).toBeTruthy();
        expect(capabilities.semanticTokensProvider?.legend.tokenTypes).toEqual(expect.arrayContaining(['class', 'function', 'variable', 'property', 'enumMember']));
        await connection.sendNotification(rpc.InitializedNotification.type, {});
    });

    let goalDiagnostic: Diagnostic;

    it('publishes goal-no-deadline on the goal\'s line when a plan is opened', async () => {
        const published = nextDiagnostics(URI);
        await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'mplan', version: 1, text: PLAN } });
        const { diagnostics: list } = await published;
        const found = list.filter(d => d.code === 'goal-no-deadline');
        expect(found, JSON.stringify(list)).toHaveLength(1);
        goalDiagnostic = found[0];
        expect(goalDiagnostic.range.start.line).toBe(GOAL_LINE);
        expect(goalDiagnostic.severity).toBe(1);
        expect(goalDiagnostic.data).toMatchObject({ code: 'goal-no-deadline' });
    });

    it('completes metric names inside lift(', async () => {
        const result = await connection.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: URI }, position: position(PLAN, 'lift(spend', 5) });
        const items: CompletionItem[] = Array.isArray(result) ? result : (result as CompletionList).items;
        expect(items.map(i => i.label)).toEqual(['spend']);
        expect(items[0].detail).toBe("metric: the customer's people.spend (number)");
    });

    it('explains a keyword and a name on hover', async () => {
        const keyword = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: URI }, position: position(PLAN, 'control 5%', 2) }) as Hover;
        expect(JSON.stringify(keyword.contents)).toContain('holds out N% of the audience');
        const name = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: URI }, position: position(PLAN, 'lift(spend', 7) }) as Hover;
        expect(JSON.stringify(name.contents)).toContain('**metric** `spend`');
    });

    it('offers the deadline quick fix and formats the document', async () => {
        const actions = await connection.sendRequest(rpc.CodeActionRequest.type, {
            textDocument: { uri: URI }, range: goalDiagnostic.range, context: { diagnostics: [goalDiagnostic] }
        });
        expect(actions?.map(a => a.title)).toEqual(["Add deadline 'by 2026-06-30'"]);
        const edits = await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
        expect(edits).toEqual([]); // the plan is already canonical
    });

    it('survives pathological input and keeps answering', async () => {
        const nested = `segment s = ${'('.repeat(400)}a${')'.repeat(400)}\n`;
        for (const [version, text] of [[2, nested], [3, '\u0000\u0001{{{{ "unterminated'], [4, 'plan "x" { campaign c { goal lift( '], [5, PLAN]] as const) {
            await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version }, contentChanges: [{ text }] });
            await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 3 } }).catch(() => undefined);
            await connection.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 12 } }).catch(() => undefined);
            await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } }).catch(() => undefined);
        }
        const symbols = await connection.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri: URI } });
        expect(symbols?.map(s => s.name)).toEqual(['Server test']);
        expect(server.exitCode).toBeNull();
    });

    it('shuts down and exits cleanly', async () => {
        await connection.sendRequest(rpc.ShutdownRequest.type);
        await connection.sendNotification(rpc.ExitNotification.type);
        expect(await exitCode).toBe(0);
    });
});
