// The lifetime-value models (src/runner/models) fitted on the CDNOW sample against the published figures:
//   - Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way" (BG/NBD: r, α, a, b, ℓ; the conditional
//     expectation 1.226 for x = 2, t_x = 30.43, T = 38.86 over 39 weeks) and Hardie's spreadsheet of E[X(t)],
//   - Fader & Hardie's Pareto/NBD note (r = 0.553, α = 10.578, s = 0.606, β = 11.669),
//   - Fader, Hardie & Lee (2005), "RFM and CLV" and Hardie's note 025 spreadsheet (Gamma-Gamma p = 6.25, q = 3.74,
//     γ = 15.44; conditional expected spend),
//   - the R package BTYD (its walkthrough vignette, inst/doc/BTYD-walkthrough.pdf, and its manual's examples),
//   - the documentation of the Python package lifetimes (the CDNOW summary it ships, its CLV example).
// The summary is computed here from the raw purchases (cdnow-summary.ts), so the data preparation is checked too.
import { beforeAll, describe, expect, it } from 'vitest';
import {
    bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchases, bgNbdProbabilityAlive, bgNbdTotalLogLikelihood, customerLifetimeValue,
    fitBgNbd, fitGammaGamma, fitParetoNbd, gammaGammaExpectedSpend, paretoNbdConditionalExpectedPurchases, paretoNbdExpectedPurchases,
    paretoNbdProbabilityAlive, paretoNbdTotalLogLikelihood, type BgNbdParams, type GammaGammaParams, type ModelFit, type ParetoNbdParams
} from '../../src/runner/models/index.js';
import { cdnowCalibrationSummary, groupHistories, type CdnowCustomer } from './cdnow-summary.js';

/** |actual − expected| ≤ tolerance × |expected|. */
function expectRelative(actual: number, expected: number, tolerance: number): void {
    expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

let customers: CdnowCustomer[];
/** The customers in the order of Hardie's summary (and lifetimes' copy of it): by first purchase, then by key. */
let hardieOrder: CdnowCustomer[];
let groups: ReturnType<typeof groupHistories>;
beforeAll(() => {
    customers = cdnowCalibrationSummary();
    hardieOrder = [...customers].sort((a, b) => b.T - a.T || a.id.localeCompare(b.id));
    groups = groupHistories(customers);
});

describe('the CDNOW calibration summary', () => {
    it('has the 2,357 customers of the sample, 1,411 of them without a repeat purchase (FHL 2005)', () => {
        expect(customers).toHaveLength(2357);
        expect(customers.filter(c => c.x === 0)).toHaveLength(1411);
    });

    it('matches the summary lifetimes ships (cdnow_customers_summary_with_transactions.csv, rounded to 2 decimals)', () => {
        // x, t_x, T, zbar of its first eleven rows.
        const published = [
            [2, 30.43, 38.86, 22.35], [1, 1.71, 38.86, 11.77], [0, 0, 38.86, 0], [0, 0, 38.86, 0], [0, 0, 38.86, 0],
            [7, 29.43, 38.86, 73.74], [1, 5.0, 38.86, 11.77], [0, 0, 38.86, 0], [2, 35.71, 38.86, 25.55], [0, 0, 38.86, 0],
            [5, 24.43, 38.86, 29.44]
        ];
        hardieOrder.slice(0, 11).forEach((c, i) => {
            [c.x, c.tx, c.T, c.meanSpend].forEach((value, j) => expect(Math.abs(value - published[i][j]), `row ${i + 1}`).toBeLessThanOrEqual(0.005 + 1e-9));
        });
        // A first purchase on 1997-01-01: T = 272 days / 7.
        expect(hardieOrder[0].T).toBe(272 / 7);
    });
});

describe('BG/NBD on CDNOW', () => {
    let fit: ModelFit<'r' | 'alpha' | 'a' | 'b'>;
    beforeAll(() => {
        fit = fitBgNbd(groups);
    });

    it('fits r = 0.243, α = 4.414, a = 0.793, b = 2.426 with ℓ = −9582.4 (FHL 2005)', () => {
        expect(fit.converged).toBe(true);
        expect(fit.problem).toBeNull();
        expect(fit.customers).toBe(2357);
        const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        for (const name of ['r', 'alpha', 'a', 'b'] as const) expectRelative(fit.params[name], published[name], 0.005);
        expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
        // BTYD's walkthrough prints ℓ = −9582.429 at its estimates.
        expect(Math.abs(fit.logLikelihood - -9582.429)).toBeLessThanOrEqual(0.001);
    });

    it('gives standard errors from the observed information', () => {
        const se = fit.standardErrors!;
        expect(se).not.toBeNull();
        for (const name of ['r', 'alpha', 'a', 'b'] as const) {
            expect(se[name]).toBeGreaterThan(0);
            // 2,357 customers pin each parameter down to well within its own size.
            expect(se[name]).toBeLessThan(fit.params[name]);
        }
        // The covariance is symmetric with the squared standard errors on its diagonal.
        const cov = fit.covariance!;
        expect(cov[0][1]).toBeCloseTo(cov[1][0], 12);
        expect(Math.sqrt(cov[2][2])).toBe(se.a);
    });

    it('the grouped log-likelihood equals the sum over the customers one by one', () => {
        const p = fit.params;
        const oneByOne = bgNbdTotalLogLikelihood(p, customers.map(c => ({ x: c.x, tx: c.tx, T: c.T, count: 1 })));
        expect(groups.length).toBeLessThan(customers.length / 2);
        expect(bgNbdTotalLogLikelihood(p, groups)).toBeCloseTo(oneByOne, 8);
    });

    it('expects 1.226 purchases in the next 39 weeks of a customer with x = 2, t_x = 30.43, T = 38.86 (FHL 2005)', () => {
        const value = bgNbdConditionalExpectedPurchases(fit.params, { x: 2, tx: 30.43, T: 38.86 }, 39);
        expect(Math.abs(value - 1.226)).toBeLessThanOrEqual(0.001);
    });

    it('E[X(t)] of a new customer matches Hardie\'s spreadsheet', () => {
        const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
        const published = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
        times.forEach((t, i) => expect(Math.abs(bgNbdExpectedPurchases(fit.params, t) - published[i])).toBeLessThanOrEqual(0.0005));
        expect(bgNbdExpectedPurchases(fit.params, 0)).toBe(0);
    });

    it('matches the BTYD walkthrough at its estimates (customer 1516, the increasing frequency paradox)', () => {
        const btyd: BgNbdParams = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };
        const c1516 = { x: 26, tx: 30.85714, T: 31 };
        expect(bgNbdExpectedPurchases(btyd, 52)).toBeCloseTo(1.444004, 5);
        expect(bgNbdConditionalExpectedPurchases(btyd, c1516, 52)).toBeCloseTo(25.75659, 3);
        expect(bgNbdProbabilityAlive(btyd, c1516)).toBeCloseTo(0.9688523, 5);
        const paradox = [0.3474606, 0.04283391, 0.004158973, 0.0003583685];
        [10, 15, 20, 25].forEach((x, i) => expectRelative(bgNbdConditionalExpectedPurchases(btyd, { x, tx: 20, T: 39 }, 52), paradox[i], 1e-4));
    });

    it('a customer without repeat purchases is alive for sure (a BG/NBD customer drops out only after a purchase)', () => {
        expect(bgNbdProbabilityAlive(fit.params, { x: 0, tx: 0, T: 38.86 })).toBe(1);
        expect(bgNbdProbabilityAlive(fit.params, { x: 0, tx: 0, T: 1 })).toBe(1);
        for (const x of [1, 5, 20]) {
            for (const tx of [0, 10, 30]) {
                const p = bgNbdProbabilityAlive(fit.params, { x, tx, T: 39 });
                expect(p).toBeGreaterThan(0);
                expect(p).toBeLessThanOrEqual(1);
            }
        }
        // The last purchase at the end of calibration: as alive as a customer with that history can be.
        expect(bgNbdProbabilityAlive(fit.params, { x: 5, tx: 39, T: 39 })).toBeCloseTo(1 / (1 + fit.params.a / (fit.params.b + 4)), 12);
    });
});

