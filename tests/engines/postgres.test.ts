// PostgresEngine and PostgresDialect against a real PostgreSQL 15 server (postgres-server.ts) and against DuckDB:
// the same SQL from the two dialects must give the same values, down to the hash groups, the quantile cut points and
// the exact sums.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { PostgresEngine } from '../../src/runner/engine/postgres-engine.js';
import { redactEngineUrl } from '../../src/runner/engine/engine-url.js';
import type { Row, SqlEngine } from '../../src/runner/engine/engine.js';
import { controlHash, controlThreshold } from '../../src/runner/hash.js';
import { NOT_FINITE } from '../../src/runner/sql/duckdb-dialect.js';
import { finishMoments, groupMomentsSql } from '../../src/runner/sql/moments.js';
import type { MomentsSpec } from '../../src/runner/sql/moments.js';
import { prng } from '../../scripts/prng.js';
import { tempDir } from '../runner/helpers.js';
import { HASH_SEEDS, QUANTILE_FRACTIONS, TRY_CAST_INPUTS, fixedPointSql, hashKeys, loadQuantileData, loadedColumns, loadedSummarySql, millionthsOf, scaleGridMatchesDuckDb, quantilesSql, textTable } from './dialect-cases.js';
import { usePostgres } from './postgres-server.js';

const server = usePostgres();
let pgEngine: PostgresEngine;
let duck: DuckDbEngine;
let both: Array<[string, SqlEngine]>;

beforeAll(async () => {
    pgEngine = await PostgresEngine.open(server().url);
    duck = await DuckDbEngine.open({ readablePaths: [], threads: 2 });
    both = [['postgres', pgEngine], ['duckdb', duck]];
}, 120_000);
afterAll(async () => {
    duck?.close();
    await pgEngine?.close();
});

/** The same query, written by each engine's dialect, on both engines. */
async function onBoth(sql: (engine: SqlEngine) => string): Promise<[Row[], Row[]]> {
    return [await pgEngine.query(sql(pgEngine)), await duck.query(sql(duck))];
}

function oneLine(message: string) {
    expect(message).not.toMatch(/\n/);
}

