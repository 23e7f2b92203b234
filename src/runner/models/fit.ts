// Maximum likelihood for the lifetime-value models: BFGS over the logarithms of the (positive) parameters, from several
// starts, then an honest verdict (converged or why not) and standard errors from the observed information.
import numeric from 'numeric';

/** Why a fit is not to be trusted. */
export type FitProblemCode =
    | 'no-data'                           // no customer (or no weight) to fit on
    | 'likelihood-not-finite'             // the log-likelihood is not finite at any start
    | 'parameter-at-bound'                // a parameter ran off towards 0 or ∞: the maximum is on the boundary
    | 'iterations-exhausted'              // the optimizer stopped at its iteration limit
    | 'not-stationary'                    // the optimizer stopped where the gradient is not (near) zero
    | 'hessian-singular'                  // the information matrix is singular: some parameter is not identified
    | 'hessian-not-positive-definite';    // not a maximum (a saddle, or numerical trouble)

export interface FitProblem {
    code: FitProblemCode;
    message: string;
}

/** The outcome of a maximum likelihood fit. Estimates are reported even when not converged, with the reason. */
export interface ModelFit<N extends string> {
    /** The estimates (the best point found). */
    params: Record<N, number>;
    /** Asymptotic standard errors, √diag of the inverse observed information; null when the Hessian is not usable. */
    standardErrors: Record<N, number> | null;
    /** The inverse observed information (in the order of `names`); null with `standardErrors`. */
    covariance: number[][] | null;
    names: readonly N[];
    logLikelihood: number;
    /** True only when the optimizer stopped at a stationary point inside the parameter space with a positive-definite
     *  Hessian of the negative log-likelihood. */
    converged: boolean;
    problem: FitProblem | null;
    /** BFGS iterations over all starts. */
    iterations: number;
    /** The customers fitted on (the sum of the groups' counts). */
    customers: number;
}

export interface FitOptions {
    /** Starting points in the original parameters (all > 0); the model supplies sensible ones by default. */
    starts?: number[][];
    /** BFGS iterations per start (default 500). */
    maxIterations?: number;
}

// The optimizer works on u = ln θ, so every θ stays positive. Beyond |u| = WALL the objective is +∞ (a wall the line
// search backs off from); an estimate beyond ±BOUND (θ < 10⁻⁶ or θ > 10⁶, far outside any model of purchases measured
// in days, weeks or months) means the likelihood keeps rising towards the boundary.
const WALL = 30;
const BOUND = Math.log(1e6);
// Central differences in u: a relative step of 10⁻⁵ balances truncation (h²) against rounding (ε/h) on an objective
// scaled to one customer.
const GRADIENT_STEP = 1e-5;
// A stationary point: every ∂(−ℓ/n)/∂ ln θ below this (per customer, so the same for 2,000 or 2,000,000 customers).
const GRADIENT_TOLERANCE = 1e-4;
// The Hessian for standard errors: central differences with a relative step in θ.
const HESSIAN_STEP = 1e-4;
// A pivot of the Cholesky factorisation this small relative to the largest diagonal entry: singular.
const SINGULAR = 1e-10;

function centralGradient(f: (u: number[]) => number, u: number[]): number[] {
    return u.map((_, i) => {
        const plus = u.slice();
        const minus = u.slice();
        plus[i] += GRADIENT_STEP;
        minus[i] -= GRADIENT_STEP;
        return (f(plus) - f(minus)) / (2 * GRADIENT_STEP);
    });
}

/**
 * Maximises `logLikelihood` (a function of the original, positive parameters) and judges the result.
 *
 * Each start runs numeric.js's BFGS (`uncmin`, with an Armijo backtracking line search) on −ℓ(e^u)/n, with the
 * model's analytic gradient when it has one (`logLikelihoodGradient`, ∇ℓ in θ) and central differences otherwise;
 * the best end point is polished by one more run from there (a fresh inverse-Hessian estimate).
 * Standard errors: H = the Hessian of −ℓ in θ by central differences (four-point for the cross terms), Cov = H⁻¹.
 */
