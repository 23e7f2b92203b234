// The lifetime-value models (src/runner/models) against brute force: the closed forms (log-betas, ₂F₁, Euler's
// transformation) checked by integrating each model's definition numerically over its latent rates; then the edges
// (no repeat purchase, a 10,000-period history, the region where Cephes' ₂F₁ needs its guard), fits that cannot
// converge and say why, and the CLV arithmetic against closed forms.
import { describe, expect, it } from 'vitest';
import {
    bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchases, bgNbdLogLikelihood, bgNbdProbabilityAlive, bgNbdTotalLogLikelihood,
    bgNbdTotalLogLikelihoodGradient, customerLifetimeValue, discountedExpectedPurchases, fitBgNbd, fitGammaGamma, fitParetoNbd,
    gammaGammaExpectedSpend, gammaGammaLogLikelihood, gammaGammaTotalLogLikelihood, gammaGammaTotalLogLikelihoodGradient,
    invertPositiveDefinite, paretoNbdConditionalExpectedPurchases, paretoNbdLogLikelihood, paretoNbdProbabilityAlive,
    perPeriodDiscountRate, type BgNbdParams, type ParetoNbdParams, type PurchaseHistory
} from '../../src/runner/models/index.js';

interface Range { from: number; to: number; step: number }

/**
 * ln ∫∫ e^f(u, v) du dv by the trapezoid rule on a grid (the integrands vanish at both ends of the ranges, and for
 * smooth integrands on the real line the rule converges geometrically in 1/step).
 */
function logIntegral2(f: (u: number, v: number) => number, U: Range, V: Range): number {
    // A running log-sum-exp: the sum is kept relative to the largest value so far.
    let max = -Infinity;
    let sum = 0;
    for (let i = 0, u = U.from; u <= U.to; u = U.from + ++i * U.step) {
        for (let j = 0, v = V.from; v <= V.to; v = V.from + ++j * V.step) {
            const value = f(u, v);
            if (value <= max) sum += Math.exp(value - max);
            else if (value > -Infinity) {
                sum = sum * Math.exp(max - value) + 1;
                max = value;
            }
        }
    }
    return max + Math.log(sum * U.step * V.step);
}

function logIntegral1(f: (u: number) => number, U: Range): number {
    return logIntegral2((u, _v) => f(u), U, { from: 0, to: 0, step: 1 });
}

// Log-densities of the mixing distributions in the variables integrated over, unnormalised: a gamma(shape, rate) rate
// λ = eʷ (with the Jacobian dλ = λ dw) and a beta(a, b) probability p = 1/(1 + e⁻ʸ) (dp = p(1−p) dy). The
// normalising constants are integrated numerically as well, so nothing here uses a gamma or beta function.
const logGammaW = (shape: number, rate: number) => (w: number) => shape * w - rate * Math.exp(w);
const logBetaY = (a: number, b: number) => (y: number) => -a * Math.log1p(Math.exp(-y)) - b * Math.log1p(Math.exp(y));
// The normalising integrals run over the whole line (wherever the posterior integrals are confined to its mode).
const WHOLE_W = { from: -400, to: 12, step: 0.005 };
const WHOLE_Y = { from: -150, to: 150, step: 0.005 };

