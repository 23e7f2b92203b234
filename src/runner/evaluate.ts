// The evaluation: per campaign and metric, group summaries from the engine, then lifts, intervals, goal verdicts,
// sample-ratio mismatch, power, cost and ROI — assembled into the report.
import { formatDate, lineOf } from '../language/semantics.js';
import { displayPath } from '../cli/plan-diagnostics.js';
import type { CampaignPlan, GoalPlan, MetricPlan } from './plan/runner-plan.js';
import type { Session } from './session.js';
import { metricColumns, metricSummarySql, rfmCutsSql, rfmGridSql, rfmScoreCountsSql, segmentSizesSql } from './sql/compile.js';
import { timelineOf } from './timeline.js';
import type { LiftResult, MeanSummary, RatioSummary } from './stats/index.js';
import { holm, meanLift, minimumDetectableEffect, ratioEstimate, ratioLift, sampleRatioMismatch } from './stats/index.js';
import type { CampaignResult, GoalResult, MetricResult, Report, RfmResult } from './report/schema.js';
import { REPORT_SCHEMA_VERSION, ReportSchema } from './report/schema.js';
import type { Row } from './engine/engine.js';
import { money } from './report/format.js';

export const HASH_DESCRIPTION = 'first 8 bytes of SHA-256(seed + ":" + key) as a big-endian unsigned integer / 2^64 < control share';

export interface EvaluateOptions {
    /** Only this campaign (by name); all when undefined. */
    campaign?: string;
    toolVersion?: string;
    progress?: (step: string) => void;
}

export async function evaluate(session: Session, options: EvaluateOptions = {}): Promise<Report> {
    const { engine, plan, asOf } = session;
    const progress = options.progress ?? (() => {});
    const d = engine.dialect;

    const [sizes] = await engine.query(segmentSizesSql(d, plan));
    const universeSize = Number(sizes.customers);
    const segments = plan.segments.map((s, i) => ({
        name: s.name,
        description: s.description ?? null,
        size: Number(sizes[`s${i}`]),
        share: universeSize > 0 ? Number(sizes[`s${i}`]) / universeSize : 0
    }));

    const rfm: RfmResult[] = [];
    for (const model of plan.rfms) {
        const grid = await engine.query(rfmGridSql(d, model));
        const [cuts] = await engine.query(rfmCutsSql(d, model));
        const mCounts = await engine.query(rfmScoreCountsSql(d, model));
        const scored = grid.reduce((sum, cell) => sum + Number(cell.customers), 0);
        rfm.push({
            name: model.name,
            source: model.events.name,
            asOf: formatDate(model.asOf ?? asOf),
            bins: model.bins,
            scored,
            unscored: universeSize - scored,
            cuts: { r: numbers(cuts?.r), f: numbers(cuts?.f), m: numbers(cuts?.m) },
            grid: grid.map(cell => ({ r: Number(cell.r), f: Number(cell.f), customers: Number(cell.customers), value: nullable(cell.value) })),
            m: mCounts.map(c => ({ score: c.value === null ? null : Number(c.value), customers: Number(c.customers) }))
        });
    }

    const campaigns: CampaignResult[] = [];
    for (const [index, campaign] of plan.campaigns.entries()) {
        if (options.campaign !== undefined && campaign.name !== options.campaign) continue;
        progress(`evaluating ${campaign.name}`);
        campaigns.push(await evaluateCampaign(session, campaign, index));
    }

    const warnings: string[] = [];
    for (const u of session.warnings.unknownCustomers) {
        const one = u.events === 1;
        warnings.push(`${u.events} event${one ? '' : 's'} in '${u.source}' ${one ? 'belongs' : 'belong'} to ${u.customers === 1 ? 'a customer' : `${u.customers} customers`} not in '${plan.universe.name}' (or ${one ? 'has' : 'have'} no customer); ${one ? 'it is' : 'they are'} left out.`);
    }
    for (const m of session.warnings.missingTime) {
        warnings.push(m.events === 1
            ? `1 event in '${m.source}' has no time; it falls in no window and no RFM score.`
            : `${m.events} events in '${m.source}' have no time; they fall in no window and no RFM score.`);
    }

    const report: Report = {
        schemaVersion: REPORT_SCHEMA_VERSION,
        tool: { name: 'mplan', version: options.toolVersion ?? '0.1.0' },
        plan: { name: plan.name, file: displayPath(plan.file), objective: plan.objective ?? null, owner: plan.owner ?? null, currency: plan.currency ?? null },
        asOf: formatDate(asOf),
        customers: { source: plan.universe.name, size: universeSize },
        sources: session.sources.map(source => ({ ...source, path: displayPath(source.path) })),
        segments,
        rfm,
        campaigns,
        warnings
    };
    // The report is checked against its published schema before anyone sees it.
    return ReportSchema.parse(report);
}

