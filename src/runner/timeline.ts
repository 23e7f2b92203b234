// Campaign dates: exposure, attribution window, status, and which drawn campaigns overlap in time.
import type { CampaignPlan } from './plan/runner-plan.js';

export interface CampaignTimeline {
    /** The first contact: start of `runs` plus the smallest step delay (of any arm). Treatment and control are exposed then. */
    exposure: number;
    /** Event metrics count events in [exposure, windowEnd). */
    windowEnd: number;
    /** The window as far as the evaluation date allows: events on or after `as of` have not happened yet. */
    measuredEnd: number;
    status: 'pending' | 'running' | 'complete';
    /** [start, end) during which the campaign holds its audience: from `runs` start to the later of its end and the window's. */
    activeStart: number;
    activeEnd: number;
}

export function timelineOf(campaign: CampaignPlan, asOf: number): CampaignTimeline {
    // With arms, every arm (and control) is exposed at the campaign's first contact, in whichever arm it is.
    const steps = campaign.arms ? campaign.arms.flatMap(arm => arm.steps) : campaign.steps;
    const firstDelay = steps.length > 0 ? Math.min(...steps.map(s => s.delayDays)) : 0;
    const exposure = campaign.start + firstDelay;
    const windowEnd = exposure + campaign.attributionDays;
    const measuredEnd = Math.max(exposure, Math.min(windowEnd, asOf));
    const status = asOf < campaign.start ? 'pending' : asOf < windowEnd ? 'running' : 'complete';
    return { exposure, windowEnd, measuredEnd, status, activeStart: campaign.start, activeEnd: Math.max(campaign.end + 1, windowEnd) };
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
