// Find references and document highlights, both from `occurrences`, so columns and RFM scores are found by what
// they name rather than by the node the scope provider resolved them to.
import type { LangiumDocument } from 'langium';
import type { DocumentHighlightProvider, LangiumServices, ReferencesProvider } from 'langium/lsp';
import type { DocumentHighlight, DocumentHighlightParams, Location, ReferenceParams } from 'vscode-languageserver';
import { DocumentHighlightKind } from 'vscode-languageserver';
import { occurrences, occurrencesIn } from '../mplan-references.js';
import { symbolAt } from './symbol-at.js';

export class MplanReferencesProvider implements ReferencesProvider {
    constructor(protected readonly services: LangiumServices) {}

    findReferences(document: LangiumDocument, params: ReferenceParams): Location[] {
        try {
            const named = symbolAt(document, document.textDocument.offsetAt(params.position));
            if (!named) return [];
            return occurrences(named.symbol, this.services)
                .filter(o => params.context.includeDeclaration || !o.declaration)
                .map(o => ({ uri: o.uri, range: o.range }));
        } catch (error) {
            console.error('mplan references failed:', error);
            return [];
        }
    }
}

export class MplanDocumentHighlightProvider implements DocumentHighlightProvider {
    constructor(protected readonly services: LangiumServices) {}

    getDocumentHighlight(document: LangiumDocument, params: DocumentHighlightParams): DocumentHighlight[] | undefined {
        try {
            const named = symbolAt(document, document.textDocument.offsetAt(params.position));
            if (!named) return undefined;
            return occurrencesIn(document, named.symbol, this.services).map(o => ({
                range: o.range,
                kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read
            }));
        } catch (error) {
            console.error('mplan highlight failed:', error);
            return undefined;
        }
    }
}
