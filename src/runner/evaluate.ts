// The evaluation: per campaign and metric, group summaries from the engine, then lifts, intervals, goal verdicts,
// sample-ratio mismatch, power, cost and ROI — assembled into the report.
import { formatDate, lineOf } from '../language/semantics.js';
import { displayPath } from '../language/display-path.js';
import type { CampaignPlan, MetricPlan } from './plan/runner-plan.js';
import { stepChannels } from './plan/runner-plan.js';
import type { Session } from './session.js';
import { clvResult, clvWarnings } from './clv-fit.js';
import { attitudeResults } from './attitude-report.js';
import { finishMetricSummary, metricColumns, metricSummarySql, upliftRowsSql, rfmCutsSql, rfmGridSql, rfmScoreCountsSql, segmentSizesSql, tierSizesSql } from './sql/compile.js';
import { timelineOf } from './timeline.js';
import { PERFECT_SCORE, qiniAreaSql, qiniCoefficient, upliftPoints, upliftPointsSql } from './models/uplift.js';
import { campaignContacts, overflowWarnings } from './schedule/campaign-contacts.js';
import type { LiftResult, MeanSummary, RatioSummary } from './stats/index.js';
import { groupsRatioMismatch, lift as liftOf, meanEstimate, ratioGroupEstimate, sampleRatioMismatch } from './stats/index.js';
import type { CampaignResult, ClvResult, MetricResult, Report, RfmResult } from './report/schema.js';
import type { GoalInstance, MetricStats, RoiEstimate } from './goals.js';
import { evaluateGoals, problemReason } from './goals.js';
import { nonAdditive } from '../language/validation/goal-checks.js';
import { REPORT_SCHEMA_VERSION, ReportSchema } from './report/schema.js';
import type { Row } from './engine/engine.js';
import { money } from './report/format.js';
import { costPerIncrement, offerCost as offerCostOf, overBudget as isOverBudget, roi as roiOf, roiInterval as roiIntervalOf, versusCost, versusRoi } from './money.js';

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

    const tiers: Report['tiers'] = [];
    for (const t of plan.tiers) {
        const rows = await engine.query(tierSizesSql(d, plan, t.name, asOf));
        const row = (name: string | null) => rows.find(r => (r.tier ?? null) === name);
        const count = (name: string | null) => Number(row(name)?.customers ?? 0);
        const value = (name: string) => (plan.tierValue ? Number(row(name)?.value ?? 0) : null);
        tiers.push({
            name: t.name,
            description: t.description ?? null,
            valueMetric: plan.tierValue?.metric ?? null,
            tiers: t.tiers.map(tier => ({ name: tier.name, size: count(tier.name), share: universeSize > 0 ? count(tier.name) / universeSize : 0, value: value(tier.name) })),
            uncovered: count(null)
        });
    }

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

    const clv: ClvResult[] = [];
    for (const fitted of session.clv) clv.push(await clvResult(engine, asOf, fitted));
    const attitude = await attitudeResults(session);

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
    warnings.push(...clvWarnings(clv));
    for (const m of session.warnings.missingTime) {
        warnings.push(m.events === 1
            ? `1 event in '${m.source}' has no time; it falls in no window and no RFM score.`
            : `${m.events} events in '${m.source}' have no time; they fall in no window and no RFM score.`);
    }

    const report: Report = {
        schemaVersion: REPORT_SCHEMA_VERSION,
        tool: { name: 'mplan', version: options.toolVersion ?? '0.1.0', engine: session.engine.dialect.name },
        plan: { name: plan.name, file: displayPath(plan.file), objective: plan.objective ?? null, owner: plan.owner ?? null, currency: plan.currency ?? null },
        asOf: formatDate(asOf),
        customers: { source: plan.universe.name, size: universeSize },
        // A table source's path is already what a reader sees: `table "crm.customers"`.
        sources: session.sources.map(source => ({ ...source, path: plan.sources.find(s => s.name === source.name)?.table ? source.path : displayPath(source.path) })),
        segments,
        tiers,
        rfm,
        clv,
        attitude,
        campaigns,
        warnings
    };
    // The report is checked against its published schema before anyone sees it.
    return ReportSchema.parse(report);
}

