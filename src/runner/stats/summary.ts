// Per-group summaries that the SQL engine returns: the statistics never see individual customers.
import { sq } from './square.js';

/** A plain metric in one group: customers with a value, their mean and sample variance. */
export interface MeanSummary {
    n: number;
    mean: number;
    /** Sample variance (n - 1 in the denominator). */
    variance: number;
}

/**
 * A ratio metric in one group (sum of X over sum of Y, e.g. revenue per order): per-customer X and Y,
 * their means, sample variances and sample covariance.
 */
export interface RatioSummary {
    n: number;
    meanX: number;
    meanY: number;
    varX: number;
    varY: number;
    covXY: number;
}

/** The ratio of means and the delta-method variance of that estimate (not of a single customer). */
export function ratioEstimate(s: RatioSummary): { value: number; variance: number } | undefined {
    if (s.n < 2 || s.meanY === 0) return undefined;
    const { meanX: mx, meanY: my } = s;
    const value = mx / my;
    // Var(X̄/Ȳ) ≈ (1/n) [ Var X / μy² − 2 μx Cov(X,Y) / μy³ + μx² Var Y / μy⁴ ]
    const variance = (s.varX / sq(my) - (2 * mx * s.covXY) / (sq(my) * my) + (sq(mx) * s.varY) / sq(sq(my))) / s.n;
    return { value, variance: Math.max(variance, 0) };
}
