// ClickHouseHttpEngine end to end over real HTTP, against the stand-in server (clickhouse-http-server.ts: our HTTP
// framing in front of a real chDB session, so every query is executed by ClickHouse itself), compared with DuckDB.
// No real ClickHouse server is involved: what only a server does (its own sessions, users, limits) is not tested here.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseHttpEngine } from '../../src/runner/engine/clickhouse-http-engine.js';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { EngineError } from '../../src/runner/engine/engine.js';
import type { Row, SqlEngine } from '../../src/runner/engine/engine.js';
import { engineKind, concurrentSessions } from '../../src/runner/engine/open-engine.js';
import { tempDir } from '../runner/helpers.js';
import { startClickHouseHttp } from './clickhouse-http-server.js';
import type { ClickHouseHttpServer } from './clickhouse-http-server.js';
import { CHDB_AVAILABLE } from './test-engines.js';
import { QUANTILE_FRACTIONS, loadQuantileData, loadedColumns, loadedSummarySql, quantilesSql, textTable } from './dialect-cases.js';

let server: ClickHouseHttpServer;
let ch: ClickHouseHttpEngine;
let duck: DuckDbEngine;

async function onBoth(sql: (engine: SqlEngine) => string): Promise<[Row[], Row[]]> {
    return [await ch.query(sql(ch)), await duck.query(sql(duck))];
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
    return promise.then(() => { throw new Error('expected a failure'); }, (error: Error) => error);
}

describe('clickhouse:// URLs', () => {
    it('are ClickHouse engines that may run beside one another, unlike chdb', () => {
        expect(engineKind('clickhouse://u:p@host:8123/db')).toBe('clickhouse');
        expect(engineKind('clickhouses://host/db')).toBe('clickhouse');
        expect(concurrentSessions('clickhouse://host/db')).toBe(true);
        expect(concurrentSessions('chdb')).toBe(false);
        expect(() => engineKind('clickhousex://host')).toThrow(/clickhouse:\/\/user@host:port\/database/);
    });

    it('a bad URL is a usage error that shows no password', async () => {
        const error = await failure(ClickHouseHttpEngine.open('clickhouse://u:secret-pw@host:8123/db?password=x'));
        expect(error.message).toMatch(/takes no parameters/);
        expect(error.message).not.toMatch(/secret-pw/);
    });

    it('connection refused: one line naming host:port/database', async () => {
        // A port nothing listens on: bound, then released.
        const port = await new Promise<number>(resolve => {
            const probe = net.createServer().listen(0, '127.0.0.1', () => {
                const { port } = probe.address() as net.AddressInfo;
                probe.close(() => resolve(port));
            });
        });
        const error = await failure(ClickHouseHttpEngine.open(`clickhouse://u:secret-pw@127.0.0.1:${port}/sales`));
        expect(error).toBeInstanceOf(EngineError);
        expect(error.message).toMatch(new RegExp(`^could not connect to ClickHouse at 127\\.0\\.0\\.1:${port}/sales: .*ECONNREFUSED`));
        expect(error.message).not.toMatch(/\n|secret-pw/);
    });
});

