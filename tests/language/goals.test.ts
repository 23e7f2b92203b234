// SMART goals: Specific and Measurable (the metric resolves, the unit fits), Achievable (plausible targets),
// Relevant (an outcome, not only cost), Time-bound (a deadline, not before the start nor before the outcome settles).
import { describe, expect, it } from 'vitest';
import { campaign, check, expectClean, expectCode, expectNoCode, plan, withCode } from './helpers.js';

/** A campaign running 2026-05-01 to 2026-05-31 with a 10% drawn control, email at the start, and these goals. */
const goals = (...lines: string[]) => plan(campaign('c', lines.map(l => `    goal ${l}`).join('\n')));
const one = async (goal: string) => check(goals(goal));

describe('time-bound', () => {
    it('wants a deadline on every kind of goal', async () => {
        for (const goal of ['lift(responded) >= 5%', 'total(revenue) >= 100', 'mean(basket) >= 20', 'roi >= 1', 'cost <= 500']) {
            expectCode(await one(goal), 'goal-no-deadline', 'error', 'goal ', 'add `by DATE`');
        }
    });

    it('wants the deadline on or after the start', async () => {
        expectCode(await one('lift(responded) >= 5% by 2026-04-30'), 'goal-deadline-before-start', 'error', 'goal ', 'The deadline 2026-04-30 falls before the campaign starts (2026-05-01).');
        expectNoCode(await one('total(visit_rate) >= 5 by 2026-05-01'), 'goal-deadline-before-start');
        expectClean(await one('total(visit_rate) >= 5 by 2026-05-01'));
    });

    it('reports a deadline not in the calendar as such', async () => {
        const result = await one('lift(responded) >= 5% by 2026-06-31');
        expectCode(result, 'invalid-date', 'error', 'goal ', '2026-06-31 is not a date in the calendar.');
        expectNoCode(result, 'goal-deadline-before-start');
        expectNoCode(result, 'goal-deadline-before-outcome');
    });

    it('warns when the deadline falls before the attribution window of the last contact closes', async () => {
        // Default window of 30 days from the start: the outcome settles on 2026-05-31.
        expectCode(await one('lift(responded) >= 5% by 2026-05-30'), 'goal-deadline-before-outcome', 'warning', 'goal ', 'closes (2026-05-31)');
        expectClean(await one('lift(responded) >= 5% by 2026-05-31'));
        // A step 7 days in and a 14-day window: 2026-05-22.
        const stepped = (deadline: string) => plan(campaign('c', `    channel sms after 7 days\n    attribution 14 days\n    goal total(revenue) >= 100 by ${deadline}`));
        expectCode(await check(stepped('2026-05-21')), 'goal-deadline-before-outcome', 'warning', 'goal ', 'closes (2026-05-22)');
        expectClean(await check(stepped('2026-05-22')));
    });

    it('applies the outcome deadline to event metrics and roi, not to columns or cost', async () => {
        for (const goal of ['mean(basket) >= 20 by 2026-05-10', 'roi >= 1 by 2026-05-10', 'lift(orders_n) >= 5% by 2026-05-10']) {
            expectCode(await one(goal), 'goal-deadline-before-outcome', 'warning', 'goal ');
        }
        for (const goal of ['lift(visit_rate) >= 2 pp by 2026-05-10', 'cost <= 500 by 2026-05-10']) {
            expectNoCode(await one(goal), 'goal-deadline-before-outcome');
        }
    });
});

