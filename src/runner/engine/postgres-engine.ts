// PostgreSQL, over the network: the plan's SQL runs where the data lives, through one `pg` connection (one session,
// so its temporary tables are the runner's scratch space and vanish with it). Read-only by construction: every table
// the runner makes is TEMPORARY (PostgresDialect.createTemporaryTable, loadColumns), and nothing else is written.
// Credentials come only from the URL or PostgreSQL's usual variables (PGPASSWORD, ~/.pgpass) and never appear in an
// error message.
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { PostgresDialect } from '../sql/postgres-dialect.js';
import { EngineUrlError, redactEngineUrl, withoutSecrets } from './engine-url.js';
import { traceSql } from './engine.js';
import { EngineError, oneLine } from './engine.js';
import type { ImportedColumn, LoadedColumn, Row, SqlEngine } from './engine.js';

export interface PostgresEngineOptions {
    /** Give up connecting after this long (default 10 s). */
    connectTimeoutMs?: number;
    /** The server cancels any statement running longer (default: none). */
    statementTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Rows per INSERT of loadColumns: a few MB of array text per round trip. */
const LOAD_BATCH = 100_000;

export class PostgresEngine implements SqlEngine {
    readonly dialect = new PostgresDialect();
    readonly readsFiles = false;
    private closing: Promise<void> | undefined;
    /** An error the connection reported between statements (the server went away): the next statement fails with it. */
    private broken: Error | undefined;

    private constructor(private readonly client: pg.Client, private readonly where: string, private readonly secrets: string[], private readonly statementTimeoutMs?: number) {
        client.on('error', error => {
            this.broken = this.error(error);
        });
    }

