// The plan compiled to SQL: RFM scores, the wide customers table with segment flags, group assignment, and the
// per-group aggregates of every metric. Each function returns SQL text built through the dialect only.
import { AstUtils } from 'langium';
import { isCustomersSource } from '../../language/generated/ast.js';
import { formatDate, memberTarget } from '../../language/semantics.js';
import type { Aggregate } from '../../language/generated/ast.js';
import type { SqlDialect } from './dialect.js';
import type { AggregatePlan, CampaignPlan, EventsSourcePlan, MetricPlan, RfmPlan, RunnerPlan, StepPlan } from '../plan/runner-plan.js';
import { PlanError } from '../plan/runner-plan.js';
import { ConditionCompiler } from './expressions.js';
import { CUSTOMERS_TABLE, generatedName, microColumn, assignmentTable, dailyTable, eventWindowsTable, eventsColumn, eventsTable, rfmCutsTable, scheduleTable, sourceColumn, sourceTable, wideColumn } from './names.js';
import { armThresholds, controlThreshold } from '../hash.js';
import { finishMoments, groupMomentsSql } from './moments.js';
import type { Row } from '../engine/engine.js';
import type { MomentsSpec } from './moments.js';
import { isScheduled, scheduleBounds, timelineOf } from '../timeline.js';
import { campaignAggregates, campaignAttitudes, campaignReference, historyColumns } from '../plan/history.js';
import type { AttitudeScoring } from '../attitude-scores.js';
import { attitudeWideColumns } from '../attitude-scores.js';
import type { RfmScoring } from '../plan/rfm-scorings.js';
import { CLV_SCORES, clvScoresTable } from '../clv-scores.js';
import { audienceScoring, readsOwnScorings, rfmScorings } from '../plan/rfm-scorings.js';

/** Inner cut points of N quantile bins: 1/N, 2/N, ..., (N−1)/N. */
export function binFractions(bins: number): number[] {
    return Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
}

/**
 * RFM per customer with at least one event before `as of` (events of unknown customers left out): recency in days
 * from the last event to `as of`, frequency, monetary. Keyed by the customer's row in the universe. Read from the
 * per-customer events table (see eventsTablesSql), where the pass over the file computed them.
 */
function rfmRows(d: SqlDialect, scoring: RfmScoring): string {
    const col = (measure: 'recency' | 'frequency' | 'monetary') => `e.${d.ident(eventsColumn.rfm(scoring.key, measure))}`;
    return `(SELECT e.__cid AS __row, ${col('recency')} AS recency, ${col('frequency')} AS frequency, ${col('monetary')} AS monetary ` +
        `FROM ${eventsTable(d, scoring.rfm.events)} e WHERE e.__cid IS NOT NULL AND ${col('frequency')} > 0)`;
}

/** The inner cut points of RFM's recency, frequency and monetary. The scores are computed in the wide customers table. */
export function rfmSql(d: SqlDialect, scoring: RfmScoring): string[] {
    const fractions = binFractions(scoring.rfm.bins);
    const table = rfmCutsTable(d, scoring.key);
    return [
        d.createTemporaryTable(table, `SELECT ${d.quantiles('recency', fractions)} AS r, ${d.quantiles('frequency', fractions)} AS f, ${d.quantiles('monetary', fractions)} AS m FROM ${rfmRows(d, scoring)} b`),
        // The cut points also as plain columns (r1, r2, ...): scoring compares against them without list functions.
        d.createTemporaryTable(table, `SELECT *, ${(['r', 'f', 'm'] as const).flatMap(score => fractions.map((_, k) => `${d.listElement(score, k + 1)} AS ${score}${k + 1}`)).join(', ')} FROM ${table}`)
    ];
}

/**
 * A source's campaign windows are columns of its events table while there are at most this many distinct ones; beyond,
 * they are rows of a second table (one per customer and window), so many campaigns do not make the table wide.
 */
export const INLINE_WINDOWS = 8;

/**
 * The per-customer events tables of one events source, from `rows`: a relation over the file with the customer key
 * as text (__k), the time (__t) and the declared columns, typed. Every window is the same for every member of a
 * campaign's audience, and RFM needs only events before its `as of`, so one pass over the file grouped by customer
 * key gives: the events (__n), those with a time (__timed), per RFM model the recency, count and monetary sum before
 * `as of`, and every aggregate an event metric over this source needs, per campaign window. A row per
 * distinct customer key (unknown customers included, with __cid NULL), not per event. With more than INLINE_WINDOWS
 * windows, a second pass over the file gives the window aggregates as rows (__cid, __w).
 */
