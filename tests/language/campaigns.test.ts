// Campaign checks: required and single statements, schedule, control groups, and overlaps between campaigns.
import { describe, expect, it } from 'vitest';
import { campaign, check, describeDiagnostics, expectClean, expectCode, expectNoCode, lineOf, plan, withCode } from './helpers.js';

describe('campaign statements', () => {
    const once: Array<[string, string]> = [
        ['audience', 'audience loyal'],
        ['offer', 'offer "10% off"'],
        ['runs', 'runs 2026-05-01 to 2026-05-31'],
        ['control', 'control 10% seed "again"'],
        ['groups', 'groups from shoppers.cohort treatment "t" control "c"'],
        ['attribution', 'attribution 14 days'],
        ['budget', 'budget 100'],
        ['value', 'value revenue']
    ];
    for (const [keyword, statement] of once) {
        it(`allows \`${keyword}\` once`, async () => {
            const base = keyword === 'groups' ? { omit: ['control' as const] } : {};
            const first = ['audience', 'runs', 'control'].includes(keyword) ? '' : `    ${statement}\n`;
            const text = plan(campaign('c', `${first}    ${statement}`, base));
            const result = await check(text);
            const duplicates = withCode(result, 'duplicate-statement');
            expect(duplicates.map(d => d.message)).toEqual([`Campaign 'c' states \`${keyword}\` more than once.`]);
            expect(duplicates[0].range.start.line + 1).toBe(text.split('\n').lastIndexOf(`    ${statement}`) + 1);
        });
    }

    it('allows any number of channel steps and goals', async () => {
        const text = plan(campaign('c', '    channel sms after 3 days\n    channel email after 10 days\n    goal lift(responded) >= 5% by 2026-07-31\n    goal total(revenue) >= 100 by 2026-07-31'));
        expectClean(await check(text));
    });

    it('needs an audience and a schedule, and warns when no channel contacts anyone', async () => {
        const text = plan('  campaign c {\n    offer "nothing"\n  }');
        const result = await check(text);
        expectCode(result, 'campaign-missing-audience', 'error', 'campaign c');
        expectCode(result, 'campaign-missing-runs', 'error', 'campaign c');
        expectCode(result, 'campaign-no-channel', 'warning', 'campaign c');
    });

    it('checks the audience as a condition', async () => {
        const text = plan(campaign('c', '    audience revenue > 5', { omit: ['audience'] }));
        expectCode(await check(text), 'not-a-value', 'error', 'audience revenue');
        const typed = plan(campaign('c', '    audience shoppers.region > 5', { omit: ['audience'] }));
        expectCode(await check(typed), 'type-mismatch', 'error', 'audience shoppers');
    });

    it('warns once per step whose channel has no cost', async () => {
        const text = plan(`  channel free\n${campaign('c', '    channel free after 2 days\n    channel free after 4 days')}`);
        const result = await check(text);
        expect(withCode(result, 'channel-no-cost').map(d => [d.severity, d.range.start.line + 1])).toEqual([
            [2, lineOf(text, 'channel free after 2')], [2, lineOf(text, 'channel free after 4')]
        ]);
    });
});

