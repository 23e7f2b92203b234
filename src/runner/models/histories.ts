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
 * Groups in columns, each value given as an index into the distinct values of its column: the terms of a likelihood
 * that depend on x alone (log-gammas, log-betas) or on T or t_x alone (ln(α+T), ln(α+t_x)) are computed once per
 * distinct value per evaluation, not once per group. Ages and recencies measured in days take a few hundred values
 * whatever the number of customers.
 */
export interface PreparedHistories {
    xs: number[];
    xIndex: Int32Array;
    Ts: number[];
    TIndex: Int32Array;
    txs: number[];
    txIndex: Int32Array;
    count: Float64Array;
    /** Σ count. */
    customers: number;
    /** Σ count·x and Σ count·T, for data-informed starting points. */
    purchases: number;
    exposure: number;
}

/** Builds `values` (distinct, in order of appearance) and returns a function giving each value's index. */
function distinct(values: number[]): (value: number) => number {
    const position = new Map<number, number>();
    return value => {
        let at = position.get(value);
        if (at === undefined) {
            at = values.length;
            values.push(value);
            position.set(value, at);
        }
        return at;
    };
}

export function prepareHistories(groups: readonly HistoryGroup[]): PreparedHistories {
    const n = groups.length;
    const prepared: PreparedHistories = {
        xs: [], xIndex: new Int32Array(n), Ts: [], TIndex: new Int32Array(n), txs: [], txIndex: new Int32Array(n),
        count: new Float64Array(n), customers: 0, purchases: 0, exposure: 0
    };
    const xAt = distinct(prepared.xs);
    const TAt = distinct(prepared.Ts);
    const txAt = distinct(prepared.txs);
    groups.forEach((g, i) => {
        checkHistory(g);
        if (!(g.count >= 0 && Number.isFinite(g.count))) throw new RangeError(`A group's count must be finite and ≥ 0, not ${g.count}.`);
        prepared.xIndex[i] = xAt(g.x);
        prepared.TIndex[i] = TAt(g.T);
        prepared.txIndex[i] = txAt(g.tx);
        prepared.count[i] = g.count;
        prepared.customers += g.count;
        prepared.purchases += g.count * g.x;
        prepared.exposure += g.count * g.T;
    });
    return prepared;
}
