// The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They and What Will
// They Do Next?", Management Science 33(1): while alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); their
// lifetime is exponential with rate μ ~ Gamma(s, β). The likelihood is written as in Fader & Hardie (2005), "A Note on
// Deriving the Pareto/NBD Model and Related Expressions", with the Gauss hypergeometric function.
import { maximumLikelihood, type FitOptions, type ModelFit } from './fit.js';
import { checkHistory, prepareHistories, type HistoryGroup, type PreparedHistories, type PurchaseHistory } from './histories.js';
import { hyp2f1, inverseOnePlusExp, lnGamma, logDiffExp, logSumExp } from './special.js';

export interface ParetoNbdParams {
    r: number;
    alpha: number;
    s: number;
    beta: number;
}

export const PARETO_NBD_PARAMS = ['r', 'alpha', 's', 'beta'] as const;

function checkParams(p: ParetoNbdParams): void {
    if (!(p.r > 0 && p.alpha > 0 && p.s > 0 && p.beta > 0)) throw new RangeError(`Pareto/NBD parameters must be > 0: r=${p.r}, α=${p.alpha}, s=${p.s}, β=${p.beta}.`);
}

/**
 * ln A₀ of Fader & Hardie's note, with m = max(α, β), k = |α − β| and
 *
 *   α ≥ β:  A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; k/(α+t_x)) / (α+t_x)^(r+s+x) − ₂F₁(r+s+x, s+1; r+s+x+1; k/(α+T)) / (α+T)^(r+s+x)
 *   α < β:  A₀ = ₂F₁(r+s+x, r+x; r+s+x+1; k/(β+t_x)) / (β+t_x)^(r+s+x) − ₂F₁(r+s+x, r+x; r+s+x+1; k/(β+T)) / (β+T)^(r+s+x)
 *
 * (the two cases keep the argument z = k/(m+y) of ₂F₁ in [0, 1)). As written, each term overflows twice over when
 * z → 1 and the parameters are large (₂F₁ grows like (1−z)^(−s) or (1−z)^(1−r−x), the power like (m+y)^(r+s+x)).
 * Euler's transformation ₂F₁(A, B; A+1; z) = (1−z)^(1−B) ₂F₁(1, A+1−B; A+1; z), with 1 − z = (β+y)/(α+y) or
 * (α+y)/(β+y), turns each term into
 *
 *   exp(−(r+x)·ln(α+y) − s·ln(β+y)) · H(y),
 *   H(y) = ₂F₁(1, r+x; r+s+x+1; k/(α+y))                  when α ≥ β (at most (r+s+x)/s),
 *   H(y) = (α+y)/(β+y) · ₂F₁(1, s+1; r+s+x+1; k/(β+y))    when α < β,
 *
 * taken in logs and subtracted with log-diff-exp. −∞ when t_x = T (A₀ = 0).
 */
function lnA0({ r, alpha, s, beta }: ParetoNbdParams, x: number, tx: number, T: number): number {
    const c = r + s + x + 1;
    const term = (y: number) => {
        const lnA = Math.log(alpha + y);
        const lnB = Math.log(beta + y);
        const lnH = alpha >= beta
            ? Math.log(hyp2f1(1, r + x, c, (alpha - beta) / (alpha + y)))
            : lnA - lnB + Math.log(hyp2f1(1, s + 1, c, (beta - alpha) / (beta + y)));
        return -(r + x) * lnA - s * lnB + lnH;
    };
    const recent = term(tx);
    const now = term(T);
    // A₀ ≥ 0 exactly; rounding may make the difference of two nearly equal terms a hair negative.
    return now >= recent ? -Infinity : logDiffExp(recent, now);
}

/**
 * One customer's log-likelihood:
 *
 *   L = Γ(r+x)·αʳ·βˢ/Γ(r) · [ 1/((α+T)^(r+x)·(β+T)ˢ) + s/(r+s+x) · A₀ ]
 *
 *   ln L = ln Γ(r+x) − ln Γ(r) + r·ln α + s·ln β + logsumexp(−(r+x)·ln(α+T) − s·ln(β+T), ln s − ln(r+s+x) + ln A₀).
 */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, h: PurchaseHistory): number {
    checkParams(p);
    checkHistory(h);
    return paretoNbdTotal(p, prepareHistories([{ ...h, count: 1 }]));
}

