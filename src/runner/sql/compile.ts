// The plan compiled to SQL: RFM scores, the wide customers table with segment flags, group assignment, and the
// per-group aggregates of every metric. Each function returns SQL text built through the dialect only.
import { AstUtils } from 'langium';
import { isCustomersSource } from '../../language/generated/ast.js';
import { memberTarget } from '../../language/semantics.js';
import type { SqlDialect } from './dialect.js';
import type { AggregatePlan, CampaignPlan, MetricPlan, RfmPlan, RunnerPlan } from '../plan/runner-plan.js';
import { ConditionCompiler } from './expressions.js';
import { CUSTOMERS_TABLE, assignmentTable, rfmTable, sourceTable, wideColumn } from './names.js';
import { controlThreshold } from '../hash.js';

/** Inner cut points of N quantile bins: 1/N, 2/N, ..., (N−1)/N. */
export function binFractions(bins: number): number[] {
    return Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
}

/**
 * RFM per customer with at least one event before `as of` (events of unknown customers left out): recency in days
 * from the last event to `as of`, frequency, monetary; and the inner cut points of each. Keyed by the customer's row
 * in the universe. The scores themselves are computed in the wide customers table (one pass fewer).
 */
export function rfmSql(d: SqlDialect, rfm: RfmPlan, asOf: number): string[] {
    const table = rfmTable(d, rfm.name);
    const events = sourceTable(d, rfm.events);
    const fractions = binFractions(rfm.bins);
    const monetary = rfm.monetary ? d.moneySum(`e.${d.ident(rfm.monetary)}`) : 'CAST(NULL AS DOUBLE)';
    return [
        `CREATE OR REPLACE TABLE ${table} AS SELECT e.__cid AS __row, ${d.dayDiff('max(e.__t)', d.date(asOf))} AS recency, count(*) AS frequency, ${monetary} AS monetary ` +
        `FROM ${events} e WHERE e.__t < ${d.date(asOf)} AND e.__cid IS NOT NULL GROUP BY e.__cid`,
        `CREATE OR REPLACE TABLE ${rfmCutsTable(d, rfm.name)} AS SELECT ${d.quantiles('recency', fractions)} AS r, ${d.quantiles('frequency', fractions)} AS f, ${d.quantiles('monetary', fractions)} AS m FROM ${table}`,
        // The cut points also as plain columns (r1, r2, ...): scoring compares against them without list functions.
        `CREATE OR REPLACE TABLE ${rfmCutsTable(d, rfm.name)} AS SELECT *, ${(['r', 'f', 'm'] as const).flatMap(score => fractions.map((_, k) => `${d.listElement(score, k + 1)} AS ${score}${k + 1}`)).join(', ')} FROM ${rfmCutsTable(d, rfm.name)}`
    ];
}

function rfmCutsTable(d: SqlDialect, name: string): string {
    return d.ident(`rfm.${name}.cuts`);
}

/**
 * Tie-consistent quantile scores: R = N − (cut points strictly below the recency), F and M = 1 + (cut points strictly
 * below the value). Equal values always share a score; customers without events get none.
 */
function scoreExpressions(d: SqlDialect, rfm: RfmPlan, b: string, c: string) {
    const inner = binFractions(rfm.bins).map((_, k) => k + 1);
    const below = (score: 'r' | 'f' | 'm', value: string) => inner.map(k => `(CASE WHEN ${c}.${score}${k} < ${value} THEN 1 ELSE 0 END)`).join(' + ');
    // A missing value has no score (and a comparison with NULL would otherwise count as "not below").
    const unless = (value: string, score: string) => `CASE WHEN ${value} IS NULL THEN NULL ELSE CAST(${score} AS INTEGER) END`;
    return {
        r: unless(`${b}.recency`, `${rfm.bins} - (${below('r', `${b}.recency`)})`),
        f: unless(`${b}.frequency`, `1 + ${below('f', `${b}.frequency`)}`),
        m: unless(`${b}.monetary`, `1 + ${below('m', `${b}.monetary`)}`)
    };
}

