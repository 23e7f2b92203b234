// The Gamma-Gamma model of spend per transaction, Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves
// for Customer Base Analysis", Journal of Marketing Research 42(4), as set out in Fader & Hardie's note "The Gamma-
// Gamma Model of Monetary Value" (2013): a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across
// customers (γ is `v` here), independent of the purchase process. Fitted on customers with at least one repeat
// purchase, on the mean spend m̄ₓ of those repeat purchases.

import { maximumLikelihood, type FitOptions, type ModelFit } from './fit.js';
import { digamma, lnGamma } from './special.js';

export interface GammaGammaParams {
    p: number;
    q: number;
    v: number;
}

export const GAMMA_GAMMA_PARAMS = ['p', 'q', 'v'] as const;

/** A customer's repeat purchases and their mean spend. */
export interface SpendHistory {
    /** Repeat purchases (≥ 1 to enter a fit; 0 gives the population mean in `gammaGammaExpectedSpend`). */
    x: number;
    /** m̄ₓ, the mean value of those x purchases (> 0). */
    meanSpend: number;
}

export interface SpendGroup extends SpendHistory {
    count: number;
}

function checkParams(p: GammaGammaParams): void {
    if (!(p.p > 0 && p.q > 0 && p.v > 0)) throw new RangeError(`Gamma-Gamma parameters must be > 0: p=${p.p}, q=${p.q}, v=${p.v}.`);
}

function checkSpend(h: SpendHistory, fitting: boolean): void {
    if (!(Number.isInteger(h.x) && h.x >= (fitting ? 1 : 0))) throw new RangeError(`x (repeat purchases) must be a whole number ≥ ${fitting ? 1 : 0}, not ${h.x}.`);
    if (h.x > 0 && !(h.meanSpend > 0 && Number.isFinite(h.meanSpend))) throw new RangeError(`The mean spend of repeat purchases must be finite and > 0, not ${h.meanSpend}.`);
}

interface PreparedSpends {
    xs: number[];
    xIndex: Int32Array;
    lnMean: Float64Array;
    mean: Float64Array;
    count: Float64Array;
    customers: number;
    /** Σ count·m̄ₓ / Σ count, for a start scaled to the data. */
    averageSpend: number;
}

function prepareSpends(groups: readonly SpendGroup[]): PreparedSpends {
    const xs: number[] = [];
    const position = new Map<number, number>();
    const n = groups.length;
    const d: PreparedSpends = { xs, xIndex: new Int32Array(n), lnMean: new Float64Array(n), mean: new Float64Array(n), count: new Float64Array(n), customers: 0, averageSpend: 0 };
    let spend = 0;
    groups.forEach((g, i) => {
        checkSpend(g, true);
        if (!(g.count >= 0 && Number.isFinite(g.count))) throw new RangeError(`A group's count must be finite and ≥ 0, not ${g.count}.`);
        let at = position.get(g.x);
        if (at === undefined) {
            at = xs.length;
            xs.push(g.x);
            position.set(g.x, at);
        }
        d.xIndex[i] = at;
        d.mean[i] = g.meanSpend;
        d.lnMean[i] = Math.log(g.meanSpend);
        d.count[i] = g.count;
        d.customers += g.count;
        spend += g.count * g.meanSpend;
    });
    d.averageSpend = d.customers > 0 ? spend / d.customers : 0;
    return d;
}

/**
 * One customer's log-likelihood, the density of m̄ₓ given x:
 *
 *   f(m̄ₓ | p, q, γ; x) = Γ(px+q) / (Γ(px)·Γ(q)) · γ^q · m̄ₓ^(px−1) · x^(px) / (γ + x·m̄ₓ)^(px+q)
 *
 *   ln f = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q·ln γ + px·ln x + (px−1)·ln m̄ₓ − (px+q)·ln(γ + x·m̄ₓ).
 */
export function gammaGammaLogLikelihood(p: GammaGammaParams, h: SpendHistory): number {
    checkParams(p);
    return gammaGammaTotal(p, prepareSpends([{ ...h, count: 1 }]));
}

/** Σ count · ln f over groups of customers with the same x and mean spend. */
export function gammaGammaTotalLogLikelihood(p: GammaGammaParams, groups: readonly SpendGroup[]): number {
    checkParams(p);
    return gammaGammaTotal(p, prepareSpends(groups));
}

