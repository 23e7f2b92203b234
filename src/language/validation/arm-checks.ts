// Checks of a campaign's arms (`arm NAME share N% label "..." { steps }`), of the goals that name them
// (`for ARM [vs ARM]`), of conditional steps (`unless METRIC`) and of the money beyond contacts (`fixed cost`,
// `margin`, an offer's `cost ... per METRIC`).
import type { Campaign, Margin, Metric } from '../generated/ast.js';
import { allSteps, campaignSettings, lineOf, perCustomerCountProblem } from '../semantics.js';
import type { Report } from './report.js';

/** Shares are percentages; sums are compared with this tolerance (33.3% + 33.3% + 33.4% is 100%). */
const SHARE_TOLERANCE = 1e-9;

/** Data of an `arm-share-sum` diagnostic on the last share, for the quick fix that sets it to the remainder. */
export interface ShareSumData {
    code: 'arm-share-sum';
    /** 100 minus the other arms' shares, when that is a possible share (above 0, below 100). */
    remainder?: number;
}

export function checkArms(campaign: Campaign, report: Report): void {
    const settings = campaignSettings(campaign);
    const arms = settings.arms;
    const groups = settings.groups;

    if (arms.length > 0) {
        for (const step of settings.steps) {
            report('error', 'campaign-steps-and-arms', `Campaign '${campaign.name}' has arms, so its channel steps belong inside them: move this step into each arm that makes this contact.`, { node: step });
        }
    }
    const seen = new Map<string, number>();
    for (const arm of arms) {
        if (typeof arm.name !== 'string' || arm.name.length === 0) continue;
        const first = seen.get(arm.name);
        if (first !== undefined) {
            report('error', 'duplicate-name', `Campaign '${campaign.name}' already has an arm named '${arm.name}' (line ${first}).`, { node: arm, property: 'name' });
        } else {
            seen.set(arm.name, lineOf(arm));
        }
        if (arm.steps.length === 0) {
            report('warning', 'campaign-no-channel', `Arm '${arm.name}' has no \`channel\` step, so it contacts nobody and costs nothing.`, { node: arm, property: 'name' });
        }
    }

    // Arms need a split: the runner draws one (`control N% seed`), or the data records it (`groups from`).
    if (arms.length > 0 && !groups && !settings.control) {
        report('error', 'arms-without-groups', `Campaign '${campaign.name}' has arms but nothing that splits its customers between them: add \`control N% seed "..."\` (the runner draws control and the arms) or \`groups from SOURCE.COLUMN control "..."\` (groups recorded in the data).`, { node: arms[0], property: 'name' });
    }

    // Shares split the treatment group of drawn groups; recorded groups are split by the data (and `split`).
    const withShare = arms.filter(a => a.share !== undefined);
    if (groups) {
        for (const arm of withShare) {
            report('warning', 'arm-setting-unused', `Recorded groups are assigned in the data, so arm '${arm.name}' keeps the customers labelled "${arm.label ?? ''}" whatever its share: state the intended ratio with \`split\` instead.`, { node: arm, property: 'share' });
        }
    } else {
        for (const arm of withShare) {
            if (!(arm.share! > 0 && arm.share! < 100)) {
                report('error', 'arm-share-range', `An arm's share must be above 0% and below 100%, not ${arm.share}%.`, { node: arm, property: 'share' });
            }
        }
        if (withShare.length > 0 && withShare.length < arms.length) {
            for (const arm of arms.filter(a => a.share === undefined)) {
                report('error', 'arm-share-sum', `Give every arm a share, or none (the arms then split the treatment group equally): arm '${arm.name}' has none.`, { node: arm, property: 'name' });
            }
        } else if (withShare.length > 0 && withShare.length === arms.length) {
            const total = arms.reduce((sum, a) => sum + a.share!, 0);
            if (Math.abs(total - 100) > SHARE_TOLERANCE) {
                const last = arms[arms.length - 1];
                const remainder = roundShare(100 - arms.slice(0, -1).reduce((sum, a) => sum + a.share!, 0));
                const data: ShareSumData = { code: 'arm-share-sum', remainder: remainder > 0 && remainder < 100 ? remainder : undefined };
                report('error', 'arm-share-sum', `The arms' shares add up to ${roundShare(total)}%, not 100%: they split the treatment group.`, { node: last, property: 'share', data: { ...data } });
            }
        }
    }

    // Labels name recorded groups: with arms, the control is named by `groups` and each arm by its `label`.
    if (groups) {
        if (arms.length > 0 && groups.treatment !== undefined) {
            report('error', 'groups-form', `Campaign '${campaign.name}' has arms, so each arm names its group with \`label "..."\`: write \`groups from ${groups.source?.$refText ?? 'SOURCE'}.${groups.column?.$refText ?? 'COLUMN'} control "..."\` without \`treatment\`.`, { node: groups, property: 'treatment' });
        } else if (arms.length === 0 && groups.treatment === undefined) {
            report('error', 'groups-form', 'Name the treatment group too, as in `groups from SOURCE.COLUMN treatment "A" control "B"`, or declare arms with a `label` each.', { node: groups });
        }
        const labels = new Map<string, string>();
        if (groups.control !== undefined) labels.set(groups.control, 'the control group');
        for (const arm of arms) {
            if (arm.label === undefined) {
                if (groups.treatment === undefined) {
                    report('error', 'arm-label-missing', `Arm '${arm.name}' needs \`label "..."\`: the value of ${groups.column?.$refText ?? 'the group column'} that marks its customers.`, { node: arm, property: 'name' });
                }
                continue;
            }
            const other = labels.get(arm.label);
            if (other) {
                report('error', 'groups-same-label', `Arm '${arm.name}' has the label "${arm.label}", which already marks ${other}.`, { node: arm, property: 'label' });
            } else {
                labels.set(arm.label, `arm '${arm.name}'`);
            }
        }
    } else {
        for (const arm of arms.filter(a => a.label !== undefined)) {
            report('warning', 'arm-setting-unused', `Arm '${arm.name}' has a label, but only recorded groups (\`groups from\`) are read by label; the runner draws this campaign's groups.`, { node: arm, property: 'label' });
        }
    }

    for (const goal of settings.goals) {
        const target = goal.target;
        if (!target?.arm) continue;
        if (arms.length === 0) {
            report('error', 'goal-for-without-arms', `Campaign '${campaign.name}' has no arms, so \`for ${target.arm.$refText}\` names nothing: remove it (the goal is judged on the whole campaign).`, { node: target, property: 'arm' });
            continue;
        }
        if (target.versus) {
            // Arms are compared by their lift, and by their ROI (A's extra value over B against A's extra cost).
            if (!(target.kind === 'lift' || target.kind === 'roi')) {
                report('error', 'goal-vs', `\`vs\` compares two arms' lift or ROI; a ${target.kind} goal is judged on one arm: remove \`vs ${target.versus.$refText}\`.`, { node: target, property: 'versus' });
            } else if (target.versus.$refText === target.arm.$refText) {
                report('error', 'goal-vs', `A ${target.kind === 'roi' ? 'return' : 'lift'} of arm '${target.arm.$refText}' over itself is always ${target.kind === 'roi' ? 'undefined' : '0'}: compare it with another arm, or remove \`vs\` (then it is measured against control).`, { node: target, property: 'versus' });
            }
        }
    }

    for (const step of allSteps(campaign)) {
        const metric = step.unless?.ref;
        const problem = metric && perCustomerCountProblem(metric, ['boolean', 'number']);
        if (problem) {
            report('error', 'unless-metric', `\`unless\` skips customers for whom '${metric.name}' holds by the day of the step, so it needs a per-customer yes/no or count (any(...), count(...), or a boolean or number customers column); '${metric.name}' is ${problem}.`, { node: step, property: 'unless' });
        }
    }
}

export function checkMoney(campaign: Campaign, report: Report): void {
    const settings = campaignSettings(campaign);
    if (settings.margin) checkMargin(settings.margin, report);
    const offer = settings.offer;
    const metric: Metric | undefined = offer?.per?.ref;
    const problem = metric && perCustomerCountProblem(metric, ['number']);
    if (offer && metric && problem) {
        report('error', 'offer-cost-metric', `An offer's cost is paid per unit of '${metric.name}' of each treatment customer, so it needs a count (any(...), count(...), or a number customers column); '${metric.name}' is ${problem}.`, { node: offer, property: 'per' });
    }
}

/** A margin is the share of the value metric's increment that is profit: above 0%, at most 100%. */
export function checkMargin(margin: Margin, report: Report): void {
    if (!(margin.percent > 0 && margin.percent <= 100)) {
        report('error', 'margin-range', `A margin must be above 0% and at most 100%, not ${margin.percent}%.`, { node: margin, property: 'percent' });
    }
}

function roundShare(value: number): number {
    return Math.round(value * 1e6) / 1e6;
}
