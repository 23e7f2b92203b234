// The outline (plan > sources with columns, RFM, segments, channels, metrics, campaigns with goals) and folding.
import { describe, expect, it } from 'vitest';
import { expectFoldings } from 'langium/test';
import type { DocumentSymbol } from 'vscode-languageserver';
import { SymbolKind } from 'vscode-languageserver';
import { Mplan, PLAN, parse, textAt, textDocumentId } from './helpers.js';

const KIND_NAMES = Object.fromEntries(Object.entries(SymbolKind).map(([name, value]) => [value, name]));

function outline(symbols: DocumentSymbol[], depth = 0): string[] {
    return symbols.flatMap(s => [`${'  '.repeat(depth)}${s.name} [${KIND_NAMES[s.kind]}]${s.detail ? ` ${s.detail}` : ''}`, ...outline(s.children ?? [], depth + 1)]);
}

describe('document symbols', () => {
    it('outlines the plan', async () => {
        const document = await parse(PLAN);
        const symbols = await Mplan.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument: textDocumentId(document) });
        expect(outline(symbols)).toEqual([
            'Q4 win-back [Namespace] objective retention',
            '  shoppers [Class] customers source from data/customers.csv',
            '    region [Field] text',
            '    age [Field] number',
            '    segment [Field] text',
            '    customer_id [Field] text (implied)',
            '  orders [Class] events source from data/orders.csv',
            '    amount [Field] number',
            '    customer_id [Field] text (implied)',
            '    ordered_at [Field] date (implied)',
            '  value [Struct] RFM model from orders',
            '  at_risk [Variable] segment: Bought often, gone quiet',
            '  north [Variable] segment',
            '  mail [EnumMember] channel: cost 0.8 per contact',
            '  phone [EnumMember] channel: cost 3.5 per contact, capacity 2000 per day',
            '  responded [Function] metric: 1 when the customer has any orders event, else 0',
            '  revenue [Function] metric: the sum of orders.amount',
            '  order_value [Function] metric: (the sum of orders.amount) ÷ (the number of orders events)',
            '  winback [Event] campaign 2026-11-01 to 2026-11-30',
            '    Lapsed buyers come back [Boolean] by 2026-12-31',
            '    total(revenue) >= 40000 [Boolean] by 2026-12-31'
        ]);
        // Selection ranges point at the names, inside the symbol's range.
        const shoppers = symbols[0].children![0];
        expect(textAt(document, shoppers.selectionRange)).toBe('shoppers');
        expect(textAt(document, shoppers.children![3].selectionRange)).toBe('customer_id');
    });

    it('lists declarations of a library file (no plan block) at the top level, and goals without labels', async () => {
        const document = await parse('channel sms cost 0.05 per contact\nmetric m = 1\ncampaign c {\n  goal lift(m) >= 5 pp\n  goal roi >= 150%\n}\n');
        const symbols = await Mplan.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument: textDocumentId(document) });
        expect(outline(symbols)).toEqual([
            'sms [EnumMember] channel: cost 0.05 per contact',
            'm [Function] metric: not a valid metric form (a customers column, an aggregate over events, or a quotient of two aggregates)',
            'c [Event] campaign',
            '  lift(m) >= 5 pp [Boolean] no deadline',
            '  roi >= 150% [Boolean] no deadline'
        ]);
    });

    it('skips half-typed declarations instead of failing', async () => {
        const document = await parse('plan "x" {\n  segment s = everyone\n  campaign {\n    goal lift(\n');
        const symbols = await Mplan.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument: textDocumentId(document) });
        expect(outline(symbols)).toContain('  s [Variable] segment');
    });
});

describe('folding', () => {
    // A block folds from its first line to the line before its closing brace, which stays visible.
    it('folds the plan, source, RFM and campaign blocks but not expressions', async () => {
        await expectFoldings(Mplan)({
            text: [
                '<|plan "x" {',
                '  <|customers c from "c.csv" {',
                '    a: number',
                '    b: text|>',
                '  }',
                '  <|rfm r from e {',
                '    monetary amount',
                '    bins 5|>',
                '  }',
                '  segment s = c.a > 1',
                '    and c.a < 5',
                '    and c.b = "x"',
                '  <|campaign k {',
                '    audience s',
                '    runs 2026-01-01 to 2026-01-31|>',
                '  }|>',
                '}'
            ].join('\n')
        });
    });
});
