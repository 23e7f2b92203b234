// Goal verdicts, each with the one sentence that explains it. A verdict is right or says plainly why it cannot be
// given: lift goals are one-sided tests of their own targets, Holm-adjusted over the campaign's lift goals; `mean` and
// `roi` goals are judged by 95% intervals; `total` and `cost` are observed sums compared with the target; a broken
// sample ratio makes every estimate untrustworthy.
import { formatDate } from '../language/semantics.js';
import type { CampaignPlan, GoalPlan, MetricPlan } from './plan/runner-plan.js';
import type { GoalResult, MetricResult } from './report/schema.js';
import type { EffectProblem, GroupEstimate, Interval, LiftResult, SrmResult } from './stats/index.js';
import { effectInterval, holm, meanTest, minimumDetectableEffect, oneSidedPValue, requiredCustomers } from './stats/index.js';
import { inUnit, int, money, num, pValue } from './report/format.js';

/** A one-sided test is significant below this: the two-sided 95% level. */
export const ONE_SIDED_ALPHA = 0.025;

/** What the goals of one campaign know of a metric. */
export interface MetricStats {
    plan: MetricPlan;
    result: MetricResult;
    treatment?: GroupEstimate;
    control?: GroupEstimate;
    lift: LiftResult | null;
    /** Per-customer variance in the control group (ratio metrics: the delta-method equivalent); for power. */
    controlVariance: number | null;
}

/** ROI of the campaign with its 95% interval, or why there is none. */
export interface RoiEstimate {
    value: number | null;
    interval: Interval | null;
    /** Why `value` or `interval` is missing, as a sentence fragment ("there is no control group"). */
    missing?: string;
}

export interface GoalContext {
    asOf: number;
    campaign: CampaignPlan;
    /** Whether outcomes have been measured: the attribution window has opened before the evaluation date. */
    measured: boolean;
    hasControl: boolean;
    srm: SrmResult | null;
    currency?: string;
    /** The verdicts to give, in order: one goal judged on one arm against a baseline, with that pair's metrics, ROI and cost. */
    instances: GoalInstance[];
}

/** One verdict to give: a goal on one arm (`arm` null: the whole campaign) against `baseline` (an arm or "control"). */
export interface GoalInstance {
    goal: GoalPlan;
    arm: string | null;
    baseline: string | null;
    metrics: Map<string, MetricStats>;
    roi: RoiEstimate;
    cost: number;
}

/** A goal on its way to a verdict: the result so far and, for tests, the one-sided p-values both ways. */
interface Draft {
    goal: GoalPlan;
    result: GoalResult;
    /** Lift goals with a test: p of "target missed" (small: met) and of "target reached" (small: not met). */
    test?: { met: number; notMet: number };
    /** Judged by its 95% interval alone, not adjusted (mean and roi goals). */
    byInterval?: boolean;
    /** Sentence for inconclusive lift goals whose interval includes the target: what it would take. */
    power?: string;
}

export function evaluateGoals(ctx: GoalContext): GoalResult[] {
    const drafts = ctx.instances.map(i => {
        const draft = draftGoal(i, ctx);
        draft.result.arm = i.arm;
        draft.result.baseline = i.baseline;
        return draft;
    });
    // Holm over the campaign's lift goals, one entry per goal, each way.
    const tests = drafts.map(d => d.test);
    const met = holm(tests.map(t => t?.met ?? null));
    const notMet = holm(tests.map(t => t?.notMet ?? null));
    const family = tests.filter(t => t !== undefined).length;
    drafts.forEach((d, i) => {
        if (!d.test) return;
        d.result.adjustedPValue = met[i];
        d.result.status = met[i]! < ONE_SIDED_ALPHA ? 'met' : notMet[i]! < ONE_SIDED_ALPHA ? 'not-met' : 'inconclusive';
        d.result.reason = liftReason(d, family, met[i]!, notMet[i]!);
    });
    for (const d of drafts) {
        if (!d.byInterval) continue;
        const [lo, hi] = d.result.interval!;
        const t = d.goal.target;
        const [met, notMet] = d.goal.operator === '>=' ? [lo > t, hi < t] : [hi < t, lo > t];
        d.result.status = met ? 'met' : notMet ? 'not-met' : 'inconclusive';
        d.result.reason = intervalReason(d.goal, d.result, d.goal.kind === 'roi' ? "The ROI's 95% interval" : "The treatment mean's 95% interval");
    }
    // A sample-ratio mismatch means broken groups: no estimate of this campaign can be trusted. Observed sums stand.
    if (ctx.srm && !ctx.srm.ok) {
        for (const d of drafts) {
            if (d.result.status === 'pending' || d.goal.kind === 'total' || d.goal.kind === 'cost') continue;
            d.result.status = 'inconclusive';
            d.result.reason = `Sample-ratio mismatch (p = ${pValue(ctx.srm.pValue)}): the groups are not the split the assignment promised, so no estimate of this campaign can be trusted.`;
        }
    }
    return drafts.map(d => d.result);
}

