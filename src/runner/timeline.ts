// Campaign dates: exposure, attribution window, status, and which drawn campaigns overlap in time.
import type { CampaignPlan } from './plan/runner-plan.js';

export interface CampaignTimeline {
    /** The first contact of the campaign: start of `runs` plus the smallest first-step delay (of any arm). */
    exposure: number;
    /**
     * The last customer's exposure. Without a schedule (see isScheduled) everyone is exposed at `exposure`; with one,
     * each customer at their own first contact: the scheduled last one, or before the schedule is known, the latest
     * it can be.
     */
    lastExposure: number;
    /** Event metrics count events in [a customer's exposure, + attribution days); windowEnd is the last one's end. */
    windowEnd: number;
    /** The windows as far as the evaluation date allows: events on or after `as of` have not happened yet. */
    measuredEnd: number;
    status: 'pending' | 'running' | 'complete';
    /** [start, end) during which the campaign holds its audience: from `runs` start to the later of its end and the window's. */
    activeStart: number;
    activeEnd: number;
}

/**
 * Whether customers of the campaign are exposed on different days, so that the runner schedules contacts one by one
 * (schedule/simulate.ts): a channel with a daily capacity, a conditional step, a `best of` step (each customer's own
 * channel, whose capacity and cost apply), or arms whose first steps differ in date.
 */
export function isScheduled(campaign: CampaignPlan): boolean {
    const steps = campaign.arms.flatMap(arm => arm.steps);
    if (steps.some(step => step.capacity !== undefined || step.unless !== undefined || step.bestOf)) return true;
    return new Set(campaign.arms.map(arm => firstDelay(arm.steps))).size > 1;
}

/**
 * The bounds of a scheduled campaign's days, known before the schedule: exposures lie in [firstExposure,
 * lastExposure], and no contact is later than lastContact (a contact is never pushed past the end of `runs` or its
 * own due day; a later step keeps its distance from the earlier one).
 */
export function scheduleBounds(campaign: CampaignPlan): { firstExposure: number; lastExposure: number; lastContact: number } {
    const firsts = campaign.arms.map(arm => campaign.start + firstDelay(arm.steps));
    const lastExposure = Math.max(...campaign.arms.map(arm => Math.max(campaign.end, campaign.start + firstDelay(arm.steps))));
    const lastContact = Math.max(lastExposure, ...campaign.arms.map(arm => {
        if (arm.steps.length === 0) return lastExposure;
        const delays = arm.steps.map(s => s.delayDays);
        const span = Math.max(...delays) - Math.min(...delays);
        return Math.max(campaign.end, campaign.start + Math.max(...delays)) + span;
    }));
    return { firstExposure: Math.min(...firsts), lastExposure, lastContact };
}

function firstDelay(steps: CampaignPlan['steps']): number {
    return steps.length > 0 ? Math.min(...steps.map(s => s.delayDays)) : 0;
}

/** `exposures`: the scheduled campaign's first and last exposure, once its schedule is known. */
export function timelineOf(campaign: CampaignPlan, asOf: number, exposures?: { first: number; last: number }): CampaignTimeline {
    const exposure = exposures?.first ?? campaign.start + Math.min(...campaign.arms.map(arm => firstDelay(arm.steps)));
    const lastExposure = exposures?.last ?? (isScheduled(campaign) ? scheduleBounds(campaign).lastExposure : exposure);
    const windowEnd = lastExposure + campaign.attributionDays;
    const measuredEnd = Math.max(exposure, Math.min(windowEnd, asOf));
    const status = asOf < campaign.start ? 'pending' : asOf < windowEnd ? 'running' : 'complete';
    return { exposure, lastExposure, windowEnd, measuredEnd, status, activeStart: campaign.start, activeEnd: Math.max(campaign.end + 1, windowEnd) };
}

export function overlaps(a: CampaignTimeline, b: CampaignTimeline): boolean {
    return a.activeStart < b.activeEnd && b.activeStart < a.activeEnd;
}

/** For each campaign, the earlier drawn campaigns that overlap it in time (only drawn campaigns compete for customers). */
export function earlierOverlapping(campaigns: CampaignPlan[], asOf: number): number[][] {
    const timelines = campaigns.map(c => timelineOf(c, asOf));
    return campaigns.map((campaign, i) => {
        if (campaign.assignment.kind !== 'drawn') return [];
        const earlier: number[] = [];
        for (let j = 0; j < i; j++) {
            if (campaigns[j].assignment.kind === 'drawn' && overlaps(timelines[i], timelines[j])) earlier.push(j);
        }
        return earlier;
    });
}
