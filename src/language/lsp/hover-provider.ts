// Hover: for a name, what it stands for (a metric's shape, a column's type, a segment's condition); for a keyword,
// what the keyword means. Langium's default only shows doc comments, which plans do not have.
import type { LangiumDocument } from 'langium';
import { GrammarAST } from 'langium';
import type { HoverProvider, LangiumServices } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import { isAggregate, isMemberAccess } from '../generated/ast.js';
import { memberTarget } from '../semantics.js';
import { describeAggregate, describeAttitudeScore, describeSymbol } from './describe.js';
import { keywordDoc } from './keyword-docs.js';
import { isNameToken, leafAt, symbolAt } from './symbol-at.js';

export class MplanHoverProvider implements HoverProvider {
    constructor(_services: LangiumServices) {}

    getHoverContent(document: LangiumDocument, params: HoverParams): Hover | undefined {
        try {
            return this.hover(document, params);
        } catch (error) {
            // A hover is never worth an error popup; a half-typed plan can have odd trees.
            console.error('mplan hover failed:', error);
            return undefined;
        }
    }

    protected hover(document: LangiumDocument, params: HoverParams): Hover | undefined {
        const offset = document.textDocument.offsetAt(params.position);
        const leafHere = leafAt(document, offset, true);
        const access = leafHere?.astNode;
        if (leafHere && isMemberAccess(access) && memberTarget(access)?.kind === 'attitude' && leafHere.offset > (access.receiver?.$cstNode?.end ?? Infinity)) {
            // `prefs.channel("sms")`: the member, the value or the punctuation after the receiver describe the score
            // (the column itself is one hover away, on its declaration).
            const value = describeAttitudeScore(access);
            if (value) return { contents: { kind: 'markdown', value }, range: leafHere.range };
        }
        const named = symbolAt(document, offset, true);
        if (named) {
            return { contents: { kind: 'markdown', value: describeSymbol(named.symbol) }, range: named.cst.range };
        }
        const leaf = leafAt(document, offset, true);
        if (leaf && GrammarAST.isKeyword(leaf.grammarSource) && !isNameToken(leaf) && isAggregate(leaf.astNode)) {
            // `count(`, `where`, `within`: the aggregate itself, with the events it counts (its time reference).
            const keyword = leaf.grammarSource.value;
            const doc = keyword === 'where' || keyword === 'within' ? keywordDoc(keyword, 'Aggregate') : undefined;
            return { contents: { kind: 'markdown', value: describeAggregate(leaf.astNode) + (doc ? `\n\n${doc}` : '') }, range: leaf.range };
        }
        if (leaf && GrammarAST.isKeyword(leaf.grammarSource) && !isNameToken(leaf)) {
            const doc = keywordDoc(leaf.grammarSource.value, leaf.astNode?.$type);
            if (doc) return { contents: { kind: 'markdown', value: doc }, range: leaf.range };
        }
        return undefined;
    }
}
