// Go to definition, find references, highlights and rename, for segments, metrics, channels, sources, columns
// (declared, implied by `key`/`customer`/`time`, and after a dot) and RFM models and scores.
import type { LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { expectFindReferences, expectGoToDefinition } from 'langium/test';
import type { Location, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Mplan, PLAN, parse, positionOf, textAt, textDocumentId } from './helpers.js';

async function definitionAt(document: LangiumDocument, needle: string, nth: number, delta: number) {
    const links = await Mplan.lsp.DefinitionProvider!.getDefinition(document, { textDocument: textDocumentId(document), position: positionOf(document, needle, nth, delta) });
    return links ?? [];
}

/** The line (1-based) and text of each location in `document`. */
function describe_(document: LangiumDocument, locations: Location[]): string[] {
    return locations.map(l => `${l.range.start.line + 1}:${textAt(document, l.range)}`);
}

async function referencesAt(document: LangiumDocument, needle: string, nth: number, delta: number, includeDeclaration = true) {
    return await Mplan.lsp.ReferencesProvider!.findReferences(document, {
        textDocument: textDocumentId(document), position: positionOf(document, needle, nth, delta), context: { includeDeclaration }
    });
}

async function renameAt(document: LangiumDocument, needle: string, nth: number, delta: number, newName: string): Promise<WorkspaceEdit | undefined> {
    return await Mplan.lsp.RenameProvider!.rename(document, { textDocument: textDocumentId(document), position: positionOf(document, needle, nth, delta), newName }) ?? undefined;
}

/** The document's text after applying the rename's edits to it. */
function renamed(document: LangiumDocument, edit: WorkspaceEdit | undefined): string {
    const edits = edit?.changes?.[document.textDocument.uri] ?? [];
    return TextDocument.applyEdits(document.textDocument, edits);
}

describe('go to definition', () => {
    it('jumps from a segment, metric, channel and source to its declaration (langium/test)', async () => {
        await expectGoToDefinition(Mplan)({
            text: 'segment <|at_risk|> = everyone\ncampaign c {\n  audience at_r<|>isk\n}',
            index: 0, rangeIndex: 0
        });
        await expectGoToDefinition(Mplan)({
            text: 'metric <|revenue|> = 1\ncampaign c {\n  goal total(reve<|>nue) >= 1 by 2026-01-01\n}',
            index: 0, rangeIndex: 0
        });
    });

    it('jumps from a column after a dot to the column in the source block', async () => {
        const document = await parse(PLAN);
        const [link] = await definitionAt(document, 'shoppers.region', 0, 11);
        expect(link.targetSelectionRange.start.line + 1).toBe(7);
        expect(textAt(document, link.targetSelectionRange)).toBe('region');
        expect(textAt(document, link.originSelectionRange!)).toBe('region');
    });

    it('jumps from an implied column to the key/customer property that names it', async () => {
        const text = PLAN.replace('shoppers.region = "north"', 'shoppers.customer_id = "north"');
        const document = await parse(text);
        const [link] = await definitionAt(document, 'shoppers.customer_id', 0, 12);
        expect(textAt(document, link.targetSelectionRange)).toBe('customer_id');
        expect(link.targetSelectionRange.start.line + 1).toBe(6); // `key customer_id`, not `shoppers`
    });

    it('jumps from an RFM score to its model, and from `monetary` to the events column', async () => {
        const document = await parse(PLAN);
        const [score] = await definitionAt(document, 'value.r', 0, 6);
        expect(textAt(document, score.targetSelectionRange)).toBe('value');
        expect(score.targetSelectionRange.start.line + 1).toBe(16);
        const [monetary] = await definitionAt(document, 'monetary amount', 0, 10);
        expect(textAt(document, monetary.targetSelectionRange)).toBe('amount');
        expect(monetary.targetSelectionRange.start.line + 1).toBe(13);
    });

    it('jumps from an imported name into the other file, and from the import to the file', async () => {
        const lib = await parse('channel sms cost 0.05 per contact\n', 'nav-lib');
        const plan = await parse('import "nav-lib.mplan"\ncampaign c {\n  channel sms\n}\n', 'nav-plan');
        const [link] = await definitionAt(plan, 'channel sms', 0, 9);
        expect(link.targetUri).toBe(lib.textDocument.uri);
        expect(textAt(lib, link.targetSelectionRange)).toBe('sms');
        const [file] = await definitionAt(plan, '"nav-lib', 0, 3);
        expect(file.targetUri).toBe(lib.textDocument.uri);
    });
});

describe('find references', () => {
    it('finds a metric\'s declaration and uses (langium/test)', async () => {
        await expectFindReferences(Mplan)({
            text: 'metric <|reve<|>nue|> = 1\nmetric double = <|revenue|>\ncampaign c {\n  goal total(<|revenue|>) >= 1 by 2026-01-01\n}',
            includeDeclaration: true
        });
    });

    it('finds a column\'s declaration and every use after a dot', async () => {
        const document = await parse(PLAN);
        const refs = await referencesAt(document, 'amount', 0, 2);
        expect(describe_(document, refs)).toEqual(['13:amount', '17:amount', '29:amount', '30:amount']);
        const uses = await referencesAt(document, 'amount', 0, 2, false);
        expect(uses).toHaveLength(3);
    });

    it('finds the uses of a source without the columns it implies', async () => {
        const text = PLAN.replace('shoppers.region = "north"', 'shoppers.customer_id = "north"');
        const document = await parse(text);
        const refs = describe_(document, await referencesAt(document, 'customers shoppers', 0, 12));
        expect(refs).toEqual(['6:shoppers', '23:shoppers', '23:shoppers']);
    });

    it('finds an implied column at its key property and every use', async () => {
        const text = PLAN.replace('shoppers.region = "north"', 'shoppers.customer_id = "north"');
        const document = await parse(text);
        expect(describe_(document, await referencesAt(document, 'key customer_id', 0, 6))).toEqual(['6:customer_id', '23:customer_id']);
    });

    it('finds an RFM model without its scores, and a score\'s uses', async () => {
        const document = await parse(PLAN);
        expect(describe_(document, await referencesAt(document, 'rfm value', 0, 5))).toEqual(['16:value', '22:value', '22:value']);
        expect(describe_(document, await referencesAt(document, 'value.r', 0, 6))).toEqual(['22:r']);
    });

    it('highlights the occurrences in the document, the declaration as a write', async () => {
        const document = await parse(PLAN);
        const highlights = await Mplan.lsp.DocumentHighlightProvider!.getDocumentHighlight(document, { textDocument: textDocumentId(document), position: positionOf(document, 'at_risk', 1, 2) });
        expect(highlights?.map(h => `${h.range.start.line + 1}:${h.kind}`)).toEqual(['22:3', '33:2']);
    });
});

describe('rename', () => {
    it('renames a column in its block and after every dot', async () => {
        const document = await parse(PLAN);
        const text = renamed(document, await renameAt(document, 'shoppers.region', 0, 12, 'area'));
        expect(text).toContain('    area: text\n');
        expect(text).toContain('segment north = shoppers.area = "north"');
        expect(text).not.toContain('region');
    });

    it('renames an events column, including `monetary` and aggregates', async () => {
        const document = await parse(PLAN);
        const text = renamed(document, await renameAt(document, 'sum(orders.amount)', 0, 12, 'total_amount'));
        expect(text).toContain('total_amount: number');
        expect(text).toContain('monetary total_amount');
        expect(text).toContain('metric revenue = sum(orders.total_amount)');
        expect(text).toContain('metric order_value = sum(orders.total_amount) / count(orders)');
    });

    it('renames an implied key column together with its `key` and `customer` properties', async () => {
        const source = PLAN.replace('shoppers.region = "north"', 'shoppers.customer_id = "north"');
        const document = await parse(source);
        const text = renamed(document, await renameAt(document, 'shoppers.customer_id', 0, 12, 'client'));
        expect(text).toContain('key client {');
        expect(text).toContain('segment north = shoppers.client = "north"');
        // The events source names its own customer column; renaming the customers key leaves it alone.
        expect(text).toContain('events orders from "data/orders.csv" customer customer_id');
    });

    it('renames a declared column that a `key` names, and the key with it', async () => {
        const document = await parse('customers people from "p.csv" key id {\n  id: text\n}\nsegment s = people.id = "x"\n');
        const text = renamed(document, await renameAt(document, 'id: text', 0, 1, 'person_id'));
        expect(text).toBe('customers people from "p.csv" key person_id {\n  person_id: text\n}\nsegment s = people.person_id = "x"\n');
    });

    it('renames a metric at its declaration and in goals, value and other metrics', async () => {
        const document = await parse(PLAN.replace('    attribution 30 days\n', '    attribution 30 days\n    value revenue\n'));
        const text = renamed(document, await renameAt(document, 'metric revenue', 0, 9, 'sales'));
        expect(text).toContain('metric sales = sum(orders.amount)');
        expect(text).toContain('value sales');
        expect(text).toContain('goal total(sales) >= 40000');
        expect(text).not.toMatch(/\brevenue\b/);
    });

    it('renames a segment from one of its uses', async () => {
        const document = await parse(PLAN);
        const text = renamed(document, await renameAt(document, 'not north', 0, 6, 'young_north'));
        expect(text).toContain('segment young_north = shoppers.region');
        expect(text).toContain('audience at_risk and not young_north');
    });

    it('renames an RFM model without touching its scores, and a source without its implied columns', async () => {
        const document = await parse(PLAN);
        const text = renamed(document, await renameAt(document, 'rfm value', 0, 5, 'scores'));
        expect(text).toContain('rfm scores from orders');
        expect(text).toContain('segment at_risk "Bought often, gone quiet" = scores.r <= 2 and scores.f >= 4');
        const keyed = await parse(PLAN.replace('shoppers.region = "north"', 'shoppers.customer_id = "north"'));
        const text2 = renamed(keyed, await renameAt(keyed, 'customers shoppers', 0, 12, 'people'));
        expect(text2).toContain('segment north = people.customer_id = "north" and people.age < 35');
    });

    it('renames across files: a channel declared in an imported file', async () => {
        const lib = await parse('channel sms cost 0.05 per contact\n', 'rename-lib');
        const plan = await parse('import "rename-lib.mplan"\ncampaign c {\n  channel sms\n}\n', 'rename-plan');
        const edit = await renameAt(plan, 'channel sms', 0, 9, 'text_message');
        expect(renamed(lib, edit)).toBe('channel text_message cost 0.05 per contact\n');
        expect(renamed(plan, edit)).toContain('  channel text_message\n');
    });

    it('refuses to rename an RFM score, or to a name that is not one', async () => {
        const document = await parse(PLAN);
        expect(await Mplan.lsp.RenameProvider!.prepareRename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'value.r', 0, 6) })).toBeUndefined();
        await expect(async () => renameAt(document, 'value.r', 0, 6, 'q')).rejects.toThrow(/cannot be renamed/);
        await expect(async () => renameAt(document, 'metric revenue', 0, 9, 'sum')).rejects.toThrow(/keyword/);
        await expect(async () => renameAt(document, 'metric revenue', 0, 9, '2x')).rejects.toThrow(/not a valid name/);
        // Keywords the grammar accepts as names are fine.
        const ok = renamed(document, await renameAt(document, 'metric revenue', 0, 9, 'value'));
        expect(ok).toContain('metric value = sum(orders.amount)');
    });

    it('prepares a rename on names only', async () => {
        const document = await parse(PLAN);
        const range = await Mplan.lsp.RenameProvider!.prepareRename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'shoppers.age', 0, 10) });
        expect(range && textAt(document, range as never)).toBe('age');
        expect(await Mplan.lsp.RenameProvider!.prepareRename(document, { textDocument: textDocumentId(document), position: positionOf(document, 'objective', 0, 2) })).toBeUndefined();
    });
});