async function evaluateCampaign(session: Session, campaign: CampaignPlan, index: number): Promise<CampaignResult> {
    const { engine, plan, asOf } = session;
    const d = engine.dialect;
    const schedule = session.schedules[index];
    const timeline = timelineOf(campaign, asOf, schedule?.exposures);
    const warnings: string[] = [];

    const metrics = plan.metrics;
    const rows = finishMetricSummary(await engine.query(metricSummarySql(d, plan, index, metrics, asOf)), metrics);
    const group = (name: string): Row | undefined => rows.find(r => r.grp === name);
    const treatmentRow = group('treatment');
    const controlRow = group('control');
    const treatmentSize = Number(treatmentRow?.size ?? 0);
    const controlSize = Number(controlRow?.size ?? 0);
    const hasControl = campaign.assignment.kind !== 'none';
    const measured = timeline.status !== 'pending' && timeline.measuredEnd > timeline.exposure;

    const stats = new Map<string, MetricStats>();
    metrics.forEach((metric, i) => stats.set(metric.name, metricStats(metric, i, treatmentRow, controlRow, hasControl, measured || metric.kind === 'column')));

    // Per arm: its row (a campaign without arms: the treatment group) and its metrics against control.
    const a = campaign.assignment;
    const armRows = campaign.hasArms
        ? finishMetricSummary(await engine.query(metricSummarySql(d, plan, index, metrics, asOf, 'arm')), metrics, 'arm')
        : [];
    const armRow = (i: number): Row | undefined => (campaign.hasArms ? armRows.find(r => Number(r.arm) === i) : treatmentRow);
    const totalWeight = campaign.arms.reduce((sum, arm) => sum + arm.weight, 0);
    const valueMetricName = campaign.valueMetric ?? (metrics.some(m => m.name === 'revenue') ? 'revenue' : null);
    const contacts = campaignContacts(campaign, campaign.arms.map((_, i) => Number(armRow(i)?.size ?? 0)), schedule);
    const arms = campaign.arms.map((arm, i) => {
        const row = armRow(i);
        const size = Number(row?.size ?? 0);
        const armStats = campaign.hasArms ? new Map<string, MetricStats>() : stats;
        if (campaign.hasArms) {
            metrics.forEach((metric, m) => armStats.set(metric.name, metricStats(metric, m, row, controlRow, hasControl, measured || metric.kind === 'column')));
        }
        // A `best of` step is one row per option (each customer's channel, its own cost), in the order listed.
        const steps = arm.steps.flatMap((step, k) => stepChannels(step).map(option => {
            const made = step.bestOf ? contacts.stepChannels[i][k].get(option.channel) ?? 0 : contacts.stepContacts[i][k];
            return {
                channel: option.channel,
                via: step.bestOf ? `best of [${step.bestOf.options.map(o => o.channel).join(', ')}] by ${step.bestOf.attitude}.${step.bestOf.column}` : null,
                date: formatDate(campaign.start + step.delayDays),
                costPerContact: option.cost,
                contacts: made,
                cost: made * option.cost
            };
        }));
        // The arm's cost: its contacts and its own units of the offer (the fixed cost is the campaign's).
        const offerCost = offerCostOf(campaign.offerCost, offerUnits(campaign, armStats, measured));
        const cost = steps.reduce((sum, s) => sum + s.cost, 0) + (offerCost ?? 0);
        const value = valueMetricName ? armStats.get(valueMetricName) : undefined;
        const roi = roiEstimate(value, { hasControl, treatmentSize: size, cost, margin: campaign.margin });
        return { plan: arm, index: i, row, size, stats: armStats, steps, cost, offerCost, roi };
    });

    // Money.
    const steps = arms.flatMap(arm => arm.steps);
    // The campaign's cost: every arm's (contacts and offer) and the fixed cost, once.
    const fixedCost = campaign.fixedCost ?? 0;
    const offerCost = arms.some(arm => arm.offerCost === null) ? null : arms.reduce((sum, arm) => sum + arm.offerCost!, 0);
    const cost = arms.reduce((sum, arm) => sum + arm.cost, 0) + fixedCost;
    const budget = campaign.budget ?? null;
    const overBudget = isOverBudget(cost, budget);
    if (overBudget) warnings.push(`Projected cost ${money(cost, plan.currency)} is above the budget of ${money(budget, plan.currency)}.`);
    if (campaign.offerCost && offerCost === null) {
        warnings.push(`The offer's cost is not known yet: ${campaign.offerCost.metric} has not been measured (the attribution window has not opened by the evaluation date), so cost and ROI leave it out.`);
    }
    const value = valueMetricName ? stats.get(valueMetricName) : undefined;
    const roi = roiEstimate(value, { hasControl, treatmentSize, cost, margin: campaign.margin });

    // Sample-ratio mismatch against the drawn share or the declared split, over control and every arm.
    const expectedControlShare = a.kind === 'drawn' ? a.sharePercent / 100 : a.kind === 'recorded' ? a.controlWeight / (a.treatmentWeight + a.controlWeight) : undefined;
    let srm = null as ReturnType<typeof sampleRatioMismatch>;
    if (!campaign.hasArms) {
        srm = expectedControlShare !== undefined ? sampleRatioMismatch(treatmentSize, controlSize, expectedControlShare) : null;
        if (srm && !srm.ok) warnings.push(`Sample-ratio mismatch: ${treatmentSize} treatment vs ${controlSize} control (expected control share ${(expectedControlShare! * 100).toFixed(1)}%, p = ${srm.pValue.toExponential(2)}). The groups may not be comparable: lift, mean and ROI goals are inconclusive.`);
    } else if (a.kind !== 'none') {
        const shares = a.kind === 'drawn'
            ? [a.sharePercent / 100, ...campaign.arms.map(arm => (1 - a.sharePercent / 100) * arm.weight / totalWeight)]
            : [a.controlWeight, ...a.armWeights].map(w => w / (a.controlWeight + a.armWeights.reduce((x, y) => x + y, 0)));
        srm = groupsRatioMismatch([controlSize, ...arms.map(arm => arm.size)], shares);
        if (srm && !srm.ok) {
            const expected = shares.map(share => `${(share * 100).toFixed(1)}%`).join(' : ');
            warnings.push(`Sample-ratio mismatch: ${controlSize} control vs ${arms.map(arm => `${arm.size} ${arm.plan.name}`).join(' vs ')} (expected ${expected}, p = ${srm.pValue.toExponential(2)}). The groups may not be comparable: lift, mean and ROI goals are inconclusive.`);
        }
    }
    warnings.push(...overflowWarnings(campaign, contacts));
    if (!hasControl) warnings.push('No control group: lifts cannot be measured.');
    if (treatmentSize + controlSize === 0) warnings.push('No customer is in this campaign: its audience is empty (or earlier campaigns took everyone).');
    else if (hasControl && (treatmentSize < 2 || controlSize < 2)) warnings.push('A group has fewer than 2 customers: intervals and p-values cannot be computed.');
    // Intervals rest on the normal approximation of a mean: with fewer than 30 values in a group it may not hold.
    const goalMetrics = new Set(campaign.goals.map(g => g.metric).filter((m): m is string => m !== undefined));
    if (valueMetricName && campaign.goals.some(g => g.kind === 'roi')) goalMetrics.add(valueMetricName);
    for (const name of goalMetrics) {
        const m = stats.get(name)?.result;
        if (!m || (m.treatmentCount === 0 && m.controlCount === 0)) continue;
        const small = [['treatment', m.treatmentCount], ...(hasControl ? [['control', m.controlCount]] : [])].filter(([, n]) => (n as number) > 0 && (n as number) < SMALL_GROUP);
        if (small.length > 0) {
            warnings.push(`Metric ${name}: ${small.map(([g, n]) => `the ${g} group has ${n} customer${n === 1 ? '' : 's'} with a value`).join(' and ')} (fewer than ${SMALL_GROUP}): intervals from so few values are unreliable.`);
        }
        // With arms, each arm is its own comparison: a small arm makes its verdicts unreliable even when the pool is not.
        if (!campaign.hasArms) continue;
        const smallArms = arms.map(arm => [arm.plan.name, arm.stats.get(name)?.result.treatmentCount ?? 0] as const).filter(([, n]) => n > 0 && n < SMALL_GROUP);
        if (smallArms.length > 0) {
            warnings.push(`Metric ${name}: ${smallArms.map(([arm, n]) => `arm ${arm} has ${n} customer${n === 1 ? '' : 's'} with a value`).join(' and ')} (fewer than ${SMALL_GROUP}): intervals from so few values are unreliable.`);
        }
    }

    // `for A vs B`: arm A (treatment fields) against arm B (control fields), once per pair the goals use.
    const comparisons: Array<{ arm: string; baseline: string; stats: Map<string, MetricStats> }> = [];
    for (const goal of campaign.goals) {
        if (goal.arm === undefined || goal.versus === undefined) continue;
        if (comparisons.some(c => c.arm === goal.arm && c.baseline === goal.versus)) continue;
        const armOf = (name: string) => arms.find(x => x.plan.name === name)!;
        const pair = new Map<string, MetricStats>();
        metrics.forEach((metric, m) => pair.set(metric.name, metricStats(metric, m, armOf(goal.arm!).row, armOf(goal.versus!).row, hasControl, measured || metric.kind === 'column')));
        comparisons.push({ arm: goal.arm, baseline: goal.versus, stats: pair });
    }
    // The verdicts to give: with arms, a goal without `for` once per arm (cost: once, for the whole campaign).
    const instances: GoalInstance[] = [];
    for (const goal of campaign.goals) {
        const forArm = (arm: typeof arms[number]): GoalInstance => ({ goal, arm: arm.plan.name, baseline: goal.kind === 'cost' ? null : 'control', metrics: arm.stats, roi: arm.roi, cost: arm.cost });
        // Without arms, the one arm is the campaign: its ROI and cost are the campaign's, fixed cost included.
        if (!campaign.hasArms) instances.push({ ...forArm(arms[0]), baseline: 'control', roi, cost });
        else if (goal.arm !== undefined && goal.versus !== undefined) {
            const pair = comparisons.find(c => c.arm === goal.arm && c.baseline === goal.versus)!;
            const [armA, armB] = [goal.arm, goal.versus].map(name => arms.find(x => x.plan.name === name)!);
            const pairRoi = goal.kind === 'roi'
                ? versusRoiEstimate(valueMetricName ? pair.stats.get(valueMetricName) : undefined, armA, armB, campaign.margin, plan.currency)
                : { value: null, interval: null, missing: 'a comparison of two arms has no ROI' };
            instances.push({ goal, arm: goal.arm, baseline: goal.versus, metrics: pair.stats, roi: pairRoi, cost: versusCost(armA.cost, armA.size, armB.cost, armB.size) });
        } else if (goal.arm !== undefined) instances.push(forArm(arms.find(x => x.plan.name === goal.arm)!));
        else if (goal.kind === 'cost') instances.push({ goal, arm: null, baseline: null, metrics: stats, roi, cost });
        else instances.push(...arms.map(forArm));
    }

    // Goals, in declaration order; lift goals share a Holm adjustment.
    const goals = evaluateGoals({ asOf, campaign, measured, hasControl, srm, currency: plan.currency, instances });
    for (const g of goals) {
        if (g.underpowered && g.mde !== null) {
            const arm = campaign.hasArms && g.arm !== null && !g.label.includes(` for ${g.arm}`) ? ` for ${g.arm}${g.baseline && g.baseline !== 'control' ? ` vs ${g.baseline}` : ''}` : '';
            warnings.push(`Goal "${g.label}"${arm}: the target ${withUnit(g.target, g.unit)} is below the minimum detectable effect (${withUnit(round(g.mde, 3), g.unit)} at 80% power and 5% significance): the test cannot tell.`);
        }
    }

    const uplift = campaign.uplift ? await upliftOf(session, index, hasControl, measured, warnings) : null;

    const audience = session.audiences[index];
    return {
        name: campaign.name,
        line: lineOf(campaign.node),
        status: timeline.status,
        runs: { start: formatDate(campaign.start), end: formatDate(campaign.end) },
        exposure: formatDate(timeline.exposure),
        lastExposure: formatDate(timeline.lastExposure),
        window: { start: formatDate(timeline.exposure), end: formatDate(timeline.windowEnd), days: campaign.attributionDays, measuredUntil: formatDate(timeline.measuredEnd) },
        assignment: a.kind === 'drawn'
            ? { kind: 'drawn', controlShare: a.sharePercent / 100, seed: a.seed, hash: HASH_DESCRIPTION }
            : a.kind === 'recorded'
                ? { kind: 'recorded', source: a.source.name, column: a.column, treatment: campaign.hasArms ? null : a.treatment, control: a.control, split: campaign.hasArms ? a.split : [a.treatmentWeight, a.controlWeight] }
                : { kind: 'none' },
        audience: {
            size: a.kind === 'recorded' ? treatmentSize + controlSize : audience.size,
            beforeLimit: audience.limit?.pool ?? (a.kind === 'recorded' ? treatmentSize + controlSize : audience.size),
            limit: campaign.limit?.count ?? null,
            cutoff: audience.limit?.cutoff ?? null,
            excluded: audience.excluded
        },
        groups: { treatment: { size: treatmentSize }, control: { size: controlSize } },
        srm,
        metrics: metrics.map(m => priced(stats.get(m.name)!, cost, treatmentSize)),
        arms: arms.map(arm => ({
            name: arm.plan.name,
            label: a.kind === 'recorded' ? a.labels[arm.index] ?? null : null,
            share: a.kind === 'drawn' ? arm.plan.weight / totalWeight : null,
            size: arm.size,
            metrics: metrics.map(m => priced(arm.stats.get(m.name)!, arm.cost, arm.size)),
            cost: arm.cost,
            offerCost: arm.offerCost,
            roi: arm.roi.value,
            roiInterval: arm.roi.interval
        })),
        comparisons: comparisons.map(c => {
            const [armA, armB] = [c.arm, c.baseline].map(name => arms.find(x => x.plan.name === name)!);
            return { arm: c.arm, baseline: c.baseline, metrics: metrics.map(m => priced(c.stats.get(m.name)!, versusCost(armA.cost, armA.size, armB.cost, armB.size), armA.size)) };
        }),
        goals,
        steps,
        uplift,
        schedule: contacts.rows.map(row => ({ arm: row.arm, channel: row.channel, date: formatDate(row.day), contacts: row.contacts })),
        cost,
        fixedCost,
        offerCost,
        margin: campaign.margin ?? null,
        budget,
        overBudget,
        valueMetric: valueMetricName,
        incrementalValue: roi.incrementalValue,
        roi: roi.value,
        roiInterval: roi.interval,
        warnings
    };
}

