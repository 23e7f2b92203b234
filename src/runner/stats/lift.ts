// Lift of treatment over control, absolute or relative, as one statistic: an estimate, its standard error and
// Welch–Satterthwaite degrees of freedom (as GrowthBook's gbstats computes them). The interval, the two-sided p-value
// and every one-sided test against a goal's target are read off that one statistic, so they never disagree.
import { tCdf, tQuantile } from './distributions.js';
import type { MeanSummary, RatioSummary } from './summary.js';
import { ratioEstimate } from './summary.js';
import { sq } from './square.js';

export type Interval = [number, number];

export const CONFIDENCE = 0.95;

/** One group's estimate of a metric: its mean (or ratio), the variance of that estimate, and the customers behind it. */
export interface GroupEstimate {
    n: number;
    mean: number;
    /** Var(mean): s²/n for a plain metric, the delta-method variance for a ratio metric. */
    variance: number;
}

export function meanEstimate(s: MeanSummary): GroupEstimate {
    return { n: s.n, mean: s.mean, variance: s.n > 0 ? s.variance / s.n : NaN };
}

export function ratioGroupEstimate(s: RatioSummary): GroupEstimate | undefined {
    const r = ratioEstimate(s);
    return r && { n: s.n, mean: r.value, variance: r.variance };
}

/** Why an effect cannot be estimated: each becomes a plain sentence in the report. */
export type EffectProblem =
    | { kind: 'too-few'; treatment: number; control: number }
    | { kind: 'no-variation'; treatment: number; control: number }
    | { kind: 'not-finite' }
    | { kind: 'control-not-positive'; control: number }
    | { kind: 'control-uncertain'; control: number; low: number };

export interface Effect {
    /** absolute: m_t − m_c; relative: m_t / m_c − 1 (as a fraction). */
    estimate: number;
    standardError: number;
    df: number;
}

export type EffectResult = { ok: true; effect: Effect } | { ok: false; problem: EffectProblem; estimate: number | null };

/**
 * The lift as one t statistic. Absolute: Δ = m_t − m_c, SE² = V_t + V_c. Relative: m_t/m_c − 1 with the delta-method
 * SE² = V_t/m_c² + m_t²·V_c/m_c⁴. Both with ν = (V_t + V_c)² / (V_t²/(n_t−1) + V_c²/(n_c−1)), V = variance of a
 * group's estimate. It refuses rather than guesses: fewer than 2 customers with a value in a group, no variation in
 * either group (a zero standard error is not certainty), a relative lift over a control mean at or below 0, or over
 * a control mean that is not clearly above 0 (Fieller's condition).
 */
export function liftEffect(t: GroupEstimate, c: GroupEstimate, relative: boolean, confidence = CONFIDENCE): EffectResult {
    const absolute = t.mean - c.mean;
    const point = relative ? (c.mean > 0 ? t.mean / c.mean - 1 : null) : absolute;
    if (t.n < 2 || c.n < 2) return { ok: false, problem: { kind: 'too-few', treatment: t.n, control: c.n }, estimate: point };
    const finite = [t.mean, c.mean, t.variance, c.variance].every(Number.isFinite) && t.variance >= 0 && c.variance >= 0;
    if (!finite) return { ok: false, problem: { kind: 'not-finite' }, estimate: null };
    if (!(t.variance + c.variance > 0)) return { ok: false, problem: { kind: 'no-variation', treatment: t.mean, control: c.mean }, estimate: point };
    // Integer powers as products: `**` may differ in the last bit between JavaScript engines, products never do.
    const df = sq(t.variance + c.variance) / (sq(t.variance) / (t.n - 1) + sq(c.variance) / (c.n - 1));
    if (!relative) return { ok: true, effect: { estimate: absolute, standardError: Math.sqrt(t.variance + c.variance), df } };
    if (!(c.mean > 0)) return { ok: false, problem: { kind: 'control-not-positive', control: c.mean }, estimate: null };
    // Fieller's condition: the ratio's confidence set is a bounded interval only when the control mean is itself
    // clearly above 0 (t²·V_c/m_c² < 1); otherwise the delta-method interval would be falsely narrow.
    const low = c.mean - tQuantile(1 - (1 - confidence) / 2, df) * Math.sqrt(c.variance);
    if (!(low > 0)) return { ok: false, problem: { kind: 'control-uncertain', control: c.mean, low }, estimate: point };
    const variance = t.variance / sq(c.mean) + (sq(t.mean) * c.variance) / sq(sq(c.mean));
    return { ok: true, effect: { estimate: t.mean / c.mean - 1, standardError: Math.sqrt(variance), df } };
}

