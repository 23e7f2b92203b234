// The money arithmetic at its edges (src/runner/money.ts): no cost, a negative increment, an arm that costs no more
// than the one it is compared with, a campaign before launch, a margin or none, and the cost planned before launch.
import { describe, expect, it } from 'vitest';
import { contactsCost, costPerIncrement, stepCost, offerCost, overBudget, plannedCost, roi, roiInterval, totalCost, versusCost, versusRoi } from '../../src/runner/money.js';

const step = (cost: number, delayDays = 0) => ({ channel: 'mail', delayDays, cost });

describe('ROI', () => {
    it('is undefined at no cost, and so are its interval and the cost per increment', () => {
        expect(roi(500, 0, 0.4)).toBeNull();
        expect(roi(500, -1, undefined)).toBeNull();
        expect(roiInterval([1, 2], 100, 0, 0.4)).toBeNull();
        expect(costPerIncrement(0, 0.05, 1000)).toBeNull();
    });

    it('without a margin counts the whole increment (margin 1); with one, that share of it', () => {
        // 2,000 of incremental revenue on 800 of cost: 1.5 on revenue; at a 35% margin, 700 of profit: −0.125.
        expect(roi(2000, 800, undefined)).toBe(1.5);
        expect(roi(2000, 800, null)).toBe(1.5);
        expect(roi(2000, 800, 1)).toBe(1.5);
        expect(roi(2000, 800, 0.35)).toBeCloseTo(-0.125, 15);
    });

    it('maps the lift interval through the same line, at the margin', () => {
        // Δ in [0.5, 3] per customer over 1,000 customers, cost 1,000, margin 40%: [(200 − 1000)/1000, (1200 − 1000)/1000].
        const [lo, hi] = roiInterval([0.5, 3], 1000, 1000, 0.4)!;
        expect(lo).toBeCloseTo(-0.8, 12);
        expect(hi).toBeCloseTo(0.2, 12);
        expect(roiInterval(null, 1000, 1000, 0.4)).toBeNull();
    });

    it('is below −1 for a negative increment, and there is no cost per increment then', () => {
        expect(roi(-300, 600, 0.5)).toBeCloseTo(-1.25, 15);
        expect(costPerIncrement(600, -0.01, 1000)).toBeNull();
        expect(costPerIncrement(600, 0, 1000)).toBeNull();
        expect(costPerIncrement(600, null, 1000)).toBeNull();
    });

    it('cost per increment is cost ÷ (lift × group size)', () => {
        // 2 pp more bookers among 5,000 customers is 100 more bookers; 1,250 spent: 12.50 each.
        expect(costPerIncrement(1250, 0.02, 5000)).toBeCloseTo(12.5, 12);
        expect(costPerIncrement(1250, 0.02, 0)).toBeNull();
    });
});

describe('A vs B', () => {
    const base = { arm: 'call', baseline: 'mail', delta: 4, interval: [1, 7] as [number, number], sizeA: 500, sizeB: 500, margin: 0.5 };

    it('returns on what A costs beyond B', () => {
        // 4 × 500 × 0.5 = 1,000 of extra profit on 3,000 − 2,200 = 800 of extra cost: 0.25.
        const r = versusRoi({ ...base, costA: 3000, costB: 2200 });
        expect(r.incrementalCost).toBe(800);
        expect(r.value).toBeCloseTo(0.25, 12);
        expect(r.interval![0]).toBeCloseTo((1 * 500 * 0.5 - 800) / 800, 12);
        expect(r.interval![1]).toBeCloseTo((7 * 500 * 0.5 - 800) / 800, 12);
        expect(r.missing).toBeUndefined();
    });

    it('scales B\'s cost to as many customers as A has when the arms differ in size', () => {
        // B: 2,200 for 1,000 customers is 1,100 for A's 500; A costs 3,000 − 1,100 = 1,900 more for them.
        expect(versusCost(3000, 500, 2200, 1000)).toBe(1900);
        const r = versusRoi({ ...base, sizeB: 1000, costA: 3000, costB: 2200 });
        expect(r.incrementalCost).toBe(1900);
        expect(r.value).toBeCloseTo((4 * 500 * 0.5 - 1900) / 1900, 12);
        // Unscaled, A would cost only 800 more: a large cheap baseline arm must not make A look cheap.
        const dear = versusRoi({ ...base, sizeB: 250, costA: 3000, costB: 2000, currency: 'EUR' });
        expect(dear.incrementalCost).toBe(-1000);
        expect(dear.missing).toBe("arm call costs 3,000.00 EUR, no more than arm mail's 2,000.00 EUR scaled to arm call's size (4,000.00 EUR), so there is no extra spend to return on");
    });

    it('has no ROI when A costs no more than B, and says why', () => {
        for (const costB of [3000, 3500]) {
            const r = versusRoi({ ...base, costA: 3000, costB, currency: 'EUR' });
            expect([r.value, r.interval]).toEqual([null, null]);
            expect(r.incrementalCost).toBe(3000 - costB);
            expect(r.missing).toBe(`arm call costs 3,000.00 EUR, no more than arm mail's ${costB.toLocaleString('en-US')}.00 EUR, so there is no extra spend to return on`);
        }
    });

    it('has no ROI while the value metric is not measured in both arms', () => {
        const r = versusRoi({ ...base, delta: null, interval: null, costA: 3000, costB: 2200, metric: 'revenue' });
        expect(r.value).toBeNull();
        expect(r.missing).toBe('the value metric revenue has not been measured in both arms');
    });
});

