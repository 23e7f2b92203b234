// Names of the tables the runner creates. Plan names are identifiers, but they are quoted like any other.
import type { SqlDialect } from './dialect.js';
import type { SourcePlan } from '../plan/runner-plan.js';

export function sourceTable(d: SqlDialect, source: SourcePlan): string {
    return d.ident(`src.${source.name}`);
}

export function rfmTable(d: SqlDialect, name: string): string {
    return d.ident(`rfm.${name}`);
}

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
