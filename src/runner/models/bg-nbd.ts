// The BG/NBD model of Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
// Pareto/NBD Model", Marketing Science 24(2): while alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after
// each purchase they drop out with probability p ~ Beta(a, b). Equation numbers refer to that paper.
import { maximumLikelihood, type FitOptions, type ModelFit } from './fit.js';
import { checkHistory, prepareHistories, type HistoryGroup, type PreparedHistories, type PurchaseHistory } from './histories.js';
import { digamma, hyp2f1, inverseOnePlusExp, lnBeta, lnGamma, logSumExp } from './special.js';

export interface BgNbdParams {
    r: number;
    alpha: number;
    a: number;
    b: number;
}

export const BG_NBD_PARAMS = ['r', 'alpha', 'a', 'b'] as const;

function checkParams(p: BgNbdParams): void {
    if (!(p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0)) throw new RangeError(`BG/NBD parameters must be > 0: r=${p.r}, α=${p.alpha}, a=${p.a}, b=${p.b}.`);
}

/**
 * One customer's log-likelihood, in log space:
 *
 *   L = B(a, b+x)/B(a, b) · Γ(r+x)·αʳ / (Γ(r)·(α+T)^(r+x))  +  δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x)·αʳ / (Γ(r)·(α+t_x)^(r+x))
 *
 *   ln L = ln Γ(r+x) − ln Γ(r) + r·ln α − ln B(a, b) + logsumexp(ln B(a, b+x) − (r+x)·ln(α+T),
 *                                                                 ln B(a+1, b+x−1) − (r+x)·ln(α+t_x))
 *
 * so neither (α+T)^(r+x) nor the gamma functions are ever formed: a history of 10,000 periods and thousands of
 * purchases stays finite.
 */
export function bgNbdLogLikelihood(p: BgNbdParams, h: PurchaseHistory): number {
    checkParams(p);
    checkHistory(h);
    return bgNbdTotal(p, prepareHistories([{ ...h, count: 1 }]));
}

/** Σ count · ln L over groups of customers with identical histories. */
export function bgNbdTotalLogLikelihood(p: BgNbdParams, groups: readonly HistoryGroup[]): number {
    checkParams(p);
    return bgNbdTotal(p, prepareHistories(groups));
}

/**
 * ∇ Σ count · ln L with respect to (r, α, a, b), for the optimizer. With π the weight of the "alive at T" term of the
 * log-sum-exp, A = ln B(a, b+x) − (r+x)·ln(α+T) and D = ln B(a+1, b+x−1) − (r+x)·ln(α+t_x):
 *
 *   ∂/∂r = ψ(r+x) − ψ(r) + ln α − π·ln(α+T) − (1−π)·ln(α+t_x)
 *   ∂/∂α = r/α − (r+x)·(π/(α+T) + (1−π)/(α+t_x))
 *   ∂/∂a = ψ(a+b) − ψ(a) + π·(ψ(a) − ψ(a+b+x)) + (1−π)·(ψ(a+1) − ψ(a+b+x))
 *   ∂/∂b = ψ(a+b) − ψ(b) + π·(ψ(b+x) − ψ(a+b+x)) + (1−π)·(ψ(b+x−1) − ψ(a+b+x))
 */
export function bgNbdTotalLogLikelihoodGradient(p: BgNbdParams, groups: readonly HistoryGroup[]): number[] {
    checkParams(p);
    const gradient = [0, 0, 0, 0];
    bgNbdTotal(p, prepareHistories(groups), gradient);
    return gradient;
}

/** Σ count · ln L; when `gradient` is given, also fills it with ∇ (see above) in the same pass. */
function bgNbdTotal({ r, alpha, a, b }: BgNbdParams, d: PreparedHistories, gradient?: number[]): number {
    const lnAlpha = Math.log(alpha);
    const base = -lnGamma(r) + r * lnAlpha - lnBeta(a, b);
    // The terms that depend on x alone, once per distinct x.
    const head = d.xs.map(x => base + lnGamma(r + x));
    const stay = d.xs.map(x => lnBeta(a, b + x));
    const drop = d.xs.map(x => (x > 0 ? lnBeta(a + 1, b + x - 1) : -Infinity));
    // Per distinct x: Σ count and Σ count·π, for the a and b terms of the gradient.
    const counts = gradient ? new Float64Array(d.xs.length) : undefined;
    const weights = gradient ? new Float64Array(d.xs.length) : undefined;
    // ln(α+T), 1/(α+T) and the same of t_x, once per distinct value.
    const lnAgeOf = d.Ts.map(T => Math.log(alpha + T));
    const lnRecencyOf = d.txs.map(tx => Math.log(alpha + tx));
    const invAgeOf = d.Ts.map(T => 1 / (alpha + T));
    const invRecencyOf = d.txs.map(tx => 1 / (alpha + tx));
    let total = 0, dr = 0, dAlpha = 0;
    for (let i = 0; i < d.count.length; i++) {
        const j = d.xIndex[i];
        const rx = r + d.xs[j];
        const lnAT = lnAgeOf[d.TIndex[i]];
        const alive = stay[j] - rx * lnAT;
        if (drop[j] === -Infinity) {
            total += d.count[i] * (head[j] + alive);
            if (gradient) {
                dr -= d.count[i] * lnAT;
                dAlpha -= d.count[i] * rx * invAgeOf[d.TIndex[i]];
                counts![j] += d.count[i];
                weights![j] += d.count[i];
            }
            continue;
        }
        const lnAtx = lnRecencyOf[d.txIndex[i]];
        const dropped = drop[j] - rx * lnAtx;
        total += d.count[i] * (head[j] + logSumExp(alive, dropped));
        if (gradient) {
            const pi = inverseOnePlusExp(dropped - alive);
            dr -= d.count[i] * (pi * lnAT + (1 - pi) * lnAtx);
            dAlpha -= d.count[i] * rx * (pi * invAgeOf[d.TIndex[i]] + (1 - pi) * invRecencyOf[d.txIndex[i]]);
            counts![j] += d.count[i];
            weights![j] += d.count[i] * pi;
        }
    }
    if (gradient) {
        const psiR = digamma(r), psiA = digamma(a), psiA1 = digamma(a + 1), psiB = digamma(b), psiAB = digamma(a + b);
        let da = 0, db = 0;
        d.xs.forEach((x, j) => {
            const n = counts![j], w = weights![j];
            const psiABX = digamma(a + b + x);
            dr += n * (digamma(r + x) - psiR + lnAlpha);
            dAlpha += (n * r) / alpha;
            da += n * (psiAB - psiA) + w * (psiA - psiABX) + (n - w) * (x > 0 ? psiA1 - psiABX : 0);
            db += n * (psiAB - psiB) + w * (digamma(b + x) - psiABX) + (n - w) * (x > 0 ? digamma(b + x - 1) - psiABX : 0);
        });
        gradient[0] = dr;
        gradient[1] = dAlpha;
        gradient[2] = da;
        gradient[3] = db;
    }
    return total;
}

