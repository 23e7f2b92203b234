// Sample-ratio mismatch: are the group sizes what the assignment promised? A chi-square goodness-of-fit test with
// k − 1 degrees of freedom over the k groups (control and each arm).
import { chisquareCdf } from './distributions.js';
import { sq } from './square.js';

/** Flag a mismatch below this p-value (the usual, deliberately strict threshold: SRM means a broken assignment). */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
    expectedControlShare: number;
    chiSquare: number;
    pValue: number;
    ok: boolean;
    /** Degrees of freedom: the number of groups minus 1. */
    df: number;
}

export function sampleRatioMismatch(treatmentSize: number, controlSize: number, expectedControlShare: number): SrmResult | null {
    return groupsRatioMismatch([controlSize, treatmentSize], [expectedControlShare, 1 - expectedControlShare]);
}

/**
 * The test over several groups: `sizes` and `shares` in the same order, control first. The last group's expected
 * size is the total minus the others' (so two groups give exactly the one-degree test).
 */
export function groupsRatioMismatch(sizes: number[], shares: number[]): SrmResult | null {
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total === 0 || sizes.length < 2 || !shares.every(s => s > 0 && s < 1)) return null;
    let chiSquare = 0;
    let assigned = 0;
    sizes.forEach((size, i) => {
        const expected = i === sizes.length - 1 ? total - assigned : total * shares[i];
        assigned += expected;
        chiSquare += sq(size - expected) / expected;
    });
    const df = sizes.length - 1;
    const pValue = 1 - chisquareCdf(chiSquare, df);
    return { expectedControlShare: shares[0], chiSquare, pValue, ok: pValue >= SRM_THRESHOLD, df };
}