describe('schedule', () => {
    const runs = (start: string, end: string, extra = '') => plan(campaign('c', `    runs ${start} to ${end}${extra}`, { omit: ['runs'] }));

    it('wants runs to end on or after the start', async () => {
        expectCode(await check(runs('2026-05-02', '2026-05-01')), 'runs-reversed', 'error', 'runs 2026-05-02', 'The campaign ends (2026-05-01) before it starts (2026-05-02).');
        expectCode(await check(runs('2027-01-01', '2026-12-31')), 'runs-reversed', 'error', 'runs 2027-01-01');
        expectClean(await check(runs('2026-05-01', '2026-05-01')));
        expectClean(await check(runs('2026-12-31', '2027-01-01')));
    });

    it('reports a start or end not in the calendar, and no reversal then', async () => {
        const start = await check(runs('2026-04-31', '2026-05-31'));
        expectCode(start, 'invalid-date', 'error', 'runs 2026-04-31', '2026-04-31 is not a date in the calendar.');
        const end = await check(runs('2026-05-01', '2026-05-32'));
        expectCode(end, 'invalid-date', 'error', 'runs 2026-05-01', '2026-05-32 is not a date in the calendar.');
        expectNoCode(end, 'runs-reversed');
        expectClean(await check(runs('2028-02-01', '2028-02-29')));
        expectCode(await check(runs('2026-02-01', '2026-02-29')), 'invalid-date', 'error', 'runs 2026-02-01');
    });

    it('warns about a step after the end, counting days from the start', async () => {
        expectCode(await check(plan(campaign('c', '    channel sms after 31 days'))), 'step-after-end', 'warning', 'channel sms after 31', "past the campaign's end (2026-05-31)");
        expectClean(await check(plan(campaign('c', '    channel sms after 30 days'))));
        expectClean(await check(plan(campaign('c', '    channel sms after 0 days'))));
    });

    it('wants whole days for step delays and attribution windows of at least one day', async () => {
        expectCode(await check(plan(campaign('c', '    channel sms after 1.5 days'))), 'attribution-range', 'error', 'channel sms after', 'A step delay is a whole number of days.');
        for (const days of ['0 days', '1.5 days', '0 day']) {
            expectCode(await check(plan(campaign('c', `    attribution ${days}`))), 'attribution-range', 'error', 'attribution');
        }
        for (const days of ['1 day', '1 days', '90 days']) expectClean(await check(plan(campaign('c', `    attribution ${days}`))));
    });

    it('wants a positive budget', async () => {
        expectCode(await check(plan(campaign('c', '    budget 0'))), 'budget-range', 'error', 'budget 0', 'A budget must be positive.');
        expectClean(await check(plan(campaign('c', '    budget 0.01'))));
    });
});

describe('control groups', () => {
    const control = (share: string) => plan(campaign('c', `    control ${share} seed "s"`, { omit: ['control'] }));

    it('takes a drawn share above 0% and at most 50%', async () => {
        for (const share of ['0%', '51%', '50.5%', '100%']) {
            expectCode(await check(control(share)), 'control-share-range', 'error', 'control', `not ${share}`);
        }
        for (const share of ['0.5%', '1%', '10%', '50%']) expectClean(await check(control(share)));
    });

    it('does not take both a drawn control and recorded groups', async () => {
        const text = plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"'));
        const result = await check(text);
        expectCode(result, 'control-conflict', 'error', 'groups from');
        expect(withCode(result, 'control-conflict')).toHaveLength(1);
    });

    const groups = (rest: string) => plan(campaign('c', `    groups from ${rest}`, { omit: ['control'] }));

    it('reads recorded groups from a customers source', async () => {
        expectCode(await check(groups('orders.sku treatment "t" control "c"')), 'groups-source', 'error', 'groups from', "'orders' is an events source");
        expectClean(await check(groups('shoppers.cohort treatment "t" control "c"')));
        expectClean(await check(groups('shoppers.customer_id treatment "t" control "c"')));
    });

    it('wants two different labels', async () => {
        expectCode(await check(groups('shoppers.cohort treatment "A" control "A"')), 'groups-same-label', 'error', 'groups from', 'both "A"');
        expectClean(await check(groups('shoppers.cohort treatment "A" control "a"')));
    });

    it('wants a split of two positive weights', async () => {
        for (const split of ['0:1', '1:0', '0:0']) {
            expectCode(await check(groups(`shoppers.cohort treatment "t" control "c" split ${split}`)), 'groups-split', 'error', 'groups from');
        }
        for (const split of ['1:1', '3:1', '0.5:0.5']) {
            expectClean(await check(groups(`shoppers.cohort treatment "t" control "c" split ${split}`)));
        }
    });
});

