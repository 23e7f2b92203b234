// Attitude scores: how each customer likes to be approached, learnt from how they answered past contacts. For a
// dimension (a column of the contact log, such as channel or offer) and each of its values v, a customer's score is
//
//     score = 100 × (k·p_v + Σ w_i·y_i) / (k + Σ w_i)
//
// over the customer's contacts with value v before the reference date R, where y_i is 1 for a response, w_i =
// 0.5^(age_i / half-life) with age_i the time from the contact to R in days (fractional for timestamps), p_v = Σ w·y /
// Σ w over every customer's contacts with that value (the population's decayed response rate), and k the prior (in
// contacts). A customer without such a contact scores 100·p_v: the prior pulls thin histories toward the population.
//
// SQL over a relation of contacts `(key, v, y, t)`: the customer key, the dimension's value, the response (boolean),
// the contact time. Weighted sums are added as whole numbers of 10^-15 (exact in any order), so the scores do not
// depend on the engine's threads.
import type { SqlDialect } from '../sql/dialect.js';

export interface AttitudeSpec {
    /** The reference date: contacts strictly before it count; ages are measured to it. */
    reference: number;
    /** Undefined: every contact weighs 1, whatever its age. */
    halfLifeDays?: number;
    /** k, the prior's strength in contacts. */
    prior: number;
}

/** Weights are summed as whole multiples of 10^-15: w ≤ 1, so a sum over 10^6 contacts stays far below 2^63·10^3. */
const SCALE = '1e15';

/** Each contact's weight and weighted response, in fixed point (see SCALE). Columns: key, v, w, wy. */
function weightedContacts(d: SqlDialect, contacts: string, spec: AttitudeSpec): string {
    const reference = d.date(spec.reference);
    const ageDays = `(epoch(CAST(${reference} AS TIMESTAMP)) - epoch(CAST(c.t AS TIMESTAMP))) / 86400.0`;
    const weight = spec.halfLifeDays === undefined ? 'CAST(1 AS DOUBLE)' : `pow(0.5, ${ageDays} / ${d.number(spec.halfLifeDays)})`;
    return `SELECT c.key, c.v, CAST(round(${weight} * ${SCALE}) AS BIGINT) AS w, CASE WHEN c.y THEN CAST(round(${weight} * ${SCALE}) AS BIGINT) ELSE 0 END AS wy ` +
        `FROM ${contacts} c WHERE c.t < ${reference} AND c.v IS NOT NULL AND c.y IS NOT NULL`;
}

/** The population's decayed response rate per value, its contacts and their customers. Columns: v, rate, contacts, customers. */
export function attitudeRatesSql(d: SqlDialect, contacts: string, spec: AttitudeSpec): string {
    return `SELECT v, CAST(sum(wy) AS DOUBLE) / CAST(sum(w) AS DOUBLE) AS rate, count(*) AS contacts, count(DISTINCT key) AS customers FROM (${weightedContacts(d, contacts, spec)}) x ` +
        `GROUP BY v HAVING sum(w) > 0 ORDER BY v`;
}

/**
 * Every customer's score for every value seen, customers without a contact with that value included (100·p_v), as rows
 * (key, v, score), for the given customer keys (a relation with a column `key`).
 */
export function attitudeScoresSql(d: SqlDialect, contacts: string, customers: string, spec: AttitudeSpec): string {
    const weighted = weightedContacts(d, contacts, spec);
    const k = d.number(spec.prior);
    return `WITH x AS (${weighted}), ` +
        `p AS (SELECT v, CAST(sum(wy) AS DOUBLE) / CAST(sum(w) AS DOUBLE) AS rate FROM x GROUP BY v HAVING sum(w) > 0), ` +
        `s AS (SELECT key, v, CAST(sum(wy) AS DOUBLE) / ${SCALE} AS wy, CAST(sum(w) AS DOUBLE) / ${SCALE} AS w FROM x GROUP BY key, v) ` +
        `SELECT u.key, p.v, 100 * (${k} * p.rate + COALESCE(s.wy, 0)) / NULLIF(${k} + COALESCE(s.w, 0), 0) AS score ` +
        `FROM ${customers} u CROSS JOIN p LEFT JOIN s ON s.key = u.key AND s.v = p.v`;
}