describe('measurable', () => {
    it('reports an unknown metric with a suggestion, and nothing else about that goal', async () => {
        const result = await one('lift(respnded) >= 5% by 2026-07-31');
        expectCode(result, 'unresolved-reference', 'error', 'goal ', "Unknown metric 'respnded'. Did you mean 'responded'?");
        expect(result.diagnostics.map(d => d.code)).toEqual(['unresolved-reference']);
    });

    it('wants a control group for a lift, drawn or recorded', async () => {
        const without = plan(campaign('c', '    goal lift(responded) >= 5% by 2026-07-31', { omit: ['control'] }));
        expectCode(await check(without), 'goal-lift-without-control', 'error', 'goal ', "campaign 'c' has none");
        const recorded = plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"\n    goal lift(responded) >= 5% by 2026-07-31', { omit: ['control'] }));
        expectClean(await check(recorded));
        const total = plan(campaign('c', '    goal total(revenue) >= 100 by 2026-07-31', { omit: ['control'] }));
        expectClean(await check(total));
    });

    it('wants the unit of a lift', async () => {
        expectCode(await one('lift(responded) >= 2 by 2026-07-31'), 'goal-lift-unit', 'error', 'goal ', 'State the unit of the lift');
        expectNoCode(await one('total(revenue) >= 2 by 2026-07-31'), 'goal-lift-unit');
        expectNoCode(await one('mean(basket) >= 2 by 2026-07-31'), 'goal-lift-unit');
    });

    it('takes pp only for a lift of a rate: not a sum, count or ratio', async () => {
        for (const [metric, what] of [['revenue', 'a sum'], ['orders_n', 'a count'], ['basket', 'a ratio']]) {
            expectCode(await one(`lift(${metric}) >= 2 pp by 2026-07-31`), 'goal-unit-mismatch', 'error', 'goal ', `'${metric}' is ${what}, not a rate`);
        }
        for (const metric of ['responded', 'visit_rate', 'opted']) {
            expectClean(await one(`lift(${metric}) >= 2 pp by 2026-07-31`));
        }
    });

    it('follows a metric defined as another metric', async () => {
        const aliased = (goal: string) => plan(`  metric rate2 = responded\n  metric revenue2 = revenue\n${campaign('c', `    goal ${goal}`)}`);
        expectClean(await check(aliased('lift(rate2) >= 2 pp by 2026-07-31')));
        expectCode(await check(aliased('lift(revenue2) >= 2 pp by 2026-07-31')), 'goal-unit-mismatch', 'error', 'goal ', "'revenue2' is a sum");
    });

    it('takes pp for no total or mean, and % only for rates', async () => {
        expectCode(await one('total(responded) >= 2 pp by 2026-07-31'), 'goal-unit-mismatch', 'error', 'goal ', 'pp (percentage points) measures a lift');
        expectCode(await one('mean(responded) >= 2 pp by 2026-07-31'), 'goal-unit-mismatch', 'error', 'goal ');
        expectCode(await one('mean(revenue) >= 20% by 2026-07-31'), 'goal-unit-mismatch', 'error', 'goal ', "'revenue' is not a rate, so a mean in % does not fit");
        expectCode(await one('total(basket) >= 20% by 2026-07-31'), 'goal-unit-mismatch', 'error', 'goal ');
        expectClean(await one('mean(responded) >= 20% by 2026-07-31'));
        expectClean(await one('lift(revenue) >= 20% by 2026-07-31'));
    });

    it('takes roi as a ratio or in %, and cost as an amount only', async () => {
        expectCode(await one('cost <= 5% by 2026-07-31'), 'goal-unit-mismatch', 'error', 'goal ', 'A cost goal is an amount of money, not a percentage.');
        expectClean(await one('roi >= 150% by 2026-07-31'));
        expectClean(await one('roi >= 1.5 by 2026-07-31'));
    });
});

