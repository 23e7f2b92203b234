// The one canonical layout of a plan, used by the editor and by `mplan fmt`:
// - one statement per line, 2-space indentation inside `{ }` (always 2 spaces, whatever the editor's tab size:
//   a plan should look the same in every pull request);
// - single spaces between tokens, except: none before `:` `,` `)` `]` `%`, none after `(` `[` and a unary `-`,
//   none around `.`, and none before `(` in `lift(x)`, `sum(orders.amount)`; `split 1:1` (and `split 2:1:1`) is written
//   tight; an `arm` block is laid out like a campaign block, one level deeper; a `tiers` block holds one tier a line;
//   `clv` and `attitude` blocks one setting a line, like an `rfm` block; `prefs.channel("sms")` is written tight;
// - blank lines between statements are kept, but a run of them becomes one, and none follow `{` or precede `}`;
// - a statement is one line, except that a line break written after the `=` of a segment, tier or metric, or before or
//   after `and`/`or`, is kept (the continuation indented one level deeper);
// - comments stay where they are: a trailing comment keeps its place (and its alignment) on its line, a comment on
//   its own line is indented like the code around it.
//
// The rules are declared per AST node in `format` with Langium's NodeFormatter API. Applying them is done here rather
// than by Langium's CST walk, which cannot collapse blank lines around comments; the layout is computed token gap by
// token gap, which makes it idempotent by construction: each gap depends only on the tokens around it and on whether
// the original gap held a line break (or two). Only whitespace between tokens is ever changed, and the result is
// re-lexed to prove the token sequence (hence the AST) is unchanged before any edit is returned.
import type { AstNode, CstNode, LangiumDocument } from 'langium';
import { CstUtils, GrammarAST, isLeafCstNode } from 'langium';
import type { FormattingAction, LangiumServices } from 'langium/lsp';
import { AbstractFormatter, Formatting } from 'langium/lsp';
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import type { Lexer } from 'langium';
import {
    isAggregate, isArm, isAttitude, isAttitudeSetting, isBinaryExpression, isCampaign, isCampaignStatement, isClv, isClvSetting, isColumn,
    isDataSource, isDeclaration, isGoal, isImport, isMemberAccess, isMetric, isMetricGoalTarget, isModel, isNegationExpression, isPlan,
    isPlanSetting, isRecordedGroups, isRfm, isRfmSetting, isSegment, isTier, isTiers
} from '../generated/ast.js';

const INDENT = '  ';

interface Token {
    offset: number;
    end: number;
    text: string;
    /** The CST leaf, for looking up the formatting rules declared on it and its ancestors. */
    leaf: CstNode;
    comment?: 'line' | 'block';
    /** A comment that follows code on the same line. */
    trailing?: boolean;
}

/** How two adjacent code tokens are separated: a line break, or a number of spaces. */
type Separation = { newline: true } | { newline: false; spaces: number };

export class MplanFormatter extends AbstractFormatter {
    protected readonly lexer: Lexer;

    constructor(services: LangiumServices) {
        super();
        this.lexer = services.parser.Lexer;
    }

    // ------------------------------------------------------------------ the rules

    protected format(node: AstNode): void {
        const f = this.getNodeFormatter(node);
        if (isModel(node)) {
            this.formatPunctuation(node);
            return;
        }
        if (isStatement(node)) f.node(node).prepend(Formatting.newLine());
        if (hasBlock(node)) {
            // An empty block stays `{}`; otherwise `}` closes on its own line.
            f.keyword('}').prepend(isEmptyBlock(node) ? Formatting.noSpace() : Formatting.newLine());
        }
        if (isColumn(node) || isGoal(node)) f.keyword(':').prepend(Formatting.noSpace());
        if (isRecordedGroups(node)) f.keywords(':').surround(Formatting.noSpace());
        if (isAggregate(node) || isMetricGoalTarget(node) || isMemberAccess(node)) f.keyword('(').prepend(Formatting.noSpace());
        if (isNegationExpression(node)) f.keyword('-').append(Formatting.noSpace());
    }

