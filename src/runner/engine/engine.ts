// The database the plan's SQL runs on. Only aggregates and small diagnostic samples come back as rows.
import type { SqlDialect, ValueSqlType } from '../sql/dialect.js';

export type Row = Record<string, unknown>;

export interface SqlEngine {
    readonly dialect: SqlDialect;
    /**
     * True when the engine reads the plan's data files itself (DuckDB, embedded). Otherwise the runner reads and checks
     * each file with an embedded DuckDB and hands the typed rows over with importCsv.
     */
    readonly readsFiles: boolean;
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
    /**
     * Creates temporary table `name` (SQL: an identifier, quoted) with the given columns and loads a CSV file on this
     * machine into it, through the engine's bulk path. The file is as DuckDB's COPY writes it: a header row, NULL as an
     * empty field and empty text as "", numbers in their shortest exact form, ISO dates and times, true/false.
     */
    importCsv(name: string, columns: ImportedColumn[], csvPath: string): Promise<void>;
    /** Writes a query's result to a CSV file on this machine, with a header row; returns the number of rows. */
    copyToFile(query: string, filePath: string): Promise<number>;
    /** The columns of a relation, with the engine's type names. */
    describe(relation: string): Promise<Array<{ name: string; type: string }>>;
    /** Ends the session (a server drops its temporary tables); never rejects. */
    close(): void | Promise<void>;
}

/**
 * The engine failed for a reason of its own, not of the plan or its data: it cannot be reached, timed out, lacks a
 * privilege or a table. One line, naming the server but never a password; the command exits 1.
 */
export class EngineError extends Error {
    code?: string;
}

/** A database's error message as one line (its line breaks joined), for EngineErrors. */
export function oneLine(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}

export interface ImportedColumn {
    name: string;
    /** A plan value type, or a 64-bit whole number (row ids). */
    type: ValueSqlType | 'integer';
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
