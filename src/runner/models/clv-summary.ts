// The per-customer summary the lifetime-value models are fitted on, in SQL: from a customer's purchases in the
// calibration period, purchases on the same day merged into one,
//   x   = repeat purchase days (the days with a purchase after the first),
//   t_x = time from the first to the last purchase day,
//   T   = time from the first purchase day to the calibration end,
// in periods of `periodDays` days (the calibration end counts: purchases on it are in; a first purchase on 1997-01-01
// with calibration ending 1997-09-30 has T = 272 / 7 = 38.857 weeks), and for the spend model the mean amount of the
// repeat purchase days (same-day amounts summed; the first day left out). Customers whose first purchase is after the
// calibration end are not fitted. The models are fitted on groups of identical (x, t_x, T): a million customers are
// a few thousand groups.
//
// SQL over a relation of purchases `(key, day, amount)`: the customer key, the purchase date, the amount (NULL when
// the plan names no monetary column).
import type { SqlDialect } from '../sql/dialect.js';

export interface CalibrationSpec {
    /** Day numbers; both ends count. */
    start: number;
    end: number;
}

/** One row per customer with a purchase in the calibration period: key, first, x, tx_days, t_days, repeat_amount. */
export function clvCustomersSql(d: SqlDialect, purchases: string, c: CalibrationSpec): string {
    const inPeriod = `p.day >= ${d.date(c.start)} AND p.day <= ${d.date(c.end)}`;
    // Same-day purchases are one purchase, its amount their sum (in millionths, exact in any order).
    // The first day's amount is carried on every day of the customer (a window), so the repeat purchases' sum needs no
    // engine-specific arg_min.
    const days = `SELECT p.key, p.day, ${d.integerSum(`CAST(${d.round('p.amount * 1000000')} AS BIGINT)`)} AS micro FROM ${purchases} p WHERE ${inPeriod} GROUP BY p.key, p.day`;
    const withFirst = `SELECT g0.*, first_value(g0.micro) OVER (PARTITION BY g0.key ORDER BY g0.day) AS first_micro FROM (${days}) g0`;
    return `SELECT key, min(day) AS first, count(*) - 1 AS x, ${d.dayDiff('min(day)', 'max(day)')} AS tx_days, ${d.dayDiff('min(day)', d.date(c.end))} AS t_days, ` +
        `CASE WHEN count(*) > 1 THEN (CAST(${d.integerSum('micro')} - min(first_micro) AS ${d.type('number')}) / 1000000) / (count(*) - 1) END AS repeat_amount ` +
        `FROM (${withFirst}) g GROUP BY key`;
}

/** The groups the frequency/recency models are fitted on: x, tx_days, t_days and how many customers share them. */
export function clvGroupsSql(customers: string): string {
    return `SELECT x, tx_days, t_days, count(*) AS n FROM ${customers} GROUP BY x, tx_days, t_days ORDER BY x, tx_days, t_days`;
}

/**
 * Holdout check: each fitted customer's repeat purchase days after the calibration end, up to and including
 * `holdoutEnd` (same-day purchases one). Columns: key, holdout.
 */
export function clvHoldoutSql(d: SqlDialect, purchases: string, customers: string, calibrationEnd: number, holdoutEnd: number): string {
    return `SELECT c.key, count(DISTINCT p.day) AS holdout FROM ${customers} c LEFT JOIN ${purchases} p ON p.key = c.key ` +
        `AND p.day > ${d.date(calibrationEnd)} AND p.day <= ${d.date(holdoutEnd)} GROUP BY c.key`;
}

/**
 * The cumulative chart's actual side, in one pass: the fitted customers' repeat purchase days (days with a purchase
 * after their first; same-day purchases one) per period, from the calibration start up to and including
 * `holdoutEnd`. Calibration period k holds the days start + (k−1)·P to start + k·P − 1, holdout period k the days
 * end + (k−1)·P + 1 to end + k·P (P = `periodDays`). Columns: holdout (boolean), period (1-based), n.
 */
export function clvRepeatsByPeriodSql(d: SqlDialect, purchases: string, customers: string, c: CalibrationSpec, holdoutEnd: number, periodDays: number): string {
    const end = d.date(c.end);
    const offset = `CASE WHEN p.day > ${end} THEN ${d.dayDiff(end, 'p.day')} - 1 ELSE ${d.dayDiff(d.date(c.start), 'p.day')} END`;
    return `SELECT p.day > ${end} AS holdout, CAST(floor(CAST(${offset} AS ${d.type('number')}) / ${d.number(periodDays)}) AS INTEGER) + 1 AS period, count(*) AS n ` +
        `FROM (SELECT DISTINCT key, day FROM ${purchases} WHERE day <= ${d.date(holdoutEnd)}) p JOIN ${customers} c ON c.key = p.key ` +
        `WHERE p.day > c.first GROUP BY 1, 2`;
}
