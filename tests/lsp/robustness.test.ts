// Editor features run on whatever is being typed. Every provider is run on truncated, garbled and pathological
// versions of a plan: none may throw (a rename may refuse with a ResponseError) or take long.
import { describe, expect, it } from 'vitest';
import { ResponseError } from 'vscode-languageserver';
import type { LangiumDocument } from 'langium';
import { Mplan, PLAN, applyEdits, parse, textDocumentId } from './helpers.js';

/** Runs every editor feature at `offsets` of the document; returns how many positions were exercised. */
async function exercise(document: LangiumDocument, offsets: number[]): Promise<number> {
    const lsp = Mplan.lsp;
    const textDocument = textDocumentId(document);
    await lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument });
    await lsp.FoldingRangeProvider!.getFoldingRanges(document, { textDocument });
    await lsp.SemanticTokenProvider!.semanticHighlight(document, { textDocument });
    const edits = await lsp.Formatter!.formatDocument(document, { textDocument, options: { tabSize: 2, insertSpaces: true } });
    const broken = document.parseResult.parserErrors.length + document.parseResult.lexerErrors.length > 0;
    if (broken) {
        // A text that does not parse is never reformatted.
        expect(edits).toEqual([]);
    } else if (edits.length > 0) {
        // Whatever the formatter changes must still parse.
        const formatted = await parse(applyEdits(document, edits));
        expect(formatted.parseResult.parserErrors).toEqual([]);
    }
    let exercised = 0;
    for (const diagnostic of document.diagnostics ?? []) {
        await lsp.CodeActionProvider!.getCodeActions(document, { textDocument, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    }
    for (const offset of offsets) {
        const position = document.textDocument.positionAt(offset);
        await lsp.CompletionProvider!.getCompletion(document, { textDocument, position });
        await lsp.HoverProvider!.getHoverContent(document, { textDocument, position });
        await lsp.DefinitionProvider!.getDefinition(document, { textDocument, position });
        await lsp.ReferencesProvider!.findReferences(document, { textDocument, position, context: { includeDeclaration: true } });
        await lsp.DocumentHighlightProvider!.getDocumentHighlight(document, { textDocument, position });
        await lsp.RenameProvider!.prepareRename(document, { textDocument, position });
        try {
            await lsp.RenameProvider!.rename(document, { textDocument, position, newName: 'renamed' });
        } catch (error) {
            if (!(error instanceof ResponseError)) throw error;
        }
        exercised++;
    }
    return exercised;
}

describe('robustness', () => {
    it('handles every prefix of a plan (as while typing it)', async () => {
        const started = Date.now();
        let exercised = 0;
        for (let end = 0; end <= PLAN.length; end += 23) {
            const text = PLAN.slice(0, end);
            const document = await parse(text);
            exercised += await exercise(document, [0, Math.floor(end / 2), Math.max(0, end - 1), end]);
        }
        expect(exercised).toBe(4 * (Math.floor(PLAN.length / 23) + 1));
        expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('handles a plan with chunks cut out of it', async () => {
        for (let start = 0; start < PLAN.length; start += 41) {
            const text = PLAN.slice(0, start) + PLAN.slice(start + 17);
            const document = await parse(text);
            expect(await exercise(document, [start, start + 5, text.length - 3])).toBe(3);
        }
    });

    it('handles garbage, binary text and unbalanced brackets', async () => {
        for (const text of ['\u0000\u0001\u0002', '}}}}', '{{{{', '"unterminated', '((((', ')))) ]]] ...', 'plan plan plan', '..'.repeat(200), '/* never closed']) {
            const document = await parse(text);
            expect(document.diagnostics?.map(d => d.code), JSON.stringify(text)).toContain('syntax-error');
            expect(await exercise(document, [0, 1, Math.floor(text.length / 2), text.length])).toBe(4);
        }
        const unresolved = await parse('segment s = a.b.c.d.e.f');
        expect(unresolved.diagnostics?.map(d => d.code)).toContain('unresolved-reference');
        expect(await exercise(unresolved, [13, 15, 23])).toBe(3);
    });

    it('turns nesting too deep for the parser into a syntax error, and keeps parsing afterwards', async () => {
        for (const text of [`segment s = ${'('.repeat(2000)}a${')'.repeat(2000)}`, `segment s = ${'not '.repeat(5000)}a`, `segment s = ${'- '.repeat(5000)}1 > 0`]) {
            const document = await parse(text);
            expect(document.diagnostics?.map(d => d.code)).toContain('syntax-error');
            expect(await exercise(document, [0, 15, text.length])).toBe(3);
        }
        const fine = await parse(PLAN);
        expect(fine.parseResult.parserErrors).toEqual([]);
        expect(fine.diagnostics?.filter(d => d.severity === 1)).toEqual([]);
    });

    it('handles a long plan quickly', async () => {
        const many = Array.from({ length: 400 }, (_, i) => `  segment s${i} = shoppers.age > ${i} and not s${Math.max(0, i - 1)}`).join('\n');
        const text = PLAN.replace('  channel mail', `${many}\n\n  channel mail`);
        const started = Date.now();
        const document = await parse(text);
        expect(await exercise(document, [text.indexOf('s399') + 2])).toBe(1);
        expect(Date.now() - started).toBeLessThan(20_000);
    });
});
