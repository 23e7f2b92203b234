// Quick fixes, keyed by the diagnostic's stable code (`diagnostic.data.code`, or `diagnostic.code` from clients that
// drop `data`):
// - goal-no-deadline: add `by DATE` after the goal's target. The date is when the verdict can be final: the end of the
//   campaign (or its last contact, if later) plus the attribution window (30 days by default).
// - unresolved-reference: change the name to the closest one in scope; for a metric, or declare the metric.
// - arm-share-sum: set the last arm's share to what the other arms leave (100% minus their shares).
// - goal-for-without-arms: remove `for ARM [vs ARM]` (the goal is then judged on the whole campaign).
// - window-in-metric: remove `within N days` from a metric's aggregate (the attribution window rules there).
// - tiers-no-otherwise: add a last tier `rest = otherwise`, so every customer is in a tier.
import type { AstNode, LangiumDocument } from 'langium';
import { AstUtils } from 'langium';
import type { CodeActionProvider, LangiumServices } from 'langium/lsp';
import type { CodeAction, CodeActionParams, Command, Diagnostic, TextEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { Campaign, Model } from '../generated/ast.js';
import { isAggregate, isArm, isCampaign, isCustomersSource, isEventsSource, isGoal, isGoalTarget, isMetricGoalTarget, isTiers, isValueMetric } from '../generated/ast.js';
import { CstUtils, GrammarUtils } from 'langium';
import { DEFAULT_ATTRIBUTION_DAYS, allSteps, campaignSettings, declarationsOf, formatDate, parseDate } from '../semantics.js';
import type { UnresolvedReferenceData } from '../validation/document-validator.js';
import { leafAt } from './symbol-at.js';

/** Without `runs`, a goal's deadline is proposed this many days from today. */
const DAYS_WITHOUT_RUNS = 90;

export class MplanCodeActionProvider implements CodeActionProvider {
    constructor(_services: LangiumServices) {}

    getCodeActions(document: LangiumDocument, params: CodeActionParams): Array<Command | CodeAction> | undefined {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            try {
                actions.push(...this.fixesFor(document, diagnostic));
            } catch (error) {
                // One fix failing must not take the others (or the editor's light bulb) with it.
                console.error('mplan quick fix failed:', error);
            }
        }
        return actions.length > 0 ? actions : undefined;
    }

    protected fixesFor(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        switch (codeOf(diagnostic)) {
            case 'goal-no-deadline': return this.addDeadline(document, diagnostic);
            case 'unresolved-reference': return this.fixReference(document, diagnostic);
            case 'arm-share-sum': return this.setRemainingShare(document, diagnostic);
            case 'goal-for-without-arms': return this.removeFor(document, diagnostic);
            case 'window-in-metric': return this.removeWithin(document, diagnostic);
            case 'tiers-no-otherwise': return this.addOtherwise(document, diagnostic);
            default: return [];
        }
    }

    protected addDeadline(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const goal = nodeAt(document, diagnostic, isGoal);
        const targetEnd = goal?.target?.$cstNode?.end;
        if (!goal || goal.deadline || targetEnd === undefined) return [];
        const campaign = AstUtils.getContainerOfType(goal, isCampaign);
        const deadline = formatDate(proposedDeadline(campaign));
        const position = document.textDocument.positionAt(targetEnd);
        return [quickFix(`Add deadline 'by ${deadline}'`, document, diagnostic, [
            { range: { start: position, end: position }, newText: ` by ${deadline}` }
        ], true)];
    }

    /** The last arm's share becomes 100% minus the other arms' shares (when that is a possible share). */
    protected setRemainingShare(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const arm = nodeAt(document, diagnostic, isArm);
        const share = arm && GrammarUtils.findNodeForProperty(arm.$cstNode, 'share');
        if (!arm || !share) return [];
        const arms = arm.$container.statements.filter(isArm);
        if (arms[arms.length - 1] !== arm || arms.some(a => a.share === undefined)) return [];
        const remainder = Math.round((100 - arms.slice(0, -1).reduce((sum, a) => sum + a.share!, 0)) * 1e6) / 1e6;
        if (!(remainder > 0 && remainder < 100)) return [];
        return [quickFix(`Set the share of arm '${arm.name}' to ${remainder}%`, document, diagnostic, [
            { range: share.range, newText: String(remainder) }
        ], true)];
    }

    /** Removes `for ARM [vs ARM]` from a goal's target, with the space before it. */
    protected removeFor(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const target = nodeAt(document, diagnostic, isGoalTarget);
        const cst = target?.$cstNode;
        if (!target || !cst) return [];
        const forKeyword = GrammarUtils.findNodeForKeyword(cst, 'for');
        const last = GrammarUtils.findNodeForProperty(cst, target.versus ? 'versus' : 'arm');
        if (!forKeyword || !last) return [];
        const previous = CstUtils.getPreviousNode(forKeyword, false);
        const start = document.textDocument.positionAt(previous ? previous.end : forKeyword.offset);
        return [quickFix(`Remove 'for ${target.arm?.$refText ?? ''}${target.versus ? ` vs ${target.versus.$refText}` : ''}'`, document, diagnostic, [
            { range: { start, end: last.range.end }, newText: '' }
        ], true)];
    }

    /** Removes `within N days` from an aggregate, with the space before it. */
    protected removeWithin(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const aggregate = nodeAt(document, diagnostic, isAggregate);
        const cst = aggregate?.$cstNode;
        const within = cst && GrammarUtils.findNodeForKeyword(cst, 'within');
        const unit = cst && (GrammarUtils.findNodeForKeyword(cst, 'days') ?? GrammarUtils.findNodeForKeyword(cst, 'day'));
        if (!aggregate || !within || !unit) return [];
        const previous = CstUtils.getPreviousNode(within, false);
        const start = document.textDocument.positionAt(previous ? previous.end : within.offset);
        return [quickFix(`Remove 'within ${aggregate.within} ${unit.text}'`, document, diagnostic, [
            { range: { start, end: unit.range.end }, newText: '' }
        ], true)];
    }

    /** Adds `rest = otherwise` as the last tier, on its own line, indented like the tiers above. */
    protected addOtherwise(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const tiers = nodeAt(document, diagnostic, isTiers);
        const close = tiers?.$cstNode && GrammarUtils.findNodeForKeyword(tiers.$cstNode, '}');
        if (!tiers || !close || tiers.tiers.some(t => t.otherwise)) return [];
        const text = document.textDocument;
        const lineOf = (line: number) => text.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
        const declarationIndent = /^[ \t]*/.exec(lineOf(tiers.$cstNode!.range.start.line))![0];
        const last = tiers.tiers[tiers.tiers.length - 1]?.$cstNode;
        const ownLine = last && last.range.start.line !== tiers.$cstNode!.range.start.line;
        const indent = ownLine ? /^[ \t]*/.exec(lineOf(last.range.start.line))![0] : declarationIndent + '  ';
        let name = 'rest';
        for (let i = 2; tiers.tiers.some(t => t.name === name); i++) name = `rest${i}`;
        const eol = text.getText().includes('\r\n') ? '\r\n' : '\n';
        const closeLine = close.range.start.line;
        const onOwnLine = lineOf(closeLine).slice(0, close.range.start.character).trim() === '';
        const edit: TextEdit = onOwnLine
            ? { range: { start: { line: closeLine, character: 0 }, end: { line: closeLine, character: 0 } }, newText: `${indent}${name} = otherwise${eol}` }
            : { range: { start: close.range.start, end: close.range.start }, newText: `${eol}${indent}${name} = otherwise${eol}${declarationIndent}` };
        return [quickFix(`Add '${name} = otherwise' as the last tier`, document, diagnostic, [edit], true)];
    }

    protected fixReference(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const data = referenceData(document, diagnostic);
        if (!data) return [];
        const actions: CodeAction[] = [];
        if (data.suggestion && data.suggestion !== data.refText) {
            actions.push(quickFix(`Change to '${data.suggestion}'`, document, diagnostic, [
                { range: diagnostic.range, newText: data.suggestion }
            ], true));
        }
        if (data.expectedType === 'Metric') {
            const declaration = this.declareMetric(document, diagnostic, data.refText);
            if (declaration) actions.push(declaration);
        }
        return actions;
    }

    /** Inserts `metric NAME = ...` before the campaign that uses it, above any comment lines that introduce it. */
    protected declareMetric(document: LangiumDocument, diagnostic: Diagnostic, name: string): CodeAction | undefined {
        const campaign = nodeAt(document, diagnostic, isCampaign);
        const start = campaign?.$cstNode?.range.start;
        if (!campaign || !start || !/^[_a-zA-Z]\w*$/.test(name)) return undefined;
        const text = document.textDocument;
        const lineText = (line: number) => text.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
        let line = start.line;
        while (line > 0 && lineText(line - 1).trim().startsWith('//')) line--;
        const indent = /^[ \t]*/.exec(lineText(start.line))![0];
        const eol = text.getText().includes('\r\n') ? '\r\n' : '\n';
        const model = AstUtils.findRootNode(campaign) as Model;
        const position = { line, character: 0 };
        return quickFix(`Declare metric '${name}'`, document, diagnostic, [
            { range: { start: position, end: position }, newText: `${indent}metric ${name} = ${placeholderExpression(model)}${eol}${eol}` }
        ], false);
    }
}