export function eventsTablesSql(d: SqlDialect, plan: RunnerPlan, source: EventsSourcePlan, asOf: number, rows: string, typedWhileReading: boolean): string[] {
    // Events without a time: __n − __timed.
    const items = new Map<string, string>([['__n', 'count(*)'], ['__timed', 'count(e.__t)']]);
    // Every summed column (RFM monetary, sum and mean metrics) in millionths, converted once per event and shared by
    // every sum over it (see microSum).
    const summed = summedColumns(plan, source);
    const events = summed.length === 0 ? rows
        : `(SELECT e0.*, ${summed.map(c => `${d.round(`e0.${d.ident(sourceColumn(c))} * ${micro(d)}`)} AS ${d.ident(microColumn(c))}`).join(', ')} FROM ${rows} e0)`;
    for (const { rfm, asOf: day, key } of rfmScorings(plan, asOf).filter(s => s.rfm.events.name === source.name)) {
        const rfmAsOf = d.date(day);
        const before = `e.__t < ${rfmAsOf}`;
        items.set(eventsColumn.rfm(key, 'recency'), d.dayDiff(`max(e.__t) FILTER (WHERE ${before})`, rfmAsOf));
        items.set(eventsColumn.rfm(key, 'frequency'), `count(*) FILTER (WHERE ${before})`);
        items.set(eventsColumn.rfm(key, 'monetary'), rfm.monetary ? microSum(d, rfm.monetary, before) : `CAST(NULL AS ${d.type('number')})`);
    }
    const aggregates = sourceAggregates(d, plan, source);
    const windows = sourceWindows(plan, source, asOf);
    const inline = windows.length <= INLINE_WINDOWS;
    if (inline) {
        windows.forEach((window, w) => {
            const condition = source.time ? `e.__t >= ${d.date(window.start)} AND e.__t < ${d.date(window.end)}` : undefined;
            for (const [key, sql] of aggregates) items.set(eventsColumn.window(String(w), key), sql(condition));
        });
    }
    // Aggregates of conditions, as of each reference date they are needed at (see plan/history.ts).
    for (const h of historyColumns(plan, asOf).filter(h => h.aggregate.aggregate.source.name === source.name)) {
        const agg = h.aggregate.aggregate;
        const window = source.time
            ? [`e.__t < ${d.date(h.day)}`, ...(agg.withinDays !== undefined ? [`e.__t >= ${d.date(h.day - agg.withinDays)}`] : [])].join(' AND ')
            : undefined;
        items.set(eventsColumn.history(h.aggregate.key, h.reference), aggregateSql(d, agg, window));
    }
    // Every declared value is read (and typed) for every row, used or not, so a bad one is always found: a CSV reader
    // types every column it reads, other formats are cast as the rows are read (and a cast under a condition might
    // be skipped).
    for (const c of source.columns.filter(c => !c.role)) {
        const column = `e.${d.ident(sourceColumn(c.name))}`;
        const read = [column, `e.${d.ident(microColumn(c.name))}`];
        if (!typedWhileReading || ![...items.values(), ...aggregates.map(([, sql]) => sql(undefined))].some(sql => read.some(r => sql.includes(r)))) items.set(eventsColumn.seen(c.name), `count(${column})`);
    }
    const days = dailyRange(plan, source, asOf);
    const list = (entries: Iterable<[string, string]>) => [...entries].map(([name, sql]) => `${sql} AS ${d.ident(name)}`).join(', ');
    const universe = sourceTable(d, plan.universe);
    const aggregated = `(SELECT e.__k, ${list(items)} FROM ${events} e GROUP BY e.__k) a`;
    const primary = primaryEvents(plan)?.name === source.name;
    // The first events source also keeps every customer of the universe (a full join), with the customers columns
    // the plan reads: the wide customers table is then read from it without another join.
    const carried = primary
        ? ['u.__key', ...plan.universe.columns.filter(c => c.role !== 'key' && usedCustomerColumns(plan).has(wideColumn.column(plan.universe.name, c.name)))
            .map(c => `u.${d.ident(sourceColumn(c.name))} AS ${d.ident(eventsColumn.customer(c.name))}`)].map(item => ', ' + item).join('')
        : '';
    const statements = [
        d.createTemporaryTable(eventsTable(d, source), `SELECT ${d.rowId('u')} AS __cid${carried}, a.* FROM ${aggregated} ${primary ? 'FULL' : 'LEFT'} JOIN ${universe} u ON u.__key = a.__k`)
    ];
    // Scheduled campaigns: each customer's events per day, over the days they measure (a second read of the events).
    if (days) statements.push(dailyTableSql(d, plan, source, events, days));
    // CLV models and attitudes read their events one by one: a table of their own, from a second read of the file
    // (gathered as per-customer lists in the first pass, millions of contacts did not fit in memory; a table spills).
    const known = `JOIN ${universe} u ON u.__key = e.__k`;
    for (const clv of plan.clvs.filter(c => c.events.name === source.name)) {
        const amount = clv.monetary ? `CAST(e.${d.ident(microColumn(clv.monetary))} AS ${d.type('number')}) / 1000000` : `CAST(NULL AS ${d.type('number')})`;
        statements.push(d.createTemporaryTable(clvPurchasesTable(d, clv.name), `SELECT e.__k AS key, CAST(e.__t AS DATE) AS day, ${amount} AS amount FROM ${events} e ${known} ` +
            `WHERE e.__t >= ${d.date(clv.calibration.start)} AND e.__t < ${d.date(asOf)}`));
    }
    for (const attitude of plan.attitudes.filter(a => a.events.name === source.name)) {
        const by = attitude.by.map((c, i) => `, e.${d.ident(sourceColumn(c))} AS v${i}`).join('');
        statements.push(d.createTemporaryTable(attitudeContactsTable(d, attitude.name), `SELECT e.__k AS key, e.__t AS t, e.${d.ident(sourceColumn(attitude.response))} AS y${by} ` +
            `FROM ${events} e ${known} WHERE e.__t < ${d.date(asOf)}`));
    }
    if (!inline) {
        const values = windows.map((window, w) => `(${w}, ${d.date(window.start)}, ${d.date(window.end)})`).join(', ');
        const byWindow = aggregates.map(([key, sql]) => [eventsColumn.window('', key), sql(undefined)] as [string, string]);
        statements.push(
            d.createTemporaryTable(eventWindowsTable(d, source), `SELECT ${d.rowId('u')} AS __cid, a.__w${byWindow.map(([name]) => `, a.${d.ident(name)}`).join('')} FROM (SELECT e.__k, w.__w, ${list(byWindow)} ` +
            `FROM ${events} e JOIN (VALUES ${values}) w(__w, __start, __end) ON e.__t >= w.__start AND e.__t < w.__end GROUP BY e.__k, w.__w) a ` +
            `JOIN ${universe} u ON u.__key = a.__k`)
        );
    }
    return statements;
}

/**
 * The days the scheduled campaigns (see isScheduled) need of a timed events source: from their first exposure to the
 * end of their last window or contact, cut at the evaluation date. Undefined when no scheduled campaign reads it.
 */
function dailyRange(plan: RunnerPlan, source: EventsSourcePlan, asOf: number): MetricWindow | undefined {
    if (!source.time || !metricAggregates(plan.metrics).some(agg => agg.source.name === source.name)) return undefined;
    const scheduled = plan.campaigns.filter(isScheduled);
    if (scheduled.length === 0) return undefined;
    const bounds = scheduled.map(c => {
        const b = scheduleBounds(c);
        return { start: b.firstExposure, end: Math.min(asOf, Math.max(b.lastExposure + c.attributionDays, b.lastContact + 1)) };
    });
    return { start: Math.min(...bounds.map(b => b.start)), end: Math.max(...bounds.map(b => b.end)) };
}

/** A CLV model's purchases (key, day, amount) from the calibration's start to the evaluation date. */
export function clvPurchasesTable(d: SqlDialect, clv: string): string {
    return d.ident(generatedName('clv', clv));
}

/** An attitude's contacts before the evaluation date: key, t, y (the response), v0, v1, ... (the `by` columns' values). */
export function attitudeContactsTable(d: SqlDialect, attitude: string): string {
    return d.ident(generatedName('attcontacts', attitude));
}

/** The events table's column holding each customer's events in the daily range (dropped once the daily table is made). */
/** The parts of every aggregate the metrics need over an events source, by part name (see dailyParts). */
function dailyPartsOf(d: SqlDialect, plan: RunnerPlan, source: EventsSourcePlan): Map<string, { perEvent: string; perDay: string }> {
    const parts = new Map<string, { perEvent: string; perDay: string }>();
    for (const agg of metricAggregates(plan.metrics).filter(a => a.source.name === source.name)) {
        for (const [name, part] of dailyParts(d, agg)) parts.set(name, part);
    }
    return parts;
}

/**
 * Per customer and day of the range: the parts of every aggregate the metrics need (counts, sums in millionths, the
 * counts of summed values for means, minima and maxima), so that a customer's own window is a sum over its days.
 * Customers outside the universe are left out.
 */
