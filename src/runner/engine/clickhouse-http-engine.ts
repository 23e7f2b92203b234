// A ClickHouse server over its HTTP interface (@clickhouse/client), as thin as it can be: everything above "run this
// SQL" is ClickHouseEngine's, shared with chDB. What differs: the server cannot read or write this machine's files, so
// bulk data goes in the request body (INSERT ... FROM input() FORMAT ...) and a CSV export is streamed back into the
// local file. One random session_id per engine, so SET and TEMPORARY tables last from one request to the next (the
// server drops them when the session times out; HTTP has no "end session"). Requests are one at a time: a session
// takes one query at once. Credentials come from the URL, else CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, and never
// appear in an error message.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { CLICKHOUSE_SETTINGS } from '../sql/clickhouse-dialect.js';
import { ClickHouseEngine, oneLine } from './clickhouse-engine.js';
import type { InsertData, InsertSource } from './clickhouse-engine.js';
import { EngineUrlError, redactEngineUrl, withoutSecrets } from './engine-url.js';
import { EngineError, traceSql } from './engine.js';

export interface ClickHouseHttpOptions {
    /** Give up on the first request (connecting, logging in) after this long (default 10 s). */
    connectTimeoutMs?: number;
    /** Give up on any request after this long (default 1 hour: a large plan's queries take long). */
    requestTimeoutMs?: number;
}

/** Codes of errors on the way to the server (not of the server's answer, nor of the local file an export writes). */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 3_600_000;
/** Seconds the server keeps the session (its temporary tables) between requests; its default cap is 3600. */
const SESSION_TIMEOUT_S = 1800;

export class ClickHouseHttpEngine extends ClickHouseEngine {
    private closed = false;
    private closing = false;
    /** The request in flight: the next waits for it (a session runs one query at a time). */
    private queue: Promise<unknown> = Promise.resolve();

    private constructor(private readonly client: ClickHouseClient, private readonly where: string, private readonly secrets: string[]) {
        super();
    }

    /** `url`: clickhouse://user[:password]@host[:port]/database (HTTP, port 8123), or clickhouses:// (HTTPS, 8443). */
    static async open(url: string, options: ClickHouseHttpOptions = {}): Promise<ClickHouseHttpEngine> {
        const { client, where, secrets } = connect(url, options);
        const engine = new ClickHouseHttpEngine(client, where, secrets);
        try {
            // The first request: the connection, the login and the session's settings, within the connect timeout.
            await engine.request(`SET ${engine.dialect.settings(CLICKHOUSE_SETTINGS)}`, { timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, opening: true });
        } catch (error) {
            // Nothing to clean up on a server that did not answer.
            engine.closed = engine.closing = true;
            await client.close().catch(() => {});
            throw error;
        }
        return engine;
    }

    /**
     * Drops the session's temporary tables (HTTP cannot end a session, and the server would keep them until it times
     * out), then the connections. Never rejects.
     */
    async close(): Promise<void> {
        if (this.closing) return;
        this.closing = true;
        try {
            const tables = await this.query('SELECT name FROM system.tables WHERE is_temporary ORDER BY name');
            for (const { name } of tables) await this.exec(`DROP TEMPORARY TABLE IF EXISTS ${this.dialect.ident(String(name))}`);
        } catch {
            // The server is gone or refuses: its session ends with its timeout.
        }
        this.closed = true;
        await this.queue;
        await this.client.close().catch(() => {});
    }

    protected async run(sql: string): Promise<string> {
        return this.request(sql, {});
    }

    /** The data in the request body, read by input(); the query goes in the URL. */
    protected async insert(table: string, select: string, source: InsertSource, data: InsertData): Promise<void> {
        const d = this.dialect;
        const sql = `INSERT INTO ${table} SELECT ${select} FROM input(${d.string(source.structure)}) FORMAT ${source.format}`;
        // Chunks copied: the generator reuses its buffer, and a socket may still hold the last one.
        const body = () => ('file' in data ? fs.createReadStream(data.file) : Readable.from(copies(data.chunks()), { objectMode: false }));
        await this.request(sql, { body, settings: source.settings });
    }

    /** csvCells' SELECT as CustomSeparated, streamed into the file; its rows are the line ends outside quotes. */
    protected async exportCsv(query: string, columns: Array<{ name: string; type: string }>, filePath: string): Promise<number> {
        const cells = this.dialect.csvCells(query, columns);
        let rows = 0;
        await this.request(cells.select, {
            // wait_end_of_query: the server buffers the result, so an error half-way is an error, not a cut file.
            settings: { ...cells.settings, default_format: 'CustomSeparated', wait_end_of_query: 1 },
            output: async stream => {
                let quoted = false;
                const count = new Transform({
                    transform(chunk: Buffer, _encoding, done) {
                        for (const byte of chunk) {
                            if (byte === 0x22) quoted = !quoted;
                            else if (byte === 0x0a && !quoted) rows++;
                        }
                        done(null, chunk);
                    }
                });
                await pipeline(stream, count, fs.createWriteStream(filePath));
            }
        });
        // The header's line end is not a row.
        return Math.max(0, rows - 1);
    }

