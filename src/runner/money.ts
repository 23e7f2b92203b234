// The money of a campaign: contacts, the offer, the fixed cost, ROI at a margin, cost per incremental response and
// the budget check. Pure arithmetic on figures the evaluation has measured (sizes, totals, lifts and their intervals):
// no engine, no plan nodes, no report, so every rule can be tested on its own and read in one place.
import type { ArmPlan, CampaignPlan, OfferCostPlan, StepPlan } from './plan/runner-plan.js';
import { stepChannels } from './plan/runner-plan.js';
import { money } from './report/format.js';

export type Interval = [number, number];

/**
 * What reaching an arm costs: each step's contacts × its cost per contact. The contacts come from the one place they
 * are counted (campaignContacts in schedule/campaign-contacts.ts: every arm member at each step, or as scheduled under
 * capacity and conditions), so the report's cost and the budget check before launch agree.
 */
export function contactsCost(stepChannels: Array<Map<string, number>>, steps: StepPlan[]): number {
    return steps.reduce((sum, step, k) => sum + stepCost(stepChannels[k], step), 0);
}

/** One step's cost: the contacts of each channel it used × that channel's cost per contact (a `best of` step's options). */
export function stepCost(byChannel: Map<string, number> | undefined, step: StepPlan): number {
    let cost = 0;
    for (const [channel, contacts] of byChannel ?? []) cost += contacts * (stepChannels(step).find(o => o.channel === channel)?.cost ?? step.cost);
    return cost;
}

/**
 * The offer's cost for a group: `amount` per unit of its metric, the units being the group's total of that metric
 * (customers with an event for `any`, events for `count`, the column's sum). 0 when the offer states no cost; null
 * while the units are not known (the metric is not measured yet): a figure then would be invented.
 */
export function offerCost(offer: OfferCostPlan | undefined, units: number | null): number | null {
    if (!offer) return 0;
    return units === null ? null : offer.amount * units;
}

/** A campaign's or an arm's cost: contacts, the offer (0 while it is not known) and the fixed cost (campaigns only). */
export function totalCost(parts: { contacts: number; offer: number | null; fixed?: number }): number {
    return parts.contacts + (parts.offer ?? 0) + (parts.fixed ?? 0);
}

/**
 * ROI = (incremental value × margin − cost) / cost. The margin turns a revenue increment into a profit increment;
 * without one, ROI is on the value itself (margin 1). Undefined (null) at no cost: a return on nothing is not a number.
 */
export function roi(incrementalValue: number, cost: number, margin: number | null | undefined): number | null {
    if (!(cost > 0)) return null;
    return (incrementalValue * (margin ?? 1) - cost) / cost;
}

/**
 * The ROI's 95% interval: the value metric's absolute-lift interval [lo, hi] (per customer) mapped through the same
 * line, the group size and cost being fixed. The line rises (size and margin are positive), so lo stays below hi.
 */
export function roiInterval(lift: Interval | null, size: number, cost: number, margin: number | null | undefined): Interval | null {
    if (!lift) return null;
    const lo = roi(lift[0] * size, cost, margin), hi = roi(lift[1] * size, cost, margin);
    return lo === null || hi === null ? null : [lo, hi];
}

/**
 * Cost per incremental response: cost ÷ (absolute lift × group size), what each extra unit of the metric cost. Null
 * when there is no increment to pay for (a lift at or below 0, or not measured), or nothing was spent.
 */
export function costPerIncrement(cost: number, absoluteLift: number | null, size: number): number | null {
    if (absoluteLift === null || !(absoluteLift > 0) || !(cost > 0) || !(size > 0)) return null;
    return cost / (absoluteLift * size);
}

/** ROI of one arm over another (`roi for A vs B`), or why there is none. */
export interface VersusRoi {
    value: number | null;
    interval: Interval | null;
    /** What choosing A over B costs for A's customers: costA − costB × sizeA / sizeB. */
    incrementalCost: number;
    missing?: string;
}

/**
 * What giving A's customers arm A instead of arm B costs: cost_A − cost_B × n_A / n_B, B's cost scaled to as many
 * customers as A has (the increment Δ_AB × n_A is counted over A's customers too). With arms of equal size, cost_A −
 * cost_B.
 */
export function versusCost(costA: number, sizeA: number, costB: number, sizeB: number): number {
    return sizeB > 0 ? costA - (costB * sizeA) / sizeB : costA;
}

/**
 * `roi for A vs B`: what A's customers gained over B, at the margin, against what A costs beyond B for them:
 * (Δ_AB × n_A × margin − Δcost) / Δcost, Δcost = versusCost, Δ_AB the value metric's mean difference A − B, its
 * interval mapped through the same line. When A costs no more than B there is no investment to return on.
 */
export function versusRoi(v: {
    arm: string; baseline: string; delta: number | null; interval: Interval | null; sizeA: number; sizeB: number; costA: number; costB: number;
    margin: number | null | undefined; currency?: string | null; metric?: string;
}): VersusRoi {
    const incrementalCost = versusCost(v.costA, v.sizeA, v.costB, v.sizeB);
    if (!(incrementalCost > 0)) {
        const scaled = v.sizeA === v.sizeB ? `arm ${v.baseline}'s ${money(v.costB, v.currency)}` : `arm ${v.baseline}'s ${money(v.costB, v.currency)} scaled to arm ${v.arm}'s size (${money(v.costB * v.sizeA / v.sizeB, v.currency)})`;
        return {
            value: null, interval: null, incrementalCost,
            missing: `arm ${v.arm} costs ${money(v.costA, v.currency)}, no more than ${scaled}, so there is no extra spend to return on`
        };
    }
    if (v.delta === null) return { value: null, interval: null, incrementalCost, missing: `the value metric${v.metric ? ` ${v.metric}` : ''} has not been measured in both arms` };
    return {
        value: roi(v.delta * v.sizeA, incrementalCost, v.margin),
        interval: roiInterval(v.interval, v.sizeA, incrementalCost, v.margin),
        incrementalCost
    };
}

/**
 * The cost planned before launch: every step's contacts × its cost per contact, over the arms, plus the fixed cost.
 * The offer's cost is left out: it depends on responses, which are not known before launch.
 */
export function plannedCost(campaign: Pick<CampaignPlan, 'fixedCost'> & { arms: Array<Pick<ArmPlan, 'steps'>> }, stepChannels: Array<Array<Map<string, number>>>): { contacts: number; fixed: number; total: number } {
    const contacts = campaign.arms.reduce((sum, arm, i) => sum + contactsCost(stepChannels[i] ?? [], arm.steps), 0);
    const fixed = campaign.fixedCost ?? 0;
    return { contacts, fixed, total: contacts + fixed };
}

/** Over budget: strictly above it (spending the whole budget is what a budget is for). */
export function overBudget(cost: number, budget: number | null | undefined): boolean {
    return budget !== null && budget !== undefined && cost > budget;
}
