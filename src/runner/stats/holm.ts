// Holm's step-down adjustment: controls the family-wise error rate over a campaign's goals without assuming independence.

/** Holm-adjusted p-values, in the order given. Nulls (tests that could not run) stay null and do not count. */
export function holm(pValues: Array<number | null>): Array<number | null> {
    const present = pValues
        .map((p, index) => ({ p, index }))
        .filter((e): e is { p: number; index: number } => e.p !== null && Number.isFinite(e.p))
        .sort((a, b) => a.p - b.p);
    const m = present.length;
    const adjusted: Array<number | null> = pValues.map(() => null);
    let running = 0;
    present.forEach((entry, rank) => {
        // p_(k) × (m − k + 1), made monotone, capped at 1.
        running = Math.max(running, Math.min(1, (m - rank) * entry.p));
        adjusted[entry.index] = running;
    });
    return adjusted;
}