    /**
     * One statement, after the one before it: its JSONCompact result as text, or (`output`) its response stream handed
     * over. `body`: data for an INSERT's input().
     */
    private request(sql: string, how: {
        body?: () => Readable;
        settings?: Record<string, string | number>;
        output?: (stream: Readable) => Promise<void>;
        timeoutMs?: number;
        opening?: boolean;
    }): Promise<string> {
        const result = this.queue.then(async () => {
            if (this.closed) throw new EngineError(`${this.where}: the engine is closed`);
            const start = performance.now();
            const signal = how.timeoutMs ? AbortSignal.timeout(how.timeoutMs) : undefined;
            try {
                const settings = { default_format: 'JSONCompact', ...how.settings } as ClickHouseSettings;
                const common = { query: sql, clickhouse_settings: settings, abort_signal: signal };
                const { stream } = how.body ? await this.client.exec({ ...common, values: how.body() }) : await this.client.exec(common);
                // Decoded once whole: a character may straddle two chunks.
                const chunks: Buffer[] = [];
                if (how.output) await how.output(stream);
                else for await (const chunk of stream) chunks.push(chunk as Buffer);
                traceSql(sql, start);
                return Buffer.concat(chunks).toString('utf8');
            } catch (error) {
                traceSql(`FAILED: ${sql}`, start);
                throw this.error(signal?.aborted ? `no answer within ${how.timeoutMs! / 1000} s` : error, how.opening);
            }
        });
        this.queue = result.catch(() => {});
        return result;
    }

    /** One line naming the server, never a password; `opening`: the first request, so a failure is one to connect. */
    private error(error: unknown, opening = false): EngineError {
        const code = (error as { code?: unknown })?.code;
        const network = typeof code === 'string' && NETWORK_ERRORS.has(code);
        const message = oneLine(error);
        const text = network || opening ? `could not connect to ${this.where}: ${message}` : `${this.where}: ${message}`;
        const result = new EngineError(withoutSecrets(text, this.secrets));
        if (typeof code === 'string') result.code = code;
        return result;
    }
}

function* copies(chunks: Iterable<Buffer>): Generator<Buffer> {
    for (const chunk of chunks) yield Buffer.from(chunk);
}

/** The client for a clickhouse:// URL, where it points (for messages) and the secrets messages must not show. */
function connect(url: string, options: ClickHouseHttpOptions): { client: ClickHouseClient; where: string; secrets: string[] } {
    const shown = redactEngineUrl(url);
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        throw new EngineUrlError(`not a valid ClickHouse URL: ${shown} (clickhouse://user@host:port/database)`);
    }
    const secure = /^clickhouses:$/i.test(parsed.protocol);
    if (!secure && !/^clickhouse:$/i.test(parsed.protocol)) throw new EngineUrlError(`not a ClickHouse URL: ${shown} (clickhouse://user@host:port/database)`);
    if (!parsed.hostname) throw new EngineUrlError(`a ClickHouse URL names a host: ${shown} (clickhouse://user@host:port/database)`);
    if ([...parsed.searchParams.keys()].length) throw new EngineUrlError(`a ClickHouse URL takes no parameters: ${shown} (clickhouses:// for HTTPS)`);
    const port = parsed.port || (secure ? '8443' : '8123');
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'default';
    const username = decodeURIComponent(parsed.username) || process.env.CLICKHOUSE_USER || 'default';
    const password = parsed.password ? decodeURIComponent(parsed.password) : process.env.CLICKHOUSE_PASSWORD ?? '';
    const where = `ClickHouse at ${parsed.hostname}:${port}/${database}`;
    const client = createClient({
        url: `${secure ? 'https' : 'http'}://${parsed.hostname}:${port}`,
        username,
        password,
        database,
        session_id: `mplan-${randomUUID()}`,
        request_timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        // Plain bodies both ways; the session kept between requests; no log lines of the client's own on stderr.
        compression: { request: false, response: false },
        clickhouse_settings: { session_timeout: String(SESSION_TIMEOUT_S) },
        application: 'mplan',
        log: { level: ClickHouseLogLevel.OFF }
    });
    return { client, where, secrets: [password, parsed.password] };
}
