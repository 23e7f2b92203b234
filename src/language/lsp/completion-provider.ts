// Completion. Langium's default already proposes keywords and the names the scope provider allows (columns after
// `source.`, r/f/m after an RFM model, alive/purchases/spend/clv after a CLV model, tiers after a tiers declaration,
// metrics inside `lift(`). This adds what the scope cannot know: which names make sense where (no channels in
// expressions; no metrics in an audience; only events sources inside `sum(`; only the aggregated events' columns in a
// `where`; only an attitude's `by` columns after its name, and only attitudes after `best of [...] by`; no spend or clv
// score of a CLV model without `monetary`; boolean columns after `response`, text columns after an attitude's `by`,
// number columns after a CLV's `monetary`; the units that fit `period` and `horizon`), and a kind, a one-line detail
// and the full description for every proposal.
import type { AstNode, AstNodeDescription, LangiumDocument, ReferenceInfo } from 'langium';
import { AstUtils, GrammarAST } from 'langium';
import type { CompletionContext, CompletionProviderOptions, CompletionValueItem } from 'langium/lsp';
import { DefaultCompletionProvider } from 'langium/lsp';
import type { CancellationToken, CompletionList, CompletionParams } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver';
import {
    isAggregate, isArm, isAttitude, isAttitudeBy, isAttitudeResponse, isAudience, isBestOf, isChannel, isClv, isClvMonetary, isColumn,
    isCustomersSource, isDataSource, isDeclaration, isEventsSource, isLimit, isMemberAccess, isMetric, isNameReference, isRfm, isSegment, isTier,
    isTiers, isUplift
} from '../generated/ast.js';
import { enclosingFilter, resolveReceiver, settingEvents } from '../mplan-scope.js';
import { aggregateSource, attitudeSettings, clvSettings, sourceColumn, type ValueType } from '../semantics.js';
import { describeSymbol, symbolDetail } from './describe.js';
import { symbolOfReference, type PlanSymbol } from './symbol-at.js';

/** Aggregates go anywhere in an expression but inside a `where` filter (aggregate-filter). */
const AGGREGATE_KEYWORDS = new Set(['any', 'count', 'sum', 'mean', 'min', 'max']);
/** The keywords of the aggregate itself, after its argument. */
const AGGREGATE_CLAUSES = new Set(['where', 'within', 'days', 'day']);

/** The rules of the expression language, whose keywords (operators, literals, aggregates) start or continue an expression. */
const EXPRESSION_RULES = new Set(['Expression', 'Or', 'And', 'Not', 'Comparison', 'Additive', 'Multiplicative', 'Unary', 'Postfix', 'Primary', 'Aggregate']);

/** The units each CLV setting takes (TimeUnit parses any word, and the validator names these). */
const PERIOD_UNITS = new Set(['day', 'week', 'month']);
const HORIZON_UNITS = new Set(['days', 'weeks', 'months']);

/** The column types each model setting names. */
const SETTING_COLUMN_TYPES: Array<[(node: unknown) => boolean, ValueType]> = [[isClvMonetary, 'number'], [isAttitudeResponse, 'boolean'], [isAttitudeBy, 'text']];

