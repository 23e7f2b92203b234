// Sample-ratio mismatch: are the group sizes what the assignment promised? A chi-square goodness-of-fit test, 1 df.
import { chisquareCdf } from './distributions.js';
import { sq } from './square.js';

/** Flag a mismatch below this p-value (the usual, deliberately strict threshold: SRM means a broken assignment). */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
    expectedControlShare: number;
    chiSquare: number;
    pValue: number;
    ok: boolean;
}

export function sampleRatioMismatch(treatmentSize: number, controlSize: number, expectedControlShare: number): SrmResult | null {
    const total = treatmentSize + controlSize;
    if (total === 0 || !(expectedControlShare > 0 && expectedControlShare < 1)) return null;
    const expectedControl = total * expectedControlShare;
    const expectedTreatment = total - expectedControl;
    const chiSquare = sq(controlSize - expectedControl) / expectedControl + sq(treatmentSize - expectedTreatment) / expectedTreatment;
    const pValue = 1 - chisquareCdf(chiSquare, 1);
    return { expectedControlShare, chiSquare, pValue, ok: pValue >= SRM_THRESHOLD };
}