describe.skipIf(!CHDB_AVAILABLE)('ClickHouseHttpEngine over the stand-in server', () => {
    beforeAll(async () => {
        server = await startClickHouseHttp();
        ch = await ClickHouseHttpEngine.open(server.url);
        duck = await DuckDbEngine.open({ readablePaths: [], threads: 2 });
    }, 120_000);
    afterAll(async () => {
        duck?.close();
        await ch?.close();
        await server?.stop();
    });

    it('returns plain values like DuckDbEngine for the same query', async () => {
        const [c, d] = await onBoth(e => {
            const q = e.dialect;
            return `SELECT CAST(42 AS BIGINT) AS big, count(*) AS n, sum(x) AS s, CAST(2.5 AS DECIMAL(10, 2)) AS dec, ${q.number(0.1)} AS dbl, ` +
                `${q.date(19_782)} AS day, CAST('2024-01-05 10:11:12' AS TIMESTAMP) AS ts, ${q.string("é'x\\n")} AS txt, TRUE AS flag, ` +
                `CAST(NULL AS ${q.type('number')}) AS nothing, ${q.quantiles('x', [0.25, 0.5])} AS q, ${q.bigInteger(12345678901234567890n)} AS huge, ` +
                `${q.number(1e300)} * ${q.number(1e300)} AS over FROM (VALUES (1), (2), (3), (4)) AS v(x)`;
        });
        expect(c).toEqual(d);
        expect(c).toEqual([{ big: 42, n: 4, s: 10, dec: 2.5, dbl: 0.1, day: '2024-02-29', ts: '2024-01-05', txt: "é'x\\n", flag: true, nothing: null, q: [1.75, 2.5], huge: 12345678901234567000, over: Infinity }]);
    });

    it('keeps its session: settings and temporary tables last from one request to the next', async () => {
        await textTable(ch, 'kept', ['a', null]);
        expect(await ch.query('SELECT count() AS n, getSetting(\'join_use_nulls\') AS j FROM kept')).toEqual([{ n: 2, j: true }]);
        const [temporary] = await ch.query("SELECT is_temporary AS t FROM system.tables WHERE name = 'kept'");
        expect(temporary).toEqual({ t: 1 });
        // Requests one at a time: the session would refuse a second query while one runs.
        const counts = await Promise.all([1, 2, 3, 4].map(k => ch.query(`SELECT count() * ${k} AS n FROM kept`)));
        expect(counts.map(([r]) => r.n)).toEqual([2, 4, 6, 8]);
        // Every statement alone: the HTTP interface refuses multi-statements.
        expect(server.queries().filter(q => /;\s*\S/.test(q))).toEqual([]);
    });

    it('loads columns in the request body, in chunks, with NULLs, exactly', async () => {
        const { n, doubles, columns } = loadedColumns();
        for (const engine of [ch, duck]) await engine.loadColumns('loaded', columns, -1);
        const [c, d] = await onBoth(loadedSummarySql);
        expect(c).toEqual(d);
        expect(c[0]).toMatchObject({ n, a: n - 251, x: n - 322 });
        const back = await ch.query('SELECT r, x FROM loaded WHERE r % 997 = 1 OR r IN (5, 7) ORDER BY r');
        expect(back.length).toBeGreaterThan(200);
        for (const row of back) expect(Object.is(row.x, doubles[row.r as number])).toBe(true);
        // Through input() in the body, not a file of this machine.
        expect(server.queries().some(q => /^INSERT INTO "loaded" SELECT \* FROM input\(/.test(q))).toBe(true);
        await expect(ch.loadColumns('bad', [{ name: 'i', values: [1.5] }])).rejects.toThrow(/not a 32-bit whole number/);
    });

    it('quantiles: the same cut points as DuckDB', async () => {
        await loadQuantileData([ch, duck]);
        const [c, d] = await onBoth(quantilesSql);
        expect(c).toEqual(d);
        expect((c[0].qx as number[]).length).toBe(QUANTILE_FRACTIONS.length);
    });

    it('importCsv sends the file DuckDB writes and loads the same typed rows; dates outside 1900..2299 fail', async () => {
        const dir = tempDir('mplan-chhttp-import-');
        const reader = await DuckDbEngine.open({ readablePaths: [], writableDirectories: [dir] });
        try {
            const rows = [
                "(0, 'plain', 0.1, DATE '2024-02-29', TIMESTAMP '2024-01-05 10:11:12.123456', true, 9007199254740993)",
                "(1, '', -0.0, DATE '1900-01-01', TIMESTAMP '1900-01-01 00:00:00', false, -9223372036854775807)",
                '(2, NULL, NULL, NULL, NULL, NULL, NULL)',
                `(3, ${reader.dialect.string('q"uo,te\n\\ \'x')}, 1e-07, DATE '2299-12-31', TIMESTAMP '2299-12-31 23:59:59', true, 0)`,
                "(5, 'NULL', 5e-324, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', true, 2)"
            ];
            const file = path.join(dir, 'typed.csv');
            await reader.copyToFile(`SELECT CAST(r AS BIGINT) AS r, CAST(t AS VARCHAR) AS t, CAST(x AS DOUBLE) AS x, d, ts, b, CAST(big AS BIGINT) AS big FROM (VALUES ${rows.join(', ')}) AS v(r, t, x, d, ts, b, big)`, file);
            const columns = [{ name: 'r', type: 'integer' as const }, { name: 't', type: 'text' as const }, { name: 'x', type: 'number' as const }, { name: 'd', type: 'date' as const },
                { name: 'ts', type: 'timestamp' as const }, { name: 'b', type: 'boolean' as const }, { name: 'big', type: 'integer' as const }];
            const read = (e: SqlEngine) => {
                const q = e.dialect;
                const text = (x: string) => `CAST(${x} AS ${q.type('text')})`;
                return `SELECT r, t, x, ${text('d')} AS d, ${q.epochSeconds('ts')} AS ts, b, ${text('big')} AS big FROM imported ORDER BY r`;
            };
            for (const engine of [ch, reader]) await engine.importCsv(engine.dialect.ident('imported'), columns, file);
            const [c, d] = [await ch.query(read(ch)), await reader.query(read(reader))];
            expect(c).toEqual(d);
            expect(c.map(r => r.t)).toEqual(['plain', '', null, 'q"uo,te\n\\ \'x', 'NULL']);
            expect(c.map(r => r.big)).toEqual(['9007199254740993', '-9223372036854775807', null, '0', '2']);
            await reader.copyToFile("SELECT DATE '1899-12-31' AS d", file);
            await expect(ch.importCsv(ch.dialect.ident('outside'), [{ name: 'd', type: 'date' }], file)).rejects.toThrow(/outside the years 1900 to 2299/);
        } finally {
            reader.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('copyToFile streams the bytes DuckDB writes into the local file and counts the rows', async () => {
        const dir = tempDir('mplan-chhttp-copy-');
        const copier = await DuckDbEngine.open({ readablePaths: [], writableDirectories: [dir] });
        try {
            const texts = ['plain', '', null, 'a,b', 'q"uote', 'new\nline', 'cr\r', ' lead', 'trail ', 'é😀', 'NULL', 'back\\slash', 'semi;x'];
            for (const engine of [ch, copier]) await textTable(engine, 'copied', texts);
            const query = (e: SqlEngine) => `SELECT i AS ${e.dialect.ident('a,b')}, s, CAST(i AS ${e.dialect.type('number')}) AS x, CAST(i AS ${e.dialect.type('number')}) / 4 AS q, ` +
                `CAST(i % 2 = 0 AS ${e.dialect.type('boolean')}) AS even, ${e.dialect.dateOfDay('i + 19000')} AS day FROM copied ORDER BY i DESC`;
            const file = path.join(dir, 'ch.csv');
            expect(await ch.copyToFile(query(ch), file)).toBe(texts.length);
            expect(await copier.copyToFile(query(copier), path.join(dir, 'duck.csv'))).toBe(texts.length);
            expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(dir, 'duck.csv'), 'utf8'));
            expect(await ch.copyToFile('SELECT number AS n FROM numbers(30000)', file)).toBe(30000);
            expect(fs.readFileSync(file, 'utf8').split('\n').length).toBe(30002);
            // Not through the server's file(): it cannot write here.
            expect(server.queries().some(q => /INTO FUNCTION file/i.test(q))).toBe(false);
            const bad = path.join(dir, 'bad.csv');
            await expect(ch.copyToFile("SELECT throwIf(number = 5, 'boom') AS x FROM numbers(10)", bad)).rejects.toThrow(/^ClickHouse at 127\.0\.0\.1:\d+\/default: .*boom/);
            expect(fs.existsSync(bad)).toBe(false);
        } finally {
            copier.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('errors: one line naming the server; a wrong password never shows', async () => {
        const missing = await failure(ch.query('SELECT * FROM no_such_table'));
        expect(missing).toBeInstanceOf(EngineError);
        expect(missing.message).toMatch(new RegExp(`^ClickHouse at 127\\.0\\.0\\.1:${server.port}/default: .*no_such_table`));
        expect(missing.message).not.toMatch(/\n/);
        const wrong = server.url.replace(encodeURIComponent(server.password), 'not-the-password');
        const denied = await failure(ClickHouseHttpEngine.open(wrong));
        expect(denied).toBeInstanceOf(EngineError);
        expect(denied.message).toMatch(new RegExp(`^could not connect to ClickHouse at 127\\.0\\.0\\.1:${server.port}/default: .*Authentication failed`));
        expect(denied.message).not.toMatch(/\n|not-the-password/);
        // The password from CLICKHOUSE_PASSWORD when the URL has none.
        const before = process.env.CLICKHOUSE_PASSWORD;
        process.env.CLICKHOUSE_PASSWORD = server.password;
        try {
            const fromEnv = await ClickHouseHttpEngine.open(`clickhouse://${server.user}@127.0.0.1:${server.port}/default`);
            expect(await fromEnv.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
            await fromEnv.close();
        } finally {
            if (before === undefined) delete process.env.CLICKHOUSE_PASSWORD;
            else process.env.CLICKHOUSE_PASSWORD = before;
        }
        // The stand-in's sessions: the other engine's session replaced ours (one chDB session), so open ours again.
        await ch.close();
        ch = await ClickHouseHttpEngine.open(server.url);
        await expect(ch.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    });
});
