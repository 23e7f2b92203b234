// Targeting that proves itself (`uplift by EXPR`): does ranking customers by EXPR put the campaign's increment first?
// For a campaign with a control group, treatment and control are each ranked by the score (highest first, ties by
// customer key, customers without a score last), and at every tenth k the response rate of the top k of treatment is
// compared with that of the top k of control (uplift@k, scikit-uplift's `uplift_at_k` with average='group'). The Qini
// curve ranks everyone together, and the Qini coefficient is the area between it and the random line, normalised by the
// perfect ranking's, as scikit-uplift's `qini_auc_score` (negative_effect=True) computes it.
//
// All of it is SQL over a relation of customers `(t, s, y, k)`: t = 1 for treatment, 0 for control; s the score (NULL:
// none); y the outcome; k the key. Outcomes are summed as whole millionths (exact in any order), and every running sum
// follows one fixed order, so the figures do not depend on the engine's threads.
import type { SqlDialect } from '../sql/dialect.js';

export interface UpliftPoint {
    /** k: the top tenth, two tenths, ... of each group. */
    fraction: number;
    /** The outcome's mean in the top k of treatment (null: nobody there). */
    treatment: number | null;
    control: number | null;
    /** treatment − control. */
    uplift: number | null;
    /** The Qini curve of the pooled ranking after its top k: Y_t − Y_c · N_t / N_c (outcome units). */
    qini: number | null;
}

/** Millionths: outcomes are summed as whole numbers of them. */
const MICRO = 1_000_000;

/** The uplift curve at every tenth: one row per tenth i = 1..10 (see UpliftPoint). */
export function upliftPointsSql(d: SqlDialect, rows: string): string {
    const micro = `CAST(${d.round(`r.y * ${MICRO}`)} AS BIGINT)`;
    const tenths = `(VALUES ${Array.from({ length: 10 }, (_, i) => `(${i + 1})`).join(', ')}) f(i)`;
    // Per group: the top floor(i·n/10), i.e. the positions p with 10·p ≤ i·n.
    const groups = `SELECT r.t, ${micro} AS ym, row_number() OVER (PARTITION BY r.t ORDER BY r.s DESC NULLS LAST, r.k) AS p, count(*) OVER (PARTITION BY r.t) AS n FROM ${rows} r`;
    const pooled = `SELECT r.t, ${micro} AS ym, row_number() OVER (ORDER BY r.s DESC NULLS LAST, r.k) AS p, count(*) OVER () AS n FROM ${rows} r`;
    return `WITH g AS (${groups}), a AS (${pooled}) SELECT f.i, ` +
        `(SELECT count(*) FROM g WHERE g.t = 1 AND 10 * g.p <= f.i * g.n) AS nt, (SELECT CAST(${d.integerSum('g.ym')} AS ${d.type('text')}) FROM g WHERE g.t = 1 AND 10 * g.p <= f.i * g.n) AS yt, ` +
        `(SELECT count(*) FROM g WHERE g.t = 0 AND 10 * g.p <= f.i * g.n) AS nc, (SELECT CAST(${d.integerSum('g.ym')} AS ${d.type('text')}) FROM g WHERE g.t = 0 AND 10 * g.p <= f.i * g.n) AS yc, ` +
        `(SELECT count(*) FILTER (WHERE a.t = 1) FROM a WHERE 10 * a.p <= f.i * a.n) AS qnt, (SELECT CAST(${d.integerSum('a.ym')} FILTER (WHERE a.t = 1) AS ${d.type('text')}) FROM a WHERE 10 * a.p <= f.i * a.n) AS qyt, ` +
        `(SELECT count(*) FILTER (WHERE a.t = 0) FROM a WHERE 10 * a.p <= f.i * a.n) AS qnc, (SELECT CAST(${d.integerSum('a.ym')} FILTER (WHERE a.t = 0) AS ${d.type('text')}) FROM a WHERE 10 * a.p <= f.i * a.n) AS qyc ` +
        `FROM ${tenths} ORDER BY f.i`;
}

