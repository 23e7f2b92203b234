// What a change does to the deployment: both sides' sizes (`mplan audience --sizes-json`) and lift goals' MDEs (as
// `mplan run` gives them), evaluated on the same data, and the figures that differ.
import type { RunnerPlan } from '../runner/plan/runner-plan.js';
import { computeSizes } from '../runner/sizes.js';
import type { Sizes } from '../runner/sizes-schema.js';
import type { CampaignPower } from '../runner/goal-power.js';
import { goalPower } from '../runner/goal-power.js';
import type { PreparedSession, Scored, SessionOptions } from '../runner/session.js';
import { loadData, openPlanEngine, openSession, prepareSession } from '../runner/session.js';
import type { SqlEngine } from '../runner/engine/engine.js';
import { confineDataPaths } from '../runner/data/data-paths.js';
import { campaignSettings } from '../language/semantics.js';
import { goalKeys } from '../language/plan-meaning.js';
import type { DeploymentChange } from './diff-schema.js';

/** One side's figures. */
export interface SideDeployment {
    sizes: Sizes;
    power: CampaignPower[];
    /** Per campaign, its goals' keys (plan-meaning.ts), by goal index. */
    goalKeys: Map<string, string[]>;
}

export interface DeploymentOptions {
    asOf: number;
    dataRoots: string[];
    memoryLimit?: string;
    engine?: string;
    progress?: (step: string) => void;
}

/** The session options of a deployment; progress lines only where one session runs at a time. */
function sessionOptions(options: DeploymentOptions, progress?: (step: string) => void): SessionOptions {
    return { asOf: options.asOf, dataRoots: options.dataRoots, memoryLimit: options.memoryLimit, engine: options.engine, progress };
}

export async function evaluateDeployment(plan: RunnerPlan, deployment: DeploymentOptions): Promise<SideDeployment> {
    const session = await openSession(plan, sessionOptions(deployment));
    try {
        return await deploymentOf(session);
    } finally {
        await session.close();
    }
}

/**
 * Both sides on one engine, the data loaded once: for plans whose sources are the same (the same files, read with the
 * same columns and types), which is what most changes leave alone. Each side's figures, or why that side could not be
 * evaluated (`whyNot`: an error it knows, as a sentence); data problems are both sides'.
 */
export async function evaluateDeploymentsSharingData(plans: [RunnerPlan, RunnerPlan], deployment: DeploymentOptions, whyNot: (error: unknown) => string): Promise<Array<SideDeployment | string>> {
    const options = sessionOptions(deployment, deployment.progress);
    let engine: SqlEngine | undefined;
    try {
        engine = await openPlanEngine(plans[1], options);
        const data = await loadData(engine, plans[1], options);
        const results: Array<SideDeployment | string> = [];
        // One after the other: each side creates (or replaces) the tables it reads, and reads no other; the second
        // reuses the first's scored tables where their definitions are the same.
        let previous: Scored | undefined;
        for (const plan of plans) {
            try {
                const session = await prepareSession(engine, plan, data, options, { keepSources: true, previous });
                previous = session.scored;
                results.push(await deploymentOf(session));
            } catch (error) {
                results.push(whyNot(error));
            }
        }
        return results;
    } catch (error) {
        // The engine or the data: the same problem on both sides.
        const why = whyNot(error);
        return [why, why];
    } finally {
        await engine?.close();
    }
}

/** Whether two plans read the same data the same way: their sources alike in all but the plan text they come from. */
export function sameSources(a: RunnerPlan, b: RunnerPlan, dataRoots: readonly string[]): boolean {
    // Where each file is read from is only known once it is confined to the data roots (which may refuse it: then no).
    try {
        confineDataPaths(a, dataRoots);
        confineDataPaths(b, dataRoots);
    } catch {
        return false;
    }
    const shape = (plan: RunnerPlan) => JSON.stringify(plan.sources.map(({ node: _, ...source }) => source));
    return shape(a) === shape(b);
}

async function deploymentOf(session: PreparedSession): Promise<SideDeployment> {
    const plan = session.plan;
    const sizes = await computeSizes(session);
    const power = await goalPower(session);
    const keys = new Map(plan.campaigns.map(c => [c.name, goalKeys(campaignSettings(c.node).goals)] as const));
    return { sizes, power, goalKeys: keys };
}

type Row = Omit<DeploymentChange, 'old' | 'new'> & { value: number | null };

/** A side's figures as rows keyed by what they measure. */
function rowsOf(side: SideDeployment): Map<string, Row> {
    const rows = new Map<string, Row>();
    const add = (row: Row) => rows.set([row.campaign, row.arm ?? '', row.field, row.channel ?? '', row.goal ?? ''].join('\u0000'), row);
    for (const c of side.sizes.campaigns) {
        const base = { campaign: c.name, arm: null };
        add({ ...base, field: 'audience', value: c.audience });
        add({ ...base, field: 'treatment', value: c.treatment });
        add({ ...base, field: 'control', value: c.control });
        // A campaign without arms is one arm named after it: its size is the treatment's.
        const declared = !(c.arms.length === 1 && c.arms[0].name === c.name);
        if (declared) for (const arm of c.arms) add({ campaign: c.name, arm: arm.name, field: 'treatment', value: arm.size });
        for (const s of c.schedule) {
            add({ ...base, field: 'contacts', channel: s.channel, value: s.contacts });
            add({ ...base, field: 'days', channel: s.channel, value: s.days });
        }
        add({ ...base, field: 'cost', value: c.plannedCost, budget: c.budget });
    }
    for (const campaign of side.power) {
        const keys = side.goalKeys.get(campaign.campaign) ?? [];
        for (const g of campaign.goals) {
            const arm = g.arm === campaign.campaign ? null : g.arm;
            add({ campaign: campaign.campaign, arm, field: 'mde', goal: keys[g.goal] ?? String(g.goal + 1), unit: g.unit, value: g.mde });
        }
    }
    return rows;
}

/** The figures that differ between the sides, in the new side's order, then the base's alone. */
export function compareDeployments(base: SideDeployment | undefined, head: SideDeployment | undefined): DeploymentChange[] {
    const before = base ? rowsOf(base) : new Map<string, Row>();
    const after = head ? rowsOf(head) : new Map<string, Row>();
    const changes: DeploymentChange[] = [];
    const push = (row: Row, old: number | null, now: number | null) => {
        const { value: _, ...rest } = row;
        changes.push({ ...rest, old, new: now });
    };
    for (const [key, row] of after) {
        const old = before.get(key);
        const oldValue = old?.value ?? null;
        // A cost row stays when only the budget moved: cost against budget is the point of it.
        const budgetMoved = row.field === 'cost' && old !== undefined && (old.budget ?? null) !== (row.budget ?? null);
        if (oldValue !== row.value || budgetMoved) push(row, oldValue, row.value);
    }
    for (const [key, row] of before) if (!after.has(key) && row.value !== null) push(row, row.value, null);
    return changes;
}

/** Campaigns whose lift goals have no MDE on a side because the data holds no outcomes for them yet. */
export function unmeasured(side: SideDeployment): string[] {
    return side.power.filter(p => !p.measured).map(p => p.campaign);
}