function codeOf(diagnostic: Diagnostic): string | undefined {
    const data = diagnostic.data as { code?: unknown } | undefined;
    if (typeof data?.code === 'string') return data.code;
    return typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
}

/** The diagnostic's data, rebuilt from the text and the tree when the client did not send it back. */
function referenceData(document: LangiumDocument, diagnostic: Diagnostic): UnresolvedReferenceData | undefined {
    const data = diagnostic.data as Partial<UnresolvedReferenceData> | undefined;
    const refText = data?.refText ?? document.textDocument.getText(diagnostic.range);
    if (!refText) return undefined;
    const suggestion = data?.suggestion ?? /Did you mean '([^']+)'\?/.exec(diagnostic.message)?.[1];
    const node = leafAt(document, document.textDocument.offsetAt(diagnostic.range.start))?.astNode;
    const expectedType = data?.expectedType ?? (isMetricGoalTarget(node) || isValueMetric(node) ? 'Metric' : 'Referable');
    return { code: 'unresolved-reference', refText, suggestion, expectedType };
}

/** The innermost node of the wanted type at the start of the diagnostic. */
function nodeAt<T extends AstNode>(document: LangiumDocument, diagnostic: Diagnostic, is: (node: unknown) => node is T): T | undefined {
    const leaf = leafAt(document, document.textDocument.offsetAt(diagnostic.range.start));
    return leaf ? AstUtils.getContainerOfType(leaf.astNode, is) : undefined;
}

