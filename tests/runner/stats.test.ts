// The statistics against published figures (R's t.test, p.adjust) and independent computations written here.
import { describe, expect, it } from 'vitest';
import { tQuantile975, tTwoSided } from './helpers.js';
import {
    effectInterval, holm, liftEffect, meanEstimate, meanLift, minimumDetectableEffect, oneSidedPValue, ratioEstimate, ratioLift,
    requiredCustomers, sampleRatioMismatch, twoSidedPValue
} from '../../src/runner/stats/index.js';
import type { MeanSummary } from '../../src/runner/stats/index.js';

/** The absolute Welch test as the old API gave it: difference, df, interval, two-sided p. */
function welch(t: MeanSummary, c: MeanSummary) {
    const r = liftEffect(meanEstimate(t), meanEstimate(c), false);
    if (!r.ok) return { diff: t.mean - c.mean, df: null, ci: null, pValue: null, problem: r.problem.kind };
    return { diff: r.effect.estimate, df: r.effect.df, ci: effectInterval(r.effect), pValue: twoSidedPValue(r.effect), problem: null };
}

// ---- independent numerics: the t distribution lives in helpers.ts (Simpson on the density, bisection)

function summary(values: number[]) {
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    return { n, mean, variance };
}

// R's `sleep` data set.
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('Welch interval', () => {
    it('reproduces R: t.test(extra ~ group, data = sleep)', () => {
        // R prints: t = -1.8608, df = 17.776, p-value = 0.07939, 95 percent CI -3.3654832 0.2054832
        const w = welch(summary(group1), summary(group2));
        expect(w.diff).toBeCloseTo(-1.58, 12);
        expect(w.df!).toBeCloseTo(17.776, 3);
        expect(w.pValue!).toBeCloseTo(0.07939, 5);
        expect(w.ci![0]).toBeCloseTo(-3.3654832, 6);
        expect(w.ci![1]).toBeCloseTo(0.2054832, 6);
    });

    it('agrees with an independent Welch–Satterthwaite computation on skewed groups', () => {
        const t = [0, 0, 0, 12.5, 0, 3, 0, 0, 40, 0, 0, 7.25, 0, 0, 0, 1];
        const c = [0, 2, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0];
        const st = summary(t), sc = summary(c);
        const a = st.variance / st.n, b = sc.variance / sc.n;
        const df = (a + b) ** 2 / (a ** 2 / (st.n - 1) + b ** 2 / (sc.n - 1));
        const se = Math.sqrt(a + b);
        const q = tQuantile975(df);
        const diff = st.mean - sc.mean;
        const w = welch(st, sc);
        expect(w.df!).toBeCloseTo(df, 10);
        expect(w.ci![0]).toBeCloseTo(diff - q * se, 6);
        expect(w.ci![1]).toBeCloseTo(diff + q * se, 6);
        expect(w.pValue!).toBeCloseTo(tTwoSided(diff / se, df), 6);
    });

    it('refuses groups without spread and groups too small to test: no interval, no p-value, the reason', () => {
        // No variation is not certainty: (1, 1) against (0, 0) used to give p = 0 and an interval [1, 1].
        for (const [t, c] of [[1, 1], [2, 1], [0, 0]]) {
            const w = welch({ n: 2, mean: t, variance: 0 }, { n: 2, mean: c, variance: 0 });
            expect(w).toMatchObject({ ci: null, pValue: null, problem: 'no-variation' });
        }
        expect(welch({ n: 1, mean: 2, variance: 0 }, { n: 5, mean: 1, variance: 1 })).toMatchObject({ ci: null, problem: 'too-few' });
        expect(welch({ n: 5, mean: 1, variance: NaN }, { n: 5, mean: 1, variance: 1 })).toMatchObject({ ci: null, problem: 'not-finite' });
        expect(welch({ n: 5, mean: 1, variance: -1e-18 }, { n: 5, mean: 1, variance: 1 })).toMatchObject({ ci: null, problem: 'not-finite' });
    });

    it('one-sided p-values against a target agree with the interval: p < 0.025 exactly when the bound clears it', () => {
        const e = liftEffect(meanEstimate(summary(group2)), meanEstimate(summary(group1)), false);
        if (!e.ok) throw new Error('no effect');
        const [lo, hi] = effectInterval(e.effect);
        // At the bounds the one-sided p-values are 0.025 (the interval is their inversion).
        expect(oneSidedPValue(e.effect, lo, 'above')).toBeCloseTo(0.025, 10);
        expect(oneSidedPValue(e.effect, hi, 'below')).toBeCloseTo(0.025, 10);
        // Independent: P(T ≥ (est − target)/SE) by integrating the t density.
        const se = e.effect.standardError, df = e.effect.df;
        const target = 0.5, z = (e.effect.estimate - target) / se;
        expect(oneSidedPValue(e.effect, target, 'above')).toBeCloseTo(tTwoSided(z, df) / 2, 6);
        expect(oneSidedPValue(e.effect, target, 'below')).toBeCloseTo(1 - tTwoSided(z, df) / 2, 6);
    });
});

