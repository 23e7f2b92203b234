// What the token under the cursor names. Hover, definition, references and rename all start here, so they agree.
// Columns and RFM scores need care: the scope provider resolves an implied column (`key customer_id`) to its source
// and a score (`value.r`) to its RFM model, so "the target node" alone would confuse `shoppers.customer_id` with
// `shoppers`. A symbol therefore says what is named: a declaration, a column of a source, or a score of a model.
import type { AstNode, CstNode, LangiumDocument, Reference } from 'langium';
import { CstUtils, GrammarAST, GrammarUtils, isReference } from 'langium';
import type { Arm, Clv, Column, DataSource, Declaration, Rfm, Tier } from '../generated/ast.js';
import { isArm, isClv, isColumn, isDataSource, isDeclaration, isMemberAccess, isNameReference, isRecordedGroups, isRfm, isTier } from '../generated/ast.js';
import { type ClvScore, isClvScore, settingEvents } from '../mplan-scope.js';

/**
 * What has a name of its own: a declaration of the plan, an arm of a campaign (named in its campaign's goals), or a
 * tier of a tiers declaration (named as `value_tier.gold`).
 */
export type NamedNode = Declaration | Arm | Tier;

export function isNamedNode(node: unknown): node is NamedNode {
    return isDeclaration(node) || isArm(node) || isTier(node);
}

export type PlanSymbol =
    | { kind: 'declaration'; node: NamedNode }
    /** A column of a source: declared in its block (`column` set), or implied by `key`, `customer` or `time`. */
    | { kind: 'column'; source: DataSource; name: string; column?: Column }
    | { kind: 'score'; rfm: Rfm; score: 'r' | 'f' | 'm' }
    /** A score of a CLV model (`value.alive`): built in like the RFM scores. */
    | { kind: 'clvScore'; clv: Clv; score: ClvScore };

export interface SymbolAt {
    symbol: PlanSymbol;
    /** The token (or datatype-rule node) that names the symbol at the position. */
    cst: CstNode;
}

const WORD = /[\w]/;

/**
 * The non-hidden leaf at `offset`. With `exact`, only the token under the position (hover); otherwise a cursor right
 * after a name counts as on it (completion, rename and references are asked from the cursor, which sits after words).
 */
export function leafAt(document: LangiumDocument, offset: number, exact = false): CstNode | undefined {
    const root = document.parseResult?.value?.$cstNode;
    if (!root) return undefined;
    const text = document.textDocument.getText();
    const tokenAt = (position: number) => {
        const leaf = position >= 0 ? CstUtils.findLeafNodeAtOffset(root, position) : undefined;
        return leaf && !leaf.hidden && leaf.offset <= position && position < leaf.end ? leaf : undefined;
    };
    const at = tokenAt(offset);
    if (exact || (at && WORD.test(text.charAt(offset)))) return at;
    if (WORD.test(text.charAt(offset - 1))) return tokenAt(offset - 1) ?? at;
    return at ?? tokenAt(offset - 1);
}

/** The reference a token is part of, if any. */
export function referenceOf(leaf: CstNode): { reference: Reference; property: string } | undefined {
    const assignment = GrammarUtils.findAssignment(leaf);
    const node = leaf.astNode as unknown as Record<string, unknown>;
    if (!assignment) return undefined;
    const value = node[assignment.feature];
    if (isReference(value)) return { reference: value, property: assignment.feature };
    return undefined;
}

/** Whether a token is used as a name (a `Name` datatype rule or a cross-reference), even when it spells a keyword. */
export function isNameToken(leaf: CstNode): boolean {
    let current: CstNode | undefined = leaf;
    while (current && current.astNode === leaf.astNode) {
        const source = current.grammarSource;
        if (GrammarAST.isCrossReference(source)) return true;
        if (GrammarAST.isRuleCall(source) && source.rule.ref?.name === 'Name') return true;
        current = current.container;
    }
    return false;
}

/**
 * Member positions: after a dot, the columns named by `monetary`, `response`, `by` (of an attitude) and `groups from
 * SOURCE.COLUMN`, and a bare name inside an aggregate's `where` that names an implied column (the scope resolves it to
 * its source, by another name).
 */
function isMemberPosition(container: AstNode, property: string, reference: Reference): boolean {
    return (isMemberAccess(container) && property === 'member')
        || (isRecordedGroups(container) && property === 'column')
        || settingEvents(container, property) !== undefined
        || (isNameReference(container) && property === 'target' && isDataSource(reference.ref) && reference.$refText !== reference.ref.name);
}

/** The symbol a reference resolves to, or undefined when it does not resolve. */
export function symbolOfReference(container: AstNode, property: string, reference: Reference): PlanSymbol | undefined {
    const target = reference.ref;
    if (!target) return undefined;
    if (isColumn(target)) return { kind: 'column', source: target.$container, name: target.name, column: target };
    if (isMemberPosition(container, property, reference)) {
        const name = reference.$refText;
        if (isDataSource(target)) return { kind: 'column', source: target, name };
        if (isRfm(target) && (name === 'r' || name === 'f' || name === 'm')) return { kind: 'score', rfm: target, score: name };
        if (isClv(target) && isClvScore(name)) return { kind: 'clvScore', clv: target, score: name };
        if (isTier(target)) return { kind: 'declaration', node: target };
        return undefined;
    }
    return isNamedNode(target) ? { kind: 'declaration', node: target } : undefined;
}

/** The symbol named at `offset`, if the token there is a name or a reference. */
export function symbolAt(document: LangiumDocument, offset: number, exact = false): SymbolAt | undefined {
    const leaf = leafAt(document, offset, exact);
    if (!leaf || !isNameToken(leaf)) return undefined;
    const cst = CstUtils.getDatatypeNode(leaf) ?? leaf;
    const ref = referenceOf(leaf);
    if (ref) {
        const symbol = symbolOfReference(leaf.astNode, ref.property, ref.reference);
        return symbol ? { symbol, cst: ref.reference.$refNode ?? cst } : undefined;
    }
    const assignment = GrammarUtils.findAssignment(leaf);
    const node = leaf.astNode;
    if (!assignment) return undefined;
    if (assignment.feature === 'name') {
        if (isColumn(node)) return { symbol: { kind: 'column', source: node.$container, name: node.name, column: node }, cst };
        if (isNamedNode(node)) return { symbol: { kind: 'declaration', node }, cst };
    }
    if (isDataSource(node) && ['key', 'customer', 'time'].includes(assignment.feature)) {
        const name = cst.text;
        return { symbol: { kind: 'column', source: node, name, column: node.columns.find(c => c.name === name) }, cst };
    }
    return undefined;
}

/** The CST nodes of a source's `key`, `customer` and `time` properties that name the column `name`. */
export function keyPropertyNodes(source: DataSource, name: string): CstNode[] {
    const nodes: CstNode[] = [];
    for (const property of ['key', 'customer', 'time'] as const) {
        if ((source as unknown as Record<string, unknown>)[property] !== name) continue;
        const node = GrammarUtils.findNodeForProperty(source.$cstNode, property);
        if (node) nodes.push(node);
    }
    return nodes;
}

/** Where a column is declared: its line in the source's block, or else the first key/customer/time naming it. */
export function columnDeclarationNode(source: DataSource, name: string): CstNode | undefined {
    const column = source.columns.find(c => c.name === name);
    if (column) return GrammarUtils.findNodeForProperty(column.$cstNode, 'name') ?? column.$cstNode;
    return keyPropertyNodes(source, name)[0];
}