    /** Punctuation that is tight wherever it appears, declared once on the whole tree. */
    protected formatPunctuation(model: AstNode): void {
        const f = this.getNodeFormatter(model);
        const keywords = model.$cstNode
            ? CstUtils.streamCst(model.$cstNode).filter(n => GrammarAST.isKeyword(n.grammarSource) && !n.hidden).toArray()
            : [];
        const having = (...values: string[]) => keywords.filter(k => values.includes(k.text));
        f.cst(having('(', '[')).append(Formatting.noSpace());
        f.cst(having(')', ']', ',', '%')).prepend(Formatting.noSpace());
        f.cst(having('.')).surround(Formatting.noSpace());
        // The sign of a goal's target value (`roi >= -0.5`).
        f.cst(having('-').filter(k => isSignedNumberSign(k))).append(Formatting.noSpace());
    }

    // ------------------------------------------------------------------ applying them

    /** Rules are always collected for the whole document: a gap at the edge of a range needs the rules beyond it. */
    protected override iterateAstFormatting(document: LangiumDocument, _range?: Range): void {
        super.iterateAstFormatting(document, undefined);
    }

    protected override iterateCstFormatting(document: LangiumDocument, formattings: Map<string, FormattingAction>, _options: FormattingOptions, range?: Range): TextEdit[] {
        const text = document.textDocument.getText();
        const tokens = this.tokensOf(document, text);
        if (!tokens) return [];
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        const gaps = this.layout(tokens, text, formattings, eol);
        const formatted = gaps.map((gap, i) => gap.text + (tokens[i]?.text ?? '')).join('');
        if (!this.sameTokens(text, formatted)) {
            console.error('mplan formatter: the layout would change the tokens; leaving the document as it is.');
            return [];
        }
        const textDocument = document.textDocument;
        const first = range ? textDocument.offsetAt(range.start) : 0;
        const last = range ? textDocument.offsetAt(range.end) : text.length;
        return gaps
            .filter(gap => gap.text !== text.slice(gap.start, gap.end) && gap.end >= first && gap.start <= last)
            .map(gap => ({
                range: { start: textDocument.positionAt(gap.start), end: textDocument.positionAt(gap.end) },
                newText: gap.text
            }));
    }

    /** Exact comparison: the default ignores `\r`, which would hide a line-ending change. */
    protected override isNecessary(edit: TextEdit, document: LangiumDocument['textDocument']): boolean {
        return edit.newText !== document.getText(edit.range);
    }

