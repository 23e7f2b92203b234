// The contact schedules of the scheduled campaigns (see isScheduled), in declaration order so that earlier campaigns
// take a channel's capacity first: customers are read from the engine in their scheduling order, scheduled by
// simulateSchedule, and the per-customer exposure and contact days are loaded back as a table the metric windows and
// the audience export read.
import type { SqlEngine } from '../engine/engine.js';
import type { CampaignPlan, RunnerPlan } from '../plan/runner-plan.js';
import { stepChannels } from '../plan/runner-plan.js';
import { CUSTOMERS_TABLE, assignmentTable, dailyTable, eventsColumn, eventsTable, scheduleTable, scheduleTableName, wideColumn } from '../sql/names.js';
import { isScheduled } from '../timeline.js';
import { bestChannelSql, dailyCountPart } from '../sql/compile.js';
import type { ChannelUsage, ScheduleResult } from './simulate.js';
import { NOT_CONTACTED, simulateSchedule } from './simulate.js';

export interface CampaignSchedule {
    result: ScheduleResult;
    /** The earliest and latest exposure of the campaign's customers (undefined: nobody in the campaign). */
    exposures?: { first: number; last: number };
}

/**
 * The seed of the scheduling order: customers are taken in the order of SHA-256(seed + ":order:" + key), the control
 * seed of drawn groups or the campaign's name otherwise. Not the control hash itself: drawn groups are intervals of it,
 * so its order would take one group after the other; this one interleaves them.
 */
export function orderSeed(campaign: CampaignPlan): string {
    return `${campaign.assignment.kind === 'drawn' ? campaign.assignment.seed : campaign.name}:order`;
}

export async function scheduleCampaigns(engine: SqlEngine, plan: RunnerPlan, asOf: number): Promise<Array<CampaignSchedule | undefined>> {
    const usage: ChannelUsage = new Map();
    const schedules: Array<CampaignSchedule | undefined> = [];
    for (const [index, campaign] of plan.campaigns.entries()) {
        schedules.push(isScheduled(campaign) ? await scheduleCampaign(engine, plan, index, usage, asOf) : undefined);
    }
    return schedules;
}

async function scheduleCampaign(engine: SqlEngine, plan: RunnerPlan, index: number, usage: ChannelUsage, asOf: number): Promise<CampaignSchedule> {
    const d = engine.dialect;
    const campaign = plan.campaigns[index];
    const assignment = assignmentTable(d, index);
    // `best of` steps: each treatment customer's pick among the options (an index), as of the campaign's start.
    const picks = campaign.arms.flatMap((arm, i) => arm.steps.map((step, k) => ({ arm: i, step: k, plan: step })).filter(x => x.plan.bestOf));
    const pickColumns = picks.map((x, j) => `, CASE WHEN a.grp = 'treatment' AND a.arm = ${x.arm} THEN ${bestChannelSql(d, campaign, x.plan, asOf)} END AS b${j}`).join('');
    const rows = await engine.query(
        `SELECT a.__row AS r, CASE WHEN a.grp = 'control' THEN -1 ELSE a.arm END AS arm${pickColumns} FROM ${assignment} a ` +
        `${picks.length > 0 ? `JOIN ${CUSTOMERS_TABLE} w ON w.__row = a.__row ` : ''}ORDER BY ${d.controlHash(orderSeed(campaign), 'a.__key')}, a.__key`
    );
    const n = rows.length;
    const armOf = new Int32Array(n);
    const rowOf = new Int32Array(n);
    const positionOf = new Map<number, number>();
    const pickOf = picks.map(() => new Int32Array(n).fill(NOT_CONTACTED));
    rows.forEach((row, p) => {
        armOf[p] = Number(row.arm);
        rowOf[p] = Number(row.r);
        positionOf.set(rowOf[p], p);
        picks.forEach((_, j) => {
            if (row[`b${j}`] !== null && row[`b${j}`] !== undefined) pickOf[j][p] = Number(row[`b${j}`]);
        });
    });
    const pickIndex = new Map(picks.map((x, j) => [`${x.arm}:${x.step}`, j]));

    // What each conditional metric says per customer: the days its events happened, or a fixed yes/no.
    const conditions = new Map<string, (position: number, from: number, to: number) => boolean>();
    for (const name of new Set(campaign.arms.flatMap(arm => arm.steps).map(step => step.unless).filter((m): m is string => m !== undefined))) {
        conditions.set(name, await happenedOf(engine, plan, index, name, positionOf));
    }
    const capacities = new Map<string, number>();
    for (const option of campaign.arms.flatMap(arm => arm.steps).flatMap(stepChannels)) {
        if (option.capacity !== undefined) capacities.set(option.channel, option.capacity);
    }
    // Steps know only that they are conditional; the customer's metric is the one of the step being decided.
    const unlessOf = campaign.arms.map(arm => arm.steps.map(step => step.unless));
    const result = simulateSchedule({
        start: campaign.start,
        end: campaign.end,
        arms: campaign.arms.map(arm => arm.steps.map(step => ({
            channel: step.channel, delayDays: step.delayDays, conditional: step.unless !== undefined, options: step.bestOf?.options.map(o => o.channel)
        }))),
        capacities,
        armOf,
        channelOf: (position, step) => {
            const options = campaign.arms[armOf[position]].steps[step].bestOf!.options;
            return options[pickOf[pickIndex.get(`${armOf[position]}:${step}`)!][position]].channel;
        },
        happened: (position, from, to, step) => {
            const metric = unlessOf[armOf[position]][step];
            return metric !== undefined && conditions.get(metric)!(position, from, to);
        }
    }, usage);

    const columns = [{ name: '__row', values: rowOf }, { name: '__pos', values: Int32Array.from({ length: n }, (_, p) => p) }, { name: '__exp', values: result.exposure }];
    for (let s = 0; s < result.maxSteps; s++) {
        const values = new Int32Array(n);
        for (let p = 0; p < n; p++) values[p] = result.contactDays[p * result.maxSteps + s];
        columns.push({ name: `__s${s + 1}`, values });
    }
    // The channel of each `best of` step for the customers it contacted (an index among its options), for the export.
    const picked = new Set<number>(picks.map(x => x.step));
    for (const s of picked) {
        const values = new Int32Array(n).fill(NOT_CONTACTED);
        for (let p = 0; p < n; p++) {
            const j = armOf[p] >= 0 ? pickIndex.get(`${armOf[p]}:${s}`) : undefined;
            if (j !== undefined && result.contactDays[p * result.maxSteps + s] !== NOT_CONTACTED) values[p] = pickOf[j][p];
        }
        columns.push({ name: `__c${s + 1}`, values });
    }
    const raw = `${scheduleTableName(index)}.raw`;
    await engine.loadColumns(raw, columns, NOT_CONTACTED);
    const days = columns.slice(2).map(c => (c.name.startsWith('__c') ? d.ident(c.name) : `${d.dateOfDay(c.name)} AS ${d.ident(c.name)}`)).join(', ');
    await engine.exec(d.createTemporaryTable(scheduleTable(d, index), `SELECT __row, __pos, ${days} FROM ${d.ident(raw)}`));
    await engine.exec(`DROP TABLE ${d.ident(raw)}`);

    let first = Infinity, last = -Infinity;
    for (const day of result.exposure) {
        if (day < first) first = day;
        if (day > last) last = day;
    }
    return { result, exposures: n > 0 ? { first, last } : undefined };
}

