// Table sources (issue 12) in the language server over stdio, driven by a real JSON-RPC client as an editor would:
// a plan reading tables opens with no data-file warning, hover anywhere on a table source answers (no file to read),
// the outline says which table, and formatting writes `from table "x.y"` canonically and is a fixed point.
// It runs the built server (see server.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rpc from 'vscode-languageserver-protocol/node.js';
import type { CompletionItem, CompletionList, DocumentSymbol, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { position, startServer, type StdioServer } from './stdio-server.js';
import { TABLE_PLAN as PLAN } from '../table-plan.js';

const URI = 'file:///tmp/mplan-table-server-test/tables.mplan';
const MESSY_URI = 'file:///tmp/mplan-table-server-test/messy.mplan';


const MESSY = PLAN
    .replace('customers shoppers from table "crm.customers" key', 'customers   shoppers from\ttable    "crm.customers"   key')
    .replace('events orders from table "orders"', 'events orders from  table"orders"');

let server: StdioServer;
let connection: rpc.ProtocolConnection;

async function hover(needle: string, delta: number): Promise<string> {
    const result = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: URI }, position: position(PLAN, needle, delta) }) as Hover | null;
    return (result?.contents as { value?: string } | undefined)?.value ?? '';
}

beforeAll(async () => {
    server = await startServer();
    connection = server.connection;
});

afterAll(async () => {
    await server?.stop();
});

describe('table sources, over stdio', () => {
    it('publishes no diagnostic for a plan that reads tables: no file to miss', async () => {
        const { diagnostics } = await server.open(URI, PLAN);
        expect(diagnostics.map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message}`)).toEqual([]);
    });

    it('answers hover on every part of a table source, naming the table', async () => {
        expect(await hover('shoppers from table', 1)).toContain('read from table "crm.customers"');
        expect(await hover('orders from table', 1)).toContain('read from table "orders"');
        expect(await hover('table "crm', 1)).toMatch(/`from table "schema\.table"`: the source reads a table/);
        expect(await hover('from table "orders"', 1)).toContain('a data file, a database table');
        expect(await hover('key customer_id', 6)).toContain('the key that identifies each customer');
        expect(await hover('shoppers.age', 10)).toContain('**column** `shoppers.age`: number');
        // The quoted name is a literal, as a file's path is: nothing to say, and nothing goes wrong.
        expect(await hover('"crm.customers"', 3)).toBe('');
        expect(server.process.exitCode).toBeNull();
    });

    it('proposes `table` after `from` in a source', async () => {
        const text = PLAN.replace('from table "orders"', 'from ');
        await server.open('file:///tmp/mplan-table-server-test/completion.mplan', text);
        const result = await connection.sendRequest(rpc.CompletionRequest.type, {
            textDocument: { uri: 'file:///tmp/mplan-table-server-test/completion.mplan' }, position: position(text, 'orders from ', 12)
        });
        const items: CompletionItem[] = Array.isArray(result) ? result : (result as CompletionList).items;
        expect(items.map(i => i.label)).toContain('table');
    });

    it('outlines a table source with its table', async () => {
        const symbols = await connection.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri: URI } }) as DocumentSymbol[];
        const sources = symbols[0].children!.filter(s => ['shoppers', 'orders'].includes(s.name)).map(s => `${s.name}: ${s.detail}`);
        expect(sources).toEqual(['shoppers: customers source from table "crm.customers"', 'orders: events source from table "orders"']);
    });

    it('formats `from table "x.y"` canonically, and leaves the canonical text as it is', async () => {
        await server.open(MESSY_URI, MESSY);
        const options = { tabSize: 4, insertSpaces: true };
        const edits = await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri: MESSY_URI }, options }) as TextEdit[];
        expect(TextDocument.applyEdits(TextDocument.create(MESSY_URI, 'mplan', 1, MESSY), edits)).toBe(PLAN);
        const none = await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri: URI }, options }) as TextEdit[];
        expect(none).toEqual([]);
    });
});