/** The customers columns the plan reads: in segments, audiences, column metrics and recorded groups. */
export function usedCustomerColumns(plan: RunnerPlan): Set<string> {
    const used = new Set<string>();
    const expressions = [...plan.segments.map(s => s.node.condition), ...plan.campaigns.map(c => c.audience), ...plan.metrics.map(m => m.node.definition)];
    for (const expression of expressions) {
        if (!expression) continue;
        for (const node of [expression, ...AstUtils.streamAst(expression)]) {
            const target = memberTarget(node);
            if (target?.kind === 'column' && isCustomersSource(target.source)) used.add(wideColumn.column(target.source.name, target.name));
        }
    }
    for (const c of plan.campaigns) if (c.assignment.kind === 'recorded') used.add(wideColumn.column(c.assignment.source.name, c.assignment.column));
    return used;
}

/**
 * One row per customer of the universe: the customers columns the plan reads (from every customers source), RFM
 * measures and scores, and one flag per segment.
 */
export function customersWideSql(d: SqlDialect, plan: RunnerPlan): string {
    const items = ['u.rowid AS __row', 'u.__key'];
    const joins: string[] = [];
    const used = usedCustomerColumns(plan);
    plan.sources.forEach((source, index) => {
        if (source.kind !== 'customers') return;
        const alias = source === plan.universe ? 'u' : `c${index}`;
        const columns = source.columns.filter(column => used.has(wideColumn.column(source.name, column.name)));
        if (alias !== 'u' && columns.length > 0) joins.push(`LEFT JOIN ${sourceTable(d, source)} ${alias} ON ${alias}.__key = u.__key`);
        for (const column of columns) {
            const value = column.role === 'key' ? `${alias}.__key` : `${alias}.${d.ident(column.name)}`;
            items.push(`${value} AS ${d.ident(wideColumn.column(source.name, column.name))}`);
        }
    });
    plan.rfms.forEach((rfm, index) => {
        const b = `r${index}`, c = `q${index}`;
        joins.push(`LEFT JOIN ${rfmTable(d, rfm.name)} ${b} ON ${b}.__row = u.rowid CROSS JOIN ${rfmCutsTable(d, rfm.name)} ${c}`);
        const scores = scoreExpressions(d, rfm, b, c);
        for (const score of ['r', 'f', 'm'] as const) items.push(`${scores[score]} AS ${d.ident(wideColumn.score(rfm.name, score))}`);
        for (const measure of ['recency', 'frequency', 'monetary'] as const) items.push(`${b}.${measure} AS ${d.ident(wideColumn.measure(rfm.name, measure))}`);
    });
    const conditions = new ConditionCompiler(d, 'w');
    const segments = plan.segments.map(s => `${conditions.condition(s.node.condition)} AS ${d.ident(wideColumn.segment(s.name))}`);
    const wide = `SELECT ${items.join(', ')} FROM ${sourceTable(d, plan.universe)} u ${joins.join(' ')}`;
    return `CREATE OR REPLACE TABLE ${CUSTOMERS_TABLE} AS WITH w AS (${wide}) SELECT w.*${segments.map(s => ', ' + s).join('')} FROM w`;
}

export function audienceCondition(d: SqlDialect, campaign: CampaignPlan, alias = 'w'): string {
    return new ConditionCompiler(d, alias).condition(campaign.audience);
}

/**
 * The campaign's groups. Drawn: audience members not claimed by an earlier overlapping campaign, control when the
 * hash of (seed, key) is below the share. Recorded: audience members whose group column holds one of the labels.
 */
export function assignmentSql(d: SqlDialect, campaign: CampaignPlan, index: number, earlier: number[]): string {
    const table = assignmentTable(d, index);
    const audience = audienceCondition(d, campaign);
    const a = campaign.assignment;
    if (a.kind === 'drawn') {
        const claimed = earlier.map(j => `SELECT __row FROM ${assignmentTable(d, j)}`).join(' UNION ALL ');
        const free = claimed ? ` AND w.__row NOT IN (${claimed})` : '';
        const control = `${d.controlHash(a.seed, 'w.__key')} < ${d.bigInteger(controlThreshold(a.sharePercent))}`;
        return `CREATE OR REPLACE TABLE ${table} AS SELECT w.__row, w.__key, CASE WHEN ${control} THEN 'control' ELSE 'treatment' END AS grp ` +
            `FROM ${CUSTOMERS_TABLE} w WHERE ${audience}${free}`;
    }
    if (a.kind === 'recorded') {
        const column = `w.${d.ident(wideColumn.column(a.source.name, a.column))}`;
        const type = a.source.columns.find(c => c.name === a.column)?.type;
        const label = (text: string) => (type === 'number' && Number.isFinite(Number(text)) ? d.number(Number(text)) : d.string(text));
        const value = type === 'number' ? column : `CAST(${column} AS VARCHAR)`;
        return `CREATE OR REPLACE TABLE ${table} AS SELECT w.__row, w.__key, CASE WHEN ${value} = ${label(a.treatment)} THEN 'treatment' ELSE 'control' END AS grp ` +
            `FROM ${CUSTOMERS_TABLE} w WHERE ${audience} AND ${value} IN (${label(a.treatment)}, ${label(a.control)})`;
    }
    return `CREATE OR REPLACE TABLE ${table} AS SELECT w.__row, w.__key, 'treatment' AS grp FROM ${CUSTOMERS_TABLE} w WHERE ${audience}`;
}

