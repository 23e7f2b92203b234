// Arms, conditional steps and the money beyond contacts (issue 9): what the checks say beyond the one case per code
// in diagnostic-codes.test.ts, and what the semantics helpers give the runner.
import { describe, expect, it } from 'vitest';
import type { Campaign, Goal } from '../../src/language/generated/ast.js';
import { isCampaign } from '../../src/language/generated/ast.js';
import { allSteps, campaignArms, campaignMargin, campaignSettings, declarationsOf, goalArms, recordedSplit } from '../../src/language/semantics.js';
import { campaign, check, describeDiagnostics, expectClean, expectCode, expectNoCode, plan, withCode } from './helpers.js';

const arm = (header: string, steps = '      channel email') => `    arm ${header} {\n${steps}\n    }`;
const goal = (text: string) => `    goal ${text}`;

function campaignOf(result: { model: import('../../src/language/generated/ast.js').Model }, name = 'c'): Campaign {
    return declarationsOf(result.model).find((d): d is Campaign => isCampaign(d) && d.name === name)!;
}

describe('arms', () => {
    it('a campaign without arms is one implicit arm with the campaign-level steps', async () => {
        const result = await check(plan(campaign('c', '    channel sms after 3 days')));
        expectClean(result);
        const c = campaignOf(result);
        expect(campaignArms(c).map(a => [a.name, a.node, a.steps.length, a.sharePercent])).toEqual([['c', undefined, 2, 100]]);
    });

    it('arms with shares, and arms without (equal shares)', async () => {
        const stated = await check(plan(campaign('c', [arm('a share 30%'), arm('b share 70%', '      channel email\n      channel sms after 2 days unless responded')].join('\n'), { omit: ['channel'] })));
        expectClean(stated);
        const c = campaignOf(stated);
        expect(campaignArms(c).map(a => [a.name, a.sharePercent, a.steps.length])).toEqual([['a', 30, 1], ['b', 70, 2]]);
        expect(allSteps(c).map(s => s.unless?.ref?.name)).toEqual([undefined, undefined, 'responded']);
        const equal = await check(plan(campaign('c', [arm('a'), arm('b'), arm('x')].join('\n'), { omit: ['channel'] })));
        expectClean(equal);
        expect(campaignArms(campaignOf(equal)).map(a => a.sharePercent)).toEqual([100 / 3, 100 / 3, 100 / 3]);
    });

    it('wants every share or none, and shares adding up to 100%', async () => {
        const partial = await check(plan(campaign('c', [arm('a share 50%'), arm('b')].join('\n'), { omit: ['channel'] })));
        expectCode(partial, 'arm-share-sum', 'error', 'arm b', /Give every arm a share, or none/);
        const sum = await check(plan(campaign('c', [arm('a share 33.3%'), arm('b share 33.3%'), arm('x share 33.4%')].join('\n'), { omit: ['channel'] })));
        expectClean(sum);
        const over = await check(plan(campaign('c', [arm('a share 70%'), arm('b share 70%')].join('\n'), { omit: ['channel'] })));
        const [diagnostic] = expectCode(over, 'arm-share-sum', 'error', 'arm b share 70%', /add up to 140%/);
        expect((diagnostic.data as { remainder?: number }).remainder).toBe(30);
    });

    it('reports duplicate arm names, an arm without steps, and steps beside arms', async () => {
        const result = await check(plan(campaign('c', [arm('a'), arm('a'), arm('b', '')].join('\n'))));
        expectCode(result, 'duplicate-name', 'error', lineNumber(result.text, 'arm a', 1), /already has an arm named 'a'/);
        expectCode(result, 'campaign-no-channel', 'warning', 'arm b', /Arm 'b' has no `channel` step/);
        expectCode(result, 'campaign-steps-and-arms', 'error', '    channel email');
        expectNoCode(await check(plan(campaign('c', [arm('a'), arm('b')].join('\n'), { omit: ['channel'] }))), 'campaign-no-channel');
    });

    it('scopes `for` to the campaign\'s own arms', async () => {
        const text = plan(`${campaign('c', [arm('a'), arm('b'), goal('lift(responded) for elsewhere >= 5% by 2026-07-31')].join('\n'), { omit: ['channel'] })}\n${campaign('d', [arm('elsewhere'), arm('f')].join('\n'), { omit: ['channel'] }).replace('2026-05-01 to 2026-05-31', '2027-05-01 to 2027-05-31')}`);
        const result = await check(text);
        expectCode(result, 'unresolved-reference', 'error', 'for elsewhere', /Unknown arm of this campaign 'elsewhere'/);
    });

    it('judges a lift `for A vs B` without a control group (but arms need a split), and `vs` only on lifts and ROI', async () => {
        const noControl = (g: string) => plan(campaign('c', [arm('a'), arm('b'), goal(g)].join('\n'), { omit: ['channel', 'control'] }));
        // Arms need a split (a drawn control or recorded groups); the goal itself is fine without a control group.
        const versus = await check(noControl('lift(responded) for a vs b >= 5% by 2026-07-31'));
        expectCode(versus, 'arms-without-groups', 'error', 'arm a', /has arms but nothing that splits its customers between them/);
        expect(versus.diagnostics.filter(d => d.severity === 1).map(d => d.code)).toEqual(['arms-without-groups']);
        expectCode(await check(noControl('lift(responded) for a >= 5% by 2026-07-31')), 'goal-lift-without-control', 'error', 'goal lift');
        const result = await check(plan(campaign('c', [arm('a'), arm('b'), goal('mean(responded) for a vs b >= 5% by 2026-07-31')].join('\n'), { omit: ['channel'] })));
        expectCode(result, 'goal-vs', 'error', 'goal mean', /compares two arms' lift or ROI/);
        expectCode(await check(plan(campaign('c', [arm('a'), arm('b'), goal('cost for a vs b <= 500 by 2026-07-31')].join('\n'), { omit: ['channel'] }))), 'goal-vs', 'error', 'goal cost');
        expectCode(await check(plan(campaign('c', [arm('a'), arm('b'), goal('roi for a vs a >= 0 by 2026-07-31')].join('\n'), { omit: ['channel'] }))), 'goal-vs', 'error', 'goal roi', /over itself/);
        const g = campaignSettings(campaignOf(result)).goals[0] as Goal;
        expect([goalArms(g).arm?.name, goalArms(g).versus?.name]).toEqual(['a', 'b']);
    });

    it('compares two arms by ROI: `roi for A vs B` is a goal (A\'s extra value over B against its extra cost)', async () => {
        const result = await check(plan(campaign('c', [arm('a'), arm('b'), goal('lift(responded) >= 5% by 2026-07-31'), goal('roi for a vs b >= 0 by 2026-07-31')].join('\n'), { omit: ['channel'] })));
        expectNoCode(result, 'goal-vs');
    });

    it('counts steps inside arms for deadlines and the end of the campaign', async () => {
        const result = await check(plan(campaign('c', [arm('a'), arm('b', '      channel sms after 40 days'), goal('lift(responded) >= 5% by 2026-07-01')].join('\n'), { omit: ['channel'] })));
        expectCode(result, 'step-after-end', 'warning', 'channel sms after 40 days');
        expectCode(result, 'goal-deadline-before-outcome', 'warning', 'goal lift');
    });
});

describe('recorded groups with arms', () => {
    const recorded = (groups: string, ...arms: string[]) => plan(campaign('c', `    ${groups}\n${arms.join('\n')}`, { omit: ['channel', 'control'] }));

    it('reads control first, then the arms in order', async () => {
        const result = await check(recorded('groups from shoppers.cohort control "none" split 2:1:1', arm('a label "A"'), arm('b label "B"')));
        expectClean(result);
        const c = campaignOf(result);
        expect(recordedSplit(c)).toEqual({ control: 2, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] });
        expect(campaignArms(c).map(a => a.label)).toEqual(['A', 'B']);
    });

    it('keeps the old form: treatment first, 1:1 without a split', async () => {
        const result = await check(plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c" split 3:1', { omit: ['control'] })));
        expectClean(result);
        expect(recordedSplit(campaignOf(result))).toEqual({ control: 1, arms: [{ name: 'c', weight: 3 }] });
        expect(campaignArms(campaignOf(result))[0].label).toBe('t');
    });

    it('wants one split term per group', async () => {
        expectCode(await check(recorded('groups from shoppers.cohort control "none" split 1:1', arm('a label "A"'), arm('b label "B"'))), 'groups-split', 'error', 'groups from', /has 2 terms; it needs 3: control first/);
        expectCode(await check(plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c" split 1:1:1', { omit: ['control'] }))), 'groups-split', 'error', 'groups from', /needs 2: treatment and control/);
        expectCode(await check(recorded('groups from shoppers.cohort control "none" split 1:0:1', arm('a label "A"'), arm('b label "B"'))), 'groups-split', 'error', 'groups from', /positive weights/);
    });

    it('wants different labels for every group', async () => {
        expectCode(await check(recorded('groups from shoppers.cohort control "none"', arm('a label "A"'), arm('b label "A"'))), 'groups-same-label', 'error', 'arm b', /already marks arm 'a'/);
        expectCode(await check(recorded('groups from shoppers.cohort control "none"', arm('a label "none"'), arm('b label "B"'))), 'groups-same-label', 'error', 'arm a', /already marks the control group/);
    });

    it('wants a treatment label without arms', async () => {
        expectCode(await check(plan(campaign('c', '    groups from shoppers.cohort control "c"', { omit: ['control'] }))), 'groups-form', 'error', 'groups from', /Name the treatment group too/);
    });

    it('warns that shares are not read with recorded groups', async () => {
        expectCode(await check(recorded('groups from shoppers.cohort control "none"', arm('a share 50% label "A"'), arm('b share 50% label "B"'))), 'arm-setting-unused', 'warning', 'arm a', /state the intended ratio with `split`/);
    });
});

describe('conditional steps and money', () => {
    it('takes any, count and boolean or number columns for `unless`', async () => {
        for (const metric of ['responded', 'orders_n', 'opted', 'visit_rate']) {
            expectClean(await check(plan(campaign('c', `    channel sms after 3 days unless ${metric}`))));
        }
        for (const [metric, what] of [['basket', 'a ratio'], ['avg_amount', 'a mean of events'], ['revenue', 'a sum of events']]) {
            expectCode(await check(plan(campaign('c', `    channel sms after 3 days unless ${metric}`))), 'unless-metric', 'error', 'unless', new RegExp(what));
        }
    });

    it('takes any, count and number columns for an offer\'s cost', async () => {
        for (const metric of ['responded', 'orders_n', 'spend']) expectClean(await check(plan(campaign('c', `    offer "x" cost 2 per ${metric}`))));
        expectCode(await check(plan(campaign('c', '    offer "x" cost 2 per opted'))), 'offer-cost-metric', 'error', 'offer "x"', /a boolean column/);
    });

    it('applies the campaign margin over the plan margin, once each', async () => {
        const text = plan(`  margin 40%\n${campaign('c', '    margin 35%')}\n${campaign('d', '').replace('2026-05-01 to 2026-05-31', '2027-05-01 to 2027-05-31')}`);
        const result = await check(text);
        expectClean(result);
        expect(campaignMargin(campaignOf(result, 'c'))).toBe(35);
        expect(campaignMargin(campaignOf(result, 'd'))).toBe(40);
        expectCode(await check(plan('  margin 40%\n  margin 30%')), 'plan-duplicate-setting', 'error', 'margin 30%');
        expectCode(await check(plan('  margin 0%')), 'margin-range', 'error', 'margin 0%');
        expectCode(await check(plan(campaign('c', '    margin 30%\n    margin 20%'))), 'duplicate-statement', 'error', 'margin 20%');
        expectCode(await check(plan(campaign('c', '    fixed cost 10\n    fixed cost 20'))), 'duplicate-statement', 'error', 'fixed cost 20');
        expect(campaignSettings(campaignOf(await check(plan(campaign('c', '    fixed cost 5000'))))).fixedCost?.amount).toBe(5000);
    });

    it('accepts the new keywords as names', async () => {
        const result = await check(plan('  customers people from "p.csv" key id {\n    label: text\n    share: number\n    margin: number\n    arm: text\n  }'));
        expect(describeDiagnostics(withCode(result, 'syntax-error'))).toBe('');
    });
});

function lineNumber(text: string, needle: string, nth: number): number {
    const lines = text.split('\n');
    let seen = -1;
    for (let i = 0; i < lines.length; i++) if (lines[i].includes(needle) && ++seen === nth) return i + 1;
    throw new Error(`no line ${nth} with ${needle}`);
}