describe('overlapping campaigns', () => {
    /** Two campaigns with drawn controls; `a` and `b` replace their audiences (and more statements). */
    const pair = (a: string, b: string, options: { aRuns?: string; bRuns?: string } = {}) => plan([
        campaign('a', `    audience ${a}${options.aRuns ? `\n    runs ${options.aRuns}` : ''}`, { omit: options.aRuns ? ['audience', 'runs'] : ['audience'] }),
        campaign('b', `    audience ${b}${options.bRuns ? `\n    runs ${options.bRuns}` : ''}`, { omit: options.bRuns ? ['audience', 'runs'] : ['audience'] })
    ].join('\n'));
    const overlaps = async (text: string) => withCode(await check(text), 'campaign-overlap');

    it('warns on the later campaign when audiences and windows can overlap', async () => {
        const text = pair('everyone', 'loyal');
        const result = await check(text);
        expectCode(result, 'campaign-overlap', 'warning', 'campaign b', "Campaigns 'a' and 'b' run at the same time and their audiences can overlap; a customer in both goes to 'a' (declared first)");
        expect(withCode(result, 'campaign-overlap')).toHaveLength(1);
    });

    it('does not warn when one audience is the negation of the other', async () => {
        expect(await overlaps(pair('loyal', 'not loyal'))).toEqual([]);
        expect(await overlaps(pair('loyal and shoppers.age > 30', 'not loyal'))).toEqual([]);
        expect(await overlaps(pair('not loyal', 'loyal and shoppers.opted_in'))).toEqual([]);
    });

    it('does not warn when ranges on one score or column cannot meet', async () => {
        expect(await overlaps(pair('value.r <= 2', 'value.r >= 4'))).toEqual([]);
        expect(await overlaps(pair('value.r < 3', 'value.r >= 3'))).toEqual([]);
        expect(await overlaps(pair('shoppers.age between 18 and 29', 'shoppers.age between 30 and 65'))).toEqual([]);
        expect(await overlaps(pair('shoppers.joined < 2026-01-01', 'shoppers.joined >= 2026-01-01'))).toEqual([]);
        expect(await overlaps(pair('5 > value.m', 'value.m >= 5'))).toEqual([]);
    });

    it('does not warn when values on one column differ', async () => {
        expect(await overlaps(pair('shoppers.region = "north"', 'shoppers.region = "south"'))).toEqual([]);
        expect(await overlaps(pair('shoppers.region in ["north", "east"]', 'shoppers.region in ["south", "west"]'))).toEqual([]);
        expect(await overlaps(pair('value.r = 1', 'value.r >= 2'))).toEqual([]);
    });

    it('does not warn when one excludes (`!=`, `not in`, `not`) every value the other allows', async () => {
        expect(await overlaps(pair('shoppers.region = "north"', 'shoppers.region != "north"'))).toEqual([]);
        expect(await overlaps(pair('shoppers.region in ["north", "south"]', 'shoppers.region not in ["north", "south"]'))).toEqual([]);
        expect(await overlaps(pair('shoppers.opted_in', 'not shoppers.opted_in'))).toEqual([]);
        expect(await overlaps(pair('shoppers.opted_in = true', 'shoppers.opted_in = false'))).toEqual([]);
        expect(await overlaps(pair('shoppers.opted_in and value.r <= 2', 'value.f >= 2 and not shoppers.opted_in'))).toEqual([]);
        expect(await overlaps(pair('value.r between 3 and 3', 'value.r != 3'))).toEqual([]);
    });

    it('warns when an exclusion leaves a value the other allows', async () => {
        expect(await overlaps(pair('shoppers.region in ["north", "south"]', 'shoppers.region not in ["north"]'))).toHaveLength(1);
        expect(await overlaps(pair('shoppers.region != "north"', 'shoppers.region != "south"'))).toHaveLength(1);
        expect(await overlaps(pair('value.r >= 3', 'value.r != 3'))).toHaveLength(1);
        expect(await overlaps(pair('shoppers.opted_in', 'shoppers.opted_in = true'))).toHaveLength(1);
        expect(await overlaps(pair('not shoppers.opted_in', 'shoppers.opted_in = false'))).toHaveLength(1);
    });

    it('follows segments to their conditions', async () => {
        // `loyal` is value.f >= 4.
        expect(await overlaps(pair('loyal', 'value.f <= 3'))).toEqual([]);
        expect(await overlaps(pair('loyal', 'value.f <= 4'))).toHaveLength(1);
    });

    it('warns when ranges or values meet', async () => {
        expect(await overlaps(pair('value.r <= 3', 'value.r >= 3'))).toHaveLength(1);
        expect(await overlaps(pair('shoppers.region in ["north", "east"]', 'shoppers.region = "east"'))).toHaveLength(1);
        expect(await overlaps(pair('value.r <= 2', 'value.f >= 4'))).toHaveLength(1);
        expect(await overlaps(pair('loyal or value.r <= 2', 'not loyal'))).toHaveLength(1);
    });

    it('does not warn when the windows do not meet, and warns when they share a day', async () => {
        expect(await overlaps(pair('everyone', 'everyone', { aRuns: '2026-05-01 to 2026-05-31', bRuns: '2026-06-01 to 2026-06-30' }))).toEqual([]);
        expect(await overlaps(pair('everyone', 'everyone', { aRuns: '2026-06-01 to 2026-06-30', bRuns: '2026-05-01 to 2026-05-31' }))).toEqual([]);
        expect(await overlaps(pair('everyone', 'everyone', { aRuns: '2026-05-01 to 2026-05-31', bRuns: '2026-05-31 to 2026-06-30' }))).toHaveLength(1);
        expect(await overlaps(pair('everyone', 'everyone', { aRuns: '2026-05-01 to 2026-06-30', bRuns: '2026-05-10 to 2026-05-20' }))).toHaveLength(1);
    });

    it('leaves out campaigns with recorded groups or without a control group', async () => {
        const recorded = plan([campaign('a', ''), campaign('b', '    groups from shoppers.cohort treatment "t" control "c"', { omit: ['control'] })].join('\n'));
        expect(await overlaps(recorded)).toEqual([]);
        const uncontrolled = plan([campaign('a', ''), campaign('b', '', { omit: ['control'] })].join('\n'));
        expect(await overlaps(uncontrolled)).toEqual([]);
    });

    it('names the first earlier campaign it overlaps, once per later campaign', async () => {
        const text = plan([
            campaign('a', '    audience value.r <= 2', { omit: ['audience'] }),
            campaign('b', '    audience value.r >= 4', { omit: ['audience'] }),
            campaign('c', '    audience value.r >= 5', { omit: ['audience'] }),
            campaign('d', '    audience everyone', { omit: ['audience'] })
        ].join('\n'));
        const result = await check(text);
        const found = withCode(result, 'campaign-overlap').map(d => [d.range.start.line + 1, d.message.slice(0, d.message.indexOf(' run at'))]);
        expect(found, describeDiagnostics(result.diagnostics)).toEqual([
            [lineOf(text, 'campaign c'), "Campaigns 'b' and 'c'"],
            [lineOf(text, 'campaign d'), "Campaigns 'a' and 'd'"]
        ]);
    });
});

describe('overlaps of audiences scored on different dates', () => {
    // A model without `as of` scores each campaign's audience as of its own start: `loyal` on 1 May and `not loyal`
    // on 10 May are facts about different dates, and one customer can be both.
    const body = (asOf: string) => plan(`${campaign('a', '    audience loyal', { omit: ['audience'] })}
${campaign('b', '    audience not loyal\n    runs 2026-05-10 to 2026-06-10', { omit: ['audience', 'runs'] })}`).replace('    monetary amount\n  }', `    monetary amount\n${asOf}  }`);

    it('may overlap when the model has no `as of` and the campaigns start on different days', async () => {
        expectCode(await check(body('')), 'campaign-overlap', 'warning', 'campaign b');
    });

    it('cannot overlap when the model fixes `as of`', async () => {
        expectNoCode(await check(body('    as of 2026-04-01\n')), 'campaign-overlap');
    });
});
