// The probability distributions the statistics need, from @stdlib (tested implementations, no hand-rolled special functions).
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import chisquareCdfImpl from '@stdlib/stats-base-dists-chisquare-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';

/** Quantile of Student's t with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
    return tQuantileImpl(p, df);
}

/** P(T <= x) for Student's t with `df` degrees of freedom. */
export function tCdf(x: number, df: number): number {
    return tCdfImpl(x, df);
}

/** P(X <= x) for the chi-square distribution with `df` degrees of freedom. */
export function chisquareCdf(x: number, df: number): number {
    return chisquareCdfImpl(x, df);
}

/** Quantile of the standard normal distribution. */
export function normalQuantile(p: number): number {
    return normalQuantileImpl(p, 0, 1);
}

/** P(Z <= x) for the standard normal distribution. */
export function normalCdf(x: number): number {
    return normalCdfImpl(x, 0, 1);
}