/** Audience size of a drawn campaign, and how many of its members earlier overlapping campaigns took (by campaign). */
export function exclusionSql(d: SqlDialect, campaign: CampaignPlan, earlier: number[]): string {
    const audience = audienceCondition(d, campaign);
    if (earlier.length === 0) return `SELECT count(*) AS audience, NULL AS taken_by, 0 AS n FROM ${CUSTOMERS_TABLE} w WHERE ${audience}`;
    const claimed = earlier.map(j => `SELECT __row, ${j} AS campaign FROM ${assignmentTable(d, j)}`).join(' UNION ALL ');
    return `WITH aud AS (SELECT w.__row FROM ${CUSTOMERS_TABLE} w WHERE ${audience}), ` +
        `taken AS (SELECT c.__row, min(c.campaign) AS campaign FROM (${claimed}) c WHERE c.__row IN (SELECT __row FROM aud) GROUP BY c.__row) ` +
        `SELECT (SELECT count(*) FROM aud) AS audience, t.campaign AS taken_by, count(*) AS n FROM taken t GROUP BY t.campaign ` +
        `UNION ALL SELECT (SELECT count(*) FROM aud), NULL, 0 ORDER BY taken_by NULLS LAST`;
}

export interface MetricWindow {
    /** First day counted (exposure). */
    start: number;
    /** First day not counted. */
    end: number;
}

/** Column aliases of a metric's per-group aggregates in the summary query. */
export function metricColumns(index: number) {
    return {
        n: `m${index}_n`, sum: `m${index}_sum`, variance: `m${index}_var`,
        sumX: `m${index}_sx`, sumY: `m${index}_sy`, varX: `m${index}_vx`, varY: `m${index}_vy`, cov: `m${index}_cov`
    };
}

/**
 * Per group: size, and for each metric the count of customers with a value, the compensated sum and the sample
 * variance (ratio metrics: sums, variances and covariance of numerator and denominator per customer).
 */
