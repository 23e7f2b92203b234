// Each customer's attitude scores (models/attitude.ts has the formula), at every reference date the run needs: the
// evaluation date (segments, the report, segments.csv) and the start of each campaign that reads the attitude (its
// audience, `limit ... by`, `uplift by`, `channel best of`). Per attitude and date, one table holds the scores of the
// customers with a contact before that date, a column per value seen; the wide customers table gives everybody else
// the population's score 100·p_v (see attitudeScoreSql).
import { formatDate } from '../language/semantics.js';
import type { SqlEngine } from './engine/engine.js';
import type { AttitudePlan, RunnerPlan } from './plan/runner-plan.js';
import type { AttitudeSpec, ScoredValue } from './models/attitude.js';
import { attitudeRatesSql, attitudeScoresSql } from './models/attitude.js';
import { attitudeReferences } from './plan/history.js';
import { attitudeContactsTable } from './sql/compile.js';
import type { SqlDialect } from './sql/dialect.js';
import { generatedName, wideColumn } from './sql/names.js';

export interface AttitudeValue {
    value: string;
    /** p_v: the population's decayed response rate. */
    rate: number;
    /** Contacts with this value (and a response recorded) before the reference date. */
    contacts: number;
    /** Customers with such a contact. */
    customers: number;
}

/** An attitude scored: per reference day, per `by` column (in order), the values with contacts before that day. */
export interface AttitudeScoring {
    plan: AttitudePlan;
    references: Map<number, AttitudeValue[][]>;
}

/** The table of an attitude's scores as of a reference day: key, then one column per value seen (wide names). */
function scoresTable(d: SqlDialect, attitude: string, day: number): string {
    return d.ident(generatedName('attscore', attitude, formatDate(day)));
}

function spec(attitude: AttitudePlan, day: number): AttitudeSpec {
    return { reference: day, halfLifeDays: attitude.halfLifeDays, prior: attitude.prior, dimensions: attitude.by.length };
}

export async function scoreAttitude(engine: SqlEngine, plan: RunnerPlan, attitude: AttitudePlan, asOf: number): Promise<AttitudeScoring> {
    const d = engine.dialect;
    const contacts = attitudeContactsTable(d, attitude.name);
    const references = new Map<number, AttitudeValue[][]>();
    for (const day of attitudeReferences(plan, attitude.name, asOf)) {
        const rows = await engine.query(attitudeRatesSql(d, contacts, spec(attitude, day)));
        const columns: AttitudeValue[][] = attitude.by.map(() => []);
        const scored: ScoredValue[] = [];
        for (const r of rows) {
            const dimension = Number(r.dimension);
            const value = { value: String(r.v), rate: Number(r.rate), contacts: Number(r.contacts), customers: Number(r.customers) };
            columns[dimension].push(value);
            scored.push({ dimension, value: value.value, rate: value.rate, column: wideColumn.attitude(attitude.name, attitude.by[dimension], value.value, formatDate(day)) });
        }
        references.set(day, columns);
        await engine.exec(d.createTemporaryTable(scoresTable(d, attitude.name, day), attitudeScoresSql(d, contacts, spec(attitude, day), scored)));
    }
    return { plan: attitude, references };
}

/**
 * The wide table's attitude columns: per attitude, reference day and `by` column, a score for each value seen before
 * the evaluation date and each value the plan names. A customer without a contact with the value scores the
 * population's 100·p_v; a value without contacts before the day has no p_v, so no score (NULL) for anyone.
 * `alias(attitude, day)` is the SQL alias of the joined scores table; the joins come with it.
 */
export function attitudeWideColumns(d: SqlDialect, scorings: AttitudeScoring[], asOf: number, keyColumn: string): { joins: string[]; items: string[] } {
    const joins: string[] = [];
    const items: string[] = [];
    scorings.forEach((scoring, a) => {
        const attitude = scoring.plan;
        const seen = scoring.references.get(asOf)!;
        [...scoring.references].forEach(([day, columns], r) => {
            const alias = `t${a}_${r}`;
            joins.push(`LEFT JOIN ${scoresTable(d, attitude.name, day)} ${alias} ON ${alias}.key = ${keyColumn}`);
            attitude.by.forEach((column, i) => {
                const values = new Set([...seen[i].map(v => v.value), ...attitude.named.get(column) ?? []]);
                for (const value of values) {
                    const name = wideColumn.attitude(attitude.name, column, value, formatDate(day));
                    const p = columns[i].find(v => v.value === value);
                    const score = p ? `COALESCE(${alias}.${d.ident(name)}, ${d.number(100 * p.rate)})` : `CAST(NULL AS ${d.type('number')})`;
                    items.push(`${score} AS ${d.ident(name)}`);
                }
            });
        });
    });
    return { joins, items };
}