function dailyTableSql(d: SqlDialect, plan: RunnerPlan, source: EventsSourcePlan, events: string, days: MetricWindow): string {
    const items = [...dailyPartsOf(d, plan, source)].map(([name, part]) => `, ${part.perDay.replace('$', part.perEvent)} AS ${d.ident(eventsColumn.day(name))}`).join('');
    const range = days.end > days.start ? `e.__t >= ${d.date(days.start)} AND e.__t < ${d.date(days.end)}` : 'false';
    return d.createTemporaryTable(dailyTable(d, source), `SELECT ${d.rowId('u')} AS __cid, CAST(e.__t AS DATE) AS __d${items} ` +
        `FROM ${events} e JOIN ${sourceTable(d, plan.universe)} u ON u.__key = e.__k WHERE ${range} GROUP BY ${d.rowId('u')}, CAST(e.__t AS DATE)`);
}

/** The daily parts of one aggregate, by part name: the value each event contributes, and how a day combines them ($). */
function dailyParts(d: SqlDialect, agg: AggregatePlan): Array<[string, { perEvent: string; perDay: string }]> {
    const column = agg.column ?? '';
    // An event outside the filter contributes NULL, which count(), sum(), min() and max() leave out.
    const only = (value: string) => (agg.filter ? `CASE WHEN ${filterSql(d, agg)} THEN ${value} END` : value);
    const value = only(`e.${d.ident(sourceColumn(column))}`);
    const micro = only(`e.${d.ident(microColumn(column))}`);
    const tag = agg.filterKey ? `.${agg.filterKey}` : '';
    switch (agg.function) {
        case 'any': case 'count': return [[dailyCountPart(agg), { perEvent: only('1'), perDay: 'count($)' }]];
        case 'sum': return [[`sum.${column}${tag}`, { perEvent: micro, perDay: 'sum($)' }]];
        case 'mean': return [[`sum.${column}${tag}`, { perEvent: micro, perDay: 'sum($)' }], [`n.${column}${tag}`, { perEvent: value, perDay: 'count($)' }]];
        default: return [[`${agg.function}.${column}${tag}`, { perEvent: value, perDay: `${agg.function}($)` }]];
    }
}

/** The daily table's part that counts an any/count aggregate's events (what a conditional step looks at). */
export function dailyCountPart(agg: AggregatePlan): string {
    return agg.filterKey ? `count.${agg.filterKey}` : 'count';
}

/** An aggregate over a customer's days of the daily table (alias dd), as the events table would give it. */
function windowFromDays(d: SqlDialect, agg: AggregatePlan): string {
    const tag = agg.filterKey ? `.${agg.filterKey}` : '';
    const part = (name: string) => `dd.${d.ident(eventsColumn.day(name + tag))}`;
    const column = agg.column ?? '';
    switch (agg.function) {
        case 'any': case 'count': return `sum(${part('count')})`;
        case 'sum': return d.fixedPointValue(`sum(${part(`sum.${column}`)})`, micro(d));
        case 'mean': return `(${d.fixedPointValue(`sum(${part(`sum.${column}`)})`, micro(d))} / sum(${part(`n.${column}`)}))`;
        default: return `${agg.function}(${part(`${agg.function}.${column}`)})`;
    }
}

/** The events source whose per-customer table also holds every customer of the universe: the first one. */
export function primaryEvents(plan: RunnerPlan): EventsSourcePlan | undefined {
    return plan.sources.find((s): s is EventsSourcePlan => s.kind === 'events');
}

/**
 * Every aggregate an event metric over the source needs, by key (count and any share the count), as SQL over the
 * events that meet a condition (all without one).
 */
function sourceAggregates(d: SqlDialect, plan: RunnerPlan, source: EventsSourcePlan): Array<[string, (condition?: string) => string]> {
    const items = new Map<string, (condition?: string) => string>();
    for (const agg of metricAggregates(plan.metrics)) {
        if (agg.source.name !== source.name) continue;
        const key = aggregateKey(agg);
        if (!items.has(key)) items.set(key, condition => aggregateSql(d, agg, condition));
    }
    return [...items];
}

/**
 * One aggregate over the events that meet a condition (the window) and the aggregate's own `where` filter. NULL-free
 * for any, count and sum only where a row exists: callers COALESCE as the metric needs.
 */
function aggregateSql(d: SqlDialect, agg: AggregatePlan, condition?: string): string {
    const where = [condition, agg.filter ? filterSql(d, agg) : undefined].filter((c): c is string => c !== undefined);
    const all = where.length > 0 ? where.join(' AND ') : undefined;
    const filter = all ? ` FILTER (WHERE ${all})` : '';
    const column = `e.${d.ident(sourceColumn(agg.column ?? ''))}`;
    switch (agg.function) {
        case 'any': case 'count': return `count(*)${filter}`;
        case 'sum': return microSum(d, agg.column!, all);
        case 'mean': return `(${microSum(d, agg.column!, all)} / count(${column})${filter})`;
        default: return `${agg.function}(${column})${filter}`;
    }
}

/** An aggregate's `where` condition over its events (alias e): its columns are the relation's, read as typed. */
function filterSql(d: SqlDialect, agg: AggregatePlan): string {
    const source = agg.source;
    const eventColumn = (name: string) => (name === source.time ? 'e.__t' : name === source.customer ? 'e.__k' : `e.${d.ident(sourceColumn(name))}`);
    return `(${new ConditionCompiler(d, 'e', false, rfm => rfm, { eventColumn: (sourceName, name) => (sourceName === source.name ? eventColumn(name) : undefined) }).condition(agg.filter)})`;
}

/** The number columns of an events source that are summed: RFM's monetary column, and those of sum and mean metrics. */
function summedColumns(plan: RunnerPlan, source: EventsSourcePlan): string[] {
    const columns = new Set<string>();
    for (const rfm of plan.rfms) if (rfm.events.name === source.name && rfm.monetary) columns.add(rfm.monetary);
    for (const agg of summedAggregates(plan, source)) columns.add(agg.column!);
    for (const clv of plan.clvs) if (clv.events.name === source.name && clv.monetary) columns.add(clv.monetary);
    return [...columns];
}

/** The sum and mean aggregates of the plan's metrics over an events source: the ones microSum computes. */
function summedAggregates(plan: RunnerPlan, source: EventsSourcePlan): AggregatePlan[] {
    return metricAggregates(plan.metrics).filter(agg => agg.source.name === source.name && (agg.function === 'sum' || agg.function === 'mean') && agg.column);
}

