// A campaign's contacts per arm and step, and its schedule per channel and day: from the simulated schedule when the
// campaign has one (see isScheduled), otherwise every arm member on each step's date.
import { formatDate } from '../../language/semantics.js';
import type { CampaignPlan } from '../plan/runner-plan.js';
import { stepChannels } from '../plan/runner-plan.js';
import type { CampaignSchedule } from './schedule-campaigns.js';

export interface ScheduleRow {
    arm: string;
    channel: string;
    day: number;
    contacts: number;
}

export interface CampaignContacts {
    /** Contacts per arm and step (as declared). */
    stepContacts: number[][];
    /** Contacts per arm and step, by the channel that made them (a `best of` step's options; others: its channel). */
    stepChannels: Array<Array<Map<string, number>>>;
    /** One row per arm, channel and day with contacts. */
    rows: ScheduleRow[];
    /** Contacts that did not fit before the end of `runs`, per channel. */
    overflow: Map<string, number>;
    /** Conditional contacts left out because the metric had happened, per arm and step. */
    skipped: number[][];
}

export function campaignContacts(campaign: CampaignPlan, armSizes: number[], schedule: CampaignSchedule | undefined): CampaignContacts {
    if (schedule) {
        const r = schedule.result;
        return {
            stepContacts: r.stepContacts,
            stepChannels: r.stepChannels,
            rows: r.contacts.map(c => ({ arm: campaign.arms[c.arm].name, channel: c.channel, day: c.day, contacts: c.contacts })),
            overflow: r.overflow,
            skipped: r.skipped
        };
    }
    const rows: ScheduleRow[] = [];
    campaign.arms.forEach((arm, i) => {
        for (const step of arm.steps) {
            const day = campaign.start + step.delayDays;
            const same = rows.find(row => row.arm === arm.name && row.channel === step.channel && row.day === day);
            if (same) same.contacts += armSizes[i];
            else if (armSizes[i] > 0) rows.push({ arm: arm.name, channel: step.channel, day, contacts: armSizes[i] });
        }
    });
    rows.sort((a, b) => campaign.arms.findIndex(x => x.name === a.arm) - campaign.arms.findIndex(x => x.name === b.arm) || a.day - b.day);
    return {
        stepContacts: campaign.arms.map((arm, i) => arm.steps.map(() => armSizes[i])),
        stepChannels: campaign.arms.map((arm, i) => arm.steps.map(step => new Map(armSizes[i] > 0 ? [[step.channel, armSizes[i]]] : []))),
        rows,
        overflow: new Map(),
        skipped: campaign.arms.map(arm => arm.steps.map(() => 0))
    };
}

/** One warning per channel whose contacts did not all fit before the end of `runs`. */
export function overflowWarnings(campaign: CampaignPlan, contacts: CampaignContacts): string[] {
    return [...contacts.overflow].map(([channel, count]) => {
        const capacity = campaign.arms.flatMap(arm => arm.steps).flatMap(stepChannels).find(option => option.channel === channel)?.capacity;
        const one = count === 1;
        return `${count} ${channel} contact${one ? '' : 's'} did not fit before the end of runs (${formatDate(campaign.end)})${capacity !== undefined ? ` at ${capacity} a day` : ''}: ` +
            `${one ? 'that customer stays' : 'those customers stay'} in their group (intention to treat) and ${one ? 'is' : 'are'} not charged.`;
    });
}
