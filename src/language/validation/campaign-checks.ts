// Checks of one campaign's statements, and of campaigns against each other (overlapping drawn control groups).
import type { Campaign, Plan } from '../generated/ast.js';
import { AstUtils } from 'langium';
import { isCustomersSource, isMetric, isNameReference } from '../generated/ast.js';
import { allSteps, campaignSettings, parseDate, rfmModelsRead, rfmSettings, typeOf } from '../semantics.js';
import { checkArms, checkMoney } from './arm-checks.js';
import { checkCondition, checkConditionValue } from './expression-checks.js';
import type { FloatingConditions } from './audience-overlap.js';
import { audienceAtoms, disjoint } from './audience-overlap.js';
import type { Report } from './report.js';
import { checkBestOf, checkClvBeforeStart, checkUplift } from './value-checks.js';

const SINGLE_STATEMENTS: Record<string, string> = {
    Audience: 'audience', Offer: 'offer', Runs: 'runs', DrawnControl: 'control', RecordedGroups: 'groups',
    Attribution: 'attribution', Budget: 'budget', ValueMetric: 'value', FixedCost: 'fixed cost', Margin: 'margin', Limit: 'limit',
    Uplift: 'uplift'
};

export function checkCampaign(campaign: Campaign, report: Report): void {
    const settings = campaignSettings(campaign);
    for (const [type, keyword] of Object.entries(SINGLE_STATEMENTS)) {
        for (const duplicate of campaign.statements.filter(s => s.$type === type).slice(1)) {
            report('error', 'duplicate-statement', `Campaign '${campaign.name}' states \`${keyword}\` more than once.`, { node: duplicate });
        }
    }
    if (campaign.name === 'segments') {
        report('error', 'campaign-name-reserved', "A campaign cannot be named 'segments': `mplan audience` writes segments.csv beside <campaign>.csv.", { node: campaign, property: 'name' });
    }
    if (!settings.audience) {
        report('error', 'campaign-missing-audience', `Campaign '${campaign.name}' has no audience: add \`audience SEGMENT\` (or \`audience everyone\`).`, { node: campaign, property: 'name' });
    } else {
        checkCondition(settings.audience.condition, report);
    }
    const runs = settings.runs;
    if (!runs) {
        report('error', 'campaign-missing-runs', `Campaign '${campaign.name}' has no schedule: add \`runs START to END\`.`, { node: campaign, property: 'name' });
    } else {
        const start = parseDate(runs.start);
        const end = parseDate(runs.end);
        if (runs.start && start === undefined) report('error', 'invalid-date', `${runs.start} is not a date in the calendar.`, { node: runs, property: 'start' });
        if (runs.end && end === undefined) report('error', 'invalid-date', `${runs.end} is not a date in the calendar.`, { node: runs, property: 'end' });
        if (start !== undefined && end !== undefined && end < start) {
            report('error', 'runs-reversed', `The campaign ends (${runs.end}) before it starts (${runs.start}).`, { node: runs });
        }
    }
    if (settings.steps.length === 0 && settings.arms.length === 0) {
        report('warning', 'campaign-no-channel', `Campaign '${campaign.name}' has no \`channel\` step, so it contacts nobody and costs nothing.`, { node: campaign, property: 'name' });
    }
    const start = parseDate(runs?.start);
    const end = parseDate(runs?.end);
    checkLimit(campaign, report);
    // Who is in the audience is decided by data from before the launch; a fixed `as of` later than that lets the
    // campaign's own effect (customers who bought because of it) choose who was in it. The ranking of a `limit` too.
    if (settings.audience && start !== undefined) {
        const models = new Set([...rfmModelsRead(settings.audience.condition), ...rfmModelsRead(settings.limit?.by)]);
        for (const rfm of models) {
            const asOf = rfmSettings(rfm).asOf?.date;
            const day = parseDate(asOf);
            if (day !== undefined && day > start) {
                report('warning', 'audience-after-start',
                    `RFM model '${rfm.name}' is scored as of ${asOf}, after campaign '${campaign.name}' starts (${runs!.start}), so its audience would be chosen with data from after the launch, including purchases the campaign caused. Remove \`as of\` (each campaign is then scored as of its own start) or set it on or before ${runs!.start}.`,
                    { node: settings.audience });
            }
        }
    }
    checkClvBeforeStart(campaign, report);
    checkUplift(campaign, report);
    for (const step of allSteps(campaign)) {
        checkBestOf(step, report);
        const channel = step.channel?.ref;
        if (channel && channel.cost === undefined) {
            report('warning', 'channel-no-cost', `Channel '${channel.name}' has no cost, so this campaign's cost and ROI leave it out: add \`cost AMOUNT per contact\` to the channel.`, { node: step, property: 'channel' });
        }
        step.bestOf?.channels.forEach((reference, index) => {
            const listed = reference.ref;
            if (listed && listed.cost === undefined && step.bestOf!.channels.findIndex(c => c.$refText === reference.$refText) === index) {
                report('warning', 'channel-no-cost', `Channel '${listed.name}' has no cost, so this campaign's cost and ROI leave out the customers contacted through it: add \`cost AMOUNT per contact\` to the channel.`, { node: step.bestOf!, property: 'channels', index });
            }
        });
        if (step.delay !== undefined && !Number.isInteger(step.delay)) {
            report('error', 'attribution-range', 'A step delay is a whole number of days.', { node: step, property: 'delay' });
        }
        if (step.delay !== undefined && start !== undefined && end !== undefined && start + step.delay > end) {
            report('warning', 'step-after-end', `This step falls ${step.delay} days after the start, past the campaign's end (${runs!.end}).`, { node: step, property: 'delay' });
        }
    }
    if (settings.control && settings.groups) {
        report('error', 'control-conflict', 'A campaign either draws its control group (`control N% seed`) or reads recorded groups (`groups from`), not both.', { node: settings.groups });
    }
    if (settings.control) {
        const share = settings.control.share;
        if (!(share > 0 && share <= 50)) {
            report('error', 'control-share-range', `A control share must be above 0% and at most 50%, not ${share}%.`, { node: settings.control, property: 'share' });
        }
    }
    if (settings.groups) {
        const groups = settings.groups;
        const source = groups.source?.ref;
        if (source && !isCustomersSource(source)) {
            report('error', 'groups-source', `Recorded groups are read from a customers source (one row per customer); '${source.name}' is an events source.`, { node: groups, property: 'source' });
        }
        if (groups.treatment !== undefined && groups.treatment === groups.control) {
            report('error', 'groups-same-label', `The treatment and control labels are both "${groups.treatment}".`, { node: groups, property: 'control' });
        }
        const arms = settings.arms.length;
        const terms = arms === 0 ? 2 : arms + 1;
        if (groups.weights.length > 0 && groups.weights.length !== terms) {
            const form = arms === 0 ? 'treatment and control, as in `split 1:1`' : `control first, then one per arm in order, as in \`split ${Array(terms).fill(1).join(':')}\``;
            report('error', 'groups-split', `This split has ${groups.weights.length} term${groups.weights.length === 1 ? '' : 's'}; it needs ${terms}: ${form}.`, { node: groups, property: 'weights' });
        } else if (groups.weights.some(w => !(w > 0))) {
            report('error', 'groups-split', `A split needs positive weights, as in \`split ${Array(terms).fill(1).join(':')}\`.`, { node: groups, property: 'weights' });
        }
    }
    checkArms(campaign, report);
    checkMoney(campaign, report);
    if (settings.attribution) {
        const days = settings.attribution.days;
        if (!Number.isInteger(days) || days < 1) {
            report('error', 'attribution-range', `An attribution window is a whole number of days, at least 1, not ${days}.`, { node: settings.attribution, property: 'days' });
        }
    }
    if (settings.budget && !(settings.budget.amount > 0)) {
        report('error', 'budget-range', 'A budget must be positive.', { node: settings.budget, property: 'amount' });
    }
}