describe('costs', () => {
    it('the offer costs nothing without `cost ... per`, and is not known (null) before its metric is measured', () => {
        expect(offerCost(undefined, null)).toBe(0);
        expect(offerCost(undefined, 40)).toBe(0);
        expect(offerCost({ amount: 12, metric: 'booked' }, null)).toBeNull();
        expect(offerCost({ amount: 12, metric: 'booked' }, 0)).toBe(0);
        expect(offerCost({ amount: 12, metric: 'booked' }, 37)).toBe(444);
    });

    it('a pending campaign costs its contacts and fixed cost; the unknown offer adds nothing', () => {
        expect(totalCost({ contacts: 800, offer: null, fixed: 5000 })).toBe(5800);
        expect(totalCost({ contacts: 800, offer: 444, fixed: 5000 })).toBe(6244);
        expect(totalCost({ contacts: 800, offer: 444 })).toBe(1244);
    });

    // Contacts per step by channel, as campaignContacts counts them: `on(n)` is n contacts through the step's channel.
    const on = (n: number, channel = 'mail') => new Map([[channel, n]]);

    it('contacts cost each step\'s contacts × its cost per contact', () => {
        expect(contactsCost([on(1000), on(1000)], [step(0.8), step(4, 7)])).toBeCloseTo(4800, 9);
        // Fewer contacts at a later step (capacity, conditions): each step is charged for its own.
        expect(contactsCost([on(1000), on(600)], [step(0.8), step(4, 7)])).toBeCloseTo(800 + 2400, 9);
        expect(contactsCost([], [])).toBe(0);
    });

    it('a best-of step charges each channel it used at that channel\'s cost', () => {
        const options = [{ channel: 'email', cost: 0.02 }, { channel: 'sms', cost: 0.05 }, { channel: 'phone', cost: 3 }];
        const best = { ...step(0.02), channel: 'email', bestOf: { attitude: 'prefs', column: 'channel', options } };
        const used = new Map([['email', 700], ['sms', 200], ['phone', 100]]);
        expect(contactsCost([used], [best])).toBeCloseTo(700 * 0.02 + 200 * 0.05 + 100 * 3, 9);
        expect(stepCost(new Map([['phone', 1]]), best)).toBe(3);
    });

    it('the planned cost before launch is contacts of every arm plus the fixed cost, never the offer', () => {
        const campaign = { fixedCost: 5000, arms: [{ steps: [step(0.8)] }, { steps: [step(0.8), step(4, 7)] }] };
        const planned = plannedCost(campaign, [[on(1000)], [on(2000), on(2000)]]);
        expect(planned.contacts).toBeCloseTo(1000 * 0.8 + 2000 * 4.8, 9);
        expect(planned.fixed).toBe(5000);
        expect(planned.total).toBeCloseTo(1000 * 0.8 + 2000 * 4.8 + 5000, 9);
        expect(plannedCost({ arms: [{ steps: [step(2)] }] }, [[on(10)]]).total).toBe(20);
        // An arm without contacts costs nothing.
        expect(plannedCost({ arms: [{ steps: [step(2)] }, { steps: [step(3)] }] }, [[on(10)]]).total).toBe(20);
    });

    it('is over budget only strictly above it', () => {
        expect(overBudget(40000, 40000)).toBe(false);
        expect(overBudget(40000.01, 40000)).toBe(true);
        expect(overBudget(1e9, null)).toBe(false);
        expect(overBudget(1e9, undefined)).toBe(false);
    });
});
