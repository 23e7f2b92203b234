// Customer lifetime value over a finite horizon: margin × expected spend per purchase × the purchases expected in each
// period of the horizon, each discounted to the end of the calibration period at the declared yearly rate.

/**
 * The per-period rate of a yearly discount rate d: (1 + d)^(days per period / 365) − 1, as exp(k·ln(1+d)) − 1 with
 * log1p and expm1 (exact for small d, and no `**`, whose last bit differs between engines).
 */
export function perPeriodDiscountRate(yearlyRate: number, daysPerPeriod: number): number {
    if (!(yearlyRate > -1 && Number.isFinite(yearlyRate))) throw new RangeError(`A yearly discount rate must be finite and above −100%, not ${yearlyRate}.`);
    if (!(daysPerPeriod > 0 && Number.isFinite(daysPerPeriod))) throw new RangeError(`Days per period must be finite and > 0, not ${daysPerPeriod}.`);
    return Math.expm1((daysPerPeriod / 365) * Math.log1p(yearlyRate));
}

/**
 * Σᵢ₌₁..H (E(i) − E(i−1)) / (1 + δ)ⁱ: the purchases expected in each of the next H periods, from the conditional
 * cumulative expectation E(t) = E[X(T, T+t) | history], discounted at the per-period rate δ. The discount factors are
 * built as a running product, so each costs one multiplication.
 */
export function discountedExpectedPurchases(cumulative: (t: number) => number, horizonPeriods: number, perPeriodRate: number): number {
    if (!(Number.isInteger(horizonPeriods) && horizonPeriods >= 0)) throw new RangeError(`The horizon must be a whole number of periods ≥ 0, not ${horizonPeriods}.`);
    if (!(perPeriodRate > -1 && Number.isFinite(perPeriodRate))) throw new RangeError(`A per-period discount rate must be finite and above −100%, not ${perPeriodRate}.`);
    const step = 1 / (1 + perPeriodRate);
    let factor = 1;
    let previous = cumulative(0);
    let total = 0;
    for (let i = 1; i <= horizonPeriods; i++) {
        factor *= step;
        const current = cumulative(i);
        total += (current - previous) * factor;
        previous = current;
    }
    return total;
}

export interface ClvTerms {
    /** The share of spend that is profit, in (0, 1]. */
    margin: number;
    /** The expected spend per purchase (from the Gamma-Gamma model, or any other). */
    expectedSpend: number;
    /** E[X(T, T+t) | the customer's history]: the conditional expected purchases in the next t periods. */
    cumulativeExpectedPurchases: (t: number) => number;
    /** H, the horizon in periods. */
    horizonPeriods: number;
    /** The length of the model's period in days (7 for weeks). */
    daysPerPeriod: number;
    /** The yearly discount rate d (0.10 for 10%). */
    yearlyDiscountRate: number;
}

/**
 * CLV = margin × expected spend × Σᵢ₌₁..H (E[X(T, T+i)] − E[X(T, T+i−1)]) / (1 + δ)ⁱ, δ = (1 + d)^(days/365) − 1:
 * the purchases of period i are valued at its end.
 */
export function customerLifetimeValue(terms: ClvTerms): number {
    if (!(terms.margin > 0 && terms.margin <= 1)) throw new RangeError(`The margin must lie in (0, 1], not ${terms.margin}.`);
    if (!(terms.expectedSpend >= 0)) throw new RangeError(`The expected spend must be ≥ 0, not ${terms.expectedSpend}.`);
    const rate = perPeriodDiscountRate(terms.yearlyDiscountRate, terms.daysPerPeriod);
    return terms.margin * terms.expectedSpend * discountedExpectedPurchases(terms.cumulativeExpectedPurchases, terms.horizonPeriods, rate);
}
