// When RFM scores are computed. A model is scored as of its own date (its `as of`, else the evaluation date) for the
// segment sizes, the report and segments.csv. A campaign's audience must be decided by data from before the campaign
// starts, or customers who bought because of the campaign would leave (or join) it: a model without `as of` is also
// scored as of the start of each campaign whose audience reads it (or the evaluation date, when that is earlier).
import { formatDate, rfmModelsRead } from '../../language/semantics.js';
import type { CampaignPlan, RfmPlan, RunnerPlan } from './runner-plan.js';

export interface RfmScoring {
    rfm: RfmPlan;
    /** Day number: events before it count. */
    asOf: number;
    /** Names its measures, cut points and scores: the model's name, or `name@date` for a campaign's own scoring. */
    key: string;
}

/** The model's own scoring. */
export function modelScoring(rfm: RfmPlan, evaluationDate: number): RfmScoring {
    return { rfm, asOf: rfm.asOf ?? evaluationDate, key: rfm.name };
}

/** The scoring a campaign's audience reads for a model. */
export function audienceScoring(rfm: RfmPlan, campaign: CampaignPlan, evaluationDate: number): RfmScoring {
    if (rfm.asOf !== undefined) return modelScoring(rfm, evaluationDate);
    const asOf = Math.min(campaign.start, evaluationDate);
    return asOf === evaluationDate ? modelScoring(rfm, evaluationDate) : { rfm, asOf, key: `${rfm.name}@${formatDate(asOf)}` };
}

/** The models a campaign's audience and its `limit ... by` read (through its segments and tiers too). */
export function audienceModels(plan: RunnerPlan, campaign: CampaignPlan): RfmPlan[] {
    const read = new Set([...rfmModelsRead(campaign.audience), ...rfmModelsRead(campaign.limit?.by), ...rfmModelsRead(campaign.uplift)].map(node => node.name));
    return plan.rfms.filter(rfm => read.has(rfm.name));
}

/** Every scoring the run needs: each model's own first, then the campaigns' (each date once). */
export function rfmScorings(plan: RunnerPlan, evaluationDate: number): RfmScoring[] {
    const scorings = plan.rfms.map(rfm => modelScoring(rfm, evaluationDate));
    for (const campaign of plan.campaigns) {
        for (const rfm of audienceModels(plan, campaign)) {
            const scoring = audienceScoring(rfm, campaign, evaluationDate);
            if (!scorings.some(s => s.key === scoring.key)) scorings.push(scoring);
        }
    }
    return scorings;
}

/** Whether a campaign's audience reads only the models' own scorings (then it may use the segment flags as they are). */
export function readsOwnScorings(plan: RunnerPlan, campaign: CampaignPlan, evaluationDate: number): boolean {
    return audienceModels(plan, campaign).every(rfm => audienceScoring(rfm, campaign, evaluationDate).key === rfm.name);
}