    /**
     * The whitespace each gap should hold: gap i precedes token i; the last gap follows the last token.
     * Walks the tokens once, tracking the brace depth.
     */
    protected layout(tokens: Token[], text: string, formattings: Map<string, FormattingAction>, eol: string): Array<{ start: number; end: number; text: string }> {
        const gaps: Array<{ start: number; end: number; text: string }> = [];
        const indent = (level: number) => INDENT.repeat(Math.max(0, level));
        const lines = (n: number) => eol.repeat(n);
        let depth = 0;
        let previousCode: Token | undefined;
        // For each token, the next code token after it (comments skipped), found in one backward pass.
        const nextCode: Array<Token | undefined> = new Array(tokens.length);
        for (let i = tokens.length - 1, next: Token | undefined = undefined; i >= 0; i--) {
            nextCode[i] = next;
            if (!tokens[i].comment) next = tokens[i];
        }

        for (let i = 0; i < tokens.length; i++) {
            const token = tokens[i];
            const before = tokens[i - 1];
            const start = before ? before.end : 0;
            const original = text.slice(start, token.offset);
            const breaks = countBreaks(original);
            const closes = token.text === '}' && !token.comment;
            // The line before this gap opens a block: it ends with `{`, or with a comment trailing a `{`.
            const opensBlock = previousCode?.text === '{' && (before === previousCode || before?.trailing === true);
            let gap: string;

            if (!before) {
                gap = '';
            } else if (token.comment) {
                if (breaks === 0) {
                    // A trailing comment keeps its place and its alignment.
                    token.trailing = true;
                    gap = original.length > 0 ? original : ' ';
                } else {
                    gap = lines(blankLinesBetween(before, token, breaks, opensBlock)) + indent(this.commentLevel(nextCode[i], previousCode, depth, formattings));
                }
            } else {
                const separation = this.separation(previousCode, token, formattings);
                const level = closes ? depth - 1 : separation.newline ? depth : depth + 1;
                if (separation.newline) {
                    gap = lines(blankLinesBetween(before, token, breaks, opensBlock)) + indent(level);
                } else if (before.comment === 'line') {
                    // Code continues after a comment that ends its line: indent the continuation.
                    gap = lines(1) + indent(level);
                } else if (before.comment === 'block') {
                    gap = ' ';
                } else if (breaks > 0 && previousCode && mayBreak(previousCode, token)) {
                    // A long definition the author wrapped stays wrapped, as a continuation line.
                    gap = lines(1) + indent(level);
                } else {
                    gap = ' '.repeat(separation.spaces);
                }
            }
            gaps.push({ start, end: token.offset, text: gap });

            if (!token.comment) {
                if (token.text === '{') depth++;
                if (closes) depth--;
                previousCode = token;
            }
        }
        const end = tokens.length > 0 ? tokens[tokens.length - 1].end : 0;
        gaps.push({ start: end, end: text.length, text: tokens.length > 0 ? eol : '' });
        return gaps;
    }

    /** A comment on its own line is indented like the statement it precedes, or as a continuation inside one. */
    protected commentLevel(next: Token | undefined, previousCode: Token | undefined, depth: number, formattings: Map<string, FormattingAction>): number {
        if (!next || next.text === '}' || !previousCode) return depth;
        return this.separation(previousCode, next, formattings).newline ? depth : depth + 1;
    }

    /** The declared rules between two code tokens: a line break wins; otherwise the fewest spaces; one by default. */
    protected separation(before: Token | undefined, after: Token, formattings: Map<string, FormattingAction>): Separation {
        const actions = [
            ...this.rulesAt(after.leaf, 'prepend', formattings),
            ...(before ? this.rulesAt(before.leaf, 'append', formattings) : [])
        ];
        const moves = actions.flatMap(a => a.moves);
        if (moves.some(m => m.lines !== undefined || m.tabs !== undefined)) return { newline: true };
        const spaces = moves.map(m => m.characters).filter((c): c is number => c !== undefined);
        return { newline: false, spaces: spaces.length > 0 ? Math.min(...spaces) : 1 };
    }

    /** Rules declared on a leaf, or on any enclosing node that starts (prepend) or ends (append) with it. */
    protected rulesAt(leaf: CstNode, mode: 'prepend' | 'append', formattings: Map<string, FormattingAction>): FormattingAction[] {
        const found: FormattingAction[] = [];
        for (let node: CstNode | undefined = leaf; node; node = node.container) {
            if (mode === 'prepend' ? node.offset !== leaf.offset : node.end !== leaf.end) break;
            const action = formattings.get(this.nodeModeToKey(node, mode));
            if (action) found.push(action);
        }
        return found;
    }

