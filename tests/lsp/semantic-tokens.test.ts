// Semantic tokens: names are coloured by what they name (a column called `segment` is a column, an RFM model called
// `value` is a model), with distinct types for sources, RFM models, segments, channels, metrics, campaigns, columns.
import { describe, expect, it } from 'vitest';
import { expectSemanticToken, highlightHelper } from 'langium/test';
import { SemanticTokensDecoder } from 'langium/lsp';
import { SemanticTokenTypes } from 'vscode-languageserver';
import { Mplan, PLAN, parse, textDocumentId } from './helpers.js';

const MODIFIERS = Object.entries(Mplan.lsp.SemanticTokenProvider!.tokenModifiers);

async function tokens(text: string): Promise<string[]> {
    const document = await parse(text);
    const provider = Mplan.lsp.SemanticTokenProvider!;
    const result = await provider.semanticHighlight(document, { textDocument: textDocumentId(document) });
    return SemanticTokensDecoder.decode(result, provider.tokenTypes, document).map(t => {
        const modifiers = MODIFIERS.filter(([, bit]) => (t.tokenModifiers & bit) !== 0).map(([name]) => name);
        return `${t.text}:${t.tokenType}${modifiers.length > 0 ? `[${modifiers.join(',')}]` : ''}`;
    });
}

describe('semantic tokens', () => {
    it('colours declarations and references by kind', async () => {
        const result = await tokens(PLAN);
        // Declarations
        for (const expected of ['shoppers:class[declaration]', 'orders:class[declaration]', 'value:namespace[declaration]',
            'at_risk:variable[declaration]', 'mail:enumMember[declaration]', 'revenue:function[declaration]',
            'winback:event[declaration]', 'region:property[declaration]', 'segment:property[declaration]', 'customer_id:property']) {
            expect(result, expected).toContain(expected);
        }
        // References, in order of appearance in the segment and metric lines.
        const from = result.indexOf('at_risk:variable[declaration]');
        expect(result.slice(from, from + 12)).toEqual([
            'at_risk:variable[declaration]', 'value:namespace', 'r:property[defaultLibrary,readonly]', 'value:namespace', 'f:property[defaultLibrary,readonly]',
            'north:variable[declaration]', 'shoppers:class', 'region:property', 'shoppers:class', 'age:property',
            'mail:enumMember[declaration]', 'phone:enumMember[declaration]'
        ]);
        expect(result).toEqual(expect.arrayContaining(['responded:function', 'revenue:function', 'mail:enumMember', 'phone:enumMember', 'amount:property']));
    });

    it('marks the RFM model\'s events source and monetary column, and recorded groups', async () => {
        const result = await tokens('events e from "e.csv" customer c time t { amount: number }\nrfm value from e { monetary amount }\ncustomers v from "v.csv" { g: text }\ncampaign k { groups from v.g treatment "a" control "b" }\n');
        expect(result).toEqual([
            'e:class[declaration]', 'c:property', 't:property', 'amount:property[declaration]',
            'value:namespace[declaration]', 'e:class', 'amount:property',
            'v:class[declaration]', 'g:property[declaration]',
            'k:event[declaration]', 'v:class', 'g:property'
        ]);
    });

    it('leaves unresolved names to the TextMate grammar', async () => {
        expect(await tokens('segment s = nowhere.x')).toEqual(['s:variable[declaration]']);
    });

    it('works with langium/test highlightHelper', async () => {
        const highlighted = await highlightHelper(Mplan)('customers c from "c.csv" { <|segment|>: text }\nsegment s = c.<|segment|> = "a"');
        expectSemanticToken(highlighted, { tokenType: SemanticTokenTypes.property, rangeIndex: 0 });
        expectSemanticToken(highlighted, { tokenType: SemanticTokenTypes.property, rangeIndex: 1 });
    });
});
