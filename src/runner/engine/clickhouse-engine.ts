// What ClickHouse engines share above the transport: ChdbEngine (in process) and ClickHouseHttpEngine (a server over
// HTTP) differ only in how SQL text reaches ClickHouse, how bulk data goes in and how a CSV export comes out. Results
// come back as JSONCompact and are turned here into the values DuckDbEngine gives; tables, casts and checks are built
// here once.
import * as fs from 'node:fs';
import { ClickHouseDialect } from '../sql/clickhouse-dialect.js';
import { EngineError, oneLine as baseOneLine } from './engine.js';
import type { ImportedColumn, LoadedColumn, Row, SqlEngine } from './engine.js';

/** Rows per chunk of loadColumns' RowBinary data: a few MB of buffer. */
const LOAD_CHUNK = 100_000;

/** Data for an INSERT: a file on this machine, or chunks made as they are read. */
export type InsertData = { file: string } | { chunks: () => Iterable<Buffer> };

/** Where an INSERT's rows come from: their format, their structure, and the settings that read them. */
export interface InsertSource {
    format: string;
    structure: string;
    settings?: Record<string, string | number>;
}

export abstract class ClickHouseEngine implements SqlEngine {
    readonly dialect = new ClickHouseDialect();
    /** The runner reads the files with its embedded DuckDB and hands the typed rows over (importCsv). */
    readonly readsFiles = false;

    /** Runs one statement; its result as JSONCompact text, empty when it has none. Errors as EngineError. */
    protected abstract run(sql: string): Promise<string>;
    /** Runs `INSERT INTO table SELECT select FROM <the data, read as source says>`. */
    protected abstract insert(table: string, select: string, source: InsertSource, data: InsertData): Promise<void>;
    /** Writes csvCells' output for `query` to a file on this machine; returns the rows written. */
    protected abstract exportCsv(query: string, columns: Array<{ name: string; type: string }>, filePath: string): Promise<number>;
    abstract close(): void | Promise<void>;

    async exec(sql: string): Promise<void> {
        await this.run(sql);
    }

    async query(sql: string): Promise<Row[]> {
        const text = await this.run(sql);
        if (!text.trim()) return [];
        const result = JSON.parse(text) as { meta: Array<{ name: string; type: string }>; data: unknown[][] };
        const convert = result.meta.map(m => converter(m.type));
        return result.data.map(values => {
            const row: Row = {};
            result.meta.forEach((m, i) => (row[m.name] = convert[i](values[i])));
            return row;
        });
    }

    async loadColumns(name: string, columns: LoadedColumn[], nullValue?: number): Promise<void> {
        const d = this.dialect;
        const table = d.ident(name);
        const structure = columns.map(c => `${d.ident(c.name)} ${c.type === 'double' ? 'Nullable(Float64)' : 'Nullable(Int32)'}`).join(', ');
        // One statement each: a server's HTTP interface takes no multi-statements.
        await this.exec(`DROP TEMPORARY TABLE IF EXISTS ${table}`);
        await this.exec(`CREATE TEMPORARY TABLE ${table} (${structure}) ENGINE = MergeTree ORDER BY tuple()`);
        const rows = columns[0]?.values.length ?? 0;
        if (columns.length === 0 || rows === 0) return;
        // Checked before any data goes: a bad value fails the load, not half of it.
        for (const column of columns) {
            if (column.type === 'double') continue;
            for (let r = 0; r < rows; r++) {
                const value = column.values[r];
                if (value !== nullValue && (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1)) throw new Error(`column ${column.name}: ${value} is not a 32-bit whole number`);
            }
        }
        await this.insert(table, '*', { format: 'RowBinary', structure }, { chunks: () => rowBinary(columns, rows, nullValue) });
    }

    async importCsv(name: string, columns: ImportedColumn[], csvPath: string): Promise<void> {
        const d = this.dialect;
        const type = (c: ImportedColumn) => (c.type === 'integer' ? 'Nullable(Int64)' : d.type(c.type));
        // Dates and times are read as text and checked: ClickHouse would clamp one outside 1900..2299 without a word.
        const asText = (c: ImportedColumn) => c.type === 'date' || c.type === 'timestamp';
        const structure = columns.map(c => `${d.ident(c.name)} ${asText(c) ? 'Nullable(String)' : type(c)}`).join(', ');
        const values = columns.map(c => {
            const column = d.ident(c.name);
            if (!asText(c)) return column;
            const outside = `${column} IS NOT NULL AND NOT match(${column}, '^(19[0-9][0-9]|2[0-2][0-9][0-9])-')`;
            return `if(throwIf(${outside}, ${d.string(`a ${c.type} outside the years 1900 to 2299, which ClickHouse cannot hold`)}) = 0, CAST(${column} AS ${type(c)}), NULL)`;
        });
        await this.exec(`CREATE OR REPLACE TEMPORARY TABLE ${name} (${columns.map(c => `${d.ident(c.name)} ${type(c)}`).join(', ')}) ENGINE = MergeTree ORDER BY tuple()`);
        // CSV as DuckDB's COPY writes it: columns by position, an unquoted empty field NULL and "" empty text, no
        // single-quoted fields, no trimming.
        const settings = {
            input_format_with_names_use_header: 0, input_format_csv_empty_as_default: 1, format_csv_allow_single_quotes: 0,
            input_format_csv_trim_whitespaces: 0, format_csv_null_representation: '\\N'
        };
        await this.insert(name, values.join(', '), { format: 'CSVWithNames', structure, settings }, { file: csvPath });
    }

