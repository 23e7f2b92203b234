// Finding every occurrence of a name, for find-references, highlights and rename.
// The scope provider resolves implied columns and RFM scores to their source or model, so the reference index
// lists `shoppers.customer_id` as a reference to `shoppers` and `value.r` as one to `value`. Counting those as
// occurrences of the source's name would make a rename of `value` overwrite every `.r`; MplanReferences drops them,
// and `occurrences` finds columns and scores by what they are named.
import type { AstNode, CstNode, FindReferencesOptions, LangiumDocument, LangiumDocuments, ReferenceDescription, Stream } from 'langium';
import { AstUtils, DefaultReferences, UriUtils } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import type { Range } from 'vscode-languageserver';
import { columnDeclarationNode, keyPropertyNodes, type PlanSymbol } from './lsp/symbol-at.js';

export interface Occurrence {
    uri: string;
    range: Range;
    /** Whether this occurrence declares the symbol (rather than uses it). */
    declaration: boolean;
}

export class MplanReferences extends DefaultReferences {
    protected readonly langiumDocuments: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.langiumDocuments = services.shared.workspace.LangiumDocuments;
    }

    /** The default, minus references whose text is not the target's name (members resolved to their container). */
    override findReferences(targetNode: AstNode, options: FindReferencesOptions): Stream<ReferenceDescription> {
        const name = this.nameProvider.getName(targetNode);
        return super.findReferences(targetNode, options).filter(ref => name === undefined || this.textOf(ref) === name);
    }

    /** References whose text is `name`, including those the default filter above leaves out. */
    findNamedReferences(targetNode: AstNode, name: string): ReferenceDescription[] {
        return super.findReferences(targetNode, { includeDeclaration: false }).filter(ref => this.textOf(ref) === name).toArray();
    }

    protected textOf(ref: ReferenceDescription): string | undefined {
        const document = this.langiumDocuments.getDocument(ref.sourceUri);
        return document?.textDocument.getText().substring(ref.segment.offset, ref.segment.end);
    }
}

/** Every place the symbol is declared or used, across the loaded documents. */
export function occurrences(symbol: PlanSymbol, services: LangiumServices): Occurrence[] {
    const references = services.references.References as MplanReferences;
    const result: Occurrence[] = [];
    const add = (uri: string, range: Range, declaration: boolean) => {
        if (!result.some(o => o.uri === uri && sameRange(o.range, range))) result.push({ uri, range, declaration });
    };
    const addCst = (node: AstNode, cst: CstNode | undefined, declaration: boolean) => {
        if (cst) add(AstUtils.getDocument(node).uri.toString(), cst.range, declaration);
    };
    const addRefs = (refs: Iterable<ReferenceDescription>) => {
        for (const ref of refs) add(ref.sourceUri.toString(), ref.segment.range, false);
    };

    switch (symbol.kind) {
        case 'declaration': {
            const node = symbol.node;
            addCst(node, services.references.NameProvider.getNameNode(node), true);
            addRefs(references.findReferences(node, { includeDeclaration: false }));
            break;
        }
        case 'column': {
            const { source, name } = symbol;
            const declaration = columnDeclarationNode(source, name);
            addCst(source, declaration, true);
            for (const key of keyPropertyNodes(source, name)) addCst(source, key, key === declaration);
            const column = source.columns.find(c => c.name === name);
            if (column) addRefs(references.findReferences(column, { includeDeclaration: false }));
            // Implied columns resolve to the source itself.
            addRefs(references.findNamedReferences(source, name));
            break;
        }
        case 'score':
            // Scores are built into every RFM model: they have uses but no declaration.
            addRefs(references.findNamedReferences(symbol.rfm, symbol.score));
            break;
        case 'clvScore':
            // Likewise the scores of a CLV model.
            addRefs(references.findNamedReferences(symbol.clv, symbol.score));
            break;
    }
    return result;
}

/** The occurrences inside one document. */
export function occurrencesIn(document: LangiumDocument, symbol: PlanSymbol, services: LangiumServices): Occurrence[] {
    const uri = document.uri.toString();
    return occurrences(symbol, services).filter(o => UriUtils.equals(o.uri, uri));
}

function sameRange(a: Range, b: Range): boolean {
    return a.start.line === b.start.line && a.start.character === b.start.character
        && a.end.line === b.end.line && a.end.character === b.end.character;
}
