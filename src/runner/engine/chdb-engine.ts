// ClickHouse in process, through chDB (the npm package `chdb`, ~550 MB with its native library, so an optional
// install: `npm install chdb`). One chDB Session, whose state (settings, temporary tables) lasts from one query to the
// next, in a temporary folder of its own that close() removes. Results come back as JSONCompact and are turned into the
// values DuckDbEngine gives.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLICKHOUSE_SETTINGS, ClickHouseDialect } from '../sql/clickhouse-dialect.js';
import { EngineError, traceSql } from './engine.js';
import type { EngineOptions, ImportedColumn, LoadedColumn, Row, SqlEngine } from './engine.js';
import { DEFAULT_MEMORY_LIMIT } from './duckdb-engine.js';

/** The part of chdb's API the engine uses (chdb 3.4). */
interface ChdbSession {
    queryAsync(query: string, options?: { format?: string }): Promise<{ text(): string }>;
    close(): void;
}
interface ChdbModule {
    Session: new (path?: string) => ChdbSession;
}

export const CHDB_MISSING = 'the chdb engine needs the optional package chdb: npm install chdb';

/** Rows per chunk of loadColumns' RowBinary file: a few MB of buffer. */
const LOAD_CHUNK = 100_000;

export class ChdbEngine implements SqlEngine {
    readonly dialect = new ClickHouseDialect();
    /** The runner reads the files with its embedded DuckDB and hands the typed rows over (importCsv). */
    readonly readsFiles = false;
    private closed = false;

    /** `folder`: the session's own, removed on close. */
    private constructor(private readonly session: ChdbSession, readonly folder: string) {}

