// DuckDB, embedded: an in-memory database that reads the data files in place, sandboxed to those files.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DuckDbDialect } from '../sql/duckdb-dialect.js';
import { traceSql as trace } from './engine.js';
import type { EngineOptions, ImportedColumn, LoadedColumn, Row, SqlEngine } from './engine.js';

/**
 * The engine's memory cap unless MPLAN_MEMORY_LIMIT says otherwise: beyond it DuckDB spills to a temporary folder,
 * so memory stays bounded however many rows the data has.
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export class DuckDbEngine implements SqlEngine {
    readonly dialect = new DuckDbDialect();
    readonly readsFiles = true;

    private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection, private readonly spillDirectory: string) {}

    static async open(options: EngineOptions): Promise<DuckDbEngine> {
        const spillDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-duckdb-'));
        const config: Record<string, string> = {
            // No extensions are installed or loaded behind our back (no httpfs: data paths stay local files).
            autoinstall_known_extensions: 'false',
            autoload_known_extensions: 'false',
            temp_directory: spillDirectory
        };
        config.memory_limit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
        if (options.threads) config.threads = String(options.threads);
        // Loaded on first use, so commands that never touch data (check, fmt) never load the native binding. Through
        // require(), not import(): importing a CommonJS package from ESM makes Node pre-parse each of its modules for
        // named exports, 45 ms at every run.
        const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
        const instance = await DuckDBInstance.create(':memory:', config);
        const connection = await instance.connect();
        const engine = new DuckDbEngine(instance, connection, spillDirectory);
        const d = engine.dialect;
        const list = (items: string[]) => `[${items.map(i => d.string(i)).join(', ')}]`;
        // Sandbox: the engine may touch only the plan's data files and the output folders, whatever SQL runs.
        await engine.exec(`SET allowed_paths = ${list(options.readablePaths)}`);
        const directories = [...(options.writableDirectories ?? []), spillDirectory].map(dir => dir.endsWith(path.sep) ? dir : dir + path.sep);
        await engine.exec(`SET allowed_directories = ${list(directories)}`);
        await engine.exec('SET enable_external_access = false');
        await engine.exec('SET lock_configuration = true');
        return engine;
    }

    async exec(sql: string): Promise<void> {
        const start = performance.now();
        await this.connection.run(sql);
        trace(sql, start);
    }

    async query(sql: string): Promise<Row[]> {
        const start = performance.now();
        const reader = await this.connection.runAndReadAll(sql);
        trace(sql, start);
        return reader.getRowObjectsJS().map(row => {
            const plain: Row = {};
            for (const [key, value] of Object.entries(row)) plain[key] = plainValue(value);
            return plain;
        });
    }

    async loadColumns(name: string, columns: LoadedColumn[], nullValue?: number): Promise<void> {
        const d = this.dialect;
        await this.exec(`CREATE OR REPLACE TABLE ${d.ident(name)} (${columns.map(c => `${d.ident(c.name)} ${c.type === 'double' ? 'DOUBLE' : 'INTEGER'}`).join(', ')})`);
        const appender = await this.connection.createAppender(name);
        try {
            const rows = columns[0]?.values.length ?? 0;
            for (let r = 0; r < rows; r++) {
                for (const column of columns) {
                    const value = column.values[r];
                    if (column.type === 'double') {
                        if (Number.isFinite(value)) appender.appendDouble(value);
                        else appender.appendNull();
                    } else if (value === nullValue) appender.appendNull();
                    else appender.appendInteger(value);
                }
                appender.endRow();
            }
            appender.flushSync();
        } finally {
            appender.closeSync();
        }
    }

    async importCsv(name: string, columns: ImportedColumn[], csvPath: string): Promise<void> {
        const d = this.dialect;
        const types = columns.map(c => [c.name, c.type === 'integer' ? 'BIGINT' : d.type(c.type)]);
        const reader = `read_csv(${d.string(csvPath)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, allow_quoted_nulls = false, ` +
            `columns = {${types.map(([n, t]) => `${d.string(n)}: ${d.string(t)}`).join(', ')}})`;
        await this.exec(d.createTemporaryTable(name, `SELECT * FROM ${reader}`));
    }

    async copyToFile(query: string, filePath: string): Promise<number> {
        // COPY answers with the number of rows written.
        const [result] = await this.query(this.dialect.copyToCsv(query, filePath));
        return Number(Object.values(result ?? {})[0] ?? 0);
    }

    async describe(relation: string): Promise<Array<{ name: string; type: string }>> {
        const rows = await this.query(`DESCRIBE SELECT * FROM ${relation}`);
        return rows.map(r => ({ name: String(r.column_name), type: String(r.column_type) }));
    }

    close(): void {
        try {
            this.connection.closeSync();
            this.instance.closeSync();
        } finally {
            fs.rmSync(this.spillDirectory, { recursive: true, force: true });
        }
    }
}

/** Counts come back as bigint, lists as arrays, dates as Date: turn them into JSON-friendly values. */
function plainValue(value: unknown): unknown {
    if (typeof value === 'bigint') return Number(value);
    if (Array.isArray(value)) return value.map(plainValue);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return value;
}