describe('PostgresEngine', () => {
    it('returns plain values like DuckDbEngine for the same query', async () => {
        const [p, d] = await onBoth(e => {
            const q = e.dialect;
            return `SELECT CAST(42 AS BIGINT) AS big, count(*) AS n, sum(x) AS s, CAST(2.5 AS DECIMAL(10, 2)) AS dec, ${q.number(0.1)} AS dbl, ` +
                `DATE '2024-02-29' AS day, CAST('2024-01-05 10:11:12' AS TIMESTAMP) AS ts, ${q.string("é'x\\n")} AS txt, TRUE AS flag, ` +
                `CAST(NULL AS INTEGER) AS nothing, ${q.quantiles('x', [0.25, 0.5])} AS q, ${q.bigInteger(12345678901234567890n)} AS huge ` +
                `FROM (VALUES (1), (2), (3), (4)) AS v(x)`;
        });
        expect(p).toEqual(d);
        expect(p).toEqual([{ big: 42, n: 4, s: 10, dec: 2.5, dbl: 0.1, day: '2024-02-29', ts: '2024-01-05', txt: "é'x\\n", flag: true, nothing: null, q: [1.75, 2.5], huge: 12345678901234567000 }]);
    });

    it('loads columns into a temporary table, in batches, with NULLs, exactly', async () => {
        const { n, doubles, columns } = loadedColumns();
        for (const [, engine] of both) await engine.loadColumns('loaded', columns, -1);
        const [p, d] = await onBoth(loadedSummarySql);
        expect(p).toEqual(d);
        expect(p[0]).toMatchObject({ n, a: n - 251, x: n - 322 });
        // Every double read back as the same double.
        const back = await pgEngine.query('SELECT r, x FROM loaded WHERE r % 997 = 1 ORDER BY r');
        expect(back.length).toBeGreaterThan(200);
        for (const row of back) expect(row.x).toBe(doubles[row.r as number]);
        const [persistence] = await pgEngine.query("SELECT relpersistence AS p FROM pg_class WHERE oid = CAST('pg_temp.loaded' AS REGCLASS)");
        expect(persistence.p).toBe('t');
        // Loading again replaces the table.
        await pgEngine.loadColumns('loaded', [{ name: 'only', values: [1, 2] }]);
        expect(await pgEngine.query('SELECT * FROM loaded ORDER BY "only"')).toEqual([{ only: 1 }, { only: 2 }]);
    });

    it('describes tables and queries with PostgreSQL type names', async () => {
        await pgEngine.exec('CREATE TEMPORARY TABLE described (i INTEGER, b BIGINT, x DOUBLE PRECISION, m NUMERIC(10, 2), t TEXT, v VARCHAR(20), d DATE, ts TIMESTAMP, f BOOLEAN)');
        expect(await pgEngine.describe('described')).toEqual([
            { name: 'i', type: 'integer' }, { name: 'b', type: 'bigint' }, { name: 'x', type: 'double precision' }, { name: 'm', type: 'numeric(10,2)' },
            { name: 't', type: 'text' }, { name: 'v', type: 'character varying(20)' }, { name: 'd', type: 'date' },
            { name: 'ts', type: 'timestamp without time zone' }, { name: 'f', type: 'boolean' }
        ]);
        expect(await pgEngine.describe('(SELECT 1 AS one, 0.5 AS half)')).toEqual([{ name: 'one', type: 'integer' }, { name: 'half', type: 'numeric' }]);
    });

    it('streams COPY ... TO STDOUT to a file, byte for byte as DuckDB writes the same CSV', async () => {
        const dir = tempDir('mplan-pg-copy-');
        const duck = await DuckDbEngine.open({ readablePaths: [], writableDirectories: [dir] });
        try {
            const texts = ['plain', '', null, 'a,b', 'q"uote', 'new\nline', ' lead', 'é😀', 'NULL'];
            for (const engine of [pgEngine, duck]) await textTable(engine, 'copied', texts);
            const query = 'SELECT i, s FROM copied ORDER BY i';
            const file = path.join(dir, 'pg.csv');
            expect(await pgEngine.copyToFile(query, file)).toBe(texts.length);
            await duck.query(duck.dialect.copyToCsv(query, path.join(dir, 'duck.csv')));
            expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(dir, 'duck.csv'), 'utf8'));
            // Larger than one write: 3 MB in 1 MB chunks.
            const big = path.join(dir, 'big.csv');
            expect(await pgEngine.copyToFile("SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 30000) AS g", big)).toBe(30000);
            const lines = fs.readFileSync(big, 'utf8').trimEnd().split('\n');
            expect(lines.length).toBe(30001);
            expect(lines[30000]).toBe(`30000,${'x'.repeat(100)}`);
            // A failing query leaves no file, and the connection stays usable.
            const bad = path.join(dir, 'bad.csv');
            await expect(pgEngine.copyToFile('SELECT 1 / 0', bad)).rejects.toThrow(/division by zero/);
            expect(fs.existsSync(bad)).toBe(false);
            expect(await pgEngine.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
            await expect(pgEngine.query(pgEngine.dialect.copyToCsv(query, file))).rejects.toThrow(/copyToFile/);
        } finally {
            duck.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('creates only temporary tables, never touches a user table of the same name, and leaves none behind', async () => {
        const admin = await server().admin();
        try {
            await admin.query(`CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1), (2), (3); GRANT SELECT ON customers TO ${server().role}`);
            const engine = await PostgresEngine.open(server().url);
            const d = engine.dialect;
            expect(await engine.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 3 }]);
            // The runner's table shadows the user's for this session only.
            await engine.exec(d.createTemporaryTable(d.ident('customers'), 'SELECT id * 10 AS id FROM public.customers WHERE id < 3'));
            await engine.exec(d.createTemporaryTable(d.ident('customers'), 'SELECT id * 100 AS id FROM public.customers'));
            await engine.loadColumns('schedule', [{ name: 'day', values: [1, 2] }]);
            expect(await engine.query('SELECT sum(id) AS s FROM customers')).toEqual([{ s: 600 }]);
            const [{ pid, schema }] = await engine.query('SELECT pg_backend_pid() AS pid, CAST(pg_my_temp_schema() AS INTEGER) AS schema');
            const temporary = async () => Number((await admin.query("SELECT count(*) AS n FROM pg_class WHERE relnamespace = $1 AND relkind = 'r'", [schema])).rows[0].n);
            expect(await temporary()).toBe(2);
            await engine.close();
            // The backend drops its temporary tables as it exits, just after the socket closes.
            for (let i = 0; i < 100 && (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount! > 0; i++) await sleep(50);
            expect(await temporary()).toBe(0);
            expect((await admin.query('SELECT sum(id) AS s FROM public.customers')).rows[0].s).toBe('6');
            await expect(engine.query('SELECT 1')).rejects.toThrow(/connection is closed/);
        } finally {
            await admin.query('DROP TABLE IF EXISTS customers');
            await admin.end();
        }
    });
});

describe('PostgresEngine errors: one line naming the server, never the password', () => {
    it('a wrong password', async () => {
        const { url, password, port } = server();
        const wrong = url.replace(encodeURIComponent(password), 'Wr0ng-s3cret');
        const error = await PostgresEngine.open(wrong).then(() => undefined, (e: Error) => e);
        expect(error?.message).toMatch(new RegExp(`^could not connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/mplan_test: password authentication failed for user "mplan_runner"$`));
        expect(error?.message).not.toContain('Wr0ng-s3cret');
        expect(error?.message).not.toContain(password);
    });

    it('a refused connection and a server that never answers', async () => {
        const port = await closedPort();
        const refused = await PostgresEngine.open(`postgres://u:Secret123@127.0.0.1:${port}/db`).then(() => undefined, (e: Error) => e);
        expect(refused?.message).toMatch(new RegExp(`^could not connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/db: connection refused`));
        expect(refused?.message).not.toContain('Secret123');
        oneLine(refused!.message);

        const silent = net.createServer(() => {});
        await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
        try {
            const silentPort = (silent.address() as net.AddressInfo).port;
            const start = Date.now();
            const timeout = await PostgresEngine.open(`postgresql://u:Secret123@127.0.0.1:${silentPort}/db`, { connectTimeoutMs: 300 }).then(() => undefined, (e: Error) => e);
            expect(Date.now() - start).toBeLessThan(5000);
            expect(timeout?.message).toBe(`could not connect to PostgreSQL at 127.0.0.1:${silentPort}/db: no answer within 0.3 s`);
        } finally {
            silent.close();
        }
    });

    it('a password from PGPASSWORD, a missing table, a missing privilege and a statement timeout', async () => {
        const { password, url, port } = server();
        const previous = process.env.PGPASSWORD;
        process.env.PGPASSWORD = password;
        let engine: PostgresEngine;
        try {
            engine = await PostgresEngine.open(url.replace(`:${encodeURIComponent(password)}@`, '@'), { statementTimeoutMs: 300 });
        } finally {
            if (previous === undefined) delete process.env.PGPASSWORD;
            else process.env.PGPASSWORD = previous;
        }
        const admin = await server().admin();
        try {
            await admin.query('CREATE TABLE private_table (x INTEGER)');
            const where = `PostgreSQL at 127.0.0.1:${port}/mplan_test: `;
            await expect(engine.query('SELECT * FROM no_such_table')).rejects.toThrow(`${where}relation "no_such_table" does not exist`);
            const denied = await engine.query('SELECT * FROM private_table').then(() => undefined, (e: Error) => e);
            expect(denied?.message).toBe(`${where}permission denied for table private_table (the runner needs CONNECT on the database, TEMPORARY, and SELECT on the source tables)`);
            const slow = await engine.query('SELECT pg_sleep(3)').then(() => undefined, (e: Error) => e);
            expect(slow?.message).toBe(`${where}the statement ran longer than the statement timeout (0.3 s) and was cancelled`);
            const syntax = await engine.query(`SELECT ${engine.dialect.string(password)} FROM`).then(() => undefined, (e: Error) => e);
            oneLine(syntax!.message);
            expect(syntax?.message).not.toContain(password);
            // Still usable after errors.
            expect(await engine.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
        } finally {
            await admin.query('DROP TABLE IF EXISTS private_table');
            await admin.end();
            await engine.close();
        }
    });

    it('redactEngineUrl hides passwords and secret parameters', () => {
        expect(redactEngineUrl('postgres://ann:p%40ss@db.example.com:5433/sales?sslmode=require&sslpassword=kk')).toBe('postgres://ann:***@db.example.com:5433/sales?sslmode=require&sslpassword=***');
        expect(redactEngineUrl('postgresql://ann@db/sales')).toBe('postgresql://ann@db/sales');
        expect(redactEngineUrl('clickhouse://u:top@h:8123/?password=x')).not.toMatch(/top|=x/);
        expect(redactEngineUrl('postgres://u:se cret@[bad')).not.toContain('se cret');
    });
});

describe('PostgresDialect gives what DuckDbDialect gives', () => {
    it('controlHash: the same unsigned 64-bit value as hash.ts, the same groups and order, for thousands of keys and seeds', async () => {
        const keys = hashKeys();
        const seeds = HASH_SEEDS;
        for (const [, engine] of both) await textTable(engine, 'keys', keys);
        for (const seed of seeds) {
            const threshold = controlThreshold(37.5);
            const [p, d] = await onBoth(e => {
                const q = e.dialect;
                return `SELECT i, CAST(${q.controlHash(seed, 's')} AS ${q.type('text')}) AS h, ${q.controlHash(seed, 's')} < ${q.bigInteger(threshold)} AS control, ` +
                    `row_number() OVER (ORDER BY ${q.controlHash(seed, 's')}, i) AS rank FROM keys ORDER BY i`;
            });
            expect(p).toEqual(d);
            p.forEach((row, i) => {
                const h = controlHash(seed, keys[i]);
                expect(row.h).toBe(h.toString());
                expect(row.control).toBe(h < threshold);
            });
        }
        // Values at the ends of the range: above 2^63 (negative as a signed BIGINT) and below.
        const [{ high, low }] = await pgEngine.query(`SELECT sum(CASE WHEN ${pgEngine.dialect.controlHash('x', 's')} >= ${pgEngine.dialect.bigInteger(1n << 63n)} THEN 1 ELSE 0 END) AS high, count(*) AS low FROM keys`);
        expect(high).toBeGreaterThan(1300);
        expect(low).toBe(3000);
    });

    it('quantiles: the same cut points (linear interpolation) on data with ties and NULLs', async () => {
        await loadQuantileData(both.map(([, engine]) => engine));
        const fractions = QUANTILE_FRACTIONS;
        const [p, d] = await onBoth(quantilesSql);
        expect(p.length).toBe(4);
        expect(p.map(r => r.g)).toEqual(d.map(r => r.g));
        p.forEach((row, r) => {
            for (const column of ['qx', 'qk'] as const) {
                const a = row[column] as number[], b = d[r][column] as number[];
                expect(a.length).toBe(fractions.length);
                a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-12 * Math.abs(b[i])));
            }
            expect(row.third).toBe((row.qx as number[])[4]);
        });
        // All NULL: NULL on both.
        const [np, nd] = await onBoth(e => `SELECT ${e.dialect.quantiles('x', [0.5])} AS q FROM qdata WHERE x IS NULL`);
        expect(np).toEqual([{ q: null }]);
        expect(nd).toEqual(np);
    });

    it('dayDiff, dateOfDay and addDays over four centuries of days', async () => {
        const random = prng(5);
        const n = 3000;
        const from = Int32Array.from({ length: n }, () => Math.floor(random() * 146_097) - 60_000);
        const to = Int32Array.from({ length: n }, (_, i) => from[i] + Math.floor((random() - 0.5) * 4000));
        for (const [, engine] of both) await engine.loadColumns('days', [{ name: 'a', values: from }, { name: 'b', values: to }]);
        const [p, d] = await onBoth(e => {
            const q = e.dialect;
            const text = (x: string) => `CAST(${x} AS ${q.type('text')})`;
            return `SELECT a, ${q.dayDiff(q.dateOfDay('a'), q.dateOfDay('b'))} AS diff, ${text(q.dateOfDay('a'))} AS day, ` +
                `${text(q.addDays(q.dateOfDay('a'), 45))} AS later, ${q.dayDiff(q.date(0), q.dateOfDay('b'))} AS since, ` +
                `${q.addDays(q.dateOfDay('a'), -1)} < ${q.dateOfDay('a')} AS before FROM days ORDER BY a, b`;
        });
        expect(p).toEqual(d);
        for (const row of p.slice(0, 200)) {
            const a = row.a as number;
            expect(row.day).toBe(new Date(a * 86_400_000).toISOString().slice(0, 10));
            expect(row.later).toBe(`${new Date((a + 45) * 86_400_000).toISOString().slice(0, 10)} 00:00:00`);
        }
        expect(p.every(r => r.before === true)).toBe(true);
    });

    it('fixed-point sums: exact, equal to BigInt arithmetic, and the same on both engines', async () => {
        const random = prng(9);
        const n = 20_000;
        const x = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Math.round(random() * 1e6) / 3 / 100 : (random() - 0.5) * 10 ** Math.floor(random() * 8)));
        const g = Int32Array.from({ length: n }, (_, i) => i % 7);
        for (const [, engine] of both) await engine.loadColumns('money', [{ name: 'g', values: g }, { name: 'x', type: 'double', values: x }]);
        const [p, d] = await onBoth(fixedPointSql);
        expect(p).toEqual(d);
        for (const row of p) {
            const sum = millionthsOf(g, x, row.g as number);
            expect([row.exact, row.value]).toEqual([sum.toString(), Number(sum) / 1_000_000]);
        }
    });

    it('scaleExponent and scaledInteger: the same grid at and around powers of two, and the same moments', async () => {
        await scaleGridMatchesDuckDb(pgEngine, duck);

        // The moments of moments.ts (shifts, masks, exact sums cast to text) on both engines.
        const random = prng(4);
        const rows = Array.from({ length: 3000 }, (_, i) => [i % 4, random() < 0.1 ? Number.NaN : (random() - 0.5) * 1e5 / 7, random() < 0.1 ? Number.NaN : random() * 3] as const);
        for (const [, engine] of both) await engine.loadColumns('mrows', [{ name: 'grp', values: rows.map(r => r[0]) }, { name: 'x', type: 'double', values: rows.map(r => r[1]) }, { name: 'y', type: 'double', values: rows.map(r => r[2]) }]);
        const spec: MomentsSpec = { columns: [{ column: 'x', n: 'nx', sum: 'sx', variance: 'vx' }, { column: 'y', sum: 'sy', variance: 'vy' }], covariances: [{ x: 'x', y: 'y', covariance: 'cxy' }] };
        const [mp, md] = await onBoth(e => groupMomentsSql(e.dialect, 'SELECT grp, x, y FROM mrows', 'grp', spec));
        expect(finishMoments(mp, spec, 'grp')).toEqual(finishMoments(md, spec, 'grp'));
        expect(finishMoments(mp, spec, 'grp')[0].vx).toBeGreaterThan(0);
    });

    it('tryCast: NULL on the same bad text as DuckDB TRY_CAST (number, date, boolean, timestamp)', async () => {
        const { number: numbers, date: dates, boolean: booleans, timestamp: timestamps } = TRY_CAST_INPUTS;
        const cases: Array<[string, Array<string | null>, (q: SqlEngine['dialect'], s: string) => string]> = [
            ['number', numbers, (q, s) => q.tryCast(s, 'number')],
            ['date', dates, (q, s) => `CAST(${q.tryCast(s, 'date')} AS ${q.type('text')})`],
            ['boolean', booleans, (q, s) => q.tryCast(s, 'boolean')],
            ['timestamp', timestamps, (q, s) => `CAST(${q.tryCast(s, 'timestamp')} AS ${q.type('text')})`]
        ];
        for (const [type, inputs, expression] of cases) {
            for (const [, engine] of both) await textTable(engine, 'casts', inputs);
            const [p, d] = await onBoth(e => `SELECT i, s, ${expression(e.dialect, 's')} AS v FROM casts ORDER BY i`);
            // Not vacuous: both valid and invalid inputs in each list.
            expect(p.filter(r => r.v === null).length).toBeGreaterThan(2);
            expect(p.filter(r => r.v !== null).length).toBeGreaterThan(2);
            const differences = p.map((row, i) => ({ input: inputs[i], postgres: row.v, duckdb: d[i].v })).filter(r => !Object.is(r.postgres, r.duckdb));
            // The only differences, all on text no data file should hold: DuckDB reads "+-1" as -1 and "nan(123)" as NaN,
            // year 0 as 1 BC and a "(BC)" suffix; it refuses a timestamp that is a date followed by a space.
            const known: Record<string, Array<string | null>> = { number: ['+-1', 'nan(123)'], date: ['0000-01-01', '2024-01-05 (BC)'], boolean: [], timestamp: ['2024-01-05 '] };
            expect({ type, differences: differences.map(r => r.input) }).toEqual({ type, differences: known[type].filter(k => inputs.includes(k)) });
        }
    });

    it('keyText: whole numbers without decimals, as DuckDB writes them', async () => {
        const values = [1, 123, -5, 0, 1.5, -0.25, 0.1, 1e-7, 123456789012.5, 2 ** 53, 1e18, 3.14159, 1 / 3];
        for (const [, engine] of both) await engine.loadColumns('keys_x', [{ name: 'x', type: 'double', values }]);
        const [p, d] = await onBoth(e => `SELECT ${e.dialect.keyText('x', e === pgEngine ? 'double precision' : 'DOUBLE')} AS k FROM keys_x ORDER BY x`);
        expect(p).toEqual(d);
        expect(p.map(r => r.k)).toContain('9007199254740992');
        const [decimals] = await onBoth(e => `SELECT ${e.dialect.keyText('m', e === pgEngine ? 'numeric(10,2)' : 'DECIMAL(10,2)')} AS k FROM (VALUES (CAST(5.00 AS DECIMAL(10, 2))), (CAST(5.50 AS DECIMAL(10, 2))), (CAST(-7 AS DECIMAL(10, 2)))) AS v(m) ORDER BY m`);
        expect(decimals.map(r => r.k)).toEqual(['-7', '5', '5.50']);
    });

    it('literals, finiteNumber and isFinite', async () => {
        const q = pgEngine.dialect;
        const tricky = "it's \\ a \"test\" -- ; /* é 😀";
        const [row] = await pgEngine.query(`SELECT ${q.string(tricky)} AS ${q.ident('col "x"')}, ${q.number(0.1)} + ${q.number(0.2)} AS sum, ${q.number(-1e-300)} AS tiny, ${q.date(19_723)} AS day`);
        expect(row).toEqual({ 'col "x"': tricky, sum: 0.1 + 0.2, tiny: -1e-300, day: '2024-01-01' });
        for (const [, engine] of both) await engine.loadColumns('finite', [{ name: 'x', type: 'double', values: [1, 2, Number.NaN] }]);
        expect(await pgEngine.query(`SELECT ${q.finiteNumber('x')} AS x, ${q.isFinite('x')} AS ok FROM finite ORDER BY x`)).toEqual([{ x: 1, ok: true }, { x: 2, ok: true }, { x: null, ok: null }]);
        const [p, d] = await onBoth(e => `SELECT ${e.dialect.isFinite(e.dialect.tryCast('s', 'number'))} AS ok FROM (VALUES ('1'), ('inf'), ('-inf'), ('nan')) AS v(s)`);
        expect(p).toEqual(d);
        expect(p.map(r => r.ok)).toEqual([true, false, false, false]);
        await expect(pgEngine.query(`SELECT ${q.finiteNumber(`CAST('Infinity' AS DOUBLE PRECISION) * x`)} AS x FROM finite`)).rejects.toThrow(NOT_FINITE);
        expect(() => q.readFile('/tmp/x.csv', 'csv')).toThrow(/not supported on this engine: the runner loads files itself/);
    });
});

function sleep(ms: number) {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
    const s = net.createServer();
    await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise(resolve => s.close(resolve));
    return port;
}