describe('relative lift (delta method, Welch–Satterthwaite t)', () => {
    it('has the delta-method standard error and the t quantile of the Welch df, as gbstats computes it', () => {
        const t = { n: 40, mean: 0.45, variance: 0.45 * 0.55 };
        const c = { n: 30, mean: 0.3, variance: 0.3 * 0.7 };
        const lift = meanLift(t, c);
        expect(lift.relativeLift).toBeCloseTo(0.5, 12);
        // se² = Var(mt)/mc² + mt² Var(mc)/mc⁴ and ν = (Vt + Vc)² / (Vt²/(nt−1) + Vc²/(nc−1)), written out by hand.
        const vt = 0.2475 / 40, vc = 0.21 / 30;
        const se = Math.sqrt(vt / 0.09 + (0.2025 * vc) / 0.0081);
        const df = (vt + vc) ** 2 / (vt ** 2 / 39 + vc ** 2 / 29);
        const q = tQuantile975(df);
        expect(q).toBeGreaterThan(1.99); // visibly wider than z = 1.96 for groups this small
        expect(lift.relativeCi95![0]).toBeCloseTo(0.5 - q * se, 6);
        expect(lift.relativeCi95![1]).toBeCloseTo(0.5 + q * se, 6);
        const r = liftEffect(meanEstimate(t), meanEstimate(c), true);
        expect(r.ok && r.effect.df).toBeCloseTo(df, 10);
    });

    it('is undefined when the control mean is 0 or below, and refused when the control mean could be 0', () => {
        expect(meanLift({ n: 10, mean: 1, variance: 1 }, { n: 10, mean: 0, variance: 0 }).relativeLift).toBeNull();
        const negative = liftEffect({ n: 500, mean: -0.4, variance: 0.001 }, { n: 500, mean: -0.96, variance: 0.001 }, true);
        expect(negative).toMatchObject({ ok: false, problem: { kind: 'control-not-positive', control: -0.96 } });
        // Control mean 0.0015 with Var(mean) 1e-6: 0.0015 − t · 0.001 < 0, so the ratio's confidence set is unbounded (Fieller).
        const uncertain = liftEffect({ n: 100, mean: 0.05, variance: 1e-4 }, { n: 100, mean: 0.0015, variance: 1e-6 }, true);
        expect(uncertain).toMatchObject({ ok: false, problem: { kind: 'control-uncertain' } });
        // The absolute lift of the same groups is fine.
        expect(liftEffect({ n: 100, mean: 0.05, variance: 1e-4 }, { n: 100, mean: 0.0015, variance: 1e-6 }, false).ok).toBe(true);
    });
});

