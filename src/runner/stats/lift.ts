// Lift of treatment over control: absolute (Welch's t) and relative (delta method), with 95% intervals and p-values.
import { normalCdf, normalQuantile, tCdf, tQuantile } from './distributions.js';
import type { MeanSummary, RatioSummary } from './summary.js';
import { ratioEstimate } from './summary.js';

export type Interval = [number, number];

export interface LiftResult {
    treatment: number;
    control: number;
    absoluteLift: number;
    /** (treatment − control) / control; null when the control mean is 0. */
    relativeLift: number | null;
    ci95: Interval | null;
    relativeCi95: Interval | null;
    pValue: number | null;
    /** Welch–Satterthwaite degrees of freedom (plain metrics); null for ratio metrics (normal approximation). */
    df: number | null;
    standardError: number | null;
}

export const CONFIDENCE = 0.95;

/** Welch's two-sample t: difference of means, its interval with Welch–Satterthwaite df, and a two-sided p-value. */
export function welch(t: MeanSummary, c: MeanSummary, confidence = CONFIDENCE) {
    const diff = t.mean - c.mean;
    if (t.n < 2 || c.n < 2) return { diff, se: null, df: null, ci: null, pValue: null };
    const vt = t.variance / t.n;
    const vc = c.variance / c.n;
    const se2 = vt + vc;
    if (!(se2 > 0)) {
        // No spread in either group: the difference is known exactly.
        return { diff, se: 0, df: null, ci: [diff, diff] as Interval, pValue: diff === 0 ? 1 : 0 };
    }
    const df = se2 ** 2 / (vt ** 2 / (t.n - 1) + vc ** 2 / (c.n - 1));
    const se = Math.sqrt(se2);
    const q = tQuantile(1 - (1 - confidence) / 2, df);
    // 2·P(T ≤ −|t|) keeps precision for tiny p-values (1 − cdf would round to 0).
    const pValue = Math.min(1, 2 * tCdf(-Math.abs(diff / se), df));
    return { diff, se, df, ci: [diff - q * se, diff + q * se] as Interval, pValue };
}

/** Delta-method interval for the relative lift mt/mc − 1, given the variances of the two estimates. */
export function relativeInterval(mt: number, varMt: number, mc: number, varMc: number, confidence = CONFIDENCE): { lift: number; ci: Interval | null } | null {
    if (mc === 0) return null;
    const lift = mt / mc - 1;
    // Var(mt/mc) ≈ Var(mt)/mc² + mt² Var(mc)/mc⁴
    const variance = varMt / mc ** 2 + (mt ** 2 * varMc) / mc ** 4;
    if (!Number.isFinite(variance)) return { lift, ci: null };
    const z = normalQuantile(1 - (1 - confidence) / 2);
    const half = z * Math.sqrt(variance);
    return { lift, ci: [lift - half, lift + half] };
}

/** Lift of a plain (per-customer mean) metric. */
export function meanLift(t: MeanSummary, c: MeanSummary, confidence = CONFIDENCE): LiftResult {
    const w = welch(t, c, confidence);
    const rel = t.n >= 2 && c.n >= 2 ? relativeInterval(t.mean, t.variance / t.n, c.mean, c.variance / c.n, confidence) : null;
    return {
        treatment: t.mean,
        control: c.mean,
        absoluteLift: w.diff,
        relativeLift: c.mean === 0 ? null : t.mean / c.mean - 1,
        ci95: w.ci,
        relativeCi95: rel?.ci ?? null,
        pValue: w.pValue,
        df: w.df,
        standardError: w.se
    };
}

/** Lift of a ratio metric (sum X / sum Y per group): delta-method variances, normal intervals and a z-test. */
export function ratioLift(t: RatioSummary, c: RatioSummary, confidence = CONFIDENCE): LiftResult | null {
    const rt = ratioEstimate(t);
    const rc = ratioEstimate(c);
    if (!rt || !rc) return null;
    const diff = rt.value - rc.value;
    const se = Math.sqrt(rt.variance + rc.variance);
    const z = normalQuantile(1 - (1 - confidence) / 2);
    const ci: Interval = [diff - z * se, diff + z * se];
    const pValue = se > 0 ? Math.min(1, 2 * normalCdf(-Math.abs(diff / se))) : diff === 0 ? 1 : 0;
    const rel = relativeInterval(rt.value, rt.variance, rc.value, rc.variance, confidence);
    return {
        treatment: rt.value,
        control: rc.value,
        absoluteLift: diff,
        relativeLift: rel?.lift ?? null,
        ci95: ci,
        relativeCi95: rel?.ci ?? null,
        pValue,
        df: null,
        standardError: se
    };
}
