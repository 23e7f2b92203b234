// The deployment step: the audience files the channel systems read. The engine writes them itself (rows never pass
// through JavaScript) to temporary names in the output folder; they are renamed into place once all are written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Session } from './session.js';
import { CUSTOMERS_TABLE, assignmentTable, scheduleTable, wideColumn } from './sql/names.js';
import { temporaryPath, commitRenames } from './report/write.js';
import { campaignContacts, overflowWarnings } from './schedule/campaign-contacts.js';
import { overBudget, plannedCost } from './money.js';
import { CLV_SCORES } from './clv-scores.js';
import { clvWarnings } from './clv-fit.js';
import { formatDate } from '../language/semantics.js';

export interface AudienceExport {
    files: Array<{ path: string; rows: number }>;
    /** What the export's reader must know: contacts that did not fit before the end of a campaign's runs. */
    warnings: string[];
}

/** The key column's name in exports: the universe's key, or `row` when customers are keyed by row number. */
export function exportKeyName(session: Session): string {
    return session.plan.universe.key ?? 'row';
}

export async function exportAudience(session: Session, outDir: string, options: { campaign?: string } = {}): Promise<AudienceExport> {
    const { engine, plan } = session;
    const d = engine.dialect;
    fs.mkdirSync(outDir, { recursive: true });
    const staged: Array<{ temp: string; target: string }> = [];
    const files: AudienceExport['files'] = [];
    // segments.csv carries the CLV scores: the fits' problems go with it.
    const warnings: string[] = clvWarnings(session.clv.map(fitted => fitted.fit));
    const keyName = exportKeyName(session);
    try {
        // segments.csv: key, RFM scores, the tier of each tiers declaration, then one 0/1 column per segment.
        const columns = [`w.__key AS ${d.ident(keyName)}`];
        for (const rfm of plan.rfms) {
            for (const score of ['r', 'f', 'm'] as const) columns.push(`w.${d.ident(wideColumn.score(rfm.name, score))} AS ${d.ident(`${rfm.name}.${score}`)}`);
        }
        // Each CLV model's scores (as of the end of its calibration; empty for a customer without a purchase in it).
        for (const clv of plan.clvs) {
            for (const score of CLV_SCORES) columns.push(`w.${d.ident(wideColumn.clv(clv.name, score))} AS ${d.ident(`${clv.name}.${score}`)}`);
        }
        // Each attitude's scores as of the evaluation date, `<attitude>.<column>:<value>` for every value seen.
        for (const scoring of session.attitudes) {
            const seen = scoring.references.get(session.asOf)!;
            scoring.plan.by.forEach((column, i) => {
                for (const { value } of seen[i]) {
                    columns.push(`w.${d.ident(wideColumn.attitude(scoring.plan.name, column, value, formatDate(session.asOf)))} AS ${d.ident(`${scoring.plan.name}.${column}:${value}`)}`);
                }
            });
        }
        // One column per tiers declaration, named after it: the customer's tier (empty when in none).
        for (const tiers of plan.tiers) columns.push(`w.${d.ident(wideColumn.tier(tiers.name))} AS ${d.ident(tiers.name)}`);
        for (const segment of plan.segments) columns.push(`CAST(w.${d.ident(wideColumn.segment(segment.name))} AS INTEGER) AS ${d.ident(segment.name)}`);
        await write(path.join(outDir, 'segments.csv'), `SELECT ${columns.join(', ')} FROM ${CUSTOMERS_TABLE} w ORDER BY w.__row`);

        for (const [index, campaign] of plan.campaigns.entries()) {
            if (options.campaign !== undefined && campaign.name !== options.campaign) continue;
            // Control members carry no contact: a channel system cannot message them by mistake. With arms, `group`
            // is the arm's name and the steps are the arm's own (an arm with fewer steps leaves the rest empty).
            const schedule = session.schedules[index];
            if (schedule) warnings.push(...overflowWarnings(campaign, campaignContacts(campaign, campaign.arms.map(() => 0), schedule)).map(w => `campaign '${campaign.name}': ${w}`));
            let group = 'a.grp';
            if (campaign.hasArms) group = `CASE ${campaign.arms.map((arm, k) => `WHEN a.arm = ${k} THEN ${d.string(arm.name)} `).join('')}ELSE 'control' END`;
            const scheduled = schedule !== undefined;
            const most = Math.max(0, ...campaign.arms.map(arm => arm.steps.length));
            // Per step: the arm's channel and date for treatment members (control members carry none). A scheduled
            // campaign gives each member's own contact day, and neither for a contact not made (skipped by its
            // condition as of the evaluation date, or beyond the end of runs).
            const perArm = (i: number, value: (step: typeof campaign.arms[number]['steps'][number]) => string) =>
                `CASE ${campaign.arms.map((arm, k) => (arm.steps[i] ? `WHEN a.grp = 'treatment' AND a.arm = ${k} THEN ${value(arm.steps[i])} ` : '')).join('')}END`;
            // A `best of` step: the customer's own channel, the schedule's pick (a best-of campaign is always scheduled).
            const bestChannel = (i: number, options: Array<{ channel: string }>) =>
                `CASE s.${d.ident(`__c${i + 1}`)} ${options.map((o, j) => `WHEN ${j} THEN ${d.string(o.channel)} `).join('')}END`;
            const made = (i: number, value: string) => (scheduled ? `CASE WHEN s.${d.ident(`__s${i + 1}`)} IS NOT NULL THEN ${value} END` : value);
            const steps = Array.from({ length: most }, (_, i) => [
                `${made(i, perArm(i, step => (step.bestOf ? bestChannel(i, step.bestOf.options) : d.string(step.channel))))} AS ${d.ident(`step${i + 1}_channel`)}`,
                `${scheduled ? `CASE WHEN a.grp = 'treatment' THEN s.${d.ident(`__s${i + 1}`)} END` : perArm(i, step => d.date(campaign.start + step.delayDays))} AS ${d.ident(`step${i + 1}_date`)}`
            ]).flat();
            const from = `${assignmentTable(d, index)} a${scheduled ? ` JOIN ${scheduleTable(d, index)} s ON s.__row = a.__row` : ''}`;
            const select = [`a.__key AS ${d.ident(keyName)}`, `${group} AS ${d.ident('group')}`, ...steps].join(', ');
            await write(path.join(outDir, `${campaign.name}.csv`), `SELECT ${select} FROM ${from} ORDER BY a.__row`);
        }
        commitRenames(staged);
    } catch (error) {
        for (const { temp } of staged) fs.rmSync(temp, { force: true });
        throw error;
    }
    return { files, warnings };

    async function write(target: string, query: string) {
        const temp = temporaryPath(target);
        staged.push({ temp, target });
        files.push({ path: target, rows: await engine.copyToFile(query, temp) });
    }
}