/**
 * A customer's sum of an events column over the events that meet a condition (all without one): the values in
 * millionths (rounded to 6 decimal places), whole numbers added in double precision. Whole numbers add exactly while
 * every partial sum stays below 2^53 (MAX_EXACT_SUM), so the sum is the same in whatever order the engine adds the
 * events, and amounts are summed exactly as written (11.77 + 41.10 equals 26.73 + 26.14, which tie-consistent RFM
 * scores need). The conversion is done once per event and shared by every sum over the column; the condition is a
 * FILTER over it. (A 128-bit integer sum is exact without a bound, but its wider state made the events pass 10% slower.)
 */
function microSum(d: SqlDialect, column: string, condition?: string): string {
    return d.fixedPointValue(`sum(e.${d.ident(microColumn(column))})${condition ? ` FILTER (WHERE ${condition})` : ''}`, micro(d));
}

/** The largest customer sum (in the column's unit) that is certainly exact: 2^53 millionths, about 9·10^9. */
export const MAX_EXACT_SUM = 2 ** 53 / 1e6;

/**
 * Queries for the check after the pass: each gives, as `m`, the largest magnitude a customer's sum of `column` reached
 * (for a mean, |mean| × the customer's events bounds its sum), which must stay below MAX_EXACT_SUM.
 */
export function exactSumChecks(d: SqlDialect, plan: RunnerPlan, source: EventsSourcePlan, asOf: number): Array<{ sql: string; column: string }> {
    const checks: Array<{ sql: string; column: string }> = [];
    const events = eventsTable(d, source);
    for (const { rfm, key } of rfmScorings(plan, asOf).filter(s => s.rfm.events.name === source.name && s.rfm.monetary)) {
        checks.push({ sql: `SELECT max(abs(${d.ident(eventsColumn.rfm(key, 'monetary'))})) AS m FROM ${events}`, column: rfm.monetary! });
    }
    const windows = sourceWindows(plan, source, asOf);
    const inline = windows.length <= INLINE_WINDOWS;
    for (const agg of summedAggregates(plan, source)) {
        const names = inline ? windows.map((_, w) => eventsColumn.window(String(w), aggregateKey(agg))) : [eventsColumn.window('', aggregateKey(agg))];
        for (const name of names) {
            const value = `abs(x.${d.ident(name)})`;
            // The windows table has no event count: the events table's row of the same customer has it.
            const bound = agg.function === 'mean' ? `${value} * ${inline ? 'x' : 'e'}.__n` : value;
            const from = inline ? `${events} x` : `${eventWindowsTable(d, source)} x JOIN ${events} e ON e.__cid = x.__cid`;
            checks.push({ sql: `SELECT max(${bound}) AS m FROM ${from}`, column: agg.column! });
        }
    }
    // Scheduled campaigns add a customer's days: their whole range bounds every window's sum.
    if (dailyRange(plan, source, asOf)) {
        for (const column of new Set(summedAggregates(plan, source).map(agg => agg.column!))) {
            const part = d.ident(eventsColumn.day(`sum.${column}`));
            checks.push({ sql: `SELECT max(abs(s)) / ${micro(d)} AS m FROM (SELECT sum(${part}) AS s FROM ${dailyTable(d, source)} GROUP BY __cid) x`, column });
        }
    }
    return checks;
}

/** Millionths: RFM's monetary values are whole numbers of them (a number literal of the engine). */
function micro(d: SqlDialect): string {
    return `CAST(1000000 AS ${d.type('number')})`;
}

function metricAggregates(metrics: MetricPlan[]): AggregatePlan[] {
    return metrics.flatMap(m => (m.kind === 'aggregate' ? [m.aggregate] : m.kind === 'ratio' ? [m.numerator, m.denominator] : []));
}

/** Names an aggregate in generated names: `count`, `sum.amount`, and with a filter `count.w0`, `sum.amount.w0`. */
function aggregateKey(agg: AggregatePlan): string {
    const base = agg.function === 'any' || agg.function === 'count' ? 'count' : `${agg.function}.${agg.column}`;
    return agg.filterKey ? `${base}.${agg.filterKey}` : base;
}

/**
 * The distinct windows of the campaigns' event metrics over a source, in campaign order. A source without a time
 * column has one: all its events count, whatever the window.
 */
function sourceWindows(plan: RunnerPlan, source: EventsSourcePlan, asOf: number): MetricWindow[] {
    if (!source.time) return plan.campaigns.length > 0 ? [{ start: 0, end: 0 }] : [];
    const windows: MetricWindow[] = [];
    for (const campaign of plan.campaigns) {
        // Scheduled campaigns measure each customer's own window, from the daily table.
        if (isScheduled(campaign)) continue;
        const window = metricWindow(campaign, asOf);
        if (!windows.some(w => w.start === window.start && w.end === window.end)) windows.push(window);
    }
    return windows;
}

/** Where a campaign's per-customer aggregates over a source are: the window's columns, or its rows of the windows table. */
function windowPlace(plan: RunnerPlan, source: EventsSourcePlan, asOf: number, window: MetricWindow): { index: number; inline: boolean } {
    const windows = sourceWindows(plan, source, asOf);
    const index = source.time ? windows.findIndex(w => w.start === window.start && w.end === window.end) : 0;
    return { index, inline: windows.length <= INLINE_WINDOWS };
}

/** The window a campaign's event metrics count: [exposure, exposure + attribution days), cut at the evaluation date. */
export function metricWindow(campaign: CampaignPlan, asOf: number): MetricWindow {
    const timeline = timelineOf(campaign, asOf);
    return { start: timeline.exposure, end: timeline.measuredEnd };
}

/**
 * Tie-consistent quantile scores: R = N − (cut points strictly below the recency), F and M = 1 + (cut points strictly
 * below the value). Equal values always share a score; customers without events get none.
 */
function scoreExpressions(d: SqlDialect, rfm: RfmPlan, measure: (m: 'recency' | 'frequency' | 'monetary') => string, c: string) {
    const inner = binFractions(rfm.bins).map((_, k) => k + 1);
    const below = (score: 'r' | 'f' | 'm', value: string) => inner.map(k => `(CASE WHEN ${c}.${score}${k} < ${value} THEN 1 ELSE 0 END)`).join(' + ');
    // A missing value has no score (and a comparison with NULL would otherwise count as "not below").
    const unless = (value: string, score: string) => `CASE WHEN ${value} IS NULL THEN NULL ELSE CAST(${score} AS INTEGER) END`;
    return {
        r: unless(measure('recency'), `${rfm.bins} - (${below('r', measure('recency'))})`),
        f: unless(measure('frequency'), `1 + ${below('f', measure('frequency'))}`),
        m: unless(measure('monetary'), `1 + ${below('m', measure('monetary'))}`)
    };
}