async function evaluateCampaign(session: Session, campaign: CampaignPlan, index: number): Promise<CampaignResult> {
    const { engine, plan, asOf } = session;
    const d = engine.dialect;
    const timeline = timelineOf(campaign, asOf);
    const warnings: string[] = [];

    const metrics = plan.metrics;
    const rows = await engine.query(metricSummarySql(d, plan, index, metrics, asOf));
    const group = (name: string): Row | undefined => rows.find(r => r.grp === name);
    const treatmentRow = group('treatment');
    const controlRow = group('control');
    const treatmentSize = Number(treatmentRow?.size ?? 0);
    const controlSize = Number(controlRow?.size ?? 0);
    const hasControl = campaign.assignment.kind !== 'none';
    const measured = timeline.status !== 'pending' && timeline.measuredEnd > timeline.exposure;

    const metricResults: MetricResult[] = [];
    const lifts = new Map<string, { lift: LiftResult | null; controlVariance: number | null; metric: MetricPlan }>();
    metrics.forEach((metric, i) => {
        const { result, lift, controlVariance } = metricResult(metric, i, treatmentRow, controlRow, hasControl, measured || metric.kind === 'column');
        metricResults.push(result);
        lifts.set(metric.name, { lift, controlVariance, metric });
    });

    // Money.
    const steps = campaign.steps.map(step => ({
        channel: step.channel,
        date: formatDate(campaign.start + step.delayDays),
        costPerContact: step.cost,
        contacts: treatmentSize,
        cost: treatmentSize * step.cost
    }));
    const cost = steps.reduce((sum, s) => sum + s.cost, 0);
    const budget = campaign.budget ?? null;
    const overBudget = budget !== null && cost > budget;
    if (overBudget) warnings.push(`Projected cost ${money(cost, plan.currency)} is above the budget of ${money(budget, plan.currency)}.`);
    const valueMetricName = campaign.valueMetric ?? (metrics.some(m => m.name === 'revenue') ? 'revenue' : null);
    const valueResult = valueMetricName ? metricResults.find(m => m.name === valueMetricName) : undefined;
    const incrementalValue = valueResult && valueResult.treatment !== null && valueResult.control !== null && hasControl && controlSize > 0
        ? (valueResult.treatment - valueResult.control) * treatmentSize
        : null;
    const roi = incrementalValue !== null && cost > 0 ? (incrementalValue - cost) / cost : null;

    // Sample-ratio mismatch against the drawn share or the declared split.
    const a = campaign.assignment;
    const expectedControlShare = a.kind === 'drawn' ? a.sharePercent / 100 : a.kind === 'recorded' ? a.controlWeight / (a.treatmentWeight + a.controlWeight) : undefined;
    const srm = expectedControlShare !== undefined ? sampleRatioMismatch(treatmentSize, controlSize, expectedControlShare) : null;
    if (srm && !srm.ok) warnings.push(`Sample-ratio mismatch: ${treatmentSize} treatment vs ${controlSize} control (expected control share ${(expectedControlShare! * 100).toFixed(1)}%, p = ${srm.pValue.toExponential(2)}). The groups may not be comparable.`);
    if (!hasControl) warnings.push('No control group: lifts cannot be measured.');
    if (treatmentSize + controlSize === 0) warnings.push('No customer is in this campaign: its audience is empty (or earlier campaigns took everyone).');
    else if (hasControl && (treatmentSize < 2 || controlSize < 2)) warnings.push('A group has fewer than 2 customers: intervals and p-values cannot be computed.');

    // Goals, in declaration order; lift goals share a Holm adjustment.
    const goals: GoalResult[] = campaign.goals.map(goal => evaluateGoal(goal, campaign, {
        asOf, lifts, metricResults, roi, cost, treatmentSize, controlSize
    }));
    const adjusted = holm(goals.map(g => (g.kind === 'lift' ? g.pValue : null)));
    goals.forEach((g, i) => (g.adjustedPValue = adjusted[i]));
    for (const g of goals) {
        if (g.underpowered && g.mde !== null) {
            warnings.push(`Goal "${g.label}": the target ${withUnit(g.target, g.unit)} is below the minimum detectable effect (${withUnit(round(g.mde, 3), g.unit)} at 80% power and 5% significance): the test cannot tell.`);
        }
    }

    const audience = session.audiences[index];
    return {
        name: campaign.name,
        line: lineOf(campaign.node),
        status: timeline.status,
        runs: { start: formatDate(campaign.start), end: formatDate(campaign.end) },
        exposure: formatDate(timeline.exposure),
        window: { start: formatDate(timeline.exposure), end: formatDate(timeline.windowEnd), days: campaign.attributionDays, measuredUntil: formatDate(timeline.measuredEnd) },
        assignment: a.kind === 'drawn'
            ? { kind: 'drawn', controlShare: a.sharePercent / 100, seed: a.seed, hash: HASH_DESCRIPTION }
            : a.kind === 'recorded'
                ? { kind: 'recorded', source: a.source.name, column: a.column, treatment: a.treatment, control: a.control, split: [a.treatmentWeight, a.controlWeight] }
                : { kind: 'none' },
        audience: { size: a.kind === 'recorded' ? treatmentSize + controlSize : audience.size, excluded: audience.excluded },
        groups: { treatment: { size: treatmentSize }, control: { size: controlSize } },
        srm,
        metrics: metricResults,
        goals,
        steps,
        cost,
        budget,
        overBudget,
        valueMetric: valueMetricName,
        incrementalValue,
        roi,
        warnings
    };
}

