// `mplan audience --sizes-json`: each campaign's groups, arm sizes and contact schedule, read off a session (groups
// drawn, contacts scheduled) without evaluating a metric or writing a file. The editor's code lenses show them.
import { formatDate, lineOf } from '../language/semantics.js';
import type { CampaignPlan } from './plan/runner-plan.js';
import type { PreparedSession } from './session.js';
import { assignmentTable } from './sql/names.js';
import { campaignContacts } from './schedule/campaign-contacts.js';
import { scheduleByChannel } from './report/schedule-summary.js';
import { plannedCost } from './money.js';
import type { CampaignSizes, Sizes } from './sizes-schema.js';
import { SIZES_SCHEMA_VERSION, SizesSchema } from './sizes-schema.js';

export async function computeSizes(session: PreparedSession, options: { campaign?: string } = {}): Promise<Sizes> {
    const campaigns: CampaignSizes[] = [];
    for (const [index, campaign] of session.plan.campaigns.entries()) {
        if (options.campaign !== undefined && campaign.name !== options.campaign) continue;
        campaigns.push(await campaignSizes(session, campaign, index));
    }
    // Checked against the published schema, as the report is.
    return SizesSchema.parse({ schemaVersion: SIZES_SCHEMA_VERSION, asOf: formatDate(session.asOf), campaigns });
}

async function campaignSizes(session: PreparedSession, campaign: CampaignPlan, index: number): Promise<CampaignSizes> {
    const { engine } = session;
    // The assignment table: one row per customer of the campaign, grp 'treatment' or 'control', arm an index (NULL in control).
    const rows = await engine.query(`SELECT grp, arm, count(*) AS n FROM ${assignmentTable(engine.dialect, index)} GROUP BY grp, arm ORDER BY grp, arm`);
    const countOf = (grp: string, arm?: number) => rows
        .filter(r => r.grp === grp && (arm === undefined || Number(r.arm) === arm))
        .reduce((sum, r) => sum + Number(r.n), 0);
    const treatment = countOf('treatment');
    const control = countOf('control');
    const armSizes = campaign.arms.map((_, i) => countOf('treatment', i));

    const contacts = campaignContacts(campaign, armSizes, session.schedules[index]);
    const schedule = scheduleByChannel(contacts.rows.map(row => ({ arm: row.arm, channel: row.channel, date: formatDate(row.day), contacts: row.contacts })));
    // The budget check's figure before launch (money.ts): scheduled contacts × cost per contact, plus the fixed cost.
    const planned = plannedCost(campaign, contacts.stepChannels);

    const a = campaign.assignment;
    return {
        name: campaign.name,
        line: lineOf(campaign.node),
        audience: a.kind === 'recorded' ? treatment + control : session.audiences[index].size,
        treatment,
        control,
        controlShare: a.kind === 'drawn' ? a.sharePercent / 100 : a.kind === 'recorded' ? a.controlWeight / (a.treatmentWeight + a.controlWeight) : null,
        arms: campaign.arms.map((arm, i) => ({ name: arm.name, size: armSizes[i] })),
        schedule,
        contactCost: toMillionth(planned.contacts),
        plannedCost: toMillionth(planned.total),
        budget: campaign.budget ?? null
    };
}

/** Rounded to the millionth: 896 × 4.00 + 1,808 × 0.80 is 4582.4, not the 4582.400000000001 binary sums give. */
function toMillionth(value: number): number {
    return Math.round(value * 1e6) / 1e6;
}
