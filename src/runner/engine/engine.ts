// The database the plan's SQL runs on. Only aggregates and small diagnostic samples come back as rows.
import type { SqlDialect } from '../sql/dialect.js';

export type Row = Record<string, unknown>;

export interface SqlEngine {
    readonly dialect: SqlDialect;
    /** Runs statements whose results are not needed (CREATE, COPY). */
    exec(sql: string): Promise<void>;
    /** Runs a query and returns its (small) result as plain values: numbers, strings, booleans, null. */
    query(sql: string): Promise<Row[]>;
    /**
     * Creates table `name` (unquoted; the engine quotes it) with number columns and the given values, column by column
     * (every column as long as the first): whole numbers (INTEGER) unless a column says `double`. `nullValue` in an
     * integer column, and anything not finite in a double column, stands for NULL. For what the runner computes itself
     * and the SQL reads back: the contact schedule, the CLV models' scores.
     */
    loadColumns(name: string, columns: LoadedColumn[], nullValue?: number): Promise<void>;
    /** The columns of a relation, with the engine's type names. */
    describe(relation: string): Promise<Array<{ name: string; type: string }>>;
    close(): void;
}

export interface LoadedColumn {
    name: string;
    type?: 'integer' | 'double';
    values: ArrayLike<number>;
}

export interface EngineOptions {
    /** The only files the engine may read. */
    readablePaths: string[];
    /** Folders the engine may write to (audience exports), besides its own spill folder. */
    writableDirectories?: string[];
    /** Cap on the engine's memory, e.g. "2GB"; beyond it, it spills to disk. */
    memoryLimit?: string;
    threads?: number;
}

/**
 * MPLAN_TRACE_SQL=1 prints every statement with its time, for profiling: its first 300 characters, or all of it with
 * MPLAN_TRACE_SQL_FULL=1.
 */
export function traceSql(sql: string, start: number): void {
    if (process.env.MPLAN_TRACE_SQL !== '1') return;
    const text = process.env.MPLAN_TRACE_SQL_FULL === '1' ? sql : sql.slice(0, 300);
    process.stderr.write(`[sql ${(performance.now() - start).toFixed(0)} ms] ${text}\n`);
}