/**
 * The area under the Qini curve of a ranking by `score` (an expression over r), at the thresholds where the score
 * changes (ties move together), from (0, 0); and the curve's last point. As scikit-uplift's `qini_curve` and
 * sklearn's `auc` (trapezoids). Columns: auc, n (customers), last.
 */
export function qiniAreaSql(d: SqlDialect, rows: string, score: string): string {
    const micro = `CAST(${d.round(`r.y * ${MICRO}`)} AS BIGINT)`;
    const window = `(ORDER BY ${score} DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    // Running sums per threshold (peers share them), then one row per threshold, in ranking order.
    const running = `SELECT ${score} AS sc, count(*) OVER ${window} AS na, sum(r.t) OVER ${window} AS nt, ` +
        `${d.integerSum(`CASE WHEN r.t = 1 THEN ${micro} ELSE 0 END`)} OVER ${window} AS yt, ${d.integerSum(`CASE WHEN r.t = 0 THEN ${micro} ELSE 0 END`)} OVER ${window} AS yc FROM ${rows} r`;
    const points = `SELECT DISTINCT na, nt, yt, yc FROM (${running}) x`;
    // The curve in outcome units: Y_t − Y_c · N_t / N_c (0 for the control part while N_c is 0).
    const curve = `(CAST(yt AS ${d.type('number')}) - CASE WHEN na - nt > 0 THEN CAST(yc AS ${d.type('number')}) * nt / (na - nt) ELSE 0 END) / ${MICRO}`;
    const withStart = `SELECT 0 AS na, CAST(0 AS ${d.type('number')}) AS q UNION ALL SELECT na, ${curve} AS q FROM (${points}) p`;
    const trapezoids = `SELECT na, q, (na - lag(na) OVER (ORDER BY na)) * (q + lag(q) OVER (ORDER BY na)) / 2 AS area FROM (${withStart}) c`;
    const total = `SELECT na, q, sum(area) OVER (ORDER BY na ROWS UNBOUNDED PRECEDING) AS auc FROM (${trapezoids}) t`;
    return `SELECT auc, na AS n, q AS last FROM (${total}) z ORDER BY na DESC LIMIT 1`;
}

/**
 * The Qini coefficient from the areas of the actual and the perfect ranking: (AUC − baseline) / (AUC_perfect −
 * baseline), the baseline being the straight line from (0, 0) to the perfect curve's last point. Null when the
 * perfect ranking gains nothing over random (no increment to find).
 */
export function qiniCoefficient(actual: { auc: number }, perfect: { auc: number; n: number; last: number }): number | null {
    const baseline = (perfect.n * perfect.last) / 2;
    const best = perfect.auc - baseline;
    if (!(Math.abs(best) > 0) || !Number.isFinite(best)) return null;
    return (actual.auc - baseline) / best;
}

/** The perfect ranking's score (scikit-uplift, negative_effect=True): treated responders first, control responders last. */
export const PERFECT_SCORE = '(r.y * r.t - r.y * (1 - r.t))';

/** The points of upliftPointsSql's rows. */
export function upliftPoints(rows: Array<Record<string, unknown>>): UpliftPoint[] {
    const mean = (sum: unknown, n: unknown) => (Number(n) > 0 ? Number(BigInt(String(sum ?? '0'))) / MICRO / Number(n) : null);
    return rows.map(row => {
        const treatment = mean(row.yt, row.nt);
        const control = mean(row.yc, row.nc);
        const qyt = Number(BigInt(String(row.qyt ?? '0'))) / MICRO, qyc = Number(BigInt(String(row.qyc ?? '0'))) / MICRO;
        const qnt = Number(row.qnt), qnc = Number(row.qnc);
        return {
            fraction: Number(row.i) / 10,
            treatment,
            control,
            uplift: treatment !== null && control !== null ? treatment - control : null,
            qini: qnt + qnc > 0 ? qyt - (qnc > 0 ? (qyc * qnt) / qnc : 0) : null
        };
    });
}