/** The two-sided interval `estimate ± t(ν) · SE`. */
export function effectInterval(e: Effect, confidence = CONFIDENCE): Interval {
    const q = tQuantile(1 - (1 - confidence) / 2, e.df);
    return [e.estimate - q * e.standardError, e.estimate + q * e.standardError];
}

/** Two-sided p-value of "no difference": 2·P(T ≤ −|estimate/SE|) (keeps precision for tiny p-values). */
export function twoSidedPValue(e: Effect): number {
    return Math.min(1, 2 * tCdf(-Math.abs(e.estimate / e.standardError), e.df));
}

/**
 * One-sided p-value against a target: for `above`, of H0 "the effect is at most the target" (small when the effect
 * clearly exceeds it), P(T ≥ (estimate − target)/SE); for `below`, mirrored.
 */
export function oneSidedPValue(e: Effect, target: number, direction: 'above' | 'below'): number {
    const z = (e.estimate - target) / e.standardError;
    return tCdf(direction === 'above' ? -z : z, e.df);
}

/** What the report says of a metric's lift: both effects with their intervals, and the test of "no difference". */
export interface LiftResult {
    treatment: number;
    control: number;
    absoluteLift: number;
    /** m_t/m_c − 1; null when the control mean is 0 or below. */
    relativeLift: number | null;
    ci95: Interval | null;
    relativeCi95: Interval | null;
    pValue: number | null;
    df: number | null;
    absolute: EffectResult;
    relative: EffectResult;
}

export function lift(t: GroupEstimate, c: GroupEstimate, confidence = CONFIDENCE): LiftResult {
    const absolute = liftEffect(t, c, false, confidence);
    const relative = liftEffect(t, c, true, confidence);
    return {
        treatment: t.mean,
        control: c.mean,
        absoluteLift: t.mean - c.mean,
        relativeLift: c.mean > 0 ? t.mean / c.mean - 1 : null,
        ci95: absolute.ok ? effectInterval(absolute.effect, confidence) : null,
        relativeCi95: relative.ok ? effectInterval(relative.effect, confidence) : null,
        pValue: absolute.ok ? twoSidedPValue(absolute.effect) : null,
        df: absolute.ok ? absolute.effect.df : null,
        absolute,
        relative
    };
}

/** Lift of a plain (per-customer mean) metric. */
export function meanLift(t: MeanSummary, c: MeanSummary, confidence = CONFIDENCE): LiftResult {
    return lift(meanEstimate(t), meanEstimate(c), confidence);
}

/** Lift of a ratio metric (sum X / sum Y per group), with delta-method variances; null when a ratio is undefined. */
export function ratioLift(t: RatioSummary, c: RatioSummary, confidence = CONFIDENCE): LiftResult | null {
    const rt = ratioGroupEstimate(t);
    const rc = ratioGroupEstimate(c);
    return rt && rc ? lift(rt, rc, confidence) : null;
}

/**
 * The interval of one group's mean, `m ± t(n−1) · √V`, and its one-sided p-value against a target: the test of a
 * `mean(...)` goal. Null (with the problem) when it cannot be told.
 */
export function meanTest(g: GroupEstimate, target: number, direction: 'above' | 'below', confidence = CONFIDENCE):
    { ok: true; interval: Interval; pValue: number } | { ok: false; problem: EffectProblem } {
    if (g.n < 2) return { ok: false, problem: { kind: 'too-few', treatment: g.n, control: g.n } };
    if (!Number.isFinite(g.mean) || !Number.isFinite(g.variance) || g.variance < 0) return { ok: false, problem: { kind: 'not-finite' } };
    if (!(g.variance > 0)) return { ok: false, problem: { kind: 'no-variation', treatment: g.mean, control: g.mean } };
    const e: Effect = { estimate: g.mean, standardError: Math.sqrt(g.variance), df: g.n - 1 };
    return { ok: true, interval: effectInterval(e, confidence), pValue: oneSidedPValue(e, target, direction) };
}
