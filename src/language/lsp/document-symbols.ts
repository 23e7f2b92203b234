// The outline: plan > sources (with their columns), RFM, CLV and attitude models, segments, tiers (with their tiers), channels, metrics,
// campaigns (with their arms and goals, in the order written). Declarations outside a plan block (library files) are listed at the top level.
import type { AstNode, CstNode, LangiumDocument } from 'langium';
import { GrammarUtils } from 'langium';
import type { DocumentSymbolProvider, LangiumServices } from 'langium/lsp';
import type { DocumentSymbol } from 'vscode-languageserver';
import { SymbolKind } from 'vscode-languageserver';
import type { Campaign, DataSource, Declaration, Goal, Model, Plan, Tiers } from '../generated/ast.js';
import {
    isArm, isAttitude, isCampaign, isChannel, isClv, isDataSource, isGoal, isMetric, isMetricGoalTarget, isObjectiveSetting, isRfm, isSegment, isTiers
} from '../generated/ast.js';
import { impliedColumns } from '../mplan-scope.js';
import { declarationDetail, unquote } from './describe.js';
import { keyPropertyNodes } from './symbol-at.js';

export class MplanDocumentSymbolProvider implements DocumentSymbolProvider {
    constructor(_services: LangiumServices) {}

    getSymbols(document: LangiumDocument): DocumentSymbol[] {
        try {
            const model = document.parseResult.value as Model;
            return [
                ...(model.plans ?? []).map(plan => this.planSymbol(plan)),
                ...(model.declarations ?? []).map(d => this.declarationSymbol(d))
            ].filter((s): s is DocumentSymbol => s !== undefined);
        } catch (error) {
            console.error('mplan outline failed:', error);
            return [];
        }
    }

    protected planSymbol(plan: Plan): DocumentSymbol | undefined {
        const objective = plan.settings.find(isObjectiveSetting)?.objective;
        const children = plan.declarations.map(d => this.declarationSymbol(d)).filter((s): s is DocumentSymbol => s !== undefined);
        return symbol(plan, unquote(plan.name ?? '') || 'plan', SymbolKind.Namespace, nameNode(plan), objective ? `objective ${objective}` : undefined, children);
    }

    protected declarationSymbol(node: Declaration): DocumentSymbol | undefined {
        const detail = declarationDetail(node);
        if (isDataSource(node)) return symbol(node, node.name, SymbolKind.Class, nameNode(node), detail, this.columnSymbols(node));
        if (isRfm(node) || isClv(node) || isAttitude(node)) return symbol(node, node.name, SymbolKind.Struct, nameNode(node), detail);
        if (isSegment(node)) return symbol(node, node.name, SymbolKind.Variable, nameNode(node), detail);
        if (isTiers(node)) return symbol(node, node.name, SymbolKind.Enum, nameNode(node), detail, this.tierSymbols(node));
        if (isChannel(node)) return symbol(node, node.name, SymbolKind.EnumMember, nameNode(node), detail);
        if (isMetric(node)) return symbol(node, node.name, SymbolKind.Function, nameNode(node), detail);
        if (isCampaign(node)) return symbol(node, node.name, SymbolKind.Event, nameNode(node), detail, this.campaignChildren(node));
        return undefined;
    }

    /** Declared columns, then the implied key/customer/time columns (at the property that names them). */
    protected columnSymbols(source: DataSource): DocumentSymbol[] {
        const declared = source.columns.map(c => symbol(c, c.name, SymbolKind.Field, nameNode(c), c.type));
        const implied = impliedColumns(source).map(i => {
            const cst = keyPropertyNodes(source, i.name)[0];
            return cst ? tokenSymbol(cst, i.name, SymbolKind.Field, `${i.type} (implied)`) : undefined;
        });
        return [...declared, ...implied].filter((s): s is DocumentSymbol => s !== undefined);
    }

    /** The tiers of a declaration, in order (first match wins), each with its condition. */
    protected tierSymbols(tiers: Tiers): DocumentSymbol[] {
        return tiers.tiers
            .map(tier => symbol(tier, tier.name, SymbolKind.EnumMember, nameNode(tier), declarationDetail(tier).replace(/^tier of [^:]*: /, '')))
            .filter((s): s is DocumentSymbol => s !== undefined);
    }

    /** Arms and goals, in the order they are written. */
    protected campaignChildren(campaign: Campaign): DocumentSymbol[] {
        return campaign.statements
            .map(statement => {
                if (isArm(statement)) return symbol(statement, statement.name, SymbolKind.Interface, nameNode(statement), declarationDetail(statement).replace(/^arm of campaign [^:]*: /, ''));
                if (isGoal(statement)) return symbol(statement, goalName(statement), SymbolKind.Boolean, statement.target?.$cstNode ?? statement.$cstNode, statement.deadline ? `by ${statement.deadline}` : 'no deadline');
                return undefined;
            })
            .filter((s): s is DocumentSymbol => s !== undefined);
    }
}

/** A goal is listed by its label, or else by its target as written (`lift(responded) >= 15%`). */
function goalName(goal: Goal): string {
    if (goal.label) return unquote(goal.label);
    const target = goal.target;
    if (!target) return 'goal';
    const arms = target.arm ? ` for ${target.arm.$refText}${target.versus ? ` vs ${target.versus.$refText}` : ''}` : '';
    if (isMetricGoalTarget(target)) return `${target.kind}(${target.metric?.$refText ?? ''})${arms} ${target.operator} ${target.value}${unitText(target.unit)}`;
    return `${target.kind}${arms} ${target.operator} ${target.value}${unitText(target.unit)}`;
}

function unitText(unit: string | undefined): string {
    return unit === '%' ? '%' : unit ? ` ${unit}` : '';
}

function nameNode(node: AstNode): CstNode | undefined {
    return GrammarUtils.findNodeForProperty(node.$cstNode, 'name');
}

/** A symbol for an AST node; undefined when the node has no text (a half-parsed declaration). */
function symbol(node: AstNode, name: string | undefined, kind: SymbolKind, selection: CstNode | undefined, detail?: string, children?: DocumentSymbol[]): DocumentSymbol | undefined {
    const cst = node.$cstNode;
    if (!cst || !name) return undefined;
    const selectionRange = selection && within(selection, cst) ? selection.range : cst.range;
    return { name, kind, detail, range: cst.range, selectionRange, children: children && children.length > 0 ? children : undefined };
}

/** A symbol for a token that has no AST node of its own (an implied column). */
function tokenSymbol(cst: CstNode, name: string, kind: SymbolKind, detail: string): DocumentSymbol {
    return { name, kind, detail, range: cst.range, selectionRange: cst.range };
}

/** The LSP requires the selection range to lie inside the symbol's range. */
function within(inner: CstNode, outer: CstNode): boolean {
    return inner.offset >= outer.offset && inner.end <= outer.end;
}