/** The BG/NBD by its definition: λ ~ Gamma(r, α), p ~ Beta(a, b); likelihood, P(alive) and E[X(T, T+t)]. */
function bgNbdBruteForce({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: PurchaseHistory, t: number, W: Range, Y: Range) {
    const lambdaPrior = logGammaW(r, alpha);
    const pPrior = logBetaY(a, b);
    const norm = logIntegral1(lambdaPrior, WHOLE_W) + logIntegral1(pPrior, WHOLE_Y);
    // ln p and ln(1 − p) from the logit y, without cancellation.
    const lnP = (y: number) => -Math.log1p(Math.exp(-y));
    const lnQ = (y: number) => -Math.log1p(Math.exp(y));
    const alive = (w: number, y: number) => x * lnQ(y) + x * w - Math.exp(w) * T;
    const dropped = (w: number, y: number) => (x > 0 ? lnP(y) + (x - 1) * lnQ(y) + x * w - Math.exp(w) * tx : -Infinity);
    const prior = (w: number, y: number) => lambdaPrior(w) + pPrior(y);
    const logAlive = logIntegral2((w, y) => prior(w, y) + alive(w, y), W, Y);
    const logDropped = x > 0 ? logIntegral2((w, y) => prior(w, y) + dropped(w, y), W, Y) : -Infinity;
    const logL = Math.max(logAlive, logDropped) + Math.log1p(Math.exp(-Math.abs(logAlive - logDropped)));
    // Alive at T: X(T, T+t) has mean (1 − e^(−λpt))/p (purchases at rate λ, each followed by dropout with probability p).
    const logExpected = logIntegral2((w, y) => {
        const lambda = Math.exp(w);
        const p = Math.exp(lnP(y));
        return prior(w, y) + alive(w, y) + Math.log(-Math.expm1(-lambda * p * t)) - lnP(y);
    }, W, Y);
    return { logLikelihood: logL - norm, alive: Math.exp(logAlive - logL), expected: Math.exp(logExpected - logL) };
}

/** The Pareto/NBD by its definition: λ ~ Gamma(r, α), μ ~ Gamma(s, β), lifetime ~ Exp(μ). */
function paretoNbdBruteForce({ r, alpha, s, beta }: ParetoNbdParams, { x, tx, T }: PurchaseHistory, t: number, W: Range, V: Range) {
    const lambdaPrior = logGammaW(r, alpha);
    const muPrior = logGammaW(s, beta);
    const norm = logIntegral1(lambdaPrior, WHOLE_W) + logIntegral1(muPrior, WHOLE_W);
    // Alive throughout: λˣ e^(−(λ+μ)T); died at τ in (t_x, T): λˣ e^(−λτ) μ e^(−μτ), integrated over τ.
    const logAlive = (w: number, v: number) => x * w - (Math.exp(w) + Math.exp(v)) * T;
    const logDied = (w: number, v: number) => {
        const k = Math.exp(w) + Math.exp(v);
        return x * w + v - Math.log(k) - k * tx + Math.log(-Math.expm1(-k * (T - tx)));
    };
    const prior = (w: number, v: number) => lambdaPrior(w) + muPrior(v);
    const la = logIntegral2((w, v) => prior(w, v) + logAlive(w, v), W, V);
    const ld = tx < T ? logIntegral2((w, v) => prior(w, v) + logDied(w, v), W, V) : -Infinity;
    const logL = Math.max(la, ld) + Math.log1p(Math.exp(-Math.abs(la - ld)));
    // Alive at T: X(T, T+t) has mean (λ/μ)(1 − e^(−μt)).
    const le = logIntegral2((w, v) => prior(w, v) + logAlive(w, v) + w - v + Math.log(-Math.expm1(-Math.exp(v) * t)), W, V);
    return { logLikelihood: logL - norm, alive: Math.exp(la - logL), expected: Math.exp(le - logL) };
}

const CDNOW_BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const CDNOW_PARETO: ParetoNbdParams = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 };