    static async open(options: Partial<EngineOptions> = {}): Promise<ChdbEngine> {
        const chdb = loadChdb();
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-chdb-'));
        let session: ChdbSession;
        try {
            session = new chdb.Session(folder);
        } catch (error) {
            fs.rmSync(folder, { recursive: true, force: true });
            throw new EngineError(`chDB: ${oneLine(error)}`);
        }
        const engine = new ChdbEngine(session, folder);
        try {
            const settings: Record<string, string | number> = { ...CLICKHOUSE_SETTINGS };
            // Beyond half the cap, sorts and GROUP BYs spill to the session's folder.
            const memory = bytesOf(options.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
            settings.max_memory_usage = memory;
            settings.max_bytes_before_external_group_by = Math.floor(memory / 2);
            settings.max_bytes_before_external_sort = Math.floor(memory / 2);
            if (options.threads) settings.max_threads = options.threads;
            const d = engine.dialect;
            await engine.exec(`SET ${Object.entries(settings).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : d.string(v)}`).join(', ')}`);
        } catch (error) {
            engine.close();
            throw error;
        }
        return engine;
    }

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
        await this.exec(`DROP TEMPORARY TABLE IF EXISTS ${table}; CREATE TEMPORARY TABLE ${table} (${structure}) ENGINE = MergeTree ORDER BY tuple()`);
        const rows = columns[0]?.values.length ?? 0;
        if (columns.length === 0 || rows === 0) return;
        // RowBinary: per row and column, a NULL flag byte, then (unless NULL) the value little-endian; read by file() in one
        // INSERT.
        const file = path.join(this.folder, `load-${process.hrtime.bigint()}.bin`);
        const rowBytes = columns.reduce((sum, c) => sum + 1 + (c.type === 'double' ? 8 : 4), 0);
        const buffer = Buffer.alloc(rowBytes * Math.min(rows, LOAD_CHUNK));
        let fd: number | undefined = fs.openSync(file, 'w');
        try {
            for (let start = 0; start < rows; start += LOAD_CHUNK) {
                const end = Math.min(rows, start + LOAD_CHUNK);
                let at = 0;
                for (let r = start; r < end; r++) {
                    for (const column of columns) {
                        const value = column.values[r];
                        // NULL: the flag byte alone.
                        if (column.type === 'double') {
                            if (!Number.isFinite(value)) buffer[at++] = 1;
                            else {
                                buffer[at] = 0;
                                at = buffer.writeDoubleLE(value, at + 1);
                            }
                        } else if (value === nullValue) {
                            buffer[at++] = 1;
                        } else {
                            if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1) throw new Error(`column ${column.name}: ${value} is not a 32-bit whole number`);
                            buffer[at] = 0;
                            at = buffer.writeInt32LE(value, at + 1);
                        }
                    }
                }
                fs.writeSync(fd, buffer, 0, at);
            }
            fs.closeSync(fd);
            fd = undefined;
            await this.exec(`INSERT INTO ${table} SELECT * FROM file(${d.string(file)}, 'RowBinary', ${d.string(structure)})`);
        } finally {
            if (fd !== undefined) fs.closeSync(fd);
            fs.rmSync(file, { force: true });
        }
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
        await this.exec(`INSERT INTO ${name} SELECT ${values.join(', ')} FROM file(${d.string(csvPath)}, 'CSVWithNames', ${d.string(structure)}) ` +
            'SETTINGS input_format_with_names_use_header = 0, input_format_csv_empty_as_default = 1, format_csv_allow_single_quotes = 0, ' +
            'input_format_csv_trim_whitespaces = 0, format_csv_null_representation = \'\\\\N\'');
    }

    /** Writes a query's result to a CSV file with a header row (see ClickHouseDialect.copyToCsv); returns the rows. */
    async copyToFile(query: string, filePath: string): Promise<number> {
        try {
            const columns = await this.describe(`(${query})`);
            const [result] = await this.query(this.dialect.csvExport(query, filePath, columns));
            return Number(result?.Count ?? 0);
        } catch (error) {
            fs.rmSync(filePath, { force: true });
            throw error;
        }
    }

    async describe(relation: string): Promise<Array<{ name: string; type: string }>> {
        const rows = await this.query(`DESCRIBE (SELECT * FROM ${relation})`);
        return rows.map(r => ({ name: String(r.name), type: String(r.type) }));
    }

    close(): void {
        if (this.closed) return;
        this.closed = true;
        try {
            this.session.close();
        } finally {
            fs.rmSync(this.folder, { recursive: true, force: true });
        }
    }

    private async run(sql: string): Promise<string> {
        if (this.closed) throw new EngineError('chDB: the engine is closed');
        const start = performance.now();
        try {
            const result = await this.session.queryAsync(sql, { format: 'JSONCompact' });
            traceSql(sql, start);
            return result.text();
        } catch (error) {
            traceSql(`FAILED: ${sql}`, start);
            throw new EngineError(`chDB: ${oneLine(error)}`);
        }
    }
}

/**
 * chdb by normal resolution (a user's `npm install chdb`), else from MPLAN_CHDB_MODULE (a folder or file: the tests'
 * separate install), loaded only when the engine opens: its native library is large.
 */
function loadChdb(): ChdbModule {
    const require = createRequire(import.meta.url);
    const candidates = ['chdb', ...(process.env.MPLAN_CHDB_MODULE ? [path.resolve(process.env.MPLAN_CHDB_MODULE)] : [])];
    for (const candidate of candidates) {
        let resolved: string;
        try {
            resolved = require.resolve(candidate);
        } catch {
            continue;
        }
        try {
            return require(resolved) as ChdbModule;
        } catch (error) {
            throw new EngineError(`the chdb engine could not load ${resolved}: ${oneLine(error)}`);
        }
    }
    throw new EngineError(CHDB_MISSING);
}

/** "1GB", "512MB", "2GiB" or a number of bytes. */
function bytesOf(limit: string): number {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(limit);
    if (!match) throw new Error(`not a memory size: ${limit}`);
    const base = match[3].toLowerCase().startsWith('i') ? 1024 : 1000;
    let bytes = Number(match[1]);
    for (let power = ' kmgt'.indexOf(match[2].toLowerCase() || ' '); power > 0; power--) bytes *= base;
    return Math.floor(bytes);
}

/** ClickHouse messages, as one line: no stack, no "while executing" trail of the plan's expression. */
function oneLine(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/\s*\n\s*/g, ' ').replace(/^Code: \d+\. DB::Exception: /, '').trim() || 'unknown error';
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