    /** All tokens in order, comments included; undefined when the CST does not account for every character. */
    protected tokensOf(document: LangiumDocument, text: string): Token[] | undefined {
        const root = document.parseResult.value.$cstNode;
        if (!root) return text.trim() === '' ? [] : undefined;
        const tokens: Token[] = CstUtils.streamCst(root)
            .filter(n => isLeafCstNode(n) && n.length > 0)
            .map(leaf => {
                const comment = commentKind(leaf);
                // A line comment's trailing spaces belong to the gap after it, so they are trimmed like any other.
                const tokenText = comment === 'line' ? leaf.text.trimEnd() : leaf.text;
                return { offset: leaf.offset, end: leaf.offset + tokenText.length, text: tokenText, leaf, comment };
            })
            .toArray()
            .sort((a, b) => a.offset - b.offset);
        let position = 0;
        for (const token of tokens) {
            // Anything but whitespace between two tokens means the tree missed something: do not touch the file.
            if (token.offset < position || text.slice(position, token.offset).trim() !== '') return undefined;
            position = token.end;
        }
        return text.slice(position).trim() === '' ? tokens : undefined;
    }

    /** Whether two texts lex to the same tokens (comments included). */
    protected sameTokens(before: string, after: string): boolean {
        const lex = (text: string) => {
            const result = this.lexer.tokenize(text);
            return [...result.tokens, ...(result.hidden ?? [])]
                .sort((a, b) => a.startOffset - b.startOffset)
                .map(t => `${t.tokenType.name}:${t.image.trimEnd()}`);
        };
        const a = lex(before);
        const b = lex(after);
        return a.length === b.length && a.every((t, i) => t === b[i]);
    }
}

/**
 * Where a line break the author wrote inside a statement is kept: after the `=` of a segment, tier or metric definition,
 * and before or after `and` and `or`. Anywhere else the statement is joined onto one line.
 */
function mayBreak(before: Token, after: Token): boolean {
    const keyword = (token: Token, ...values: string[]) => GrammarAST.isKeyword(token.leaf.grammarSource) && values.includes(token.text);
    if (keyword(before, '=') && (isSegment(before.leaf.astNode) || isMetric(before.leaf.astNode) || isTier(before.leaf.astNode))) return true;
    return (keyword(before, 'and', 'or') && isBinaryExpression(before.leaf.astNode)) || (keyword(after, 'and', 'or') && isBinaryExpression(after.leaf.astNode));
}

/** Statements that start on a line of their own. */
function isStatement(node: AstNode): boolean {
    return isImport(node) || isPlan(node) || isPlanSetting(node) || isDeclaration(node) || isColumn(node)
        || isRfmSetting(node) || isClvSetting(node) || isAttitudeSetting(node) || isCampaignStatement(node) || isTier(node);
}

function hasBlock(node: AstNode): boolean {
    return isPlan(node) || isDataSource(node) || isRfm(node) || isClv(node) || isAttitude(node) || isTiers(node) || isCampaign(node) || isArm(node);
}

function isEmptyBlock(node: AstNode): boolean {
    if (isPlan(node)) return node.settings.length === 0 && node.declarations.length === 0;
    if (isDataSource(node)) return node.columns.length === 0;
    if (isRfm(node) || isClv(node) || isAttitude(node)) return node.settings.length === 0;
    if (isCampaign(node)) return node.statements.length === 0;
    if (isArm(node)) return node.steps.length === 0;
    if (isTiers(node)) return node.tiers.length === 0;
    return false;
}

function isSignedNumberSign(leaf: CstNode): boolean {
    const source = leaf.container?.grammarSource;
    return GrammarAST.isRuleCall(source) && source.rule.ref?.name === 'SignedNumber';
}

function commentKind(leaf: CstNode): Token['comment'] {
    if (!leaf.hidden) return undefined;
    return leaf.text.startsWith('//') ? 'line' : 'block';
}

function countBreaks(whitespace: string): number {
    return (whitespace.match(/\n/g) ?? []).length;
}

/** Keep one blank line at most, and none just inside braces (after the line that opens a block, or before `}`). */
function blankLinesBetween(before: Token, after: Token, breaks: number, opensBlock: boolean): number {
    if (opensBlock || (after.text === '}' && !after.comment)) return 1;
    return Math.min(Math.max(breaks, 1), 2);
}