/**
 * `uplift by EXPR`: the uplift curve at every tenth and the Qini coefficient (models/uplift.ts) of the campaign's first
 * goal metric, every arm together against control. Null, with a warning saying why, when it cannot be drawn.
 */
async function upliftOf(session: Session, index: number, hasControl: boolean, measured: boolean, warnings: string[]): Promise<CampaignResult['uplift']> {
    const { engine, plan, asOf } = session;
    const d = engine.dialect;
    const campaign = plan.campaigns[index];
    const metric = campaign.goals.map(g => plan.metrics.find(m => m.name === g.metric)).find(m => m !== undefined && m.kind !== 'ratio');
    if (!hasControl) {
        warnings.push('uplift by: there is no control group to compare with.');
        return null;
    }
    if (!metric) {
        warnings.push('uplift by: no goal names a per-customer metric (a ratio has no value per customer), so there is nothing to rank by.');
        return null;
    }
    if (!measured && metric.kind !== 'column') return null;
    const rows = upliftRowsSql(d, plan, index, metric, asOf);
    const points = upliftPoints(await engine.query(upliftPointsSql(d, rows)));
    const [actual] = await engine.query(qiniAreaSql(d, rows, 'r.s'));
    const [perfect] = await engine.query(qiniAreaSql(d, rows, PERFECT_SCORE));
    const qini = actual && perfect ? qiniCoefficient({ auc: Number(actual.auc) }, { auc: Number(perfect.auc), n: Number(perfect.n), last: Number(perfect.last) }) : null;
    return { by: campaign.uplift!.$cstNode?.text ?? '', metric: metric.name, points, qiniCoefficient: qini };
}