describe('BG/NBD closed forms against the model integrated numerically', () => {
    const W = { from: -200, to: 6, step: 0.1 };
    const Y = { from: -80, to: 40, step: 0.1 };
    const cases: Array<[string, BgNbdParams, PurchaseHistory, number]> = [
        ['CDNOW, x = 2', CDNOW_BG, { x: 2, tx: 30.43, T: 38.86 }, 39],
        ['CDNOW, x = 0', CDNOW_BG, { x: 0, tx: 0, T: 38.86 }, 39],
        ['CDNOW, x = 26 (customer 1516)', CDNOW_BG, { x: 26, tx: 30.86, T: 31 }, 52],
        ['a > 1, long horizon', { r: 2.5, alpha: 3, a: 4.2, b: 1.3 }, { x: 7, tx: 12, T: 20 }, 400],
        ['a within 10⁻⁶ of 1 (0/0 in the closed form)', { r: 1.2, alpha: 6, a: 1 + 4e-7, b: 3 }, { x: 3, tx: 10, T: 25 }, 30]
    ];
    for (const [label, params, history, t] of cases) {
        it(label, () => {
            const brute = bgNbdBruteForce(params, history, t, W, Y);
            expect(bgNbdLogLikelihood(params, history)).toBeCloseTo(brute.logLikelihood, 8);
            expect(bgNbdProbabilityAlive(params, history)).toBeCloseTo(brute.alive, 9);
            expect(bgNbdConditionalExpectedPurchases(params, history, t) / brute.expected).toBeCloseTo(1, 8);
        });
    }

    it('the unconditional E[X(t)] is the conditional one of a customer just acquired', () => {
        const brute = bgNbdBruteForce(CDNOW_BG, { x: 0, tx: 0, T: 0 }, 52, W, Y);
        expect(bgNbdExpectedPurchases(CDNOW_BG, 52) / brute.expected).toBeCloseTo(1, 8);
    });
});

describe('Pareto/NBD closed forms against the model integrated numerically', () => {
    const W = { from: -150, to: 8, step: 0.1 };
    const V = { from: -120, to: 8, step: 0.1 };
    const cases: Array<[string, ParetoNbdParams, PurchaseHistory, number]> = [
        ['CDNOW (α < β), x = 26', CDNOW_PARETO, { x: 26, tx: 30.86, T: 31 }, 52],
        ['CDNOW (α < β), x = 0', CDNOW_PARETO, { x: 0, tx: 0, T: 39 }, 52],
        ['α ≥ β', { r: 0.8, alpha: 14, s: 1.7, beta: 3 }, { x: 4, tx: 20, T: 39 }, 26],
        ['α = β', { r: 0.8, alpha: 5, s: 0.4, beta: 5 }, { x: 1, tx: 2, T: 30 }, 10],
        ['s = 1 (the log limit of the expectation), α ≫ β', { r: 2, alpha: 40, s: 1, beta: 0.5 }, { x: 2, tx: 1, T: 39 }, 52],
        ['t_x = T (A₀ = 0)', CDNOW_PARETO, { x: 3, tx: 39, T: 39 }, 52]
    ];
    for (const [label, params, history, t] of cases) {
        it(label, () => {
            const brute = paretoNbdBruteForce(params, history, t, W, V);
            expect(paretoNbdLogLikelihood(params, history)).toBeCloseTo(brute.logLikelihood, 8);
            expect(paretoNbdProbabilityAlive(params, history)).toBeCloseTo(brute.alive, 9);
            expect(paretoNbdConditionalExpectedPurchases(params, history, t) / brute.expected).toBeCloseTo(1, 8);
        });
    }
});

describe('Gamma-Gamma against its definition', () => {
    const params = { p: 6.25, q: 3.74, v: 15.44 };

    it('the density of m̄ₓ integrates to 1 (x = 1, 3, 12)', () => {
        for (const x of [1, 3, 12]) {
            // m̄ = eᵘ, dm̄ = m̄ du.
            const total = logIntegral1(u => gammaGammaLogLikelihood(params, { x, meanSpend: Math.exp(u) }) + u, { from: -20, to: 12, step: 0.01 });
            expect(total).toBeCloseTo(0, 9);
        }
    });

    it('E[M | x, m̄ₓ] is the posterior mean of p/ν: ν ~ Gamma(q, γ) updated by x spends of Gamma(p, ν)', () => {
        for (const [x, meanSpend] of [[1, 11.77], [2, 22.35], [7, 73.74], [40, 5]]) {
            // Posterior of ν = eᵘ ∝ ν^(q−1) e^(−γν) · ν^(px) e^(−ν·x·m̄) (the likelihood of the sum of x spends), × ν for du.
            const post = (u: number) => (params.q + params.p * x) * u - Math.exp(u) * (params.v + x * meanSpend);
            const U = { from: -30, to: 10, step: 0.005 };
            const mean = Math.exp(logIntegral1(u => post(u) + Math.log(params.p) - u, U) - logIntegral1(post, U));
            expect(gammaGammaExpectedSpend(params, { x, meanSpend }) / mean).toBeCloseTo(1, 9);
        }
    });
});

