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
import { QUANTILE_FRACTIONS, loadQuantileData, quantilesSql, textTable } from './dialect-cases.js';
import { PLAIN_VALUES, copyToFileMatchesDuckDb, loadColumnsMatchesDuckDb, importCsvMatchesDuckDb, plainValuesSql } from './clickhouse-cases.js';

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

    it('no answer in time: one line naming host:port/database', async () => {
        // A server that accepts the connection and never answers.
        const sockets: net.Socket[] = [];
        const silent = net.createServer(socket => void sockets.push(socket));
        await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
        const { port } = silent.address() as net.AddressInfo;
        try {
            const error = await failure(ClickHouseHttpEngine.open(`clickhouse://u:secret-pw@127.0.0.1:${port}/sales`, { connectTimeoutMs: 300 }));
            expect(error).toBeInstanceOf(EngineError);
            expect(error.message).toBe(`could not connect to ClickHouse at 127.0.0.1:${port}/sales: no answer within 0.3 s`);
        } finally {
            for (const socket of sockets) socket.destroy();
            await new Promise(resolve => silent.close(resolve));
        }
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
        const [c, d] = await onBoth(plainValuesSql);
        expect(c).toEqual(d);
        expect(c).toEqual(PLAIN_VALUES);
        // A result of many response chunks, characters straddling them.
        expect(await ch.query("SELECT repeat('é😀', 100000) AS s")).toEqual([{ s: 'é😀'.repeat(100_000) }]);
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
        await loadColumnsMatchesDuckDb(ch, duck);
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
        await importCsvMatchesDuckDb(ch);
        // The file in the request body, read by input(): the server cannot read this machine's files.
        expect(server.queries().some(q => /^INSERT INTO "imported" SELECT .* FROM input\(/s.test(q))).toBe(true);
    });

    it('copyToFile streams the bytes DuckDB writes into the local file and counts the rows', async () => {
        await copyToFileMatchesDuckDb(ch);
        const dir = tempDir('mplan-chhttp-copy-');
        try {
            const file = path.join(dir, 'out.csv');
            expect(await ch.copyToFile('SELECT number AS n FROM numbers(30000)', file)).toBe(30000);
            expect(fs.readFileSync(file, 'utf8').split('\n').length).toBe(30002);
            // Not through the server's file(): it cannot write here.
            expect(server.queries().some(q => /INTO FUNCTION file/i.test(q))).toBe(false);
            const bad = path.join(dir, 'bad.csv');
            await expect(ch.copyToFile("SELECT throwIf(number = 5, 'boom') AS x FROM numbers(10)", bad)).rejects.toThrow(/^ClickHouse at 127\.0\.0\.1:\d+\/default: .*boom/);
            expect(fs.existsSync(bad)).toBe(false);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('close drops the temporary tables of its session and ends the engine', async () => {
        // The server would otherwise keep them until the session times out.
        const sent = server.queries().length;
        await ch.close();
        expect(server.queries().slice(sent).filter(q => q.startsWith('DROP TEMPORARY TABLE'))).toEqual(expect.arrayContaining(['DROP TEMPORARY TABLE IF EXISTS "kept"', 'DROP TEMPORARY TABLE IF EXISTS "loaded"']));
        await expect(ch.query('SELECT 1')).rejects.toThrow(/the engine is closed/);
        ch = await ClickHouseHttpEngine.open(server.url);
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