describe('ratio metrics', () => {
    // Revenue (X) and orders (Y) per customer.
    const xs = [10, 0, 25, 30, 0, 12, 8, 0, 50, 5];
    const ys = [1, 0, 2, 3, 0, 1, 1, 0, 4, 1];
    function ratioSummary(x: number[], y: number[]) {
        const n = x.length;
        const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
        let vx = 0, vy = 0, cxy = 0;
        for (let i = 0; i < n; i++) { vx += (x[i] - mx) ** 2; vy += (y[i] - my) ** 2; cxy += (x[i] - mx) * (y[i] - my); }
        return { n, meanX: mx, meanY: my, varX: vx / (n - 1), varY: vy / (n - 1), covXY: cxy / (n - 1) };
    }

    it('matches the linearisation: Var(R) = var(x − R·y) / (n · ȳ²)', () => {
        const s = ratioSummary(xs, ys);
        const r = xs.reduce((a, b) => a + b, 0) / ys.reduce((a, b) => a + b, 0);
        const residuals = xs.map((x, i) => x - r * ys[i]);
        const expected = summary(residuals).variance / (xs.length * s.meanY ** 2);
        const estimate = ratioEstimate(s)!;
        expect(estimate.value).toBeCloseTo(r, 12);
        expect(estimate.variance).toBeCloseTo(expected, 12);
    });

    it('gives a t interval with Welch–Satterthwaite df on the difference of ratios', () => {
        const t = ratioSummary(xs, ys);
        const c = ratioSummary(xs.map(x => x * 0.8), ys);
        const lift = ratioLift(t, c)!;
        const vt = ratioEstimate(t)!.variance, vc = ratioEstimate(c)!.variance;
        const df = (vt + vc) ** 2 / (vt ** 2 / 9 + vc ** 2 / 9);
        expect(lift.absoluteLift).toBeCloseTo(ratioEstimate(t)!.value * 0.2, 10);
        expect(lift.df!).toBeCloseTo(df, 10);
        expect(lift.ci95![1] - lift.ci95![0]).toBeCloseTo(2 * tQuantile975(df) * Math.sqrt(vt + vc), 6);
    });
});

describe('Holm adjustment', () => {
    it('reproduces R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")', () => {
        const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
        [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    });
    it('keeps missing p-values out of the family', () => {
        expect(holm([0.02, null, 0.5])).toEqual([0.04, null, 0.5]);
    });
});

describe('sample-ratio mismatch', () => {
    it('is a 1-df chi-square: P(χ² > x) = 2·P(Z > √x)', () => {
        // 5,100 vs 4,900 at 1:1 → χ² = 4, p = 2·(1 − Φ(2)) = 0.04550026389635842
        const srm = sampleRatioMismatch(5100, 4900, 0.5)!;
        expect(srm.chiSquare).toBeCloseTo(4, 12);
        expect(srm.pValue).toBeCloseTo(0.04550026389635842, 9);
        expect(srm.ok).toBe(true);
    });
    it('flags p < 0.001 against a drawn share', () => {
        // 10% control drawn, 1,150 of 10,000 observed: χ² = 150²/1000 + 150²/9000 = 25
        const srm = sampleRatioMismatch(8850, 1150, 0.1)!;
        expect(srm.chiSquare).toBeCloseTo(25, 10);
        expect(srm.ok).toBe(false);
    });
});

describe('minimum detectable effect', () => {
    it('is (z.975 + z.80) · σ · √(1/nt + 1/nc)', () => {
        // z.975 = 1.959963984540054, z.80 = 0.8416212335729143
        const mde = minimumDetectableEffect(0.25, 1000, 1000)!;
        expect(mde).toBeCloseTo((1.959963984540054 + 0.8416212335729143) * Math.sqrt(0.25 * 0.002), 10);
    });
    it('inverts to the customers needed: at that many, the MDE is the effect', () => {
        const needed = requiredCustomers(0.25, 0.02, 0.8)!;
        // MDE with N·0.8 and N·0.2 customers equals the effect (N rounded up).
        expect(minimumDetectableEffect(0.25, needed * 0.8, needed * 0.2)!).toBeLessThanOrEqual(0.02);
        expect(minimumDetectableEffect(0.25, (needed - 1) * 0.8, (needed - 1) * 0.2)!).toBeGreaterThan(0.02);
        expect(requiredCustomers(0, 0.02, 0.5)).toBeNull();
    });
    it('has none when the control group does not vary (not 0, which would read as "any effect is detectable")', () => {
        expect(minimumDetectableEffect(0, 1000, 1000)).toBeNull();
        expect(minimumDetectableEffect(Number.NaN, 1000, 1000)).toBeNull();
    });
});
