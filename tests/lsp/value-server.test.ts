// Customer value and attitude (issue 11) in the language server over stdio, driven by a real JSON-RPC client as an
// editor would, on the normative example where it lies (its purchases in ../data, allowed as a data root as the README
// says): it opens clean but for the contacts file it does not ship, `value.` completes the CLV scores and `prefs.` the
// attitude's columns, hover says as of when and from which data each score is, the outline lists both models, rename
// reaches every use of a model, and the formatter leaves the example as it is. It runs the built server (see
// server.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rpc from 'vscode-languageserver-protocol/node.js';
import type { CompletionItem, CompletionList, DocumentSymbol, Hover, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { position, startServer, type StdioServer } from './stdio-server.js';

const ROOT = path.resolve(__dirname, '../..');
const SPEC_FILE = ['../shared/spec/value.mplan', '../shared/spec-next/value.mplan'].map(p => path.resolve(ROOT, p)).find(p => fs.existsSync(p))!;
const VALUE = fs.readFileSync(SPEC_FILE, 'utf8');
const URI = pathToFileURL(SPEC_FILE).toString();
const DATA = path.resolve(ROOT, '../shared/data');

let server: StdioServer;
let connection: rpc.ProtocolConnection;
const open = (uri: string, text: string) => server.open(uri, text);

const lineOf = (needle: string) => VALUE.split('\n').findIndex(l => l.includes(needle)) + 1;

async function complete(needle: string, delta: number): Promise<CompletionItem[]> {
    const result = await connection.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: URI }, position: position(VALUE, needle, delta) });
    return Array.isArray(result) ? result : (result as CompletionList).items;
}

async function hover(needle: string, delta: number): Promise<string> {
    const result = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: URI }, position: position(VALUE, needle, delta) }) as Hover | null;
    return (result?.contents as { value?: string } | undefined)?.value ?? '';
}

function apply(text: string, edits: TextEdit[]): string {
    return TextDocument.applyEdits(TextDocument.create(URI, 'mplan', 1, text), edits);
}

beforeAll(async () => {
    server = await startServer({ MPLAN_DATA_ROOTS: DATA });
    connection = server.connection;
});

afterAll(async () => {
    await server?.stop();
});

describe('customer value and attitude, over stdio', () => {
    it('publishes no error and no warning for the normative example but the contacts file it does not ship', async () => {
        const { diagnostics } = await open(URI, VALUE);
        expect(diagnostics.map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message.replace(/ \(looked for .*/, '')}`))
            .toEqual([`${lineOf('events contacts')}: [data-file-missing] Data file 'contacts.csv' does not exist`]);
    });

    it('completes the CLV scores after `value.` and the attitude\'s columns after `prefs.`', async () => {
        const scores = await complete('value.alive < 30%', 6);
        expect(scores.map(i => i.label).sort()).toEqual(['alive', 'clv', 'purchases', 'spend']);
        expect(scores.find(i => i.label === 'alive')?.detail).toBe('CLV score: P(alive), a probability from 0 to 1');
        expect(scores.find(i => i.label === 'spend')?.detail).toBe('CLV score: expected spend per purchase');
        const columns = await complete('prefs.channel("sms")', 6);
        expect(columns.map(i => i.label).sort()).toEqual(['channel', 'offer']);
        expect(columns.find(i => i.label === 'offer')?.detail).toBe('attitude score: 0 to 100 per value of contacts.offer');
        // In `best of ... by`, the same columns.
        expect((await complete('by prefs.channel', 9)).map(i => i.label).sort()).toEqual(['channel', 'offer']);
    });

    it('says on hover as of when and from which data each score is', async () => {
        const alive = await hover('value.alive', 7);
        expect(alive).toContain('P(alive) at the end of calibration, 1997-09-30, from purchases 1997-01-01 to 1997-09-30 (BG/NBD)');
        expect(await hover('value.clv >= 50', 7)).toContain('The expected margin (30%) of the purchases in the 52 weeks after the end of calibration, 1997-09-30, from purchases 1997-01-01 to 1997-09-30 (BG/NBD and Gamma-Gamma), discounted at 10% per year to that day.');
        const sms = await hover('prefs.channel("sms")', 8);
        expect(sms).toContain('The smoothed response rate to channel "sms" from contacts before the reference date');
        expect(sms).toContain('a contact 180 days old weighing half as much, pulled toward the population\'s rate by 5 contacts\' worth');
        const best = await hover('by prefs.channel', 11);
        expect(best).toContain('whichever of email, sms, phone scores highest');
        expect(best).toContain('from contacts before the campaign starts (1997-10-01)');
    });

    it('outlines the CLV model and the attitude', async () => {
        const symbols = await connection.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri: URI } }) as DocumentSymbol[];
        const children = symbols[0].children!;
        const value = children.find(s => s.name === 'value')!;
        const prefs = children.find(s => s.name === 'prefs')!;
        expect([value.detail, prefs.detail]).toEqual(['CLV model (BG/NBD) from purchases', 'attitude from contacts by channel, offer']);
        expect([value.selectionRange.start.line + 1, prefs.selectionRange.start.line + 1]).toEqual([lineOf('clv value'), lineOf('attitude prefs')]);
        expect(children.map(s => s.name).slice(0, 6)).toEqual(['buyers', 'purchases', 'contacts', 'value', 'prefs', 'fading']);
    });

    it('renames the CLV model and the attitude wherever they are used, and not a score', async () => {
        const edit = await connection.sendRequest(rpc.RenameRequest.type, { textDocument: { uri: URI }, position: position(VALUE, 'uplift by value', 10), newName: 'worth' }) as WorkspaceEdit;
        expect(edit.changes![URI]).toHaveLength(4);
        const after = apply(VALUE, edit.changes![URI]);
        expect(after).toContain('  clv worth from purchases {\n');
        expect(after).toContain('segment fading = worth.alive < 30% and worth.clv >= 50\n');
        expect(after).toContain('    uplift by worth.clv ');
        // The comments that say "value" are words, not the name.
        expect(after).toContain('// value = expected margin of the next 52 weeks...');
        const attitude = await connection.sendRequest(rpc.RenameRequest.type, { textDocument: { uri: URI }, position: position(VALUE, 'prefs.channel("sms")', 2), newName: 'taste' }) as WorkspaceEdit;
        const renamed = apply(VALUE, attitude.changes![URI]);
        expect(attitude.changes![URI]).toHaveLength(3);
        expect(renamed).toContain('  attitude taste from contacts {\n');
        expect(renamed).toContain('taste.channel("sms") >= 60');
        expect(renamed).toContain('by taste.channel   //');
        const score = await connection.sendRequest(rpc.PrepareRenameRequest.type, { textDocument: { uri: URI }, position: position(VALUE, 'value.alive', 8) });
        expect(score).toBeNull();
    });

    it('leaves the normative example as it is when formatting', async () => {
        const edits = await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
        expect(apply(VALUE, edits ?? [])).toBe(VALUE);
        expect(server.process.exitCode).toBeNull();
    });
});