/** `limit N [by EXPR]`: a positive whole N, a per-customer number to rank by, and no recorded groups to break. */
function checkLimit(campaign: Campaign, report: Report): void {
    const settings = campaignSettings(campaign);
    const limit = settings.limit;
    if (!limit) return;
    if (!Number.isInteger(limit.count) || limit.count < 1) {
        report('error', 'limit-count', `\`limit\` caps the audience at a whole number of customers, at least 1, not ${limit.count}.`, { node: limit, property: 'count' });
    }
    if (limit.by) {
        checkConditionValue(limit.by, report);
        const type = typeOf(limit.by);
        // A metric named here is not-a-value's error (an outcome after contact), whatever its type.
        const namesMetric = AstUtils.streamAst(limit.by).some(n => isNameReference(n) && isMetric(n.target?.ref));
        if (type !== 'number' && type !== 'unknown' && type !== 'none' && !namesMetric) {
            const what = type === 'boolean' ? 'a true/false condition' : `a ${type}`;
            report('error', 'limit-by', `\`limit ${limit.count} by\` keeps the audience members with the highest values of a per-customer number (a column, an RFM score, an aggregate, or arithmetic of those, as in \`by value.m + value.f\`); this is ${what}.`, { node: limit, property: 'by' });
        }
    }
    if (settings.groups) {
        report('error', 'limit-with-groups', `Campaign '${campaign.name}' reads recorded groups (\`groups from\`), which were assigned elsewhere to the whole audience: capping it would keep an arbitrary part of each group and break their split. Remove \`limit\`, or cap the audience where the groups are assigned.`, { node: limit });
    }
}

/** Two campaigns that draw control groups, run at overlapping times, and may reach the same customers. */
export function checkOverlaps(plan: Plan, report: Report): void {
    const floating: FloatingConditions = new Map();
    const drawn = plan.declarations
        .filter((d): d is Campaign => d.$type === 'Campaign')
        .map(campaign => ({ campaign, settings: campaignSettings(campaign) }))
        .filter(c => c.settings.control && c.settings.runs && !c.settings.groups)
        .map(c => ({ ...c, start: parseDate(c.settings.runs!.start), end: parseDate(c.settings.runs!.end), atoms: audienceAtoms(c.settings.audience?.condition, c.settings.runs!.start, floating) }))
        .filter(c => c.start !== undefined && c.end !== undefined);
    for (let later = 1; later < drawn.length; later++) {
        const b = drawn[later];
        const first = drawn.slice(0, later).find(a => a.start! <= b.end! && b.start! <= a.end! && !disjoint(a.atoms, b.atoms));
        if (first) {
            report('warning', 'campaign-overlap',
                `Campaigns '${first.campaign.name}' and '${b.campaign.name}' run at the same time and their audiences can overlap; a customer in both goes to '${first.campaign.name}' (declared first), and the report counts who was excluded here.`,
                { node: b.campaign, property: 'name' });
        }
    }
}