export function metricSummarySql(d: SqlDialect, plan: RunnerPlan, campaignIndex: number, metrics: MetricPlan[], window: MetricWindow): string {
    const assignment = assignmentTable(d, campaignIndex);
    // One pre-aggregated subquery per events source: every aggregate any metric needs, over the window.
    const sources = new Map<string, { alias: string; items: Map<string, string>; source: AggregatePlan['source'] }>();
    const aggregateRef = (agg: AggregatePlan): string => {
        let entry = sources.get(agg.source.name);
        if (!entry) {
            entry = { alias: `ev${sources.size}`, items: new Map([['n', 'count(*)']]), source: agg.source };
            sources.set(agg.source.name, entry);
        }
        const col = agg.column ? d.ident(agg.column) : undefined;
        const key = agg.function === 'any' || agg.function === 'count' ? 'n' : `${agg.function}_${agg.column}`;
        if (!entry.items.has(key)) {
            const sqlFunction = { sum: 'sum', mean: 'avg', min: 'min', max: 'max' }[agg.function as 'sum' | 'mean' | 'min' | 'max'];
            entry.items.set(key, `${sqlFunction}(e.${col})`);
        }
        const ref = `${entry.alias}.${d.ident(key)}`;
        switch (agg.function) {
            case 'any': return `CASE WHEN ${entry.alias}.n > 0 THEN 1.0 ELSE 0.0 END`;
            case 'count': return `CAST(COALESCE(${entry.alias}.n, 0) AS DOUBLE)`;
            case 'sum': return `CAST(COALESCE(${ref}, 0) AS DOUBLE)`;
            // mean, min, max: no events in the window, no value (the customer is left out of that metric).
            default: return `CAST(${ref} AS DOUBLE)`;
        }
    };
    let needsWide = false;
    const values: string[] = [];
    metrics.forEach((metric, i) => {
        if (metric.kind === 'column') {
            needsWide = true;
            values.push(`CAST(w.${d.ident(wideColumn.column(metric.source.name, metric.column))} AS DOUBLE) AS v${i}`);
        } else if (metric.kind === 'aggregate') {
            values.push(`${aggregateRef(metric.aggregate)} AS v${i}`);
        } else {
            values.push(`${aggregateRef(metric.numerator)} AS x${i}`, `${aggregateRef(metric.denominator)} AS y${i}`);
        }
    });
    const joins: string[] = [];
    if (needsWide) joins.push(`JOIN ${CUSTOMERS_TABLE} w ON w.__row = a.__row`);
    for (const { alias, items, source } of sources.values()) {
        const inWindow = source.time ? `e.__t >= ${d.date(window.start)} AND e.__t < ${d.date(window.end)}` : '';
        const list = [...items].map(([key, sql]) => `${sql} AS ${d.ident(key)}`).join(', ');
        const where = [inWindow, 'e.__cid IS NOT NULL'].filter(Boolean).join(' AND ');
        joins.push(`LEFT JOIN (SELECT e.__cid, ${list} FROM ${sourceTable(d, source)} e WHERE ${where} GROUP BY e.__cid) ${alias} ON ${alias}.__cid = a.__row`);
    }
    const perCustomer = `SELECT a.grp${values.map(v => ', ' + v).join('')} FROM ${assignment} a ${joins.join(' ')}`;
    const aggregates: string[] = ['count(*) AS size'];
    metrics.forEach((metric, i) => {
        const c = metricColumns(i);
        if (metric.kind === 'ratio') {
            aggregates.push(
                `count(*) AS ${c.n}`, `${d.exactSum(`x${i}`)} AS ${c.sumX}`, `${d.exactSum(`y${i}`)} AS ${c.sumY}`,
                `${d.sampleVariance(`x${i}`)} AS ${c.varX}`, `${d.sampleVariance(`y${i}`)} AS ${c.varY}`, `${d.sampleCovariance(`x${i}`, `y${i}`)} AS ${c.cov}`
            );
        } else {
            aggregates.push(`count(v${i}) AS ${c.n}`, `${d.exactSum(`v${i}`)} AS ${c.sum}`, `${d.sampleVariance(`v${i}`)} AS ${c.variance}`);
        }
    });
    return `SELECT grp, ${aggregates.join(', ')} FROM (${perCustomer}) p GROUP BY grp`;
}

/** Segment sizes over the universe, in one pass. */
export function segmentSizesSql(d: SqlDialect, plan: RunnerPlan): string {
    const items = ['count(*) AS customers', ...plan.segments.map((s, i) => `count(*) FILTER (WHERE ${d.ident(wideColumn.segment(s.name))}) AS s${i}`)];
    return `SELECT ${items.join(', ')} FROM ${CUSTOMERS_TABLE}`;
}

/** RFM distribution: customers per R × F cell with their monetary value. */
export function rfmGridSql(d: SqlDialect, rfm: RfmPlan): string {
    const r = d.ident(wideColumn.score(rfm.name, 'r')), f = d.ident(wideColumn.score(rfm.name, 'f'));
    return `SELECT ${r} AS r, ${f} AS f, count(*) AS customers, sum(${d.ident(wideColumn.measure(rfm.name, 'monetary'))}) AS value FROM ${CUSTOMERS_TABLE} ` +
        `WHERE ${r} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
}

export function rfmScoreCountsSql(d: SqlDialect, rfm: RfmPlan): string {
    const m = d.ident(wideColumn.score(rfm.name, 'm'));
    return `SELECT ${m} AS value, count(*) AS customers FROM ${CUSTOMERS_TABLE} WHERE ${d.ident(wideColumn.score(rfm.name, 'r'))} IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

export function rfmCutsSql(d: SqlDialect, rfm: RfmPlan): string {
    return `SELECT r, f, m FROM ${rfmCutsTable(d, rfm.name)}`;
}