/** The customers columns the plan reads: in segments, audiences, column metrics and recorded groups. */
export function usedCustomerColumns(plan: RunnerPlan): Set<string> {
    const used = new Set<string>();
    const expressions = [
        ...plan.segments.map(s => s.node.condition), ...plan.tiers.flatMap(t => t.tiers.map(tier => tier.condition)),
        ...plan.campaigns.flatMap(c => [c.audience, c.limit?.by, c.uplift]), ...plan.metrics.map(m => m.node.definition)
    ];
    for (const expression of expressions) {
        if (!expression) continue;
        for (const node of [expression, ...AstUtils.streamAst(expression)]) {
            const target = memberTarget(node);
            if (target?.kind === 'column' && isCustomersSource(target.source)) used.add(wideColumn.column(target.source.name, target.name));
        }
    }
    for (const c of plan.campaigns) if (c.assignment.kind === 'recorded') used.add(wideColumn.column(c.assignment.source.name, c.assignment.column));
    if (plan.tierValue?.column) used.add(wideColumn.column(plan.tierValue.column.source, plan.tierValue.column.name));
    return used;
}

/**
 * One row per customer of the universe: the customers columns the plan reads (from every customers source), RFM
 * measures and scores, and one flag per segment.
 */
export function customersWideSql(d: SqlDialect, plan: RunnerPlan, asOf: number, attitudes: AttitudeScoring[] = []): string {
    // With events, the first events table has a row per customer of the universe already (see eventsTablesSql): the
    // wide table is read from it, without another join.
    const primary = primaryEvents(plan);
    const items = [primary ? 'u.__cid AS __row' : `${d.rowId('u')} AS __row`, 'u.__key'];
    const row = primary ? 'u.__cid' : d.rowId('u');
    const joins: string[] = [];
    const used = usedCustomerColumns(plan);
    plan.sources.forEach((source, index) => {
        if (source.kind !== 'customers') return;
        const alias = source === plan.universe ? 'u' : `c${index}`;
        const columns = source.columns.filter(column => used.has(wideColumn.column(source.name, column.name)));
        if (alias !== 'u' && columns.length > 0) joins.push(`LEFT JOIN ${sourceTable(d, source)} ${alias} ON ${alias}.__key = u.__key`);
        for (const column of columns) {
            const value = column.role === 'key' ? `${alias}.__key` : primary && alias === 'u' ? `u.${d.ident(eventsColumn.customer(column.name))}` : `${alias}.${d.ident(sourceColumn(column.name))}`;
            items.push(`${value} AS ${d.ident(wideColumn.column(source.name, column.name))}`);
        }
    });
    rfmScorings(plan, asOf).forEach((scoring, index) => {
        const { rfm, key } = scoring;
        const b = `r${index}`, c = `q${index}`;
        let measure: (m: 'recency' | 'frequency' | 'monetary') => string;
        if (primary && rfm.events.name === primary.name) {
            // Customers without events before `as of` have no measures (and no scores).
            const frequency = `u.${d.ident(eventsColumn.rfm(key, 'frequency'))}`;
            measure = m => `(CASE WHEN ${frequency} > 0 THEN u.${d.ident(eventsColumn.rfm(key, m))} END)`;
            joins.push(`CROSS JOIN ${rfmCutsTable(d, key)} ${c}`);
        } else {
            measure = m => `${b}.${m}`;
            joins.push(`LEFT JOIN ${rfmRows(d, scoring)} ${b} ON ${b}.__row = ${row} CROSS JOIN ${rfmCutsTable(d, key)} ${c}`);
        }
        const scores = scoreExpressions(d, rfm, measure, c);
        for (const score of ['r', 'f', 'm'] as const) items.push(`${scores[score]} AS ${d.ident(wideColumn.score(key, score))}`);
        // The model's own monetary value is summed per cell of the RFM grid; recency and frequency are read only as scores.
        if (key === rfm.name) items.push(`${measure('monetary')} AS ${d.ident(wideColumn.measure(rfm.name, 'monetary'))}`);
    });
    // CLV scores (as of each model's calibration end): a row per customer fitted; the others have none.
    plan.clvs.forEach((clv, index) => {
        const alias = `v${index}`;
        joins.push(`LEFT JOIN ${d.ident(clvScoresTable(clv.name))} ${alias} ON ${alias}.key = u.__key`);
        for (const score of CLV_SCORES) items.push(`${alias}.${score} AS ${d.ident(wideColumn.clv(clv.name, score))}`);
    });
    // Attitude scores, per reference date.
    const attitude = attitudeWideColumns(d, attitudes, asOf, 'u.__key');
    joins.push(...attitude.joins);
    items.push(...attitude.items);
    // Aggregates of conditions (per reference date): the first events source's are in u already, the others' joined.
    const joined = new Map<string, string>();
    for (const h of historyColumns(plan, asOf)) {
        const source = h.aggregate.aggregate.source;
        let alias = source.name === primary?.name ? 'u' : joined.get(source.name);
        if (!alias) {
            alias = `h${joined.size}`;
            joined.set(source.name, alias);
            joins.push(`LEFT JOIN ${eventsTable(d, source)} ${alias} ON ${alias}.__cid = ${row}`);
        }
        items.push(`${alias}.${d.ident(eventsColumn.history(h.aggregate.key, h.reference))} AS ${d.ident(wideColumn.history(h.aggregate.key, h.reference))}`);
    }
    // Segments and tiers as of the evaluation date: the segment table, the tier table and segments.csv read them.
    const reference = formatDate(asOf);
    const conditions = new ConditionCompiler(d, 'w', false, rfm => rfm, { history: node => wideColumn.history(plan.conditionAggregateOf.get(node)!.key, reference), attitudeReference: reference });
    const flags = plan.segments.map(s => `${conditions.condition(s.node.condition)} AS ${d.ident(wideColumn.segment(s.name))}`);
    for (const t of plan.tiers) {
        const cases = t.tiers.filter(tier => !tier.otherwise).map(tier => `WHEN ${conditions.condition(tier.condition)} THEN ${d.string(tier.name)} `).join('');
        const otherwise = t.tiers.find(tier => tier.otherwise);
        flags.push(`CASE ${cases}ELSE ${otherwise ? d.string(otherwise.name) : 'NULL'} END AS ${d.ident(wideColumn.tier(t.name))}`);
    }
    const from = primary ? `(SELECT * FROM ${eventsTable(d, primary)} WHERE __cid IS NOT NULL) u` : `${sourceTable(d, plan.universe)} u`;
    const wide = `SELECT ${items.join(', ')} FROM ${from} ${joins.join(' ')}`;
    return d.createTemporaryTable(CUSTOMERS_TABLE, `WITH w AS (${wide}) SELECT w.*${flags.map(s => ', ' + s).join('')} FROM w`);
}

/**
 * The compiler of a campaign's audience and `limit ... by`: the wide table's segment and tier flags when they hold for
 * the campaign (its RFM scorings are the models' own, and no aggregate is read as of another day than the evaluation
 * date); otherwise every segment and tier inlined, with the campaign's own scorings and aggregates as of its start.
 */
