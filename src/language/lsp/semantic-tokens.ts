// Semantic highlighting of names, by what they name. TextMate colours keywords, strings, numbers and comments; it
// cannot tell a column called `segment` or an RFM model called `value` from the keywords they spell, nor a metric
// from a segment. Token types: class = data source, namespace = RFM model, variable = segment, enumMember = channel,
// function = metric, event = campaign, interface = arm, enum = tiers, enumMember+readonly = tier, property = column,
// property+readonly+defaultLibrary = RFM or CLV score (r, f, m; alive, purchases, spend, clv), namespace = CLV model and
// attitude too (the column after an attitude, `prefs.channel`, is a column).
// Declarations carry the `declaration` modifier.
import type { AstNode, Reference } from 'langium';
import type { SemanticTokenAcceptor } from 'langium/lsp';
import { AbstractSemanticTokenProvider } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import {
    isArm, isAttitude, isAttitudeBy, isAttitudeResponse, isBestOf, isCampaign, isChannel, isChannelStep, isClv, isClvMonetary, isGoalTarget,
    isOffer, isColumn, isDataSource, isMemberAccess, isMetric, isMetricGoalTarget, isNameReference, isRecordedGroups, isRfm, isRfmMonetary,
    isSegment, isTier, isTiers, isValueMetric
} from '../generated/ast.js';
import { symbolOfReference, type PlanSymbol } from './symbol-at.js';

interface TokenStyle {
    type: string;
    modifier?: string[];
}

const DECLARATION = [SemanticTokenModifiers.declaration];
const TIER = [SemanticTokenModifiers.readonly];
const SCORE: TokenStyle = { type: SemanticTokenTypes.property, modifier: [SemanticTokenModifiers.readonly, SemanticTokenModifiers.defaultLibrary] };

export class MplanSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        try {
            this.highlightDeclaration(node, acceptor);
            this.highlightReferences(node, acceptor);
        } catch (error) {
            // Highlighting is decoration: skip a node that cannot be highlighted rather than fail the document.
            console.error('mplan semantic tokens failed:', error);
        }
    }

    protected highlightDeclaration(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const type = declarationType(node);
        if (type && (node as { name?: unknown }).name) acceptor({ node, property: 'name' as never, type, modifier: isTier(node) ? [...DECLARATION, ...TIER] : DECLARATION });
        if (isDataSource(node)) {
            // `key customer_id`, `customer ...`, `time ...` name columns.
            for (const property of ['key', 'customer', 'time'] as const) {
                if ((node as unknown as Record<string, unknown>)[property]) acceptor({ node, property: property as never, type: SemanticTokenTypes.property });
            }
        }
    }

    protected highlightReferences(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const highlight = (property: string, reference: Reference | undefined, index?: number) => {
            if (!reference) return;
            const symbol = symbolOfReference(node, property, reference);
            const style = symbol && symbolStyle(symbol);
            if (style) acceptor({ node, property: property as never, index, type: style.type, modifier: style.modifier });
        };
        if (isNameReference(node)) highlight('target', node.target);
        else if (isMemberAccess(node)) highlight('member', node.member);
        else if (isChannelStep(node)) {
            highlight('channel', node.channel);
            highlight('unless', node.unless);
        } else if (isOffer(node)) highlight('per', node.per);
        else if (isValueMetric(node)) highlight('metric', node.metric);
        else if (isGoalTarget(node)) {
            if (isMetricGoalTarget(node)) highlight('metric', node.metric);
            highlight('arm', node.arm);
            highlight('versus', node.versus);
        }
        else if (isRfm(node) || isClv(node) || isAttitude(node)) highlight('events', node.events);
        else if (isRfmMonetary(node) || isClvMonetary(node) || isAttitudeResponse(node)) highlight('column', node.column);
        else if (isAttitudeBy(node)) node.columns.forEach((column, index) => highlight('columns', column, index));
        else if (isBestOf(node)) node.channels.forEach((channel, index) => highlight('channels', channel, index));
        else if (isRecordedGroups(node)) {
            highlight('source', node.source);
            highlight('column', node.column);
        }
    }
}

function declarationType(node: AstNode): string | undefined {
    if (isDataSource(node)) return SemanticTokenTypes.class;
    if (isRfm(node) || isClv(node) || isAttitude(node)) return SemanticTokenTypes.namespace;
    if (isSegment(node)) return SemanticTokenTypes.variable;
    if (isChannel(node)) return SemanticTokenTypes.enumMember;
    if (isMetric(node)) return SemanticTokenTypes.function;
    if (isCampaign(node)) return SemanticTokenTypes.event;
    if (isArm(node)) return SemanticTokenTypes.interface;
    if (isTiers(node)) return SemanticTokenTypes.enum;
    if (isTier(node)) return SemanticTokenTypes.enumMember;
    if (isColumn(node)) return SemanticTokenTypes.property;
    return undefined;
}

function symbolStyle(symbol: PlanSymbol): TokenStyle | undefined {
    switch (symbol.kind) {
        case 'column': return { type: SemanticTokenTypes.property };
        case 'score': case 'clvScore': return SCORE;
        case 'declaration': {
            const type = declarationType(symbol.node);
            return type ? { type, modifier: isTier(symbol.node) ? TIER : undefined } : undefined;
        }
    }
}
