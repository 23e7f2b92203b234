// SMART checks, one goal at a time: Specific (one metric, or roi/cost), Measurable (it resolves and the unit fits),
// Achievable (a plausible target), Relevant (it can tell whether the objective was served), Time-bound (a deadline
// that is not before the campaign starts).
import type { Campaign, Goal, Metric } from '../generated/ast.js';
import { isMetricGoalTarget, isPlanGoalTarget } from '../generated/ast.js';
import { DEFAULT_ATTRIBUTION_DAYS, allSteps, campaignSettings, formatDate, isCertainRate, isRateLike, parseDate, resolvedMetricShape } from '../semantics.js';
import type { Report } from './report.js';

/** A relative lift above this is a warning: few campaigns quadruple an outcome. */
export const IMPLAUSIBLE_RELATIVE_LIFT = 300;

export interface GoalContext {
    /** Whether a metric named `revenue` is in scope, for roi goals without `value`. */
    hasRevenueMetric: boolean;
    /** That metric, when its node is at hand (declared here or in a loaded import). */
    revenueMetric?: Metric;
}

export function checkGoals(campaign: Campaign, context: GoalContext, report: Report): void {
    const settings = campaignSettings(campaign);
    const hasControl = Boolean(settings.control || settings.groups);
    const start = parseDate(settings.runs?.start);
    const lastContact = start === undefined ? undefined : start + Math.max(0, ...allSteps(campaign).map(s => s.delay ?? 0));
    const attribution = settings.attribution?.days ?? DEFAULT_ATTRIBUTION_DAYS;
    const valueMetric = settings.value?.metric?.ref;
    const valueProblem = valueMetric && nonAdditive(valueMetric);
    if (valueProblem) {
        report('error', 'value-not-additive', `ROI counts the lift of the value metric once per treated customer, and ${valueMetric.name} is ${valueProblem}, which does not add up over customers: name a per-customer amount (a sum, count, any or customers column).`, { node: settings.value!, property: 'metric' });
    }
    const outcomeGoals = settings.goals.filter(g => isMetricGoalTarget(g.target) || (isPlanGoalTarget(g.target) && g.target.kind === 'roi'));

    for (const goal of settings.goals) {
        const target = goal.target;
        if (!target) continue;
        // Time-bound
        if (!goal.deadline) {
            report('error', 'goal-no-deadline', 'This goal has no deadline, so it is not time-bound: add `by DATE`.', { node: goal });
        } else {
            const deadline = parseDate(goal.deadline);
            if (deadline === undefined) {
                report('error', 'invalid-date', `${goal.deadline} is not a date in the calendar.`, { node: goal, property: 'deadline' });
            } else if (start !== undefined && deadline < start) {
                report('error', 'goal-deadline-before-start', `The deadline ${goal.deadline} falls before the campaign starts (${settings.runs!.start}).`, { node: goal, property: 'deadline' });
            } else if (lastContact !== undefined && deadline < lastContact + attribution && measuresEvents(goal, settings.value?.metric?.ref)) {
                report('warning', 'goal-deadline-before-outcome', `The deadline ${goal.deadline} falls before the attribution window of the last contact closes (${formatDate(lastContact + attribution)}), so the verdict cannot be final by then.`, { node: goal, property: 'deadline' });
            }
        }

        if (isMetricGoalTarget(target)) {
            const metric = target.metric?.ref;
            if (target.kind === 'lift') {
                // `for A vs B` measures arm A against arm B, not against control.
                if (!hasControl && !target.versus) {
                    report('error', 'goal-lift-without-control', `A lift is measured against a control group, and campaign '${campaign.name}' has none: add \`control N% seed "..."\` or \`groups from SOURCE.COLUMN\`.`, { node: goal });
                }
                if (!target.unit) {
                    report('error', 'goal-lift-unit', 'State the unit of the lift: % (relative to control) or pp (percentage points).', { node: target, property: 'value' });
                }
            }
            if (metric) checkMetricTarget(goal, metric, report);
        } else if (isPlanGoalTarget(target)) {
            if (target.kind === 'cost' && target.unit === '%') {
                report('error', 'goal-unit-mismatch', 'A cost goal is an amount of money, not a percentage.', { node: target, property: 'unit' });
            }
            if (target.kind === 'roi' && !settings.value && !context.hasRevenueMetric) {
                report('error', 'roi-needs-value', 'ROI needs a value metric: declare a metric named `revenue`, or name one with `value METRIC` in the campaign.', { node: target });
            }
            const notAdditive = target.kind === 'roi' && !settings.value && context.revenueMetric ? nonAdditive(context.revenueMetric) : undefined;
            if (notAdditive) {
                report('error', 'value-not-additive', `ROI counts the lift of its value metric, revenue, once per treated customer, and revenue is ${notAdditive}, which does not add up over customers: name a per-customer amount with \`value METRIC\` (a sum, count, any or customers column).`, { node: target });
            }
            if (target.kind === 'cost' && outcomeGoals.length === 0) {
                report('info', 'goal-not-relevant', 'A cost goal alone cannot tell whether the objective was served; add a goal on an outcome, such as a lift.', { node: goal });
            }
        }
    }
}