export function campaignConditions(d: SqlDialect, plan: RunnerPlan, campaign: CampaignPlan, asOf: number, alias = 'w'): ConditionCompiler {
    const reference = campaignReference(campaign, asOf);
    const history = (node: Aggregate) => wideColumn.history(plan.conditionAggregateOf.get(node)!.key, formatDate(reference));
    const flags = readsOwnScorings(plan, campaign, asOf)
        && (reference === asOf || (campaignAggregates(plan, campaign).size === 0 && campaignAttitudes(campaign, { bestOf: false }).size === 0));
    const attitudeReference = formatDate(reference);
    if (flags) return new ConditionCompiler(d, alias, true, rfm => rfm, { history, tierFlags: true, attitudeReference });
    const keys = new Map(plan.rfms.map(rfm => [rfm.name, audienceScoring(rfm, campaign, asOf).key]));
    return new ConditionCompiler(d, alias, false, name => keys.get(name) ?? name, { history, attitudeReference });
}

/**
 * A `best of` step's pick for a customer of the wide table (alias w): the index of the option whose name scores highest
 * in its attitude column as of the campaign's start, ties to the option listed first. A missing score (a channel no
 * contact was made with before then) is below every score; with none, the first option.
 */
export function bestChannelSql(d: SqlDialect, campaign: CampaignPlan, step: StepPlan, asOf: number): string {
    const best = step.bestOf!;
    const reference = formatDate(campaignReference(campaign, asOf));
    const scores = best.options.map(o => `COALESCE(w.${d.ident(wideColumn.attitude(best.attitude, best.column, o.channel, reference))}, -1)`);
    const cases = scores.slice(0, -1).map((score, i) => `WHEN ${scores.slice(i + 1).map(later => `${score} >= ${later}`).join(' AND ')} THEN ${i} `).join('');
    return `CASE ${cases}ELSE ${scores.length - 1} END`;
}

/**
 * A campaign's audience over the wide customers table. It reads the segment flags when its RFM scores are the models'
 * own; otherwise its segments stand for their definitions over the scores as of the campaign's start.
 */
export function audienceCondition(d: SqlDialect, plan: RunnerPlan, campaign: CampaignPlan, asOf: number, alias = 'w'): string {
    return campaignConditions(d, plan, campaign, asOf, alias).condition(campaign.audience);
}

/**
 * The campaign's groups. Drawn: audience members not claimed by an earlier overlapping campaign, control when the
 * hash of (seed, key) is below the share. Recorded: audience members whose group column holds one of the labels.
 */
export function assignmentSql(d: SqlDialect, plan: RunnerPlan, index: number, earlier: number[], asOf: number): string {
    const campaign = plan.campaigns[index];
    const table = assignmentTable(d, index);
    const a = campaign.assignment;
    if (a.kind === 'drawn' || a.kind === 'none') {
        const pool = audiencePool(d, plan, index, earlier, asOf);
        if (a.kind === 'none') return d.createTemporaryTable(table, `SELECT w.__row, w.__key, 'treatment' AS grp, 0 AS arm FROM ${pool}`);
        if (!campaign.hasArms) {
            const control = `${d.controlHash(a.seed, 'w.__key')} < ${d.bigInteger(controlThreshold(a.sharePercent))}`;
            return d.createTemporaryTable(table, `SELECT w.__row, w.__key, CASE WHEN ${control} THEN 'control' ELSE 'treatment' END AS grp, ` +
                `CASE WHEN ${control} THEN NULL ELSE 0 END AS arm FROM ${pool}`);
        }
        // Control below the control threshold, then each arm below its bound (see armThresholds in hash.ts).
        const control = `h.__h < ${d.bigInteger(controlThreshold(a.sharePercent))}`;
        const bounds = armThresholds(a.sharePercent, campaign.arms.map(arm => arm.weight));
        const arm = `CASE WHEN ${control} THEN NULL ${bounds.slice(0, -1).map((b, i) => `WHEN h.__h < ${d.bigInteger(b)} THEN ${i} `).join('')}ELSE ${bounds.length - 1} END`;
        return d.createTemporaryTable(table, `SELECT h.__row, h.__key, CASE WHEN ${control} THEN 'control' ELSE 'treatment' END AS grp, ${arm} AS arm ` +
            `FROM (SELECT w.__row, w.__key, ${d.controlHash(a.seed, 'w.__key')} AS __h FROM ${pool}) h`);
    }
    if (a.kind === 'recorded') {
        const audience = audienceCondition(d, plan, campaign, asOf);
        const column = `w.${d.ident(wideColumn.column(a.source.name, a.column))}`;
        const type = a.source.columns.find(c => c.name === a.column)?.type;
        const label = (text: string) => (type === 'number' && Number.isFinite(Number(text)) ? d.number(Number(text)) : d.string(text));
        const value = type === 'number' ? column : `CAST(${column} AS ${d.type('text')})`;
        const arm = `CASE ${a.labels.map((l, i) => `WHEN ${value} = ${label(l)} THEN ${i} `).join('')}END`;
        if (!campaign.hasArms) {
            return d.createTemporaryTable(table, `SELECT w.__row, w.__key, CASE WHEN ${value} = ${label(a.treatment)} THEN 'treatment' ELSE 'control' END AS grp, ${arm} AS arm ` +
                `FROM ${CUSTOMERS_TABLE} w WHERE ${audience} AND ${value} IN (${label(a.treatment)}, ${label(a.control)})`);
        }
        return d.createTemporaryTable(table, `SELECT w.__row, w.__key, CASE WHEN ${value} = ${label(a.control)} THEN 'control' ELSE 'treatment' END AS grp, ${arm} AS arm ` +
            `FROM ${CUSTOMERS_TABLE} w WHERE ${audience} AND ${value} IN (${[a.control, ...a.labels].map(label).join(', ')})`);
    }
    throw new PlanError(`Campaign '${campaign.name}' has no way to assign its groups.`);
}

/**
 * The customers a campaign's groups are drawn from, as a FROM item aliased w: its audience, less the customers earlier
 * overlapping drawn campaigns took, and with `limit N [by EXPR]` only the N with the highest EXPR (as of the campaign's
 * start), ties, and all without `by`, by the first 8 bytes of SHA-256(seed + ":limit:" + key), lowest first (the
 * control seed, or the campaign's name without a drawn control). Not the control hash: the customers admitted at the
 * cut-off would then be mostly control (or mostly treatment). Customers without a value come last.
 */