describe('Pareto/NBD on CDNOW', () => {
    let fit: ModelFit<'r' | 'alpha' | 's' | 'beta'>;
    beforeAll(() => {
        fit = fitParetoNbd(groups);
    });

    it('fits r = 0.553, α = 10.58, s = 0.606, β = 11.67 (Fader & Hardie) with ℓ = −9594.976 (BTYD)', () => {
        expect(fit.converged).toBe(true);
        expect(fit.problem).toBeNull();
        const published = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 };
        for (const name of ['r', 'alpha', 's', 'beta'] as const) expectRelative(fit.params[name], published[name], 0.01);
        expect(Math.abs(fit.logLikelihood - -9594.976)).toBeLessThanOrEqual(0.01);
        for (const name of ['r', 'alpha', 's', 'beta'] as const) expect(fit.standardErrors![name]).toBeGreaterThan(0);
        const oneByOne = paretoNbdTotalLogLikelihood(fit.params, customers.map(c => ({ x: c.x, tx: c.tx, T: c.T, count: 1 })));
        expect(fit.logLikelihood).toBeCloseTo(oneByOne, 6);
    });

    it('customer 1516 of the BTYD walkthrough: 25.46 purchases in 52 weeks, P(alive) = 0.9979', () => {
        const c1516 = { x: 26, tx: 30.85714, T: 31 };
        expect(Math.abs(paretoNbdConditionalExpectedPurchases(fit.params, c1516, 52) - 25.45647)).toBeLessThanOrEqual(0.01);
        expect(Math.abs(paretoNbdProbabilityAlive(fit.params, c1516) - 0.997874)).toBeLessThanOrEqual(1e-5);
        // lifetimes' test of the same customer at the parameters it quotes from the walkthrough.
        expect(Math.abs(paretoNbdProbabilityAlive({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, c1516) - 0.9979)).toBeLessThanOrEqual(0.0001);
    });

    it('E[X(52)] = 1.473434 and the increasing frequency paradox (BTYD walkthrough)', () => {
        expectRelative(paretoNbdExpectedPurchases(fit.params, 52), 1.473434, 1e-5);
        // Printed for BTYD's own estimates (β = 11.656 against 11.669 here), so within 0.2%.
        const paradox = [0.7062289, 0.1442396, 0.02250658, 0.00309267];
        [10, 15, 20, 25].forEach((x, i) => expectRelative(paretoNbdConditionalExpectedPurchases(fit.params, { x, tx: 20, T: 39 }, 52), paradox[i], 0.002));
    });

    it('P(alive) of a customer without repeat purchases is 0.294; with the last purchase at T it is 1 (BTYD manual)', () => {
        expect(Math.abs(paretoNbdProbabilityAlive(fit.params, { x: 0, tx: 0, T: 39 }) - 0.2941633)).toBeLessThanOrEqual(0.001);
        expect(paretoNbdProbabilityAlive(fit.params, { x: 23, tx: 39, T: 39 })).toBe(1);
    });

    it('E[X(t)] for t = 1..10 at the parameters of the BTYD manual\'s example', () => {
        const params: ParetoNbdParams = { r: 0.55, alpha: 10.56, s: 0.61, beta: 11.64 };
        const published = [0.05077821, 0.09916088, 0.14542507, 0.1897993, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211];
        published.forEach((value, i) => expect(paretoNbdExpectedPurchases(params, i + 1)).toBeCloseTo(value, 7));
    });
});