function checkMetricTarget(goal: Goal, metric: Metric, report: Report): void {
    const target = goal.target as import('../generated/ast.js').MetricGoalTarget;
    const shape = resolvedMetricShape(metric);
    const value = target.value;
    if (target.unit === 'pp') {
        if (target.kind !== 'lift') {
            report('error', 'goal-unit-mismatch', `pp (percentage points) measures a lift; a ${target.kind} is stated in the metric's own unit, or in % for a rate.`, { node: target, property: 'unit' });
        } else if (!isRateLike(metric)) {
            const what = shape.kind === 'ratio' ? 'a ratio' : shape.kind === 'aggregate' ? `a ${shape.aggregate.function}` : 'not a rate';
            report('error', 'goal-unit-mismatch', `'${metric.name}' is ${what}, not a rate, so a lift in percentage points does not fit: state it in % (relative to control).`, { node: target, property: 'unit' });
        } else if (Math.abs(value) > 100) {
            report('warning', 'goal-implausible', `A lift of ${value} percentage points would take a rate above 100%.`, { node: target, property: 'value' });
        }
    } else if (target.unit === '%') {
        if (target.kind === 'lift') {
            if (value > IMPLAUSIBLE_RELATIVE_LIFT) {
                report('warning', 'goal-implausible', `A lift of ${value}% is implausible (more than ${IMPLAUSIBLE_RELATIVE_LIFT}% over control); is the target achievable?`, { node: target, property: 'value' });
            }
        } else if (!isRateLike(metric)) {
            report('error', 'goal-unit-mismatch', `'${metric.name}' is not a rate, so a ${target.kind} in % does not fit; state the target in the metric's own unit.`, { node: target, property: 'unit' });
        } else if (target.kind === 'mean' && value > 100) {
            report('warning', 'goal-implausible', `A rate of ${value}% is above 100%.`, { node: target, property: 'value' });
        }
    } else if (target.kind === 'mean' && isCertainRate(metric) && value > 1) {
        report('warning', 'goal-implausible', `'${metric.name}' is a rate between 0 and 1; a mean of ${value} is above 100%. Did you mean ${value}%?`, { node: target, property: 'value' });
    }
}

/** Whether the goal's outcome is counted from events in the attribution window (so it settles only when the window closes). */
/**
 * Why a metric cannot be a value metric: ROI's incremental value is (treatment mean − control mean) × treatment size,
 * which is a total only when the per-customer values add up. Undefined when they do (sum, count, any, a column).
 */
export function nonAdditive(metric: Metric): string | undefined {
    const shape = resolvedMetricShape(metric);
    if (shape.kind === 'ratio') return 'a ratio of two aggregates';
    if (shape.kind === 'aggregate' && ['mean', 'min', 'max'].includes(shape.aggregate.function)) return `a ${shape.aggregate.function} per customer`;
    return undefined;
}

function measuresEvents(goal: Goal, valueMetric: Metric | undefined): boolean {
    const target = goal.target;
    let metric: Metric | undefined;
    if (isMetricGoalTarget(target)) metric = target.metric?.ref;
    else if (isPlanGoalTarget(target) && target.kind === 'roi') metric = valueMetric;
    if (!metric) return isPlanGoalTarget(target) && target.kind === 'roi';
    const shape = resolvedMetricShape(metric);
    return shape.kind === 'aggregate' || shape.kind === 'ratio';
}