function draftGoal({ goal, metrics, roi, cost }: GoalInstance, ctx: GoalContext): Draft {
    const final = goal.deadline !== undefined && ctx.asOf > goal.deadline;
    const result: GoalResult = {
        label: goal.label, line: goal.line, kind: goal.kind, metric: goal.metric ?? null, operator: goal.operator, target: goal.target,
        unit: goal.unit ?? null, deadline: goal.deadline !== undefined ? formatDate(goal.deadline) : null,
        status: 'inconclusive', reason: '', final, value: null, interval: null, pValue: null, adjustedPValue: null, mde: null, underpowered: false,
        arm: null, baseline: null
    };
    const draft: Draft = { goal, result };
    const inconclusive = (reason: string): Draft => ((result.status = 'inconclusive'), (result.reason = reason), draft);
    if (ctx.asOf < ctx.campaign.start) {
        result.status = 'pending';
        result.reason = `The campaign starts on ${formatDate(ctx.campaign.start)}, after the evaluation date ${formatDate(ctx.asOf)}.`;
        return draft;
    }
    const scale = goal.unit === '%' || goal.unit === 'pp' ? 100 : 1;
    const above = goal.operator === '>=';
    const stats = goal.metric !== undefined ? metrics.get(goal.metric) : undefined;
    switch (goal.kind) {
        case 'lift': {
            if (!ctx.hasControl) return inconclusive('The campaign has no control group, so there is nothing to compare with.');
            if (!stats || !ctx.measured) return inconclusive('No outcomes are measured yet: the attribution window has not opened by the evaluation date.');
            const relative = goal.unit === '%';
            if (stats.controlVariance !== null) {
                const { treatmentCount: nt, controlCount: nc, control } = stats.result;
                const absMde = minimumDetectableEffect(stats.controlVariance, nt, nc);
                const mde = absMde === null ? null : relative ? (control ? (absMde / Math.abs(control)) * 100 : null) : absMde * scale;
                result.mde = mde;
                result.underpowered = mde !== null && Math.abs(goal.target) < mde;
                const effect = relative ? (control ? (goal.target / 100) * Math.abs(control) : null) : goal.target / scale;
                const needed = effect === null || nt + nc === 0 ? null : requiredCustomers(stats.controlVariance, effect, nt / (nt + nc));
                if (needed !== null && needed > nt + nc) {
                    draft.power = `it needs about ${int(Number(needed.toPrecision(2)))} customers with a value (at this split) to detect ${inUnit(goal.target, result.unit)}, and has ${int(nt + nc)}`;
                }
            }
            const lift = stats.lift;
            if (!lift) return inconclusive(noLiftReason(stats));
            const outcome = relative ? lift.relative : lift.absolute;
            if (!outcome.ok) {
                result.value = outcome.estimate === null ? null : outcome.estimate * scale;
                return inconclusive(problemReason(outcome.problem, stats.plan.name, relative));
            }
            const e = outcome.effect;
            const [lo, hi] = effectInterval(e);
            result.value = e.estimate * scale;
            result.interval = [lo * scale, hi * scale];
            const target = goal.target / scale;
            draft.test = { met: oneSidedPValue(e, target, above ? 'above' : 'below'), notMet: oneSidedPValue(e, target, above ? 'below' : 'above') };
            result.pValue = draft.test.met;
            return draft;
        }
        case 'mean': {
            if (!stats || !ctx.measured && stats.plan.kind !== 'column') return inconclusive('No outcomes are measured yet: the attribution window has not opened by the evaluation date.');
            const g = stats.treatment;
            if (!g) return inconclusive(`No treatment customer has a value of ${stats.plan.name}.`);
            result.value = g.mean * scale;
            const test = meanTest(g, goal.target / scale, above ? 'above' : 'below');
            if (!test.ok) return inconclusive(problemReason(test.problem, stats.plan.name, false, 'mean'));
            result.interval = [test.interval[0] * scale, test.interval[1] * scale];
            result.pValue = test.pValue;
            draft.byInterval = true;
            return draft;
        }
        case 'roi': {
            const { value, interval, missing } = roi;
            result.value = value === null ? null : value * scale;
            if (interval === null) return inconclusive(`The ROI ${value === null ? 'cannot be computed' : `of ${inUnit(result.value, result.unit)} has no interval`}: ${missing ?? 'the value metric has no lift'}.`);
            result.interval = [interval[0] * scale, interval[1] * scale];
            draft.byInterval = true;
            return draft;
        }
        case 'total': {
            if (!stats || !ctx.measured && stats.plan.kind !== 'column') return inconclusive('No outcomes are measured yet: the attribution window has not opened by the evaluation date.');
            const total = stats.result.treatmentTotal;
            if (total === null) return inconclusive(`The treatment total of ${stats.plan.name} cannot be computed.`);
            result.value = total * scale;
            return compared(draft, 'The treatment total', num(result.value), inUnit(goal.target, result.unit));
        }
        case 'cost':
            result.value = cost;
            return compared(draft, 'The cost', money(cost, ctx.currency), money(goal.target, ctx.currency));
    }
}

