// Audiences chosen by behaviour (issue 10) in the language server over stdio, driven by a real JSON-RPC client as an
// editor would: the normative example opens clean, `where` completes the filtered events' columns, hover on an
// aggregate says which events it counts in each context, the outline lists tiers with their tiers, a tier renames
// everywhere, and the formatter leaves the example as it is. It runs the built server (see server.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rpc from 'vscode-languageserver-protocol/node.js';
import type { CompletionItem, CompletionList, DocumentSymbol, Hover, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { position, startServer, type StdioServer } from './stdio-server.js';

const ROOT = path.resolve(__dirname, '../..');
const SPEC = path.resolve(ROOT, '../shared/spec/behaviour.mplan');
const SPEC_FILE = fs.existsSync(SPEC) ? SPEC : path.resolve(ROOT, '../shared/spec-next/behaviour.mplan');
const BEHAVIOUR = fs.readFileSync(SPEC_FILE, 'utf8');
const URI = 'file:///tmp/mplan-behaviour-server-test/behaviour.mplan';
const AUDIENCE_URI = 'file:///tmp/mplan-behaviour-server-test/audience.mplan';

/** A campaign whose audience aggregates directly: its hover names the campaign's start. */
const AUDIENCE_PLAN = `plan "Loyal buyers" {
  objective retention
  customers shoppers from "customers.csv" key id
  events orders from "orders.csv" customer id time at {
    amount: number
  }
  channel mail cost 1 per contact
  metric revenue = sum(orders.amount)

  campaign thanks {
    audience sum(orders.amount within 90 days) > 100
    channel mail
    runs 2027-05-01 to 2027-05-31
    control 10% seed "thanks"
    goal lift(revenue) >= 5% by 2027-07-31
  }
}
`;

let server: StdioServer;
let connection: rpc.ProtocolConnection;
const open = (uri: string, text: string) => server.open(uri, text);

async function hover(uri: string, text: string, needle: string, delta: number): Promise<string> {
    const result = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: position(text, needle, delta) }) as Hover | null;
    return (result?.contents as { value?: string } | undefined)?.value ?? '';
}

function apply(text: string, edits: TextEdit[]): string {
    return TextDocument.applyEdits(TextDocument.create(URI, 'mplan', 1, text), edits);
}

beforeAll(async () => {
    server = await startServer();
    connection = server.connection;
});

afterAll(async () => {
    await server?.stop();
});

describe('audiences chosen by behaviour, over stdio', () => {
    it('publishes no error and no warning for the normative example but its missing data files', async () => {
        const { diagnostics } = await open(URI, BEHAVIOUR);
        expect(diagnostics.filter(d => d.code !== 'data-file-missing').map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message}`)).toEqual([]);
        expect(diagnostics.filter(d => d.code === 'data-file-missing')).toHaveLength(4);
        const { diagnostics: other } = await open(AUDIENCE_URI, AUDIENCE_PLAN);
        expect(other.filter(d => d.code !== 'data-file-missing').map(d => `${d.range.start.line + 1}: [${d.code}] ${d.message}`)).toEqual([]);
    });

    it('completes the filtered events\' columns in a where condition, and nothing else', async () => {
        const result = await connection.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: URI }, position: position(BEHAVIOUR, 'where category', 6) });
        const items: CompletionItem[] = Array.isArray(result) ? result : (result as CompletionList).items;
        const names = items.filter(i => i.kind !== 14 /* keyword */).map(i => i.label).sort();
        expect(names).toEqual(['category', 'msisdn', 'responded_at']);
        expect(items.find(i => i.label === 'category')?.detail).toBe('column: text');
        // In the other filter, the other source's columns.
        const other = await connection.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: URI }, position: position(BEHAVIOUR, 'where event_id', 6) });
        const otherItems: CompletionItem[] = Array.isArray(other) ? other : (other as CompletionList).items;
        expect(otherItems.filter(i => i.kind !== 14).map(i => i.label).sort()).toEqual(['event_id', 'msisdn', 'redeemed_at']);
    });

    it('says on hover which events an aggregate counts: in an audience, in a segment, in a metric', async () => {
        expect(await hover(AUDIENCE_URI, AUDIENCE_PLAN, 'sum(orders.amount within', 1))
            .toContain('orders in the 90 days before the campaign starts (2027-05-01)');
        const segment = await hover(URI, BEHAVIOUR, 'count(responses where', 1);
        expect(segment).toContain('**aggregate** `count(responses where category = "music" within 365 days)`');
        expect(segment).toContain('responses before the reference date (a campaign\'s start for its audience, the evaluation date in the segment table), the last 365 days of them');
        const metric = await hover(URI, BEHAVIOUR, 'any(redemptions where event_id = "tse-2027")   //', 1);
        expect(metric).toContain('1 when the customer has any `redemptions` event where `event_id = "tse-2027"`, else 0');
        expect(metric).toContain('in the attribution window');
        expect(metric).not.toContain('reference date');
    });

    it('outlines tiers with their tiers, in order', async () => {
        const symbols = await connection.sendRequest(rpc.DocumentSymbolRequest.type, { textDocument: { uri: URI } }) as DocumentSymbol[];
        const tiers = symbols[0].children!.find(s => s.name === 'value_tier')!;
        expect(tiers.detail).toBe('tiers: Value tiers');
        expect(tiers.children!.map(c => `${c.name}: ${c.detail}`)).toEqual([
            'gold: usage.r >= 4 and usage.f >= 4 and usage.m >= 4',
            'value: usage.m >= 4',
            'growth: usage.r >= 3',
            'dormant: usage.r = 2',
            'lost: otherwise'
        ]);
        expect(tiers.children![4].selectionRange.start.line + 1).toBe(BEHAVIOUR.split('\n').findIndex(l => l.includes('lost = otherwise')) + 1);
    });

    it('renames a tier where it is declared and where the audience names it', async () => {
        const edit = await connection.sendRequest(rpc.RenameRequest.type, { textDocument: { uri: URI }, position: position(BEHAVIOUR, 'not value_tier.lost', 17), newName: 'gone' }) as WorkspaceEdit;
        const after = apply(BEHAVIOUR, edit.changes![URI]);
        expect(edit.changes![URI]).toHaveLength(2);
        expect(after).toContain('    gone = otherwise\n');
        expect(after).toContain('and not value_tier.gone\n');
        expect(after).not.toMatch(/\blost\b/);
        const declaration = await connection.sendRequest(rpc.RenameRequest.type, { textDocument: { uri: URI }, position: position(BEHAVIOUR, 'tiers value_tier', 7), newName: 'tier_of' }) as WorkspaceEdit;
        expect(apply(BEHAVIOUR, declaration.changes![URI]).match(/tier_of/g)).toHaveLength(2);
    });

    it('leaves the normative example as it is when formatting', async () => {
        const edits = await connection.sendRequest(rpc.DocumentFormattingRequest.type, { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
        expect(apply(BEHAVIOUR, edits ?? [])).toBe(BEHAVIOUR);
        expect(server.process.exitCode).toBeNull();
    });
});