/**
 * Maximum likelihood estimates of (r, α, a, b) from grouped histories. Starts from r = α = a = b = 1 and from a start
 * scaled to the data (α = exposure / purchases, so that r/α is the average purchase rate), keeping the better.
 */
export function fitBgNbd(groups: readonly HistoryGroup[], options: FitOptions = {}): ModelFit<(typeof BG_NBD_PARAMS)[number]> {
    const d = prepareHistories(groups);
    const scaled = d.purchases > 0 ? d.exposure / d.purchases : 1;
    const starts = [[1, 1, 1, 1], [1, scaled > 0 ? scaled : 1, 1, 1]];
    const gradient = ([r, alpha, a, b]: number[]) => {
        const g = [0, 0, 0, 0];
        bgNbdTotal({ r, alpha, a, b }, d, g);
        return g;
    };
    return maximumLikelihood(BG_NBD_PARAMS, ([r, alpha, a, b]) => bgNbdTotal({ r, alpha, a, b }, d), d.customers, starts, options, gradient);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)); 1 for a customer without
 * repeat purchases (in the BG/NBD a customer can only drop out right after a purchase).
 */
export function bgNbdProbabilityAlive(p: BgNbdParams, h: PurchaseHistory): number {
    checkParams(p);
    checkHistory(h);
    if (h.x === 0) return 1;
    const { r, alpha, a, b } = p;
    const u = Math.log(a) - Math.log(b + h.x - 1) + (r + h.x) * (Math.log(alpha + h.T) - Math.log(alpha + h.tx));
    return inverseOnePlusExp(u);
}

/**
 * The expected purchases in (T, T+t] of a customer alive at T:
 *
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z)],   z = t/(α+T+t),
 *
 * with Euler's transformation ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z), under which the power and the
 * function combine into (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z): no (α+T)^(r+x) for a long history, and a
 * series whose terms no longer grow with x. Within 10⁻⁶ of a = 1 the expression is 0/0 or
 * nearly so; there it is the mean of its values at a ± 10⁻⁵ (off by O(10⁻¹⁰)).
 */
function expectedIfAlive({ r, alpha, a, b }: BgNbdParams, x: number, T: number, t: number): number {
    if (t === 0) return 0;
    if (Math.abs(a - 1) < 1e-6) {
        return (expectedIfAlive({ r, alpha, a: a - 1e-5, b }, x, T, t) + expectedIfAlive({ r, alpha, a: a + 1e-5, b }, x, T, t)) / 2;
    }
    const z = t / (alpha + T + t);
    const c = a + b + x - 1;
    const power = Math.exp(-(a - 1) * Math.log1p(t / (alpha + T)));
    return (c / (a - 1)) * (1 - power * hyp2f1(a + b - 1 - r, a - 1, c, z));
}

/**
 * E[X(T, T+t) | x, t_x, T]: the purchases expected in the next t periods of a customer with this history
 * = the purchases expected if alive × P(alive).
 */
export function bgNbdConditionalExpectedPurchases(p: BgNbdParams, h: PurchaseHistory, t: number): number {
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be finite and ≥ 0, not ${t}.`);
    return expectedIfAlive(p, h.x, h.T, t) * bgNbdProbabilityAlive(p, h);
}

/**
 * E[X(t)], the purchases expected of a new customer in t periods from their first purchase (repeat purchases:
 * the first is not counted): (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ · ₂F₁(r, b; a+b−1; t/(α+t))], the case x = 0, T = 0 of
 * the conditional expectation. For the holdout chart: expected cumulative repeat purchases of a cohort.
 */
export function bgNbdExpectedPurchases(p: BgNbdParams, t: number): number {
    checkParams(p);
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be finite and ≥ 0, not ${t}.`);
    return expectedIfAlive(p, 0, 0, t);
}
