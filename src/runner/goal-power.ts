// The minimum detectable effect of each lift goal, exactly as `mplan run` reports it (goals[].mde), without the rest of
// the evaluation: only the goals' metrics are summarized per group, and the verdict machinery of goals.ts computes the
// MDE from them. `mplan diff` shows how a change of the groups moves it.
import type { CampaignPlan, MetricPlan } from './plan/runner-plan.js';
import type { PreparedSession } from './session.js';
import { finishMetricSummary, metricSummarySql } from './sql/compile.js';
import type { Row } from './engine/engine.js';
import { timelineOf } from './timeline.js';
import { metricStats } from './evaluate.js';
import type { GoalInstance } from './goals.js';
import { evaluateGoals } from './goals.js';

export interface GoalPower {
    campaign: string;
    /** The goal's index among its campaign's goals (declaration order). */
    goal: number;
    /** The arm judged (a campaign without arms: its name), and its baseline (`control`, or the arm of `vs`). */
    arm: string;
    baseline: string;
    unit: '%' | 'pp' | null;
    /** In the goal's unit; null where `mplan run` gives none (no outcomes in the data yet, no variation in control). */
    mde: number | null;
}

/** Per campaign (plan order, or the one named): whether its outcomes are in the data yet, and its lift goals' MDEs. */
export interface CampaignPower {
    campaign: string;
    /** False when the campaign has not started or its attribution window has not opened by the evaluation date. */
    measured: boolean;
    goals: GoalPower[];
}

export async function goalPower(session: PreparedSession, options: { campaign?: string } = {}): Promise<CampaignPower[]> {
    const result: CampaignPower[] = [];
    for (const [index, campaign] of session.plan.campaigns.entries()) {
        if (options.campaign !== undefined && campaign.name !== options.campaign) continue;
        if (!campaign.goals.some(g => g.kind === 'lift')) continue;
        result.push(await campaignPower(session, campaign, index));
    }
    return result;
}

async function campaignPower(session: PreparedSession, campaign: CampaignPlan, index: number): Promise<CampaignPower> {
    const { engine, plan, asOf } = session;
    const d = engine.dialect;
    const timeline = timelineOf(campaign, asOf, session.schedules[index]?.exposures);
    // As evaluate.ts decides it: outcomes exist once the campaign has started and its window has opened.
    const measured = timeline.status !== 'pending' && timeline.measuredEnd > timeline.exposure;
    const hasControl = campaign.assignment.kind !== 'none';
    // The verdicts `mplan run` gives a lift goal, as evaluate.ts lays them out: one per arm without `for`.
    const layout: Array<{ goal: CampaignPlan['goals'][number]; index: number; arm: string; baseline: string }> = [];
    campaign.goals.forEach((goal, index) => {
        if (goal.kind !== 'lift') return;
        if (!campaign.hasArms) layout.push({ goal, index, arm: campaign.name, baseline: 'control' });
        else if (goal.arm !== undefined) layout.push({ goal, index, arm: goal.arm, baseline: goal.versus ?? 'control' });
        else layout.push(...campaign.arms.map(arm => ({ goal, index, arm: arm.name, baseline: 'control' })));
    });
    const power = (mdes: Array<number | null>): CampaignPower => ({
        campaign: campaign.name,
        measured,
        goals: layout.map((x, k) => ({ campaign: campaign.name, goal: x.index, arm: x.arm, baseline: x.baseline, unit: x.goal.unit ?? null, mde: mdes[k] }))
    });
    if (!measured || !hasControl) return power(layout.map(() => null));

    // Only the metrics the lift goals judge: their group summaries are all an MDE needs.
    const metrics: MetricPlan[] = plan.metrics.filter(m => layout.some(x => x.goal.metric === m.name));
    const rows = finishMetricSummary(await engine.query(metricSummarySql(d, plan, index, metrics, asOf)), metrics);
    const armRows = campaign.hasArms ? finishMetricSummary(await engine.query(metricSummarySql(d, plan, index, metrics, asOf, 'arm')), metrics, 'arm') : [];
    const controlRow = rows.find(r => r.grp === 'control');
    const rowOf = (arm: string): Row | undefined => {
        if (!campaign.hasArms) return rows.find(r => r.grp === 'treatment');
        const i = campaign.arms.findIndex(a => a.name === arm);
        return armRows.find(r => Number(r.arm) === i);
    };
    const instances: GoalInstance[] = layout.map(x => ({
        goal: x.goal, arm: x.arm, baseline: x.baseline,
        metrics: new Map(metrics.map((metric, m) => [metric.name, metricStats(metric, m, rowOf(x.arm), x.baseline === 'control' ? controlRow : rowOf(x.baseline), hasControl, true)])),
        // Lift goals read neither.
        roi: { value: null, interval: null }, cost: 0
    }));
    const results = evaluateGoals({ asOf, campaign, measured, hasControl, srm: null, currency: plan.currency, instances });
    return power(results.map(r => r.mde));
}
