// Minimum detectable effect: the smallest true lift a two-sided test at 5% would detect with 80% power.
import { normalQuantile } from './distributions.js';
import { sq } from './square.js';

export const POWER = 0.8;
export const ALPHA = 0.05;

/**
 * Absolute MDE = (z₁₋α/₂ + z_power) · σ · √(1/n_t + 1/n_c), with σ² the control group's per-customer variance
 * (the normal approximation; for ratio metrics σ² is the delta-method variance of the control ratio × n_c). None when
 * the control group does not vary (no responder in it, say): a variance of 0 measured on a sample says nothing about
 * the effects the test could detect, and an MDE of 0 would read as "any effect is detectable".
 */
export function minimumDetectableEffect(controlVariance: number, treatmentSize: number, controlSize: number, alpha = ALPHA, power = POWER): number | null {
    if (treatmentSize < 1 || controlSize < 1 || !(controlVariance > 0)) return null;
    const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
    return z * Math.sqrt(controlVariance * (1 / treatmentSize + 1 / controlSize));
}

/**
 * Customers with a value needed in both groups together, at the current split (treatment share `p`), for the test to
 * detect an absolute effect `effect` with 80% power at 5% two-sided significance: from MDE = z·σ·√(1/(N·p) + 1/(N·(1−p))).
 */
export function requiredCustomers(controlVariance: number, effect: number, treatmentShare: number, alpha = ALPHA, power = POWER): number | null {
    if (!(controlVariance > 0) || !(Math.abs(effect) > 0) || !(treatmentShare > 0 && treatmentShare < 1)) return null;
    const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
    return Math.ceil((sq(z) * controlVariance * (1 / treatmentShare + 1 / (1 - treatmentShare))) / sq(effect));
}