/**
 * Whether a customer's conditional metric happened in [from, to): an `any`/`count` metric over timed events looks at
 * the days of the customer's events (from the daily table); over untimed events, at whether there are any; a customers
 * column is true or non-zero whatever the day.
 */
async function happenedOf(engine: SqlEngine, plan: RunnerPlan, index: number, name: string, positionOf: Map<number, number>): Promise<(position: number, from: number, to: number) => boolean> {
    const d = engine.dialect;
    const metric = plan.metrics.find(m => m.name === name);
    const assignment = assignmentTable(d, index);
    const treated = `a.grp = 'treatment'`;
    if (metric?.kind === 'column') {
        const rows = await engine.query(
            `SELECT a.__row AS r FROM ${assignment} a JOIN ${CUSTOMERS_TABLE} w ON w.__row = a.__row ` +
            `WHERE ${treated} AND COALESCE(CAST(w.${d.ident(wideColumn.column(metric.source.name, metric.column))} AS ${d.type('number')}), 0) <> 0`
        );
        const yes = new Set(rows.map(r => positionOf.get(Number(r.r))));
        return position => yes.has(position);
    }
    if (metric?.kind === 'aggregate' && (metric.aggregate.function === 'any' || metric.aggregate.function === 'count')) {
        const source = metric.aggregate.source;
        if (!source.time) {
            // Untimed events have no day: any of them counts (its one window holds them all, the filter applied).
            const count = metric.aggregate.filterKey ? `e.${d.ident(eventsColumn.window('0', `count.${metric.aggregate.filterKey}`))}` : 'e.__n';
            const rows = await engine.query(`SELECT a.__row AS r FROM ${assignment} a JOIN ${eventsTable(d, source)} e ON e.__cid = a.__row WHERE ${treated} AND ${count} > 0`);
            const yes = new Set(rows.map(r => positionOf.get(Number(r.r))));
            return position => yes.has(position);
        }
        const rows = await engine.query(
            `SELECT a.__row AS r, ${d.dayDiff(d.date(0), 'dd.__d')} AS day FROM ${assignment} a JOIN ${dailyTable(d, source)} dd ON dd.__cid = a.__row ` +
            `WHERE ${treated} AND dd.${d.ident(eventsColumn.day(dailyCountPart(metric.aggregate)))} > 0 ORDER BY 1, 2`
        );
        const days = new Map<number, number[]>();
        for (const row of rows) {
            const p = positionOf.get(Number(row.r))!;
            let list = days.get(p);
            if (!list) days.set(p, (list = []));
            list.push(Number(row.day));
        }
        return (position, from, to) => days.get(position)?.some(day => day >= from && day < to) ?? false;
    }
    // The validator allows no other metric in `unless` (unless-metric).
    throw new Error(`unless ${name}: not a per-customer any, count or column metric`);
}