    /** `url`: postgres://user[:password]@host[:port]/database (or postgresql://). */
    static async open(url: string, options: PostgresEngineOptions = {}): Promise<PostgresEngine> {
        if (!/^postgres(ql)?:\/\//i.test(url)) throw new EngineUrlError(`not a PostgreSQL URL: ${redactEngineUrl(url)} (postgres://user@host:port/database)`);
        const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        let client: pg.Client;
        try {
            client = new pg.Client({
                connectionString: url,
                connectionTimeoutMillis: connectTimeoutMs,
                statement_timeout: options.statementTimeoutMs,
                application_name: 'mplan',
                keepAlive: true,
                types: { getTypeParser: typeParser as any }
            });
        } catch (error) {
            // A malformed URL: pg's message may quote it.
            throw new EngineUrlError(`not a valid PostgreSQL URL: ${redactEngineUrl(url)} (${withoutSecrets(oneLine(error), secretsOf(url))})`);
        }
        const where = `PostgreSQL at ${describeServer(client)}`;
        const password = (client as unknown as { password?: unknown }).password;
        const secrets = [...secretsOf(url), typeof password === 'string' ? password : '', process.env.PGPASSWORD ?? ''];
        const engine = new PostgresEngine(client, where, secrets, options.statementTimeoutMs);
        try {
            await client.connect();
        } catch (error) {
            await client.end().catch(() => {});
            throw engine.error(error, `could not connect to ${where}`, connectTimeoutMs);
        }
        try {
            // Fixed session settings: values read and printed the same whatever the server's or role's defaults.
            await engine.exec(
                "SET standard_conforming_strings = on; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; " +
                "SET TimeZone = 'UTC'; SET extra_float_digits = 1; SET client_encoding = 'UTF8'"
            );
        } catch (error) {
            await engine.close();
            throw error;
        }
        return engine;
    }

    async exec(sql: string): Promise<void> {
        await this.run(sql);
    }

    async query(sql: string): Promise<Row[]> {
        if (/^\s*COPY\b[\s\S]*\bTO\s+STDOUT\b/i.test(sql)) throw new Error('COPY ... TO STDOUT needs PostgresEngine.copyToFile');
        const result = await this.run(sql);
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return (last?.rows ?? []) as Row[];
    }

    async loadColumns(name: string, columns: LoadedColumn[], nullValue?: number): Promise<void> {
        const d = this.dialect;
        const table = d.ident(name);
        const types = columns.map(c => (c.type === 'double' ? 'DOUBLE PRECISION' : 'INTEGER'));
        await this.exec(`DROP TABLE IF EXISTS pg_temp.${table}; CREATE TEMPORARY TABLE ${table} (${columns.map((c, i) => `${d.ident(c.name)} ${types[i]}`).join(', ')})`);
        const rows = columns[0]?.values.length ?? 0;
        if (columns.length === 0 || rows === 0) return;
        // One round trip per batch: each column as one array parameter, zipped back into rows by unnest.
        const insert = `INSERT INTO pg_temp.${table} SELECT * FROM unnest(${types.map((t, i) => `CAST($${i + 1} AS ${t}[])`).join(', ')})`;
        for (let start = 0; start < rows; start += LOAD_BATCH) {
            const end = Math.min(rows, start + LOAD_BATCH);
            const parameters = columns.map(column => arrayLiteral(column, start, end, nullValue));
            await this.run(insert, parameters);
        }
    }

    async importCsv(name: string, columns: ImportedColumn[], csvPath: string): Promise<void> {
        const d = this.dialect;
        const list = columns.map(c => `${d.ident(c.name)} ${c.type === 'integer' ? 'BIGINT' : d.type(c.type)}`).join(', ');
        await this.exec(`DROP TABLE IF EXISTS pg_temp.${name}; CREATE TEMPORARY TABLE ${name} (${list})`);
        // COPY FROM STDIN, streamed from the file: CSV's unquoted empty field is NULL, "" is empty text, as written.
        const sql = `COPY pg_temp.${name} FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"')`;
        await this.copy(sql, () => pipeline(fs.createReadStream(csvPath), this.client.query(copyFrom(sql))));
    }

    /** A COPY through pg-copy-streams, with the engine's checks, trace and one-line errors. */
    private async copy<T>(sql: string, body: () => Promise<T>): Promise<T> {
        this.throwIfBroken();
        const start = performance.now();
        try {
            const result = await body();
            traceSql(sql, start);
            return result;
        } catch (error) {
            traceSql(`FAILED: ${sql}`, start);
            throw this.error(error);
        }
    }

    async describe(relation: string): Promise<Array<{ name: string; type: string }>> {
        const result = await this.run(`SELECT * FROM ${relation} AS __describe LIMIT 0`);
        const fields = (Array.isArray(result) ? result[result.length - 1] : result).fields;
        if (fields.length === 0) return [];
        const types = await this.run(
            'SELECT format_type(t, CASE WHEN m < 0 THEN NULL ELSE m END) AS type FROM unnest(CAST($1 AS OID[]), CAST($2 AS INTEGER[])) WITH ORDINALITY AS u(t, m, i) ORDER BY i',
            [`{${fields.map(f => f.dataTypeID).join(',')}}`, `{${fields.map(f => f.dataTypeModifier).join(',')}}`]
        );
        return fields.map((f, i) => ({ name: f.name, type: String((types as pg.QueryResult).rows[i].type) }));
    }

    /**
     * Writes a query's result to a CSV file on this machine with a header row (COPY ... TO STDOUT, streamed to the
     * file as it arrives); returns the number of rows. On failure the file is removed.
     */
    async copyToFile(query: string, filePath: string): Promise<number> {
        const sql = this.dialect.copyToCsv(query, filePath);
        return this.copy(sql, async () => {
            const stream = this.client.query(copyTo(sql));
            try {
                await pipeline(stream, fs.createWriteStream(filePath));
            } catch (error) {
                fs.rmSync(filePath, { force: true });
                throw error;
            }
            return stream.rowCount;
        });
    }

    /** Ends the session: the server drops its temporary tables. Resolves once the connection is closed; never rejects. */
    close(): Promise<void> {
        this.closing ??= this.client.end().catch(() => {});
        return this.closing;
    }

    private async run(sql: string, parameters?: unknown[]): Promise<pg.QueryResult | pg.QueryResult[]> {
        this.throwIfBroken();
        const start = performance.now();
        try {
            const result = await this.client.query(sql, parameters);
            traceSql(sql, start);
            return result as pg.QueryResult | pg.QueryResult[];
        } catch (error) {
            traceSql(`FAILED: ${sql}`, start);
            throw this.error(error);
        }
    }

    private throwIfBroken(): void {
        if (this.closing) throw new Error(`${this.where}: the connection is closed`);
        if (this.broken) throw this.broken;
    }

    /** One line naming the server, never the password. */
    private error(error: unknown, prefix = this.where, connectTimeoutMs?: number): Error {
        const e = error as { code?: string; message?: string };
        let reason: string;
        switch (e.code) {
            case 'ECONNREFUSED': reason = 'connection refused (is the server running and accepting TCP connections on that port?)'; break;
            case 'ENOTFOUND':
            case 'EAI_AGAIN': reason = 'host not found'; break;
            case 'ETIMEDOUT': reason = 'connection timed out'; break;
            case 'EHOSTUNREACH':
            case 'ENETUNREACH': reason = 'host unreachable'; break;
            case 'ECONNRESET': reason = 'the server closed the connection'; break;
            case '57014': reason = /statement timeout/i.test(e.message ?? '') && this.statementTimeoutMs ? `the statement ran longer than the statement timeout (${this.statementTimeoutMs / 1000} s) and was cancelled` : oneLine(error); break;
            case '42501': reason = `${oneLine(error)} (the runner needs CONNECT on the database, TEMPORARY, and SELECT on the source tables)`; break;
            default:
                reason = /timeout/i.test(e.message ?? '') && connectTimeoutMs !== undefined
                    ? `no answer within ${connectTimeoutMs / 1000} s`
                    : oneLine(error);
        }
        const wrapped = new EngineError(withoutSecrets(`${prefix}: ${reason}`, this.secrets));
        wrapped.code = e.code;
        return wrapped;
    }
}

/** host:port/database as the client resolved them (from the URL or PGHOST, PGPORT, PGDATABASE). */
function describeServer(client: pg.Client): string {
    const c = client as unknown as { host?: string; port?: number; database?: string };
    const host = c.host && c.host.includes(':') && !c.host.startsWith('/') ? `[${c.host}]` : c.host ?? 'localhost';
    return `${host}:${c.port ?? 5432}/${c.database ?? ''}`;
}

function secretsOf(url: string): string[] {
    try {
        const parsed = new URL(url);
        const secrets = [decodeURIComponent(parsed.password)];
        for (const [name, value] of parsed.searchParams) if (/pass|secret|token|key/i.test(name)) secrets.push(value);
        return secrets;
    } catch {
        return [/\/\/[^/:@]*:([^@/]*)@/.exec(url)?.[1] ?? ''];
    }
}

/** A column's values from start to end as a PostgreSQL array literal (NULL for nullValue or a non-finite double). */
function arrayLiteral(column: LoadedColumn, start: number, end: number, nullValue?: number): string {
    const parts: string[] = new Array(end - start);
    for (let r = start; r < end; r++) {
        const value = column.values[r];
        if (column.type === 'double') {
            // The shortest text that reads back as the same double.
            parts[r - start] = Number.isFinite(value) ? String(value) : 'NULL';
        } else if (value === nullValue) {
            parts[r - start] = 'NULL';
        } else {
            if (!Number.isInteger(value)) throw new Error(`column ${column.name}: ${value} is not a whole number`);
            parts[r - start] = String(value);
        }
    }
    return `{${parts.join(',')}}`;
}

// Values as DuckDbEngine returns them: whole numbers and decimals as numbers, dates and timestamps as YYYY-MM-DD,
// lists as arrays of those.
const INT8 = 20, NUMERIC = 1700, DATE = 1082, TIMESTAMP = 1114, TIMESTAMPTZ = 1184;
const INT8_ARRAY = 1016, NUMERIC_ARRAY = 1231, DATE_ARRAY = 1182, TIMESTAMP_ARRAY = 1115, TIMESTAMPTZ_ARRAY = 1185;
const FLOAT8_ARRAY = 1022, TEXT_ARRAY = 1009;

function typeParser(oid: number, format?: string): (value: string) => unknown {
    if (format === 'binary') return pg.types.getTypeParser(oid as any, 'binary') as (value: string) => unknown;
    switch (oid) {
        case INT8:
        case NUMERIC:
            return Number;
        case DATE:
            return value => value;
        case TIMESTAMP:
        case TIMESTAMPTZ:
            return value => value.slice(0, 10);
        case INT8_ARRAY:
        case NUMERIC_ARRAY:
            return pg.types.getTypeParser(FLOAT8_ARRAY as any) as (value: string) => unknown;
        case DATE_ARRAY:
            return pg.types.getTypeParser(TEXT_ARRAY as any) as (value: string) => unknown;
        case TIMESTAMP_ARRAY:
        case TIMESTAMPTZ_ARRAY: {
            const text = pg.types.getTypeParser(TEXT_ARRAY as any) as (value: string) => Array<string | null>;
            return value => text(value).map(v => (v === null ? null : v.slice(0, 10)));
        }
        default:
            return pg.types.getTypeParser(oid as any) as (value: string) => unknown;
    }
}