/**
 * ∇ Σ count · ln f with respect to (p, q, γ):
 *
 *   ∂/∂p = x·(ψ(px+q) − ψ(px) + ln x + ln m̄ₓ − ln(γ + x·m̄ₓ))
 *   ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + x·m̄ₓ)
 *   ∂/∂γ = q/γ − (px+q)/(γ + x·m̄ₓ)
 */
export function gammaGammaTotalLogLikelihoodGradient(p: GammaGammaParams, groups: readonly SpendGroup[]): number[] {
    checkParams(p);
    const gradient = [0, 0, 0];
    gammaGammaTotal(p, prepareSpends(groups), gradient);
    return gradient;
}

/** Σ count · ln f; when `gradient` is given, also fills it with ∇ (see above) in the same pass. */
function gammaGammaTotal({ p, q, v }: GammaGammaParams, d: PreparedSpends, gradient?: number[]): number {
    const lnV = Math.log(v);
    const base = -lnGamma(q) + q * lnV;
    const head = d.xs.map(x => base + lnGamma(p * x + q) - lnGamma(p * x) + p * x * Math.log(x));
    let total = 0, dp = 0, dq = 0, dv = 0;
    for (let i = 0; i < d.count.length; i++) {
        const j = d.xIndex[i];
        const x = d.xs[j];
        const px = p * x;
        const lnSum = Math.log(v + x * d.mean[i]);
        total += d.count[i] * (head[j] + (px - 1) * d.lnMean[i] - (px + q) * lnSum);
        if (gradient) {
            dp += d.count[i] * x * (d.lnMean[i] - lnSum);
            dq -= d.count[i] * lnSum;
            dv -= (d.count[i] * (px + q)) / (v + x * d.mean[i]);
        }
    }
    if (gradient) {
        // The terms constant within a distinct x, weighted by its customers.
        const counts = new Float64Array(d.xs.length);
        for (let i = 0; i < d.count.length; i++) counts[d.xIndex[i]] += d.count[i];
        const psiQ = digamma(q);
        d.xs.forEach((x, j) => {
            const psiPXQ = digamma(p * x + q);
            dp += counts[j] * x * (psiPXQ - digamma(p * x) + Math.log(x));
            dq += counts[j] * (psiPXQ - psiQ + lnV);
            dv += (counts[j] * q) / v;
        });
        gradient[0] = dp;
        gradient[1] = dq;
        gradient[2] = dv;
    }
    return total;
}

/**
 * Maximum likelihood estimates of (p, q, v) from customers with at least one repeat purchase, from p = q = v = 1 and
 * from p = 1, q = 2, v = the average m̄ₓ (a population mean p·v/(q−1) equal to the data's), keeping the better.
 */
export function fitGammaGamma(groups: readonly SpendGroup[], options: FitOptions = {}): ModelFit<(typeof GAMMA_GAMMA_PARAMS)[number]> {
    const d = prepareSpends(groups);
    const starts = [[1, 1, 1], [1, 2, d.averageSpend > 0 ? d.averageSpend : 1]];
    const gradient = ([p, q, v]: number[]) => {
        const g = [0, 0, 0];
        gammaGammaTotal({ p, q, v }, d, g);
        return g;
    };
    return maximumLikelihood(GAMMA_GAMMA_PARAMS, ([p, q, v]) => gammaGammaTotal({ p, q, v }, d), d.customers, starts, options, gradient);
}

/**
 * E[M | p, q, γ; m̄ₓ, x] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄ₓ = p·(γ + x·m̄ₓ) / (px + q − 1): a weighted mean
 * of the population mean pγ/(q−1) and the customer's own mean, the weight on the customer growing with x. For x = 0 it
 * is the population mean. Infinite where the mean does not exist (px + q ≤ 1).
 */
export function gammaGammaExpectedSpend(p: GammaGammaParams, h: SpendHistory): number {
    checkParams(p);
    checkSpend(h, false);
    const denominator = p.p * h.x + p.q - 1;
    if (!(denominator > 0)) return Infinity;
    return (p.p * (p.v + (h.x > 0 ? h.x * h.meanSpend : 0))) / denominator;
}
