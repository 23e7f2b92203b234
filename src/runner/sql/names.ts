// Names of the tables and columns the runner creates, all quoted.
//
// Unambiguous by construction: every name built from plan names is `kind:part` or `kind:part.part`, with a fixed kind
// and number of parts per function. Plan names are identifiers (the grammar's ID, /[_a-zA-Z]\w*/), and an RFM
// scoring's key is a model name or `name@YYYY-MM-DD`: neither holds ':' or '.', so two such names are equal only when
// kind and parts are. The runner's own fixed columns (__row,
// __key, __cid, __k, __t, __n, __timed, __w, __d, __exp, __pos) hold no ':', so no name built from the plan can equal one, even when a
// plan calls a column `__key`. A plan's column is never stored under its own name: `col:name` in a source's table.
import type { SqlDialect } from './dialect.js';
import type { SourcePlan } from '../plan/runner-plan.js';

/** A generated name: a kind, then plan names (identifiers, without ':' or '.'), joined by '.'. */
export function generatedName(kind: string, ...parts: string[]): string {
    return `${kind}:${parts.join('.')}`;
}

export function sourceTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(generatedName('src', source.name));
}

/** A number column of an events source in millionths (a whole number), in the relation over its file: sums add these. */
export function microColumn(column: string): string {
    return generatedName('micro', column);
}

/** A declared column of a source, in its table (customers) or the relation over its file (events). */
export function sourceColumn(column: string): string {
    return generatedName('col', column);
}

/**
 * Per customer key of an events source: the aggregates every RFM model and campaign window needs, from one pass over
 * the file (one row per distinct customer key, not per event).
 */
export function eventsTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(generatedName('events', source.name));
}

/** An events source's window aggregates as rows, one per customer and window, when there are many windows. */
export function eventWindowsTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(generatedName('windows', source.name));
}

/**
 * Per customer and day of an events source, over the days scheduled campaigns measure: the aggregates their metrics
 * need, summed over each customer's own window (see dailyTablesSql).
 */
export function dailyTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(generatedName('daily', source.name));
}

/** A scheduled campaign's per-customer exposure and contact days, as the runner computed them (unquoted name). */
export function scheduleTableName(campaignIndex: number): string {
    return generatedName('schedule', String(campaignIndex));
}

export function scheduleTable(d: SqlDialect, campaignIndex: number): string {
    return d.ident(scheduleTableName(campaignIndex));
}

/** The cut points of an RFM model. */
export function rfmCutsTable(d: SqlDialect, rfm: string): string {
    return d.ident(generatedName('cuts', rfm));
}

/** The values of a source as read, when a typed read failed and the bad values are looked for. */
export function rawTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(generatedName('raw', source.name));
}

/** Column names in an events table (besides __cid, __key, __k, __n, __timed, and __w in the windows table). */
export const eventsColumn = {
    rfm: (rfm: string, measure: 'recency' | 'frequency' | 'monetary') => generatedName('rfm', rfm, measure),
    /** A column of the universe, kept in the first events table. */
    customer: (column: string) => generatedName('customer', column),
    /**
     * An aggregate of a campaign window: `win:0.sum.amount` for window 0 in the events table, `win:sum.amount` in the
     * windows table (where the window is the __w column). The aggregate is `count` or `function.column`.
     */
    window: (window: string, aggregate: string) => (window ? generatedName('win', window, aggregate) : generatedName('win', aggregate)),
    /** A day's part of an aggregate in the daily table: `day:count`, `day:sum.amount` (millionths), `day:n.amount`. */
    day: (part: string) => generatedName('day', part),
    /** An aggregate of a condition (`c0`, ...) as of a reference date (YYYY-MM-DD): `hist:c0.2027-05-01`. */
    history: (aggregate: string, reference: string) => generatedName('hist', aggregate, reference),
    /** The count of a declared column's values, so that every value is read (and typed). */
    seen: (column: string) => generatedName('seen', column)
};

export function assignmentTable(d: SqlDialect, campaignIndex: number): string {
    return d.ident(generatedName('assign', String(campaignIndex)));
}

/** The wide per-customer table: key, every customers column, RFM scores and segment flags. */
export const CUSTOMERS_TABLE = '"customers:wide"';

/** Column names in the wide table (besides __row and __key). */
export const wideColumn = {
    column: (source: string, column: string) => generatedName('col', source, column),
    score: (rfm: string, score: 'r' | 'f' | 'm') => generatedName('score', rfm, score),
    measure: (rfm: string, measure: 'recency' | 'frequency' | 'monetary') => generatedName('measure', rfm, measure),
    segment: (name: string) => generatedName('seg', name),
    /** A condition aggregate as of a reference date (see eventsColumn.history). */
    history: (aggregate: string, reference: string) => generatedName('hist', aggregate, reference),
    /** A CLV score of a model (`alive`, `purchases`, `spend`, `clv`), as of the end of its calibration. */
    clv: (model: string, score: string) => generatedName('clv', model, score),
    /**
     * An attitude score as of a reference date (YYYY-MM-DD): the value, any text, in hexadecimal UTF-8 (so the name
     * holds no '.'): `att:prefs.channel.736d73.2026-10-01` for prefs.channel("sms").
     */
    attitude: (attitude: string, column: string, value: string, reference: string) => generatedName('att', attitude, column, Buffer.from(value, 'utf8').toString('hex'), reference),
    /** The name of the customer's tier in a `tiers` declaration, as of the evaluation date (NULL: in none). */
    tier: (tiers: string) => generatedName('tier', tiers)
};