    /** Writes a query's result to a CSV file with a header row, cells as DuckDB writes them; returns the rows. */
    async copyToFile(query: string, filePath: string): Promise<number> {
        try {
            const columns = await this.describe(`(${query})`);
            return await this.exportCsv(query, columns, filePath);
        } catch (error) {
            fs.rmSync(filePath, { force: true });
            throw error;
        }
    }

    async describe(relation: string): Promise<Array<{ name: string; type: string }>> {
        const rows = await this.query(`DESCRIBE (SELECT * FROM ${relation})`);
        return rows.map(r => ({ name: String(r.name), type: String(r.type) }));
    }
}

/**
 * The columns' rows in RowBinary, LOAD_CHUNK rows a chunk: per row and column, a NULL flag byte, then (unless NULL) the
 * value little-endian. The buffer is reused: each chunk must be consumed before the next is asked for.
 */
function* rowBinary(columns: LoadedColumn[], rows: number, nullValue: number | undefined): Generator<Buffer> {
    const rowBytes = columns.reduce((sum, c) => sum + 1 + (c.type === 'double' ? 8 : 4), 0);
    const buffer = Buffer.alloc(rowBytes * Math.min(rows, LOAD_CHUNK));
    for (let start = 0; start < rows; start += LOAD_CHUNK) {
        const end = Math.min(rows, start + LOAD_CHUNK);
        let at = 0;
        for (let r = start; r < end; r++) {
            for (const column of columns) {
                const value = column.values[r];
                // NULL: the flag byte alone.
                if (column.type === 'double' ? !Number.isFinite(value) : value === nullValue) {
                    buffer[at++] = 1;
                } else {
                    buffer[at] = 0;
                    at = column.type === 'double' ? buffer.writeDoubleLE(value, at + 1) : buffer.writeInt32LE(value, at + 1);
                }
            }
        }
        yield buffer.subarray(0, at);
    }
}

/** "1GB", "512MB", "2GiB" or a number of bytes. */
export function bytesOf(limit: string): number {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(limit);
    if (!match) throw new Error(`not a memory size: ${limit}`);
    const base = match[3].toLowerCase().startsWith('i') ? 1024 : 1000;
    let bytes = Number(match[1]);
    for (let power = ' kmgt'.indexOf(match[2].toLowerCase() || ' '); power > 0; power--) bytes *= base;
    return Math.floor(bytes);
}

/** ClickHouse messages, as one line: no stack, no "while executing" trail of the plan's expression. */
export function oneLine(error: unknown): string {
    return baseOneLine(error).replace(/^Code: \d+\. DB::Exception:\s*/, '').trim() || 'unknown error';
}

/** An EngineError saying where: `${where}: message`. */
export function engineError(where: string, error: unknown): EngineError {
    return new EngineError(`${where}: ${oneLine(error)}`);
}

/** A JSONCompact value of a ClickHouse type as DuckDbEngine gives it. */
function converter(type: string): (value: unknown) => unknown {
    const inner = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
    if (inner) return converter(inner[1]);
    const array = /^Array\((.*)\)$/.exec(type);
    if (array) {
        const element = converter(array[1]);
        return value => (Array.isArray(value) ? value.map(element) : value);
    }
    // Quoted by output_format_json_quote_denormals: inf, -inf, nan (and -nan).
    if (/^(Float|BFloat)/.test(type)) return value => (typeof value === 'string' ? (/nan/.test(value) ? Number.NaN : value.startsWith('-') ? -Infinity : Infinity) : value);
    if (/^(U?Int(128|256)|Decimal)/.test(type)) return value => (typeof value === 'string' ? Number(value) : value);
    // Timestamps as their day, as DuckDbEngine gives them.
    if (/^DateTime/.test(type)) return value => (typeof value === 'string' ? value.slice(0, 10) : value);
    return value => value;
}