/** Below this many customers with a value in a group, the report warns that intervals are unreliable. */
export const SMALL_GROUP = 30;

/** Why a value metric cannot give an ROI (no metric, not additive, no control), or undefined when it can. */
function valueProblem(value: MetricStats | undefined, hasControl: boolean): string | undefined {
    if (!value) return 'the campaign has no value metric (name one with `value METRIC`, or define a metric named revenue)';
    // The validator rejects such a value metric (value-not-additive); the runner never multiplies a mean difference.
    if (nonAdditive(value.plan.node)) return `the value metric ${value.plan.name} is not additive (a ratio or a mean cannot be multiplied by the group size)`;
    if (!hasControl) return 'there is no control group';
    return undefined;
}

/** Why the lift of the value metric has no interval, as a sentence fragment. */
function noIntervalReason(value: MetricStats): string {
    return value.lift && !value.lift.absolute.ok
        ? problemReason(value.lift.absolute.problem, value.plan.name, false).replace(/\.$/, '').replace(/^./, ch => ch.toLowerCase())
        : `the lift of ${value.plan.name} has no interval`;
}

/**
 * ROI = (incremental value × margin − cost) / cost (see money.ts), incremental value = Δ × treatment size of an additive
 * value metric (sum, count, any, or a customers column). Its 95% interval maps the interval of Δ through the same line.
 */