export function maximumLikelihood<N extends string>(
    names: readonly N[],
    logLikelihood: (theta: number[]) => number,
    customers: number,
    defaultStarts: number[][],
    options: FitOptions = {},
    logLikelihoodGradient?: (theta: number[]) => number[]
): ModelFit<N> {
    const k = names.length;
    const record = (values: number[]) => Object.fromEntries(names.map((n, i) => [n, values[i]])) as Record<N, number>;
    const fail = (code: FitProblemCode, message: string, theta: number[], ll: number, iterations = 0): ModelFit<N> => ({
        params: record(theta), standardErrors: null, covariance: null, names, logLikelihood: ll,
        converged: false, problem: { code, message }, iterations, customers
    });
    const starts = options.starts ?? defaultStarts;
    if (!(customers > 0)) return fail('no-data', 'There are no customers to fit the model on.', starts[0] ?? new Array(k).fill(NaN), NaN);
    for (const start of starts) {
        if (start.length !== k || !start.every(v => v > 0 && Number.isFinite(v))) throw new RangeError(`A start needs ${k} positive parameters: ${start.join(', ')}.`);
    }
    const maxIterations = options.maxIterations ?? 500;

    const objective = (u: number[]): number => {
        if (u.some(v => !(Math.abs(v) <= WALL))) return Infinity;
        const ll = logLikelihood(u.map(Math.exp));
        // NaN or ±∞ (a special function out of its range): a point the line search must back off from.
        return Number.isFinite(ll) ? -ll / customers : Infinity;
    };
    // With the model's own ∇ℓ(θ): ∂(−ℓ/n)/∂uᵢ = −θᵢ·∂ℓ/∂θᵢ / n, one pass over the groups instead of 2k.
    const gradient = logLikelihoodGradient
        ? (u: number[]) => {
            if (u.some(v => !(Math.abs(v) <= WALL))) return u.map(() => NaN);
            const theta = u.map(Math.exp);
            return logLikelihoodGradient(theta).map((g, i) => (-theta[i] * g) / customers);
        }
        : (u: number[]) => centralGradient(objective, u);

    interface Run { u: number[]; f: number; message: string; exhausted: boolean }
    let iterations = 0;
    const run = (u0: number[]): Run | null => {
        if (!Number.isFinite(objective(u0))) return null;
        const result = numeric.uncmin(objective, u0, 1e-9, gradient, maxIterations);
        iterations += result.iterations;
        if (!Number.isFinite(result.f)) return null;
        // uncmin leaves the message empty when its loop runs out of iterations.
        return { u: result.solution, f: result.f, message: result.message, exhausted: result.iterations >= maxIterations || result.message === '' || result.message.startsWith('maxit') };
    };
    let best: Run | null = null;
    for (const start of starts) {
        const result = run(start.map(Math.log));
        if (result && (best === null || result.f < best.f)) best = result;
    }
    if (best === null) return fail('likelihood-not-finite', 'The log-likelihood is not finite at any starting point.', starts[0], NaN, iterations);
    // Polish from the best end point with a fresh inverse-Hessian estimate; its stop decides the verdict.
    const polished = run(best.u);
    const found: Run = polished && polished.f <= best.f ? polished : best;
    const theta = found.u.map(Math.exp);
    const ll = -found.f * customers;

    const atBound = names.filter((_, i) => Math.abs(found.u[i]) > BOUND);
    if (atBound.length > 0) {
        return fail('parameter-at-bound', `The likelihood keeps rising as ${atBound.map(n => `${n} (${theta[names.indexOf(n)].toPrecision(3)})`).join(', ')} ${atBound.length === 1 ? 'runs' : 'run'} towards 0 or infinity: the data do not pin the model down.`, theta, ll, iterations);
    }
    if (found.exhausted) {
        return fail('iterations-exhausted', `The optimizer stopped after ${maxIterations} iterations without converging.`, theta, ll, iterations);
    }
    const g = gradient(found.u);
    const steepest = Math.max(...g.map(Math.abs));
    if (!(steepest <= GRADIENT_TOLERANCE)) {
        return fail('not-stationary', `The optimizer stopped (${found.message || 'no reason given'}) where the log-likelihood still changes (gradient ${steepest.toPrecision(2)} per customer).`, theta, ll, iterations);
    }

    const hessian = negativeLogLikelihoodHessian(logLikelihood, theta);
    const inverse = hessian ? invertPositiveDefinite(hessian) : 'not-positive-definite';
    if (inverse === 'singular') return fail('hessian-singular', 'The information matrix is singular: some parameter is not identified by the data, so it has no standard error.', theta, ll, iterations);
    if (inverse === 'not-positive-definite') return fail('hessian-not-positive-definite', 'The Hessian of the negative log-likelihood is not positive definite at the estimate: it is not a proper maximum.', theta, ll, iterations);
    return {
        params: record(theta), standardErrors: record(inverse.map((row, i) => Math.sqrt(row[i]))), covariance: inverse,
        names, logLikelihood: ll, converged: true, problem: null, iterations, customers
    };
}