describe('achievable', () => {
    it('warns about a relative lift above 300%', async () => {
        expectCode(await one('lift(revenue) >= 301% by 2026-07-31'), 'goal-implausible', 'warning', 'goal ', 'A lift of 301% is implausible');
        expectCode(await one('lift(responded) >= 900% by 2026-07-31'), 'goal-implausible', 'warning', 'goal ');
        expectClean(await one('lift(revenue) >= 300% by 2026-07-31'));
        expectClean(await one('lift(revenue) <= -50% by 2026-07-31'));
    });

    it('warns about a lift of more than 100 percentage points', async () => {
        expectCode(await one('lift(responded) >= 101 pp by 2026-07-31'), 'goal-implausible', 'warning', 'goal ', 'would take a rate above 100%');
        expectCode(await one('lift(responded) <= -101 pp by 2026-07-31'), 'goal-implausible', 'warning', 'goal ');
        expectClean(await one('lift(responded) >= 100 pp by 2026-07-31'));
    });

    it('warns about a mean of a rate above 1, or above 100%', async () => {
        expectCode(await one('mean(responded) >= 1.5 by 2026-07-31'), 'goal-implausible', 'warning', 'goal ', "'responded' is a rate between 0 and 1; a mean of 1.5 is above 100%");
        expectCode(await one('mean(opted) >= 2 by 2026-07-31'), 'goal-implausible', 'warning', 'goal ');
        expectCode(await one('mean(responded) >= 150% by 2026-07-31'), 'goal-implausible', 'warning', 'goal ', 'A rate of 150% is above 100%.');
        for (const goal of ['mean(responded) >= 1 by 2026-07-31', 'mean(responded) >= 0.25 by 2026-07-31', 'mean(responded) >= 100% by 2026-07-31']) {
            expectClean(await one(goal));
        }
    });

    it('does not take a number column or a non-rate for a rate', async () => {
        // visit_rate is a number column (it may hold counts); basket and revenue are amounts.
        for (const goal of ['mean(visit_rate) >= 3 by 2026-07-31', 'mean(basket) >= 40 by 2026-07-31', 'total(revenue) >= 40000 by 2026-07-31']) {
            expectNoCode(await one(goal), 'goal-implausible');
        }
    });
});

describe('relevant', () => {
    it('notes a campaign whose only goals are on cost', async () => {
        const result = await check(goals('cost <= 500 by 2026-07-31', 'cost <= 400 by 2026-07-31'));
        const notes = withCode(result, 'goal-not-relevant');
        expect(notes.map(d => d.severity)).toEqual([3, 3]);
        expectCode(result, 'goal-not-relevant', 'info', 'goal cost <= 500', 'A cost goal alone cannot tell whether the objective was served');
    });

    it('is satisfied by any outcome goal next to the cost goal', async () => {
        for (const outcome of ['lift(responded) >= 5% by 2026-07-31', 'total(revenue) >= 100 by 2026-07-31', 'mean(basket) >= 20 by 2026-07-31', 'roi >= 1 by 2026-07-31']) {
            const result = await check(goals('cost <= 500 by 2026-07-31', outcome));
            expectNoCode(result, 'goal-not-relevant');
            expect(result.diagnostics).toEqual([]);
        }
    });
});

describe('roi', () => {
    const noRevenue = (text: string) => text.replace('metric revenue = sum(orders.amount)', 'metric rev = sum(orders.amount)');

    it('needs a value metric: one named revenue, or `value METRIC`', async () => {
        expectCode(await check(noRevenue(goals('roi >= 1 by 2026-07-31'))), 'roi-needs-value', 'error', 'goal roi');
        expectClean(await check(goals('roi >= 1 by 2026-07-31')));
        expectClean(await check(noRevenue(plan(campaign('c', '    value rev\n    goal roi >= 1 by 2026-07-31')))));
    });

    it('finds revenue declared outside the plan block', async () => {
        const text = `events sales from "s.csv" customer who time at {\n  amount: number\n}\nmetric revenue = sum(sales.amount)\n${noRevenue(goals('roi >= 1 by 2026-07-31'))}`;
        expectClean(await check(text));
    });

    it('asks nothing of cost goals or other campaigns', async () => {
        const text = noRevenue(plan([campaign('a', '    goal cost <= 5 by 2026-07-31\n    goal total(rev) >= 10 by 2026-07-31'), campaign('b', '    runs 2026-06-01 to 2026-06-30\n    goal lift(rev) >= 5% by 2026-07-31', { omit: ['runs'] })].join('\n')));
        expectNoCode(await check(text), 'roi-needs-value');
    });
});

describe('a labelled goal', () => {
    it('is checked like any other', async () => {
        const result = await one('"Come back": lift(revenue) >= 2 pp');
        expectCode(result, 'goal-no-deadline', 'error', 'goal "Come back"');
        expectCode(result, 'goal-unit-mismatch', 'error', 'goal "Come back"');
        expectClean(await one('"Come back": lift(responded) >= 2 pp by 2026-07-31'));
    });
});
