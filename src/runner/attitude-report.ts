// The report's view of each attitude, as of the evaluation date: per `by` column, every value seen with its population
// rate p_v, its contacts and customers, and how the plan's customers' scores spread (mean, quantiles, a histogram in
// tenths of the 0–100 scale), from the wide table's score columns.
import { formatDate } from '../language/semantics.js';
import type { Session } from './session.js';
import type { AttitudeResult } from './report/schema.js';
import { CUSTOMERS_TABLE, wideColumn } from './sql/names.js';

const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9];

export async function attitudeResults(session: Session): Promise<AttitudeResult[]> {
    const { engine, asOf } = session;
    const d = engine.dialect;
    const results: AttitudeResult[] = [];
    for (const scoring of session.attitudes) {
        const attitude = scoring.plan;
        const seen = scoring.references.get(asOf)!;
        const by: AttitudeResult['by'] = [];
        for (const [i, column] of attitude.by.entries()) {
            const values: AttitudeResult['by'][number]['values'] = [];
            for (const v of seen[i]) {
                const score = `w.${d.ident(wideColumn.attitude(attitude.name, column, v.value, formatDate(asOf)))}`;
                // A score of exactly 100 belongs to the last tenth.
                const tenths = Array.from({ length: 10 }, (_, k) => `count(*) FILTER (WHERE ${score} >= ${k * 10}${k === 9 ? '' : ` AND ${score} < ${(k + 1) * 10}`}) AS h${k}`);
                const [row] = await engine.query(`SELECT avg(${score}) AS mean, ${d.quantiles(score, QUANTILES)} AS q, ${tenths.join(', ')} FROM ${CUSTOMERS_TABLE} w`);
                const q = Array.isArray(row.q) ? row.q.map(x => (x === null ? null : Number(x))) : QUANTILES.map(() => null);
                values.push({
                    value: v.value,
                    rate: v.rate,
                    contacts: v.contacts,
                    customers: v.customers,
                    mean: row.mean === null ? null : Number(row.mean),
                    quantiles: { p10: q[0], p25: q[1], p50: q[2], p75: q[3], p90: q[4] },
                    histogram: Array.from({ length: 10 }, (_, k) => Number(row[`h${k}`]))
                });
            }
            by.push({ column, values });
        }
        results.push({ name: attitude.name, source: attitude.events.name, asOf: formatDate(asOf), halfLifeDays: attitude.halfLifeDays ?? null, prior: attitude.prior, by });
    }
    return results;
}