type ExpressionContext = 'condition' | 'metric' | 'bestOf' | undefined;

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
        const container = refInfo.container;
        // A name still to be typed right after `where` hangs off the aggregate itself (completion makes it up): the text
        // tells that it stands in the filter, and the scope then looks among the events' columns first.
        const afterWhere = isNameReference(container) && refInfo.property === 'target' && !enclosingFilter(container)
            && isAggregate(container.$container) && placeInAggregate(context) === 'filter';
        const info = afterWhere ? { ...refInfo, container: { ...container, $containerProperty: 'filter' } as AstNode } : refInfo;
        const candidates = super.getReferenceCandidates(info, context);
        if (isMemberAccess(container) && refInfo.property === 'member') return candidates.filter(d => fitsMember(container.receiver, d));
        const events = settingEvents(container, refInfo.property);
        const type = SETTING_COLUMN_TYPES.find(([is]) => is(container))?.[1];
        const source = events?.ref;
        if (source && type) {
            return candidates.filter(d => {
                const column = sourceColumn(source, d.name);
                return column?.kind === 'column' && column.type === type;
            });
        }
        // Only plain names in expressions need filtering; other references are typed by the grammar already.
        if (!isNameReference(container) || refInfo.property !== 'target') return candidates;
        // In a `where`, the columns of the aggregated events (declared, and implied ones, which resolve to the source).
        const filtered = enclosingFilter(info.container);
        if (filtered) {
            const source = aggregateSource(filtered);
            if (!source) return candidates.filter(() => false);
            return candidates.filter(d => (isColumn(d.node) && d.node.$container === source) || (d.node === source && d.name !== source.name));
        }
        if (isAggregate(container.$container)) return candidates.filter(d => isEventsSource(d.node));
        const where = expressionContext(container);
        const self = enclosingDeclaration(container);
        return candidates.filter(d => d.node !== self && fits(d.node, where));
    }

    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        const attitude = isMemberAccess(refInfo.container) && refInfo.property === 'member' ? resolveReceiver(refInfo.container.receiver) : undefined;
        if (isAttitude(attitude)) {
            const events = attitude.events?.$refText ?? '?';
            return {
                ...item,
                kind: CompletionItemKind.Property,
                detail: `attitude score: 0 to 100 per value of ${events}.${description.name}`,
                documentation: { kind: 'markdown', value: `\`${attitude.name}.${description.name}("...")\`: the customer's smoothed response rate, 0 to 100, to the ${events} whose \`${description.name}\` is the value named.` }
            };
        }
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
        if (AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name === 'TimeUnit') {
            const before = context.textDocument.getText().slice(0, context.tokenOffset);
            if (/\bperiod\s*$/.test(before)) return PERIOD_UNITS.has(keyword.value);
            if (/\bhorizon\s+-?[\d.]+\s*$/.test(before)) return HORIZON_UNITS.has(keyword.value);
        }
        // `best of [...] by` names an attitude column: no operator, literal or aggregate fits there.
        if (expressionContext(context.node) === 'bestOf' && EXPRESSION_RULES.has(AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name ?? '')) return false;
        const place = placeInAggregate(context);
        if (place === undefined) return true;
        // After the argument: `where`, and `within N days` but in a metric (the attribution window rules there).
        if (AGGREGATE_CLAUSES.has(keyword.value) && AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name === 'Aggregate') {
            return !(keyword.value === 'within' && expressionContext(context.node) === 'metric');
        }
        // The argument is an events source or one of its columns: no keyword fits there. A filter is a condition on
        // the events' columns, with every operator but aggregates.
        return place === 'filter' && !AGGREGATE_KEYWORDS.has(keyword.value) && keyword.value !== 'everyone';
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
        case 'score': case 'clvScore': return CompletionItemKind.Property;
        case 'declaration': {
            const node = symbol.node;
            if (isDataSource(node)) return CompletionItemKind.Class;
            if (isRfm(node) || isClv(node) || isAttitude(node)) return CompletionItemKind.Struct;
            if (isSegment(node)) return CompletionItemKind.Variable;
            if (isChannel(node)) return CompletionItemKind.EnumMember;
            if (isMetric(node)) return CompletionItemKind.Function;
            if (isArm(node)) return CompletionItemKind.Interface;
            if (isTiers(node)) return CompletionItemKind.Enum;
            if (isTier(node)) return CompletionItemKind.EnumMember;
            return CompletionItemKind.Reference;
        }
    }
}

/** Whether a name can stand in an expression of this context (see expression-checks.ts: not-a-value). */
function fits(node: AstNode | undefined, where: ExpressionContext): boolean {
    if (!node || isChannel(node)) return false;
    if (where === 'bestOf') return isAttitude(node);
    if (where === 'condition') return isCustomersSource(node) || isRfm(node) || isClv(node) || isAttitude(node) || isSegment(node) || isTiers(node);
    if (where === 'metric') return isDataSource(node) || isMetric(node);
    return true;
}

/**
 * Where the cursor is between the parentheses of `sum(...)` and the like: in the argument, or in the `where` filter
 * (after the `where` keyword); undefined outside an aggregate.
 */
function placeInAggregate(context: CompletionContext): 'argument' | 'filter' | undefined {
    let aggregate: AstNode | undefined;
    for (let current: AstNode | undefined = context.node; current && !aggregate; current = current.$container) {
        if (isAggregate(current)) aggregate = current;
    }
    const cst = aggregate?.$cstNode;
    if (!cst) return undefined;
    if (cst.text.endsWith(')') && context.tokenOffset >= cst.end) return undefined;
    const before = context.textDocument.getText().slice(cst.offset, context.tokenOffset);
    return /\bwhere\b/.test(before.replace(/"(\\.|[^"\\])*"/g, '""')) ? 'filter' : 'argument';
}

/**
 * Names after a dot that make sense: an attitude's `by` columns (its other columns are the error attitude-score), and
 * a CLV model's spend and clv scores only with `monetary`.
 */
function fitsMember(receiver: AstNode | undefined, description: AstNodeDescription): boolean {
    const target = resolveReceiver(receiver);
    if (isAttitude(target)) return attitudeSettings(target).by.includes(description.name);
    if (isClv(target) && (description.name === 'spend' || description.name === 'clv')) return clvSettings(target).nodes.monetary !== undefined;
    return true;
}

/** Segments and audiences are conditions (and a `limit`'s or `uplift`'s ranking); metrics are outcomes. */
function expressionContext(node: AstNode | undefined): ExpressionContext {
    for (let current = node; current; current = current.$container) {
        if (isBestOf(current)) return 'bestOf';
        if (isSegment(current) || isAudience(current) || isTier(current) || isLimit(current) || isUplift(current)) return 'condition';
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
