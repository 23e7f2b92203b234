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
// SQL over a relation of contacts `(key, t, y, v0, v1, ...)`: the customer key, the contact time, the response
// (boolean), and the value of each dimension. Each query reads the contacts once, whatever the number of dimensions and
// values. Weighted sums are added as whole numbers of 10^-15 (exact in any order), so the scores do not depend on the
// engine's threads.
import type { SqlDialect } from '../sql/dialect.js';

export interface AttitudeSpec {
    /** The reference date: contacts strictly before it count; ages are measured to it. */
    reference: number;
    /** Undefined: every contact weighs 1, whatever its age. */
    halfLifeDays?: number;
    /** k, the prior's strength in contacts. */
    prior: number;
    /** The number of dimensions: columns v0 ... v(n−1) of the contacts. */
    dimensions: number;
}

/** Weights are summed as whole multiples of 10^-15: w ≤ 1, so a sum over 10^6 contacts stays far below 2^63·10^3. */
const SCALE = '1e15';

/** Each contact before the reference with a response, its weight and weighted response in fixed point (see SCALE). */
function weightedContacts(d: SqlDialect, contacts: string, spec: AttitudeSpec): string {
    const reference = d.date(spec.reference);
    const ageDays = `(${d.epochSeconds(reference)} - ${d.epochSeconds('c.t')}) / ${d.number(86_400)}`;
    const weight = spec.halfLifeDays === undefined ? `CAST(1 AS ${d.type('number')})` : `power(${d.number(0.5)}, ${ageDays} / ${d.number(spec.halfLifeDays)})`;
    const values = Array.from({ length: spec.dimensions }, (_, i) => `, c.v${i}`).join('');
    const weighted = `SELECT c.key${values}, c.y, ${weight} AS wt FROM ${contacts} c WHERE c.t < ${reference} AND c.y IS NOT NULL`;
    const fixed = d.round(`c.wt * ${SCALE}`);
    return `SELECT c.key${values}, CAST(${fixed} AS BIGINT) AS w, CASE WHEN c.y THEN CAST(${fixed} AS BIGINT) ELSE 0 END AS wy FROM (${weighted}) c`;
}

/**
 * The population's decayed response rate per dimension and value, with its contacts and their customers, in one read
 * (grouping sets, one per dimension). Columns: dimension (the index), v, rate, contacts, customers.
 */
export function attitudeRatesSql(d: SqlDialect, contacts: string, spec: AttitudeSpec): string {
    const dims = Array.from({ length: spec.dimensions }, (_, i) => i);
    const dimension = `CASE ${dims.map(i => `WHEN GROUPING(v${i}) = 0 THEN ${i} `).join('')}END`;
    const value = `CASE ${dims.map(i => `WHEN GROUPING(v${i}) = 0 THEN v${i} `).join('')}END`;
    const sets = dims.map(i => `(v${i})`).join(', ');
    return `SELECT dimension, v, rate, contacts, customers FROM (SELECT ${dimension} AS dimension, ${value} AS v, ` +
        `CAST(${d.integerSum('wy')} AS ${d.type('number')}) / CAST(${d.integerSum('w')} AS ${d.type('number')}) AS rate, count(*) AS contacts, count(DISTINCT key) AS customers, ${d.integerSum('w')} AS total ` +
        `FROM (${weightedContacts(d, contacts, spec)}) x GROUP BY GROUPING SETS (${sets})) g WHERE v IS NOT NULL AND total > 0 ORDER BY dimension, v`;
}

/** A value of a dimension as the scores need it: its population rate, and the name of its score column. */
export interface ScoredValue {
    dimension: number;
    value: string;
    rate: number;
    column: string;
}

/**
 * The scores of every customer with a contact before the reference, one column per value given (customers without a
 * contact with the value score 100·p_v), in one read. Columns: key, then each value's `column`.
 */
export function attitudeScoresSql(d: SqlDialect, contacts: string, spec: AttitudeSpec, values: ScoredValue[]): string {
    const k = d.number(spec.prior);
    const sum = (part: 'w' | 'wy', v: ScoredValue) => `COALESCE(CAST(${d.integerSum(part)} FILTER (WHERE v${v.dimension} = ${d.string(v.value)}) AS ${d.type('number')}), 0) / ${SCALE}`;
    const scores = values.map(v => `100 * (${k} * ${d.number(v.rate)} + ${sum('wy', v)}) / NULLIF(${k} + ${sum('w', v)}, 0) AS ${d.ident(v.column)}`);
    return `SELECT key${scores.map(s => ', ' + s).join('')} FROM (${weightedContacts(d, contacts, spec)}) x GROUP BY key`;
}