/** The Hessian of −ℓ at θ by central differences with steps hᵢ = 10⁻⁴·θᵢ; null when ℓ is not finite around θ. */
function negativeLogLikelihoodHessian(logLikelihood: (theta: number[]) => number, theta: number[]): number[][] | null {
    const k = theta.length;
    const h = theta.map(t => HESSIAN_STEP * t);
    const f = (steps: Array<[number, number]>) => {
        const point = theta.slice();
        for (const [i, sign] of steps) point[i] += sign * h[i];
        return -logLikelihood(point);
    };
    const f0 = f([]);
    const H: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) {
        H[i][i] = (f([[i, 1]]) - 2 * f0 + f([[i, -1]])) / (h[i] * h[i]);
        for (let j = 0; j < i; j++) {
            H[i][j] = H[j][i] = (f([[i, 1], [j, 1]]) - f([[i, 1], [j, -1]]) - f([[i, -1], [j, 1]]) + f([[i, -1], [j, -1]])) / (4 * h[i] * h[j]);
        }
    }
    return H.every(row => row.every(Number.isFinite)) ? H : null;
}

/**
 * The inverse of a symmetric matrix through its Cholesky factor L (A = L·Lᵀ), or why it has none. A few lines for a
 * 3×3 or 4×4 matrix: the factorisation is itself the positive-definiteness test, which numeric.js's LU inverse lacks.
 */
export function invertPositiveDefinite(A: number[][]): number[][] | 'singular' | 'not-positive-definite' {
    const n = A.length;
    const scale = Math.max(...A.map((row, i) => Math.abs(row[i])));
    if (!(scale > 0)) return 'singular';
    const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++) {
        let d = A[j][j];
        for (let m = 0; m < j; m++) d -= L[j][m] * L[j][m];
        if (Math.abs(d) <= SINGULAR * scale) return 'singular';
        if (d < 0) return 'not-positive-definite';
        L[j][j] = Math.sqrt(d);
        for (let i = j + 1; i < n; i++) {
            let s = A[i][j];
            for (let m = 0; m < j; m++) s -= L[i][m] * L[j][m];
            L[i][j] = s / L[j][j];
        }
    }
    // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ·L⁻¹.
    const Linv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) {
        Linv[i][i] = 1 / L[i][i];
        for (let j = 0; j < i; j++) {
            let s = 0;
            for (let m = j; m < i; m++) s += L[i][m] * Linv[m][j];
            Linv[i][j] = -s / L[i][i];
        }
    }
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let m = Math.max(i, j); m < n; m++) s += Linv[m][i] * Linv[m][j];
        return s;
    }));
}