export function audiencePool(d: SqlDialect, plan: RunnerPlan, index: number, earlier: number[], asOf: number, capped = true): string {
    const campaign = plan.campaigns[index];
    const audience = audienceCondition(d, plan, campaign, asOf);
    const claimed = campaign.assignment.kind === 'drawn' ? earlier.map(j => `SELECT __row FROM ${assignmentTable(d, j)}`).join(' UNION ALL ') : '';
    const free = claimed ? ` AND w.__row NOT IN (${claimed})` : '';
    const limit = capped ? campaign.limit : undefined;
    if (!limit) return `${CUSTOMERS_TABLE} w WHERE ${audience}${free}`;
    const order = [
        ...(limit.by ? [`${limitValue(d, plan, campaign, asOf)} DESC NULLS LAST`] : []),
        `${d.controlHash(`${limitSeed(campaign)}:limit`, 'w.__key')}`,
        'w.__key'
    ];
    return `(SELECT w.* FROM ${CUSTOMERS_TABLE} w WHERE ${audience}${free} ORDER BY ${order.join(', ')} LIMIT ${Math.trunc(limit.count)}) w`;
}

/** The seed of a capped audience's tie-break: the control seed, or the campaign's name without a drawn control. */
export function limitSeed(campaign: CampaignPlan): string {
    return campaign.assignment.kind === 'drawn' ? campaign.assignment.seed : campaign.name;
}

/** A customer's `limit ... by` value (over the wide table, alias w), as of the campaign's start. */
export function limitValue(d: SqlDialect, plan: RunnerPlan, campaign: CampaignPlan, asOf: number): string {
    return `CAST(${campaignConditions(d, plan, campaign, asOf).value(campaign.limit!.by!)} AS ${d.type('number')})`;
}

/** A capped campaign's audience before the cap (after earlier campaigns took theirs) and the lowest value admitted. */
export function limitStatsSql(d: SqlDialect, plan: RunnerPlan, index: number, earlier: number[], asOf: number): string {
    const campaign = plan.campaigns[index];
    const pool = audiencePool(d, plan, index, earlier, asOf, false);
    const cutoff = campaign.limit?.by
        ? `(SELECT min(${limitValue(d, plan, campaign, asOf)}) FROM ${assignmentTable(d, index)} a JOIN ${CUSTOMERS_TABLE} w ON w.__row = a.__row)`
        : 'NULL';
    return `SELECT (SELECT count(*) FROM ${pool}) AS pool, ${cutoff} AS cutoff`;
}