function roiEstimate(value: MetricStats | undefined, c: { hasControl: boolean; treatmentSize: number; cost: number; margin?: number }): RoiEstimate & { incrementalValue: number | null } {
    const none = (missing: string) => ({ value: null, interval: null, incrementalValue: null, missing });
    const problem = valueProblem(value, c.hasControl);
    if (problem || !value) return none(problem!);
    const { treatment, control } = value.result;
    if (treatment === null || control === null || value.result.controlCount === 0) return none(`the value metric ${value.plan.name} has not been measured in both groups`);
    const incrementalValue = (treatment - control) * c.treatmentSize;
    if (!(c.cost > 0)) return { ...none('the campaign costs nothing, so a return on it is undefined'), incrementalValue };
    const interval = roiIntervalOf(value.result.ci95, c.treatmentSize, c.cost, c.margin);
    return { value: roiOf(incrementalValue, c.cost, c.margin), interval, incrementalValue, missing: interval ? undefined : noIntervalReason(value) };
}

/** `roi for A vs B`: arm A (treatment fields of the pair) against arm B, over what A costs beyond B. */
function versusRoiEstimate(value: MetricStats | undefined, a: { plan: { name: string }; size: number; cost: number }, b: { plan: { name: string }; size: number; cost: number }, margin: number | undefined, currency: string | undefined): RoiEstimate {
    const problem = valueProblem(value, true);
    if (problem || !value) return { value: null, interval: null, missing: problem };
    const { treatment, control } = value.result;
    const delta = treatment === null || control === null || value.result.controlCount === 0 ? null : treatment - control;
    const r = versusRoi({ arm: a.plan.name, baseline: b.plan.name, delta, interval: value.result.ci95, sizeA: a.size, sizeB: b.size, costA: a.cost, costB: b.cost, margin, currency, metric: value.plan.name });
    if (r.missing) return { value: null, interval: null, missing: r.missing };
    return { value: r.value, interval: r.interval, missing: r.interval ? undefined : noIntervalReason(value) };
}