/** A campaign whose cost planned before launch (contacts and fixed cost) is above its budget. */
export interface PlannedOverBudget {
    campaign: string;
    planned: number;
    budget: number;
}

/**
 * The budget check before launch, on the groups just drawn: each campaign's planned cost (see plannedCost in money.ts:
 * the contacts of every step, as campaignContacts counts them, and the fixed cost; the offer's cost depends on
 * responses, unknown before launch) against its budget.
 */
export async function campaignsOverBudget(session: Session, options: { campaign?: string } = {}): Promise<PlannedOverBudget[]> {
    const { engine, plan } = session;
    const over: PlannedOverBudget[] = [];
    for (const [index, campaign] of plan.campaigns.entries()) {
        if (options.campaign !== undefined && campaign.name !== options.campaign) continue;
        if (campaign.budget === undefined) continue;
        const rows = await engine.query(`SELECT arm, count(*) AS n FROM ${assignmentTable(engine.dialect, index)} WHERE grp = 'treatment' GROUP BY arm ORDER BY arm`);
        const sizes = campaign.arms.map((_, i) => Number(rows.find(r => Number(r.arm) === i)?.n ?? 0));
        const planned = plannedCost(campaign, campaignContacts(campaign, sizes, session.schedules[index]).stepChannels).total;
        if (overBudget(planned, campaign.budget)) over.push({ campaign: campaign.name, planned, budget: campaign.budget });
    }
    return over;
}
