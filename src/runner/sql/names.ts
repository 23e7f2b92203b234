// Names of the tables the runner creates. Plan names are identifiers, but they are quoted like any other.
import type { SqlDialect } from './dialect.js';
import type { SourcePlan } from '../plan/runner-plan.js';

export function sourceTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(`src.${source.name}`);
}

/**
 * Per customer key of an events source: the aggregates every RFM model and campaign window needs, from one pass over
 * the file (one row per distinct customer key, not per event).
 */
export function eventsTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(`events.${source.name}`);
}

/** An events source's window aggregates as rows, one per customer and window, when there are many windows. */
export function eventWindowsTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(`events.${source.name}.windows`);
}

/** Column names in an events table. */
export const eventsColumn = {
    rfm: (rfm: string, measure: 'recency' | 'frequency' | 'monetary') => `rfm.${rfm}.${measure}`,
    /** A column of the universe, kept in the first events table. */
    customer: (column: string) => `customer.${column}`,
    window: (window: string, aggregate: string) => (window ? `window.${window}.${aggregate}` : `window.${aggregate}`)
};

export function assignmentTable(d: SqlDialect, campaignIndex: number): string {
    return d.ident(`assign.${campaignIndex}`);
}

/** The wide per-customer table: key, every customers column, RFM scores and segment flags. */
export const CUSTOMERS_TABLE = '"customers.wide"';

/** Column names in the wide table. */
export const wideColumn = {
    column: (source: string, column: string) => `${source}.${column}`,
    score: (rfm: string, score: 'r' | 'f' | 'm') => `${rfm}.${score}`,
    measure: (rfm: string, measure: 'recency' | 'frequency' | 'monetary') => `${rfm}.${measure}`,
    segment: (name: string) => `segment.${name}`
};