/** Audience size of a drawn campaign, and how many of its members earlier overlapping campaigns took (by campaign). */
export function exclusionSql(d: SqlDialect, plan: RunnerPlan, campaign: CampaignPlan, earlier: number[], asOf: number): string {
    const audience = audienceCondition(d, plan, campaign, asOf);
    if (earlier.length === 0) return `SELECT count(*) AS audience, NULL AS taken_by, 0 AS n FROM ${CUSTOMERS_TABLE} w WHERE ${audience}`;
    const claimed = earlier.map(j => `SELECT __row, ${j} AS campaign FROM ${assignmentTable(d, j)}`).join(' UNION ALL ');
    return `WITH aud AS (SELECT w.__row FROM ${CUSTOMERS_TABLE} w WHERE ${audience}), ` +
        `taken AS (SELECT c.__row, min(c.campaign) AS campaign FROM (${claimed}) c WHERE c.__row IN (SELECT __row FROM aud) GROUP BY c.__row) ` +
        `SELECT * FROM (SELECT (SELECT count(*) FROM aud) AS audience, t.campaign AS taken_by, count(*) AS n FROM taken t GROUP BY t.campaign ` +
        `UNION ALL SELECT (SELECT count(*) FROM aud) AS audience, NULL AS taken_by, 0 AS n) u ORDER BY taken_by NULLS LAST`;
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
 * Per group: size, and for each metric the count of customers with a value, the sum and the sample variance (ratio
 * metrics: sums, variances and covariance of numerator and denominator per customer), exact sums to be finished by
 * finishMetricSummary.
 */
export function metricSummarySql(d: SqlDialect, plan: RunnerPlan, campaignIndex: number, metrics: MetricPlan[], asOf: number, group: 'grp' | 'arm' = 'grp'): string {
    const perCustomer = perCustomerValuesSql(d, plan, campaignIndex, metrics, asOf, group === 'arm' ? 'COALESCE(a.arm, -1) AS arm' : 'a.grp');
    // Sums, variances and covariances that do not depend on the order the engine adds rows in (see moments.ts).
    return groupMomentsSql(d, perCustomer, group, metricMoments(metrics));
}

/**
 * One row per customer of a campaign's groups: `leading` (SQL over the assignment a and the wide table w), then each
 * metric's value over the customer's attribution window: v<i>, or x<i> and y<i> for a ratio.
 */
export function perCustomerValuesSql(d: SqlDialect, plan: RunnerPlan, campaignIndex: number, metrics: MetricPlan[], asOf: number, leading: string): string {
    const assignment = assignmentTable(d, campaignIndex);
    const campaign = plan.campaigns[campaignIndex];
    const window = metricWindow(campaign, asOf);
    const scheduled = isScheduled(campaign);
    const perCustomerWindow = (source: EventsSourcePlan) => scheduled && source.time !== undefined;
    // Per-customer values come from the events tables, which hold every window's aggregates (see eventsTablesSql).
    const sources = new Map<string, { alias: string; source: AggregatePlan['source']; place: { index: number; inline: boolean } }>();
    const aggregateRef = (agg: AggregatePlan): string => {
        let entry = sources.get(agg.source.name);
        if (!entry) {
            entry = { alias: `ev${sources.size}`, source: agg.source, place: perCustomerWindow(agg.source) ? { index: -1, inline: false } : windowPlace(plan, agg.source, asOf, window) };
            sources.set(agg.source.name, entry);
        }
        const column = eventsColumn.window(entry.place.inline ? String(entry.place.index) : '', aggregateKey(agg));
        const ref = `${entry.alias}.${d.ident(column)}`;
        switch (agg.function) {
            case 'any': return `CASE WHEN ${ref} > 0 THEN 1.0 ELSE 0.0 END`;
            case 'count': return `CAST(COALESCE(${ref}, 0) AS ${d.type('number')})`;
            case 'sum': return `CAST(COALESCE(${ref}, 0) AS ${d.type('number')})`;
            // mean, min, max: no events in the window, no value (the customer is left out of that metric).
            default: return `CAST(${ref} AS ${d.type('number')})`;
        }
    };
    let needsWide = /\bw\./.test(leading);
    const values: string[] = [];
    metrics.forEach((metric, i) => {
        if (metric.kind === 'column') {
            needsWide = true;
            values.push(`CAST(w.${d.ident(wideColumn.column(metric.source.name, metric.column))} AS ${d.type('number')}) AS v${i}`);
        } else if (metric.kind === 'aggregate') {
            values.push(`${aggregateRef(metric.aggregate)} AS v${i}`);
        } else {
            values.push(`${aggregateRef(metric.numerator)} AS x${i}`, `${aggregateRef(metric.denominator)} AS y${i}`);
        }
    });
    const joins: string[] = [];
    if (needsWide) joins.push(`JOIN ${CUSTOMERS_TABLE} w ON w.__row = a.__row`);
    for (const { alias, source, place } of sources.values()) {
        if (perCustomerWindow(source)) {
            // Each customer's own window: [exposure, exposure + attribution days), cut at the evaluation date.
            const aggregates = new Map<string, string>();
            for (const agg of metricAggregates(metrics).filter(a => a.source.name === source.name)) aggregates.set(aggregateKey(agg), windowFromDays(d, agg));
            const columns = [...aggregates].map(([key, sql]) => `, ${sql} AS ${d.ident(eventsColumn.window('', key))}`).join('');
            joins.push(`LEFT JOIN (SELECT x.__row AS __cid${columns} FROM ${scheduleTable(d, campaignIndex)} x JOIN ${dailyTable(d, source)} dd ON dd.__cid = x.__row ` +
                `AND dd.__d >= x.__exp AND dd.__d < ${d.addDays('x.__exp', campaign.attributionDays)} AND dd.__d < ${d.date(asOf)} GROUP BY x.__row) ${alias} ON ${alias}.__cid = a.__row`);
            continue;
        }
        joins.push(place.inline
            ? `LEFT JOIN ${eventsTable(d, source)} ${alias} ON ${alias}.__cid = a.__row`
            : `LEFT JOIN ${eventWindowsTable(d, source)} ${alias} ON ${alias}.__cid = a.__row AND ${alias}.__w = ${place.index}`);
    }
    return `SELECT ${leading}${values.map(v => ', ' + v).join('')} FROM ${assignment} a ${joins.join(' ')}`;
}

/**
 * `uplift by EXPR`: the relation (t, s, y, k) of models/uplift.ts for a campaign, every arm together against control:
 * the score as of the campaign's start (like a `limit ... by`), the metric's value over the customer's window.
 */
export function upliftRowsSql(d: SqlDialect, plan: RunnerPlan, campaignIndex: number, metric: MetricPlan, asOf: number): string {
    const campaign = plan.campaigns[campaignIndex];
    const score = `CAST(${campaignConditions(d, plan, campaign, asOf).value(campaign.uplift!)} AS ${d.type('number')})`;
    const values = perCustomerValuesSql(d, plan, campaignIndex, [metric], asOf, `CASE WHEN a.grp = 'control' THEN 0 ELSE 1 END AS t, ${score} AS s, a.__key AS k`);
    return `(SELECT t, s, v0 AS y, k FROM (${values}) q WHERE v0 IS NOT NULL)`;
}

/** The rows of metricSummarySql as numbers (grouped by arm: `arm` is the arm's index, −1 for control): per group, size and the columns of metricColumns. */
export function finishMetricSummary(rows: Row[], metrics: MetricPlan[], group: 'grp' | 'arm' = 'grp'): Row[] {
    return finishMoments(rows, metricMoments(metrics), group);
}

function metricMoments(metrics: MetricPlan[]): MomentsSpec {
    const spec: MomentsSpec = { columns: [], covariances: [], sizes: [] };
    metrics.forEach((metric, i) => {
        const c = metricColumns(i);
        if (metric.kind === 'ratio') {
            spec.sizes!.push(c.n);
            spec.columns.push({ column: `x${i}`, sum: c.sumX, variance: c.varX }, { column: `y${i}`, sum: c.sumY, variance: c.varY });
            spec.covariances.push({ x: `x${i}`, y: `y${i}`, covariance: c.cov });
        } else {
            spec.columns.push({ column: `v${i}`, n: c.n, sum: c.sum, variance: c.variance });
        }
    });
    return spec;
}

/** Segment sizes over the universe, in one pass. */
export function segmentSizesSql(d: SqlDialect, plan: RunnerPlan): string {
    const items = ['count(*) AS customers', ...plan.segments.map((s, i) => `count(*) FILTER (WHERE ${d.ident(wideColumn.segment(s.name))}) AS s${i}`)];
    return `SELECT ${items.join(', ')} FROM ${CUSTOMERS_TABLE}`;
}

/**
 * RFM distribution: customers per R × F cell with their monetary value, the exact sum of their values (whole numbers
 * of millionths, see moneySum), so the same in any order.
 */
/**
 * A `tiers` declaration as of the evaluation date: customers per tier (NULL: in none) and, with the plan's value metric
 * (see RunnerPlan.tierValue), their value: the exact sum of whole millionths, so the same in any order.
 */
export function tierSizesSql(d: SqlDialect, plan: RunnerPlan, tiers: string, asOf: number): string {
    const v = plan.tierValue;
    let value = 'NULL';
    if (v?.aggregate) {
        const column = d.ident(wideColumn.history(v.aggregate.key, formatDate(asOf)));
        const perCustomer = v.aggregate.aggregate.function === 'any' ? `CASE WHEN COALESCE(${column}, 0) > 0 THEN 1 ELSE 0 END` : `COALESCE(${column}, 0)`;
        value = d.fixedPointValue(d.fixedPointSum(perCustomer, micro(d)), micro(d));
    } else if (v?.column) {
        value = d.fixedPointValue(d.fixedPointSum(`COALESCE(${d.ident(wideColumn.column(v.column.source, v.column.name))}, 0)`, micro(d)), micro(d));
    }
    return `SELECT ${d.ident(wideColumn.tier(tiers))} AS tier, count(*) AS customers, ${value} AS value FROM ${CUSTOMERS_TABLE} GROUP BY 1`;
}

export function rfmGridSql(d: SqlDialect, rfm: RfmPlan): string {
    const r = d.ident(wideColumn.score(rfm.name, 'r')), f = d.ident(wideColumn.score(rfm.name, 'f'));
    const m = d.ident(wideColumn.measure(rfm.name, 'monetary'));
    return `SELECT ${r} AS r, ${f} AS f, count(*) AS customers, ${d.fixedPointValue(d.fixedPointSum(m, micro(d)), micro(d))} AS value FROM ${CUSTOMERS_TABLE} ` +
        `WHERE ${r} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
}

export function rfmScoreCountsSql(d: SqlDialect, rfm: RfmPlan): string {
    const m = d.ident(wideColumn.score(rfm.name, 'm'));
    return `SELECT ${m} AS value, count(*) AS customers FROM ${CUSTOMERS_TABLE} WHERE ${d.ident(wideColumn.score(rfm.name, 'r'))} IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

export function rfmCutsSql(d: SqlDialect, rfm: RfmPlan): string {
    return `SELECT r, f, m FROM ${rfmCutsTable(d, rfm.name)}`;
}