describe('the analytic gradients the fits use, against central differences', () => {
    /** (f(θ + hᵢ) − f(θ − hᵢ)) / 2hᵢ with hᵢ = 10⁻⁶·θᵢ. */
    function numericalGradient(f: (theta: number[]) => number, theta: number[]): number[] {
        return theta.map((t, i) => {
            const h = 1e-6 * t;
            const plus = theta.slice(), minus = theta.slice();
            plus[i] += h;
            minus[i] -= h;
            return (f(plus) - f(minus)) / (2 * h);
        });
    }
    const histories = [
        { x: 0, tx: 0, T: 38.86, count: 1411 }, { x: 0, tx: 0, T: 30, count: 20 }, { x: 1, tx: 1.71, T: 38.86, count: 3 },
        { x: 2, tx: 30.43, T: 38.86, count: 7 }, { x: 7, tx: 29.43, T: 38.86, count: 2 }, { x: 26, tx: 30.86, T: 31, count: 1 },
        { x: 5000, tx: 9990, T: 10000, count: 1 }
    ];

    it('BG/NBD', () => {
        for (const p of [CDNOW_BG, { r: 2.5, alpha: 3, a: 4.2, b: 1.3 }, { r: 0.05, alpha: 40, a: 0.2, b: 0.7 }]) {
            const numerical = numericalGradient(([r, alpha, a, b]) => bgNbdTotalLogLikelihood({ r, alpha, a, b }, histories), [p.r, p.alpha, p.a, p.b]);
            bgNbdTotalLogLikelihoodGradient(p, histories).forEach((g, i) => expect(Math.abs(g - numerical[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(numerical[i]))));
        }
    });

    it('Gamma-Gamma', () => {
        const spends = [{ x: 1, meanSpend: 11.77, count: 3 }, { x: 2, meanSpend: 22.35, count: 2 }, { x: 7, meanSpend: 73.74, count: 1 }, { x: 40, meanSpend: 5, count: 4 }];
        for (const p of [{ p: 6.25, q: 3.74, v: 15.44 }, { p: 0.7, q: 12, v: 300 }]) {
            const numerical = numericalGradient(([pp, q, v]) => gammaGammaTotalLogLikelihood({ p: pp, q, v }, spends), [p.p, p.q, p.v]);
            gammaGammaTotalLogLikelihoodGradient(p, spends).forEach((g, i) => expect(Math.abs(g - numerical[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(numerical[i]))));
        }
    });
});

describe('edges', () => {
    it('x = 0: finite likelihoods, BG/NBD alive for sure, Pareto/NBD less so, positive expectations', () => {
        const h = { x: 0, tx: 0, T: 38.86 };
        expect(Number.isFinite(bgNbdLogLikelihood(CDNOW_BG, h))).toBe(true);
        expect(bgNbdProbabilityAlive(CDNOW_BG, h)).toBe(1);
        expect(bgNbdConditionalExpectedPurchases(CDNOW_BG, h, 39)).toBeGreaterThan(0);
        const alive = paretoNbdProbabilityAlive(CDNOW_PARETO, h);
        expect(alive).toBeGreaterThan(0);
        expect(alive).toBeLessThan(1);
        expect(paretoNbdConditionalExpectedPurchases(CDNOW_PARETO, h, 39)).toBeGreaterThan(0);
        // A customer acquired on the last day: the likelihood of "no repeat purchase in no time" is 1.
        expect(bgNbdLogLikelihood(CDNOW_BG, { x: 0, tx: 0, T: 0 })).toBe(0);
        expect(paretoNbdLogLikelihood(CDNOW_PARETO, { x: 0, tx: 0, T: 0 })).toBeCloseTo(0, 14);
    });

    it('a history of 10,000 periods and 5,000 repeat purchases stays finite and agrees with brute force', () => {
        const h = { x: 5000, tx: 9990, T: 10000 };
        // (α+T)^(r+x) alone is 10^20000: the log-space forms never build it.
        for (const value of [bgNbdLogLikelihood(CDNOW_BG, h), paretoNbdLogLikelihood(CDNOW_PARETO, h)]) expect(Number.isFinite(value)).toBe(true);
        const W = { from: Math.log(0.5) - 0.15, to: Math.log(0.5) + 0.15, step: 0.0005 };
        const bg = bgNbdBruteForce(CDNOW_BG, h, 52, W, { from: -30, to: 5, step: 0.01 });
        expect(bgNbdLogLikelihood(CDNOW_BG, h)).toBeCloseTo(bg.logLikelihood, 6);
        expect(bgNbdProbabilityAlive(CDNOW_BG, h)).toBeCloseTo(bg.alive, 8);
        expect(bgNbdConditionalExpectedPurchases(CDNOW_BG, h, 52) / bg.expected).toBeCloseTo(1, 7);
        const pareto = paretoNbdBruteForce(CDNOW_PARETO, h, 52, W, { from: -60, to: 2, step: 0.01 });
        expect(paretoNbdLogLikelihood(CDNOW_PARETO, h)).toBeCloseTo(pareto.logLikelihood, 6);
        expect(paretoNbdProbabilityAlive(CDNOW_PARETO, h)).toBeCloseTo(pareto.alive, 8);
        expect(paretoNbdConditionalExpectedPurchases(CDNOW_PARETO, h, 52) / pareto.expected).toBeCloseTo(1, 7);
    });

    it('10,000 periods of silence after a few purchases: P(alive) near 0 but not NaN', () => {
        const h = { x: 3, tx: 100, T: 10000 };
        for (const p of [bgNbdProbabilityAlive(CDNOW_BG, h), paretoNbdProbabilityAlive(CDNOW_PARETO, h)]) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThan(1e-5);
        }
        expect(bgNbdConditionalExpectedPurchases(CDNOW_BG, h, 52)).toBeLessThan(1e-6);
    });

    it('α ≫ β with a large s: ₂F₁ with a whole c − a − b above z = 0.9 (Cephes overflows Γ(c) there) is guarded', () => {
        const params: ParetoNbdParams = { r: 50, alpha: 1000, s: 150, beta: 0.01 };
        for (const h of [{ x: 0, tx: 0, T: 39 }, { x: 300, tx: 0.5, T: 39 }, { x: 2, tx: 30, T: 39 }]) {
            expect(Number.isFinite(paretoNbdLogLikelihood(params, h))).toBe(true);
            const alive = paretoNbdProbabilityAlive(params, h);
            expect(alive).toBeGreaterThanOrEqual(0);
            expect(alive).toBeLessThanOrEqual(1);
        }
        // Here the brute force is cheap enough near the posterior mode of μ (= s/(β+T) ≈ 3.8) to check the value.
        const h = { x: 2, tx: 30, T: 39 };
        const brute = paretoNbdBruteForce(params, h, 52, { from: -5, to: 0, step: 0.005 }, { from: -1, to: 3, step: 0.005 });
        expect(paretoNbdLogLikelihood(params, h)).toBeCloseTo(brute.logLikelihood, 6);
    });

    it('rejects impossible histories and parameters with the values in the message', () => {
        expect(() => bgNbdLogLikelihood(CDNOW_BG, { x: 1.5, tx: 2, T: 3 })).toThrow(/whole number/);
        expect(() => bgNbdLogLikelihood(CDNOW_BG, { x: 1, tx: 4, T: 3 })).toThrow(/\[0, 3\]/);
        expect(() => paretoNbdLogLikelihood({ ...CDNOW_PARETO, s: 0 }, { x: 1, tx: 2, T: 3 })).toThrow(/s=0/);
        expect(() => gammaGammaLogLikelihood({ p: 1, q: 2, v: 3 }, { x: 0, meanSpend: 10 })).toThrow(/≥ 1/);
        expect(() => fitGammaGamma([{ x: 2, meanSpend: 0, count: 1 }])).toThrow(/> 0/);
    });
});

describe('fits that cannot converge say why', () => {
    it('every customer without a repeat purchase: BG/NBD r runs to 0 (the parameter at its bound), no standard errors', () => {
        const fit = fitBgNbd([{ x: 0, tx: 0, T: 10, count: 50 }, { x: 0, tx: 0, T: 20, count: 30 }]);
        expect(fit.converged).toBe(false);
        expect(fit.problem?.code).toBe('parameter-at-bound');
        expect(fit.problem?.message).toMatch(/\br\b/);
        expect(fit.standardErrors).toBeNull();
        expect(fit.covariance).toBeNull();
    });

    it('every customer without a repeat purchase: the Pareto/NBD is not identified either', () => {
        const fit = fitParetoNbd([{ x: 0, tx: 0, T: 10, count: 50 }, { x: 0, tx: 0, T: 20, count: 30 }]);
        expect(fit.converged).toBe(false);
        expect(['parameter-at-bound', 'hessian-singular', 'hessian-not-positive-definite']).toContain(fit.problem?.code);
        expect(fit.standardErrors).toBeNull();
    });

    it('too few iterations: iterations exhausted', () => {
        const groups = [{ x: 0, tx: 0, T: 30, count: 60 }, { x: 1, tx: 5, T: 30, count: 20 }, { x: 4, tx: 25, T: 28, count: 10 }, { x: 2, tx: 10, T: 12, count: 15 }];
        const fit = fitBgNbd(groups, { maxIterations: 2 });
        expect(fit.converged).toBe(false);
        expect(fit.problem?.code).toBe('iterations-exhausted');
        expect(fit.standardErrors).toBeNull();
    });

    it('no customers: no data', () => {
        expect(fitBgNbd([]).problem?.code).toBe('no-data');
        expect(fitGammaGamma([{ x: 2, meanSpend: 10, count: 0 }]).problem?.code).toBe('no-data');
    });

    it('the information matrix: inverse when positive definite, otherwise why not', () => {
        const A = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]];
        const inverse = invertPositiveDefinite(A) as number[][];
        for (let i = 0; i < 3; i++) {
            for (let j = 0; j < 3; j++) expect(A[i].reduce((sum, a, k) => sum + a * inverse[k][j], 0)).toBeCloseTo(i === j ? 1 : 0, 12);
        }
        expect(invertPositiveDefinite([[1, 2], [2, 1]])).toBe('not-positive-definite');
        expect(invertPositiveDefinite([[1, 1], [1, 1]])).toBe('singular');
        expect(invertPositiveDefinite([[0, 0], [0, 0]])).toBe('singular');
    });

    it('recovers the parameters it simulated from, with intervals that cover them', () => {
        // 4,000 BG/NBD customers drawn by a seeded generator (inverse-CDF draws of exponentials; gamma and beta draws
        // through sums of exponentials with whole shapes, so r = 2 and a = 2, b = 6).
        let seed = 12345;
        const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
        const exponential = () => -Math.log(uniform());
        const gammaWhole = (shape: number, rate: number) => { let s = 0; for (let i = 0; i < shape; i++) s += exponential(); return s / rate; };
        const truth = { r: 2, alpha: 10, a: 2, b: 6 };
        const groups: Array<{ x: number; tx: number; T: number; count: number }> = [];
        for (let i = 0; i < 4000; i++) {
            const lambda = gammaWhole(truth.r, truth.alpha);
            const g1 = gammaWhole(truth.a, 1);
            const p = g1 / (g1 + gammaWhole(truth.b, 1));
            const T = 20 + (i % 20);
            let time = 0, x = 0, tx = 0;
            for (;;) {
                time += exponential() / lambda;
                if (time > T) break;
                x++;
                tx = time;
                if (uniform() < p) break;
            }
            groups.push({ x, tx, T, count: 1 });
        }
        const fit = fitBgNbd(groups);
        expect(fit.converged).toBe(true);
        for (const name of ['r', 'alpha', 'a', 'b'] as const) {
            expect(Math.abs(fit.params[name] - truth[name]), name).toBeLessThan(3 * fit.standardErrors![name]);
        }
    });
});