/**
 * The units of the offer's metric in a group (an arm, or the treatment group without arms): the group's total of it,
 * counted like the metric itself over the attribution window. Null while the window has not opened.
 */
function offerUnits(campaign: CampaignPlan, stats: Map<string, MetricStats>, measured: boolean): number | null {
    if (!campaign.offerCost || !measured) return null;
    return stats.get(campaign.offerCost.metric)?.result.treatmentTotal ?? 0;
}

/** A metric's result with its cost per incremental response, for metrics that add up over customers. */
function priced(stats: MetricStats, cost: number, size: number): MetricResult {
    return { ...stats.result, costPerIncrement: nonAdditive(stats.plan.node) ? null : costPerIncrement(cost, stats.result.absoluteLift, size) };
}

export function metricStats(metric: MetricPlan, i: number, t: Row | undefined, c: Row | undefined, hasControl: boolean, measured: boolean): MetricStats {
    const cols = metricColumns(i);
    const definition = metric.node.definition?.$cstNode?.text ?? metric.name;
    const empty: MetricResult = {
        name: metric.name, kind: metric.kind, definition, treatment: null, control: null, treatmentCount: 0, controlCount: 0,
        treatmentTotal: null, absoluteLift: null, relativeLift: null, ci95: null, relativeCi95: null, pValue: null, df: null, controlVariance: null,
        costPerIncrement: null
    };
    if (!measured) return { plan: metric, result: empty, lift: null, controlVariance: null };
    if (metric.kind === 'ratio') {
        const summary = (row: Row | undefined): RatioSummary | undefined => {
            const n = Number(row?.[cols.n] ?? 0);
            if (!row || n === 0) return undefined;
            return { n, meanX: Number(row[cols.sumX]) / n, meanY: Number(row[cols.sumY]) / n, varX: num(row[cols.varX]), varY: num(row[cols.varY]), covXY: num(row[cols.cov]) };
        };
        const ts = summary(t), cs = hasControl ? summary(c) : undefined;
        const te = ts && ratioGroupEstimate(ts), ce = cs && ratioGroupEstimate(cs);
        const lift = te && ce ? liftOf(te, ce) : null;
        const controlVariance = ce && cs ? ce.variance * cs.n : null;
        return {
            plan: metric,
            result: {
                ...empty,
                treatment: te ? te.mean : ts && ts.meanY !== 0 ? ts.meanX / ts.meanY : null,
                control: ce ? ce.mean : cs && cs.meanY !== 0 ? cs.meanX / cs.meanY : null,
                treatmentCount: ts?.n ?? 0,
                controlCount: cs?.n ?? 0,
                treatmentTotal: t ? nullable(t[cols.sumX]) : null,
                ...liftFields(lift),
                controlVariance
            },
            treatment: te,
            control: ce,
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
    const te = ts && meanEstimate(ts), ce = cs && meanEstimate(cs);
    const lift = te && ce ? liftOf(te, ce) : null;
    const controlVariance = cs && cs.n >= 2 && Number.isFinite(cs.variance) ? cs.variance : null;
    return {
        plan: metric,
        result: {
            ...empty,
            treatment: ts?.mean ?? null,
            control: cs?.mean ?? null,
            treatmentCount: ts?.n ?? 0,
            controlCount: cs?.n ?? 0,
            treatmentTotal: t ? nullable(t[cols.sum]) ?? 0 : null,
            ...liftFields(lift),
            controlVariance
        },
        treatment: te,
        control: ce,
        lift,
        controlVariance
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