describe('Gamma-Gamma on CDNOW', () => {
    let fit: ModelFit<'p' | 'q' | 'v'>;
    let repeaters: CdnowCustomer[];
    beforeAll(() => {
        repeaters = customers.filter(c => c.x > 0);
        fit = fitGammaGamma(repeaters.map(c => ({ x: c.x, meanSpend: c.meanSpend, count: 1 })));
    });

    it('fits p = 6.25, q = 3.74, γ = 15.44 on the 946 customers with a repeat purchase (FHL 2005, "RFM and CLV")', () => {
        expect(repeaters).toHaveLength(946);
        expect(fit.converged).toBe(true);
        const published = { p: 6.25, q: 3.74, v: 15.44 };
        for (const name of ['p', 'q', 'v'] as const) expectRelative(fit.params[name], published[name], 0.01);
        for (const name of ['p', 'q', 'v'] as const) expect(fit.standardErrors![name]).toBeGreaterThan(0);
    });

    it('the conditional expected spend matches Hardie\'s spreadsheet (note 025), the population mean for x = 0', () => {
        // (x, m̄ₓ) of the summary's first rows and the spreadsheet's E[M], as lifetimes' tests quote them.
        const cases: Array<[number, number, number]> = [[2, 22.35, 24.65], [1, 11.77, 18.91], [0, 0, 35.17], [7, 73.74, 71.46], [2, 25.55, 27.28]];
        for (const [x, meanSpend, expected] of cases) expect(Math.abs(gammaGammaExpectedSpend(fit.params, { x, meanSpend }) - expected)).toBeLessThanOrEqual(0.01);
        const { p, q, v } = fit.params;
        expect(gammaGammaExpectedSpend(fit.params, { x: 0, meanSpend: 0 })).toBeCloseTo((p * v) / (q - 1), 12);
    });
});

describe('CLV on CDNOW', () => {
    it('matches the lifetimes documentation\'s example (BG/NBD × Gamma-Gamma, 12 steps of 30 periods at 1% a step)', () => {
        // lifetimes' Quickstart: ggf.customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01) on its weekly CDNOW
        // summary, i.e. Σₖ₌₁..₁₂ E[M]·(E[X(T, T+30k)] − E[X(T, T+30(k−1))]) / 1.01ᵏ. Here: a period of 30 weeks whose
        // rate is 1% (a 365-day period at 1% a year is 1% a period).
        const bg = fitBgNbd(groups).params;
        const gg: GammaGammaParams = fitGammaGamma(customers.filter(c => c.x > 0).map(c => ({ x: c.x, meanSpend: c.meanSpend, count: 1 }))).params;
        const published: Array<[number, number]> = [[0, 140.096211], [1, 18.943467], [2, 38.180574], [5, 1003.868107], [6, 28.109683], [8, 167.418216]];
        // lifetimes' summary holds t_x, T and m̄ₓ rounded to 2 decimals.
        const round2 = (v: number) => Math.round(v * 100) / 100;
        for (const [row, expected] of published) {
            const h = hardieOrder[row];
            const c = { x: h.x, tx: round2(h.tx), T: round2(h.T), meanSpend: round2(h.meanSpend) };
            const value = customerLifetimeValue({
                margin: 1,
                expectedSpend: gammaGammaExpectedSpend(gg, c),
                cumulativeExpectedPurchases: t => bgNbdConditionalExpectedPurchases(bg, c, 30 * t),
                horizonPeriods: 12,
                daysPerPeriod: 365,
                yearlyDiscountRate: 0.01
            });
            expectRelative(value, expected, 5e-4);
        }
    });
});