/** Σ count · ln L over groups of customers with identical histories. */
export function paretoNbdTotalLogLikelihood(p: ParetoNbdParams, groups: readonly HistoryGroup[]): number {
    checkParams(p);
    return paretoNbdTotal(p, prepareHistories(groups));
}

function paretoNbdTotal(p: ParetoNbdParams, d: PreparedHistories): number {
    const { r, alpha, s, beta } = p;
    const base = -lnGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    const head = d.xs.map(x => base + lnGamma(r + x));
    const weight = d.xs.map(x => Math.log(s) - Math.log(r + s + x));
    let total = 0;
    for (let i = 0; i < d.count.length; i++) {
        const j = d.xIndex[i];
        const x = d.xs[j];
        const T = d.Ts[d.TIndex[i]];
        const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
        total += d.count[i] * (head[j] + logSumExp(alive, weight[j] + lnA0(p, x, d.txs[d.txIndex[i]], T)));
    }
    return total;
}

/**
 * Maximum likelihood estimates of (r, α, s, β) from grouped histories, from r = α = s = β = 1 and from a start scaled
 * to the data (α = β = exposure / purchases), keeping the better.
 */
export function fitParetoNbd(groups: readonly HistoryGroup[], options: FitOptions = {}): ModelFit<(typeof PARETO_NBD_PARAMS)[number]> {
    const d = prepareHistories(groups);
    const scaled = d.purchases > 0 && d.exposure > 0 ? d.exposure / d.purchases : 1;
    const starts = [[1, 1, 1, 1], [1, scaled, 1, scaled]];
    return maximumLikelihood(PARETO_NBD_PARAMS, ([r, alpha, s, beta]) => paretoNbdTotal({ r, alpha, s, beta }, d), d.customers, starts, options);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) · (β+T)ˢ · A₀), in logs. Below 1 even without repeat
 * purchases: a Pareto/NBD customer may leave at any time.
 */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, h: PurchaseHistory): number {
    checkParams(p);
    checkHistory(h);
    const { r, alpha, s, beta } = p;
    const u = Math.log(s) - Math.log(r + s + h.x) + (r + h.x) * Math.log(alpha + h.T) + s * Math.log(beta + h.T) + lnA0(p, h.x, h.tx, h.T);
    return inverseOnePlusExp(u);
}

/** [1 − (1 + t/y)^(1−s)] / (s − 1), → ln(1 + t/y) as s → 1; expm1 keeps it exact for s near 1. */
function survivalIntegral(s: number, y: number, t: number): number {
    const L = Math.log1p(t / y);
    return Math.abs(s - 1) < 1e-12 ? L : -Math.expm1(-(s - 1) * L) / (s - 1);
}

/**
 * E[X(T, T+t) | x, t_x, T] = (r+x)·(β+T) / ((α+T)·(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive | x, t_x, T)
 * (the s = 1 limit is (r+x)/(α+T) · (β+T)·ln((β+T+t)/(β+T)) · P(alive)).
 */
export function paretoNbdConditionalExpectedPurchases(p: ParetoNbdParams, h: PurchaseHistory, t: number): number {
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be finite and ≥ 0, not ${t}.`);
    const alive = paretoNbdProbabilityAlive(p, h);
    if (t === 0) return 0;
    const { r, alpha, s, beta } = p;
    return ((r + h.x) / (alpha + h.T)) * (beta + h.T) * survivalIntegral(s, beta + h.T, t) * alive;
}

/** E[X(t)] = r·β / (α·(s−1)) · [1 − (β/(β+t))^(s−1)]: the repeat purchases expected of a new customer in t periods. */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
    checkParams(p);
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be finite and ≥ 0, not ${t}.`);
    if (t === 0) return 0;
    return (p.r / p.alpha) * p.beta * survivalIntegral(p.s, p.beta, t);
}
