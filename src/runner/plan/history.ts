// When aggregates in conditions are counted. A condition is a fact about a date: its aggregates count the events
// strictly before a reference date R (and, with `within N days`, at or after R − N days). For the report's segment and
// tier tables and segments.csv, R is the evaluation date. A campaign's audience (and its `limit ... by`) must be
// decided by what happened before the campaign, or customers who responded to it would leave (or join) it: R is the
// campaign's start (the evaluation date when that is earlier), as for RFM scores (see rfm-scorings.ts).
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import { isAggregate, isNameReference, isSegment } from '../../language/generated/ast.js';
import { formatDate, memberTarget } from '../../language/semantics.js';
import type { CampaignPlan, ConditionAggregatePlan, RunnerPlan } from './runner-plan.js';

/** One column of per-customer values: a condition aggregate as of a reference date. */
export interface HistoryColumn {
    aggregate: ConditionAggregatePlan;
    /** Day number: events strictly before it count. */
    day: number;
    /** The reference's name in generated column names: its date, YYYY-MM-DD. */
    reference: string;
}

/** The reference date of a campaign's audience: its start, or the evaluation date when that is earlier. */
export function campaignReference(campaign: CampaignPlan, evaluationDate: number): number {
    return Math.min(campaign.start, evaluationDate);
}

/** Every node an expression reads, through the segments and tiers it names too (each definition once). */
function readThrough(expression: AstNode | undefined, visitNode: (node: AstNode) => void): void {
    const seen = new Set<AstNode>();
    const visit = (node: AstNode | undefined) => {
        if (!node || seen.has(node)) return;
        seen.add(node);
        for (const child of [node, ...AstUtils.streamAst(node)]) {
            visitNode(child);
            if (isNameReference(child) && isSegment(child.target?.ref)) visit(child.target.ref.condition);
            const target = memberTarget(child);
            if (target?.kind === 'tier') for (const tier of target.tiers.tiers) visit(tier.condition);
        }
    };
    visit(expression);
}

/** The condition aggregates an expression reads, through the segments and tiers it names too. */
export function aggregatesRead(plan: RunnerPlan, expression: AstNode | undefined): Set<ConditionAggregatePlan> {
    const found = new Set<ConditionAggregatePlan>();
    readThrough(expression, node => {
        const entry = isAggregate(node) ? plan.conditionAggregateOf.get(node) : undefined;
        if (entry) found.add(entry);
    });
    return found;
}

/** The attitudes (by name) whose scores an expression reads, through the segments and tiers it names too. */
export function attitudesRead(expression: AstNode | undefined): Set<string> {
    const found = new Set<string>();
    readThrough(expression, node => {
        const target = memberTarget(node);
        if (target?.kind === 'attitude') found.add(target.attitude.name);
    });
    return found;
}

/** The condition aggregates a campaign's audience, its `limit ... by` and its `uplift by` read. */
export function campaignAggregates(plan: RunnerPlan, campaign: CampaignPlan): Set<ConditionAggregatePlan> {
    return new Set([...aggregatesRead(plan, campaign.audience), ...aggregatesRead(plan, campaign.limit?.by), ...aggregatesRead(plan, campaign.uplift)]);
}

/** The attitudes a campaign reads as of its start: in its audience, `limit ... by` and `uplift by`, and its `best of` steps. */
export function campaignAttitudes(campaign: CampaignPlan, options: { bestOf: boolean } = { bestOf: true }): Set<string> {
    const names = new Set([...attitudesRead(campaign.audience), ...attitudesRead(campaign.limit?.by), ...attitudesRead(campaign.uplift)]);
    if (options.bestOf) for (const step of campaign.arms.flatMap(arm => arm.steps)) if (step.bestOf) names.add(step.bestOf.attitude);
    return names;
}

/** The reference dates an attitude is scored at: the evaluation date, then each campaign's that reads it (each once). */
export function attitudeReferences(plan: RunnerPlan, attitude: string, evaluationDate: number): number[] {
    const days = [evaluationDate];
    for (const campaign of plan.campaigns) {
        const day = campaignReference(campaign, evaluationDate);
        if (campaignAttitudes(campaign).has(attitude) && !days.includes(day)) days.push(day);
    }
    return days;
}

/**
 * Every column the run needs: each condition aggregate as of the evaluation date (the segment and tier tables), then
 * those a campaign reads as of its own reference date, when that is another day.
 */
export function historyColumns(plan: RunnerPlan, evaluationDate: number): HistoryColumn[] {
    const columns: HistoryColumn[] = plan.conditionAggregates.map(aggregate => ({ aggregate, day: evaluationDate, reference: formatDate(evaluationDate) }));
    for (const campaign of plan.campaigns) {
        const day = campaignReference(campaign, evaluationDate);
        for (const aggregate of campaignAggregates(plan, campaign)) {
            if (!columns.some(c => c.aggregate === aggregate && c.day === day)) columns.push({ aggregate, day, reference: formatDate(day) });
        }
    }
    return columns;
}