/** Days since 1970 of the proposed deadline: when the attribution window of the campaign's last contact closes. */
export function proposedDeadline(campaign: Campaign | undefined): number {
    const settings = campaign ? campaignSettings(campaign) : undefined;
    const attribution = settings?.attribution?.days ?? DEFAULT_ATTRIBUTION_DAYS;
    const start = parseDate(settings?.runs?.start);
    const end = parseDate(settings?.runs?.end);
    const lastContact = start === undefined ? undefined : start + Math.max(0, ...(campaign ? allSteps(campaign) : []).map(s => s.delay ?? 0));
    const candidates = [end, lastContact].filter((d): d is number => d !== undefined);
    if (candidates.length === 0) return Math.floor(Date.now() / 86_400_000) + DAYS_WITHOUT_RUNS;
    return Math.max(...candidates) + attribution;
}

/** A starting point the author will edit: a count of the plan's first events source, else a customers column. */
export function placeholderExpression(model: Model): string {
    const declarations = declarationsOf(model);
    const events = declarations.find(isEventsSource);
    if (events) return `count(${events.name})`;
    for (const source of declarations.filter(isCustomersSource)) {
        const column = source.columns.find(c => c.type === 'number') ?? source.columns[0];
        if (column) return `${source.name}.${column.name}`;
    }
    return '0';
}

function quickFix(title: string, document: LangiumDocument, diagnostic: Diagnostic, edits: TextEdit[], isPreferred: boolean): CodeAction {
    return {
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred,
        edit: { changes: { [document.textDocument.uri]: edits } }
    };
}