function metricResult(metric: MetricPlan, i: number, t: Row | undefined, c: Row | undefined, hasControl: boolean, measured: boolean) {
    const cols = metricColumns(i);
    const definition = metric.node.definition?.$cstNode?.text ?? metric.name;
    const empty: MetricResult = {
        name: metric.name, kind: metric.kind, definition, treatment: null, control: null, treatmentCount: 0, controlCount: 0,
        treatmentTotal: null, absoluteLift: null, relativeLift: null, ci95: null, relativeCi95: null, pValue: null, df: null, controlVariance: null
    };
    if (!measured) return { result: empty, lift: null, controlVariance: null };
    if (metric.kind === 'ratio') {
        const summary = (row: Row | undefined): RatioSummary | undefined => {
            const n = Number(row?.[cols.n] ?? 0);
            if (!row || n === 0) return undefined;
            return { n, meanX: Number(row[cols.sumX]) / n, meanY: Number(row[cols.sumY]) / n, varX: num(row[cols.varX]), varY: num(row[cols.varY]), covXY: num(row[cols.cov]) };
        };
        const ts = summary(t), cs = hasControl ? summary(c) : undefined;
        const te = ts && ratioEstimate(ts), ce = cs && ratioEstimate(cs);
        const lift = ts && cs ? ratioLift(ts, cs) : null;
        const controlVariance = ce && cs ? ce.variance * cs.n : null;
        return {
            result: {
                ...empty,
                treatment: te ? te.value : ts && ts.meanY !== 0 ? ts.meanX / ts.meanY : null,
                control: ce ? ce.value : cs && cs.meanY !== 0 ? cs.meanX / cs.meanY : null,
                treatmentCount: ts?.n ?? 0,
                controlCount: cs?.n ?? 0,
                treatmentTotal: t ? nullable(t[cols.sumX]) : null,
                ...liftFields(lift),
                controlVariance
            },
            lift,
            controlVariance
        };
    }
    const summary = (row: Row | undefined): MeanSummary | undefined => {
        const n = Number(row?.[cols.n] ?? 0);
        if (!row || n === 0) return undefined;
        return { n, mean: Number(row[cols.sum]) / n, variance: num(row[cols.variance]) };
    };
    const ts = summary(t), cs = hasControl ? summary(c) : undefined;
    const lift = ts && cs ? meanLift(ts, cs) : null;
    return {
        result: {
            ...empty,
            treatment: ts?.mean ?? null,
            control: cs?.mean ?? null,
            treatmentCount: ts?.n ?? 0,
            controlCount: cs?.n ?? 0,
            treatmentTotal: t ? nullable(t[cols.sum]) ?? 0 : null,
            ...liftFields(lift),
            controlVariance: cs && cs.n >= 2 ? cs.variance : null
        },
        lift,
        controlVariance: cs && cs.n >= 2 ? cs.variance : null
    };
}