/** total and cost: observed sums, compared as they are. */
function compared(draft: Draft, subject: string, shown: string, target: string): Draft {
    const { goal, result } = draft;
    const ok = goal.operator === '>=' ? result.value! >= goal.target : result.value! <= goal.target;
    result.status = ok ? 'met' : 'not-met';
    const relation = goal.operator === '>=' ? (ok ? 'reaches' : 'falls short of') : (ok ? 'stays within' : 'exceeds');
    result.reason = `${subject} ${shown} ${relation} the ${target} ${goal.operator === '>=' ? 'target' : 'limit'}.`;
    return draft;
}

function intervalText(interval: Interval, unit: string | null): string {
    return `${inUnit(interval[0], null)} to ${inUnit(interval[1], unit)}`;
}

function side(goal: GoalPlan, status: GoalResult['status']): string {
    const upper = goal.operator === '>=' ? status === 'met' : status === 'not-met';
    return upper ? 'above' : 'below';
}

function liftReason(d: Draft, family: number, adjustedMet: number, adjustedNotMet: number): string {
    const { goal, result } = d;
    const interval = `The 95% interval ${intervalText(result.interval!, result.unit)}`;
    const target = `the ${inUnit(goal.target, result.unit)} target`;
    const adjusted = family > 1 ? ` (Holm-adjusted p = ${pValue(result.status === 'not-met' ? adjustedNotMet : adjustedMet)} over ${family} lift goals)` : '';
    if (result.status !== 'inconclusive') return `${interval} lies ${side(goal, result.status)} ${target}${adjusted}.`;
    const [lo, hi] = result.interval!;
    if (lo > goal.target || hi < goal.target) {
        const which = lo > goal.target ? 'above' : 'below';
        return `${interval} lies ${which} ${target}, but not clearly enough once adjusted for ${family} lift goals (Holm-adjusted p = ${pValue(Math.min(adjustedMet, adjustedNotMet))}).`;
    }
    return `${interval} includes ${target}${d.power ? `; ${d.power}` : ''}.`;
}

function intervalReason(goal: GoalPlan, result: GoalResult, subject: string): string {
    const target = `the ${inUnit(goal.target, result.unit)} target`;
    const interval = `${subject} ${intervalText(result.interval!, result.unit)}`;
    return result.status === 'inconclusive' ? `${interval} includes ${target}.` : `${interval} lies ${side(goal, result.status)} ${target}.`;
}

function noLiftReason(stats: MetricStats): string {
    const { treatmentCount, controlCount } = stats.result;
    if (treatmentCount === 0 || controlCount === 0) return `No ${treatmentCount === 0 ? 'treatment' : 'control'} customer has a value of ${stats.plan.name}, so there is nothing to compare.`;
    return `The lift of ${stats.plan.name} cannot be estimated: a group's ratio is undefined (its denominator sums to 0).`;
}

/** Why a test cannot tell, in words a lead understands. */
export function problemReason(problem: EffectProblem, metric: string, relative: boolean, kind: 'lift' | 'mean' = 'lift'): string {
    switch (problem.kind) {
        case 'too-few':
            return kind === 'mean'
                ? `Only ${problem.treatment} treatment customer${problem.treatment === 1 ? ' has' : 's have'} a value of ${metric}; at least 2 are needed for an interval.`
                : `Too few customers with a value of ${metric} (${problem.treatment} treatment, ${problem.control} control); each group needs at least 2.`;
        case 'no-variation':
            return kind === 'mean'
                ? `Every treatment customer has the same value of ${metric} (${num(problem.treatment)}): with no variation the test cannot tell.`
                : `Neither group varies in ${metric} (treatment ${num(problem.treatment)}, control ${num(problem.control)} for everyone): with no variation the test cannot tell.`;
        case 'not-finite':
            return `The values of ${metric} are not finite numbers, so no interval can be computed.`;
        case 'control-not-positive':
            return `The control mean of ${metric} is ${num(problem.control)}: a relative lift is undefined when the control mean is 0 or below${relative ? '; state the target in absolute units instead' : ''}.`;
        case 'control-uncertain':
            return `The control mean of ${metric} (${num(problem.control)}) is too uncertain for a relative lift: its 95% interval reaches ${num(problem.low)}, and a relative lift over a baseline that could be 0 is unbounded; state the target in absolute units or wait for more data.`;
    }
}
