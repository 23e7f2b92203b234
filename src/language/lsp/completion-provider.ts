// Completion. Langium's default already proposes keywords and the names the scope provider allows (columns after
// `source.`, r/f/m after an RFM model, metrics inside `lift(`). This adds what the scope cannot know: which names
// make sense where (no channels in expressions; no metrics in an audience; only events sources inside `sum(`),
// and a kind, a one-line detail and the full description for every proposal.
import type { AstNode, AstNodeDescription, LangiumDocument, ReferenceInfo } from 'langium';
import { GrammarAST } from 'langium';
import type { CompletionContext, CompletionProviderOptions, CompletionValueItem } from 'langium/lsp';
import { DefaultCompletionProvider } from 'langium/lsp';
import type { CancellationToken, CompletionList, CompletionParams } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver';
import {
    isAggregate, isArm, isAudience, isChannel, isColumn, isCustomersSource, isDataSource, isDeclaration, isEventsSource, isMetric,
    isNameReference, isRfm, isSegment
} from '../generated/ast.js';
import { describeSymbol, symbolDetail } from './describe.js';
import { symbolOfReference, type PlanSymbol } from './symbol-at.js';

/** Aggregates belong in metrics; in a segment or audience they are an error (aggregate-in-condition). */
const AGGREGATE_KEYWORDS = new Set(['any', 'count', 'sum', 'mean', 'min', 'max']);

type ExpressionContext = 'condition' | 'metric' | undefined;

export class MplanCompletionProvider extends DefaultCompletionProvider {
    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.', '('] };

    override async getCompletion(document: LangiumDocument, params: CompletionParams, cancelToken?: CancellationToken): Promise<CompletionList | undefined> {
        try {
            return await super.getCompletion(document, params, cancelToken);
        } catch (error) {
            // Completion runs on half-typed text; never let an odd parse turn into an error popup. Text nested too deep
            // for the completion parser's stack is reported as a syntax error already.
            if (!(error instanceof RangeError)) console.error('mplan completion failed:', error);
            return { isIncomplete: true, items: [] };
        }
    }

    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext) {
        const candidates = super.getReferenceCandidates(refInfo, context);
        const container = refInfo.container;
        // Only plain names in expressions need filtering; other references are typed by the grammar already.
        if (!isNameReference(container) || refInfo.property !== 'target') return candidates;
        if (isAggregate(container.$container)) return candidates.filter(d => isEventsSource(d.node));
        const where = expressionContext(container);
        const self = enclosingDeclaration(container);
        return candidates.filter(d => d.node !== self && fits(d.node, where));
    }

    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        const symbol = candidateSymbol(description, refInfo);
        if (!symbol) return item;
        return {
            ...item,
            kind: completionKind(symbol),
            detail: symbolDetail(symbol),
            documentation: { kind: 'markdown', value: describeSymbol(symbol) }
        };
    }

    protected override filterKeyword(context: CompletionContext, keyword: GrammarAST.Keyword): boolean {
        if (!super.filterKeyword(context, keyword)) return false;
        // The argument of an aggregate is an events source or one of its columns: no keyword fits there.
        if (insideAggregate(context)) return false;
        return !(AGGREGATE_KEYWORDS.has(keyword.value) && expressionContext(context.node) === 'condition');
    }
}

/** What a proposal names: a column or score after a dot, or a declaration. */
function candidateSymbol(description: AstNodeDescription, refInfo: ReferenceInfo): PlanSymbol | undefined {
    const node = description.node;
    if (!node) return undefined;
    const reference = { ref: node, $refText: description.name } as never;
    return symbolOfReference(refInfo.container, refInfo.property, reference)
        ?? (isColumn(node) ? { kind: 'column', source: node.$container, name: node.name, column: node } : undefined);
}

function completionKind(symbol: PlanSymbol): CompletionItemKind {
    switch (symbol.kind) {
        case 'column': return CompletionItemKind.Field;
        case 'score': return CompletionItemKind.Property;
        case 'declaration': {
            const node = symbol.node;
            if (isDataSource(node)) return CompletionItemKind.Class;
            if (isRfm(node)) return CompletionItemKind.Struct;
            if (isSegment(node)) return CompletionItemKind.Variable;
            if (isChannel(node)) return CompletionItemKind.EnumMember;
            if (isMetric(node)) return CompletionItemKind.Function;
            if (isArm(node)) return CompletionItemKind.Interface;
            return CompletionItemKind.Reference;
        }
    }
}

/** Whether a name can stand in an expression of this context (see expression-checks.ts: not-a-value). */
function fits(node: AstNode | undefined, where: ExpressionContext): boolean {
    if (!node || isChannel(node)) return false;
    if (where === 'condition') return isCustomersSource(node) || isRfm(node) || isSegment(node);
    if (where === 'metric') return isDataSource(node) || isMetric(node);
    return true;
}

/** Whether the cursor is between the parentheses of `sum(...)` and the like. */
function insideAggregate(context: CompletionContext): boolean {
    const node = context.node;
    const aggregate = isAggregate(node) ? node : isAggregate(node?.$container) ? node.$container : undefined;
    const cst = aggregate?.$cstNode;
    if (!cst) return false;
    return !cst.text.endsWith(')') || context.tokenOffset < cst.end;
}

/** Segments and audiences are conditions; metrics are outcomes. */
function expressionContext(node: AstNode | undefined): ExpressionContext {
    for (let current = node; current; current = current.$container) {
        if (isSegment(current) || isAudience(current)) return 'condition';
        if (isMetric(current)) return 'metric';
    }
    return undefined;
}

/** The segment or metric being defined, which should not propose itself. */
function enclosingDeclaration(node: AstNode | undefined): AstNode | undefined {
    for (let current = node; current; current = current.$container) {
        if (isDeclaration(current)) return current;
    }
    return undefined;
}