describe('CLV arithmetic', () => {
    it('a yearly rate becomes the per-period rate (1 + d)^(days/365) − 1', () => {
        expect(perPeriodDiscountRate(0.1, 365)).toBeCloseTo(0.1, 15);
        expect(perPeriodDiscountRate(0.1, 7)).toBeCloseTo(Math.pow(1.1, 7 / 365) - 1, 15);
        expect(perPeriodDiscountRate(0, 7)).toBe(0);
        // Compounding 365 daily rates gives the yearly rate back.
        expect(Math.pow(1 + perPeriodDiscountRate(0.12, 1), 365)).toBeCloseTo(1.12, 12);
        expect(() => perPeriodDiscountRate(-1, 7)).toThrow(/−100%/);
    });

    it('a steady c purchases a period is an annuity: c·(1 − (1+δ)^−H)/δ', () => {
        const delta = 0.02;
        const value = discountedExpectedPurchases(t => 0.3 * t, 52, delta);
        expect(value).toBeCloseTo((0.3 * (1 - Math.pow(1 + delta, -52))) / delta, 12);
    });

    it('without discounting, the periods telescope to E[X(T, T+H)]; discounting only lowers it', () => {
        const h = { x: 2, tx: 30.43, T: 38.86 };
        const cumulative = (t: number) => bgNbdConditionalExpectedPurchases(CDNOW_BG, h, t);
        const terms = { margin: 0.3, expectedSpend: 24.65, cumulativeExpectedPurchases: cumulative, horizonPeriods: 52, daysPerPeriod: 7 };
        expect(customerLifetimeValue({ ...terms, yearlyDiscountRate: 0 })).toBeCloseTo(0.3 * 24.65 * cumulative(52), 12);
        const discounted = customerLifetimeValue({ ...terms, yearlyDiscountRate: 0.1 });
        expect(discounted).toBeLessThan(0.3 * 24.65 * cumulative(52));
        // By hand for two periods: margin × spend × (E(1)/(1+δ) + (E(2) − E(1))/(1+δ)²).
        const delta = Math.pow(1.1, 7 / 365) - 1;
        const byHand = 0.3 * 24.65 * (cumulative(1) / (1 + delta) + (cumulative(2) - cumulative(1)) / Math.pow(1 + delta, 2));
        expect(customerLifetimeValue({ ...terms, horizonPeriods: 2, yearlyDiscountRate: 0.1 })).toBeCloseTo(byHand, 12);
    });

    it('rejects a margin outside (0, 1] and a fractional horizon', () => {
        const terms = { expectedSpend: 10, cumulativeExpectedPurchases: (t: number) => t, daysPerPeriod: 7, yearlyDiscountRate: 0.1 };
        expect(() => customerLifetimeValue({ ...terms, margin: 0, horizonPeriods: 4 })).toThrow(/margin/);
        expect(() => customerLifetimeValue({ ...terms, margin: 1.5, horizonPeriods: 4 })).toThrow(/margin/);
        expect(() => customerLifetimeValue({ ...terms, margin: 0.5, horizonPeriods: 2.5 })).toThrow(/horizon/);
    });

    it('the Gamma-Gamma expected spend has no mean when px + q ≤ 1', () => {
        expect(gammaGammaExpectedSpend({ p: 0.5, q: 0.8, v: 3 }, { x: 0, meanSpend: 0 })).toBe(Infinity);
    });
});
