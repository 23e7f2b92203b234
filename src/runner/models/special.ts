// The special functions of the lifetime-value models, from @stdlib (tested ports of Cephes and Boost, one package per
// function), and the few log-space helpers that keep products of huge and tiny factors finite.
import gammalnImpl from '@stdlib/math-base-special-gammaln';
import betalnImpl from '@stdlib/math-base-special-betaln';
import hyp2f1Impl from '@stdlib/math-base-special-hyp2f1';
import digammaImpl from '@stdlib/math-base-special-digamma';

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
    return gammalnImpl(x);
}

/** ψ(x) = d ln Γ(x) / dx, for the analytic gradients of the log-likelihoods. */
export function digamma(x: number): number {
    return digammaImpl(x);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). Computed directly rather than as the difference of three log-gammas,
 * which cancel badly when one argument is much larger than the other (a long purchase history: b + x ≫ a).
 */
export function lnBeta(a: number, b: number): number {
    return betalnImpl(a, b);
}

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments (Cephes' hyp2f1, which applies the linear
 * transformations of Abramowitz & Stegun 15.3 near z = 1 and for c − a − b < 0). The models call it with 0 ≤ z < 1 and
 * c not a non-positive integer, where it is finite. One guard: for z > 0.9 and a whole c − a − b, Cephes goes straight
 * to a ψ-function expansion that multiplies by Γ(c), which overflows for c > 171 (₂F₁(1, 50; 201; 0.95) comes back NaN);
 * moving c by one part in 10¹² makes c − a − b fractional, and Cephes then sums the power series, which converges there.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
    const value = hyp2f1Impl(a, b, c, z);
    return Number.isFinite(value) || !(z > 0.9 && z < 1) ? value : hyp2f1Impl(a, b, c * (1 + 1e-12), z);
}

/** ln(eᵃ + eᵇ) without overflow: the larger term is factored out. */
export function logSumExp(a: number, b: number): number {
    if (a === -Infinity) return b;
    if (b === -Infinity) return a;
    const m = Math.max(a, b);
    return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln(eᵃ − eᵇ) for a ≥ b (−∞ when they are equal). */
export function logDiffExp(a: number, b: number): number {
    if (b === -Infinity) return a;
    const d = b - a;
    if (d > 0) return NaN;
    // ln(1 − eᵈ): log1p for d near −∞, log(−expm1) near 0 (Mächler's rule: switch at −ln 2).
    return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/** 1 / (1 + eᵘ), the logistic of −u, without overflow for large |u|. */
export function inverseOnePlusExp(u: number): number {
    return u > 0 ? Math.exp(-u) / (1 + Math.exp(-u)) : 1 / (1 + Math.exp(u));
}
