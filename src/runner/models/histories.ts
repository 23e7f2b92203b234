// Purchase histories as the "buy till you die" models see them, and their grouped form: customers with the same
// (x, t_x, T) have the same likelihood, so a fit over a million customers costs as much as over their distinct histories.

/** One customer's calibration-period history, in periods (days, weeks, ...) from the customer's first purchase. */
export interface PurchaseHistory {
    /** Repeat purchases: purchase days after the first (same-day purchases are one). */
    x: number;
    /** Recency: the time of the last purchase (0 when x = 0). */
    tx: number;
    /** Age: the time from the first purchase to the end of the calibration period. */
    T: number;
}

/** `count` customers with one history (the runner passes these, from a GROUP BY). */
export interface HistoryGroup extends PurchaseHistory {
    count: number;
}

/** A group's history checked, for error messages that name the offending values. */
export function checkHistory(h: PurchaseHistory): void {
    if (!(Number.isInteger(h.x) && h.x >= 0)) throw new RangeError(`x (repeat purchases) must be a whole number ≥ 0, not ${h.x}.`);
    if (!(h.T >= 0 && Number.isFinite(h.T))) throw new RangeError(`T (age) must be finite and ≥ 0, not ${h.T}.`);
    if (!(h.tx >= 0 && h.tx <= h.T)) throw new RangeError(`t_x (recency) must lie in [0, T] = [0, ${h.T}], not ${h.tx}.`);
}

/**
 * Groups in columns, with each group's index into the distinct values of x: the terms of a likelihood that depend on x
 * alone (log-gammas, log-betas) are computed once per distinct x per evaluation, not once per group.
 */
export interface PreparedHistories {
    xs: number[];
    xIndex: Int32Array;
    tx: Float64Array;
    T: Float64Array;
    count: Float64Array;
    /** Σ count. */
    customers: number;
    /** Σ count·x and Σ count·T, for data-informed starting points. */
    purchases: number;
    exposure: number;
}

export function prepareHistories(groups: readonly HistoryGroup[]): PreparedHistories {
    const xs: number[] = [];
    const position = new Map<number, number>();
    const n = groups.length;
    const prepared: PreparedHistories = {
        xs, xIndex: new Int32Array(n), tx: new Float64Array(n), T: new Float64Array(n), count: new Float64Array(n),
        customers: 0, purchases: 0, exposure: 0
    };
    groups.forEach((g, i) => {
        checkHistory(g);
        if (!(g.count >= 0 && Number.isFinite(g.count))) throw new RangeError(`A group's count must be finite and ≥ 0, not ${g.count}.`);
        let at = position.get(g.x);
        if (at === undefined) {
            at = xs.length;
            xs.push(g.x);
            position.set(g.x, at);
        }
        prepared.xIndex[i] = at;
        prepared.tx[i] = g.tx;
        prepared.T[i] = g.T;
        prepared.count[i] = g.count;
        prepared.customers += g.count;
        prepared.purchases += g.count * g.x;
        prepared.exposure += g.count * g.T;
    });
    return prepared;
}
