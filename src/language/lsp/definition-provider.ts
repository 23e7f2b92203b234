// Go to definition. Declarations and declared columns work as in Langium; on top of that an implied column
// (`shoppers.customer_id`, named only by `key customer_id`) jumps to that `key` property rather than to the source,
// a score (`value.r`, `value.alive`) to its RFM or CLV model, and an import path to the imported file.
import type { CstNode, LangiumDocument } from 'langium';
import { AstUtils, GrammarUtils } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import { DefaultDefinitionProvider } from 'langium/lsp';
import type { DefinitionParams, Range } from 'vscode-languageserver';
import { LocationLink } from 'vscode-languageserver';
import { isImport } from '../generated/ast.js';
import { importUri } from '../imports.js';
import type { PlanSymbol } from './symbol-at.js';
import { columnDeclarationNode, leafAt, symbolAt } from './symbol-at.js';

const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export class MplanDefinitionProvider extends DefaultDefinitionProvider {
    protected readonly langiumServices: LangiumServices;

    constructor(services: LangiumServices) {
        super(services);
        this.langiumServices = services;
    }

    override getDefinition(document: LangiumDocument, params: DefinitionParams): LocationLink[] | undefined {
        try {
            const offset = document.textDocument.offsetAt(params.position);
            const named = symbolAt(document, offset);
            if (named) {
                const target = this.definitionOf(named.symbol);
                if (!target) return undefined;
                const uri = AstUtils.getDocument(target.name.astNode).uri.toString();
                return [LocationLink.create(uri, target.full.range, target.name.range, named.cst.range)];
            }
            const leaf = leafAt(document, offset);
            if (leaf && isImport(leaf.astNode)) {
                const uri = importUri(leaf.astNode);
                if (uri) return [LocationLink.create(uri.toString(), START_OF_FILE, START_OF_FILE, leaf.range)];
            }
            return undefined;
        } catch (error) {
            console.error('mplan definition failed:', error);
            return undefined;
        }
    }

    /** The declaring name token, and the whole declaration around it. */
    protected definitionOf(symbol: PlanSymbol): { name: CstNode; full: CstNode } | undefined {
        switch (symbol.kind) {
            case 'declaration': {
                const name = this.langiumServices.references.NameProvider.getNameNode(symbol.node);
                return name && symbol.node.$cstNode ? { name, full: symbol.node.$cstNode } : undefined;
            }
            case 'column': {
                const name = columnDeclarationNode(symbol.source, symbol.name);
                const column = symbol.source.columns.find(c => c.name === symbol.name);
                return name ? { name, full: column?.$cstNode ?? name } : undefined;
            }
            case 'score':
            case 'clvScore': {
                const model = symbol.kind === 'score' ? symbol.rfm : symbol.clv;
                const name = GrammarUtils.findNodeForProperty(model.$cstNode, 'name');
                return name && model.$cstNode ? { name, full: model.$cstNode } : undefined;
            }
        }
    }
}