function liftFields(lift: LiftResult | null) {
    if (!lift) return {};
    return {
        absoluteLift: lift.absoluteLift,
        relativeLift: lift.relativeLift,
        ci95: lift.ci95,
        relativeCi95: lift.relativeCi95,
        pValue: lift.pValue,
        df: lift.df
    };
}

interface GoalContext {
    asOf: number;
    lifts: Map<string, { lift: LiftResult | null; controlVariance: number | null; metric: MetricPlan }>;
    metricResults: MetricResult[];
    roi: number | null;
    cost: number;
    treatmentSize: number;
    controlSize: number;
}

/**
 * Lift goals judge the 95% interval in the goal's unit (relative for %, absolute ×100 for pp): met when the whole
 * interval clears the target, not met when it lies wholly on the wrong side, inconclusive otherwise. Other goals
 * compare the point value.
 */
export function evaluateGoal(goal: GoalPlan, campaign: CampaignPlan, ctx: GoalContext): GoalResult {
    const final = goal.deadline !== undefined && ctx.asOf > goal.deadline;
    const result: GoalResult = {
        label: goal.label, line: goal.line, kind: goal.kind, metric: goal.metric ?? null, operator: goal.operator, target: goal.target,
        unit: goal.unit ?? null, deadline: goal.deadline !== undefined ? formatDate(goal.deadline) : null,
        status: 'inconclusive', final, value: null, interval: null, pValue: null, adjustedPValue: null, mde: null, underpowered: false
    };
    if (ctx.asOf < campaign.start) return { ...result, status: 'pending' };
    const compare = (value: number | null) => (value === null ? 'inconclusive' : (goal.operator === '>=' ? value >= goal.target : value <= goal.target) ? 'met' : 'not-met');
    switch (goal.kind) {
        case 'lift': {
            const entry = goal.metric ? ctx.lifts.get(goal.metric) : undefined;
            const lift = entry?.lift;
            const metricResult = ctx.metricResults.find(m => m.name === goal.metric);
            const scale = goal.unit === '%' || goal.unit === 'pp' ? 100 : 1;
            const relative = goal.unit === '%';
            if (entry && entry.controlVariance !== null) {
                const absMde = minimumDetectableEffect(entry.controlVariance, ctx.treatmentSize, ctx.controlSize);
                const control = lift?.control ?? metricResult?.control;
                const mde = absMde === null ? null : relative ? (control ? (absMde / Math.abs(control)) * 100 : null) : absMde * scale;
                result.mde = mde;
                result.underpowered = mde !== null && Math.abs(goal.target) < mde;
            }
            if (!lift) return result;
            const point = relative ? lift.relativeLift : lift.absoluteLift;
            const interval = relative ? lift.relativeCi95 : lift.ci95;
            result.value = point === null ? null : point * scale;
            result.interval = interval ? [interval[0] * scale, interval[1] * scale] : null;
            result.pValue = lift.pValue;
            if (result.interval) {
                const [lo, hi] = result.interval;
                if (goal.operator === '>=') result.status = lo >= goal.target ? 'met' : hi < goal.target ? 'not-met' : 'inconclusive';
                else result.status = hi <= goal.target ? 'met' : lo > goal.target ? 'not-met' : 'inconclusive';
            }
            return result;
        }
        case 'total':
        case 'mean': {
            const m = ctx.metricResults.find(r => r.name === goal.metric);
            let value = goal.kind === 'total' ? m?.treatmentTotal ?? null : m?.treatment ?? null;
            if (value !== null && goal.unit === '%') value *= 100;
            if (value !== null && goal.unit === 'pp') value *= 100;
            return { ...result, value, status: compare(value) };
        }
        case 'roi': {
            const value = ctx.roi === null ? null : goal.unit === '%' ? ctx.roi * 100 : ctx.roi;
            return { ...result, value, status: compare(value) };
        }
        case 'cost':
            return { ...result, value: ctx.cost, status: compare(ctx.cost) };
    }
}

function num(value: unknown): number {
    return value === null || value === undefined ? NaN : Number(value);
}

function nullable(value: unknown): number | null {
    return value === null || value === undefined ? null : Number(value);
}

function numbers(value: unknown): number[] | null {
    return Array.isArray(value) ? value.map(Number) : null;
}

function withUnit(value: number, unit: string | null): string {
    return unit === 'pp' ? `${value} pp` : unit === '%' ? `${value}%` : String(value);
}

function round(value: number, digits: number): number {
    return Number(value.toPrecision(digits));
}
