// ChdbEngine and ClickHouseDialect on chDB (in-process ClickHouse) against DuckDB: the same SQL from the two dialects
// must give the same values, down to the hash groups, the quantile cut points and the exact sums. chDB is ~550 MB, so
// it is installed apart: `npm ci --prefix tests/engines/chdb` (.ci/run does it). Without it these tests are skipped
// with that hint, except under CI, where they fail.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHDB_MISSING, ChdbEngine } from '../../src/runner/engine/chdb-engine.js';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import type { Row, SqlEngine } from '../../src/runner/engine/engine.js';
import { controlHash, controlThreshold } from '../../src/runner/hash.js';
import { NOT_FINITE } from '../../src/runner/sql/duckdb-dialect.js';
import { prng } from '../../scripts/prng.js';
import { tempDir } from '../runner/helpers.js';
import { CHDB_AVAILABLE } from './test-engines.js';
import { PLAIN_VALUES, copyToFileMatchesDuckDb, loadColumnsMatchesDuckDb, importCsvMatchesDuckDb, plainValuesSql } from './clickhouse-cases.js';
import { HASH_SEEDS, TRY_CAST_INPUTS, fixedPointSql, hashKeys, loadQuantileData, millionthsOf, scaleGridMatchesDuckDb, quantilesSql, textTable } from './dialect-cases.js';

if (!CHDB_AVAILABLE) console.warn('clickhouse.test.ts skipped: chDB is not installed. Install it with: npm ci --prefix tests/engines/chdb --no-audit --no-fund');

let ch: ChdbEngine;
let duck: DuckDbEngine;
let both: Array<[string, SqlEngine]>;

/** The same query, written by each engine's dialect, on both engines. */
async function onBoth(sql: (engine: SqlEngine) => string): Promise<[Row[], Row[]]> {
    return [await ch.query(sql(ch)), await duck.query(sql(duck))];
}

/** A boolean expression as a boolean: ClickHouse's comparisons give UInt8 0 and 1. */
function bool(engine: SqlEngine, expression: string): string {
    return `CAST(${expression} AS ${engine.dialect.type('boolean')})`;
}

describe.skipIf(!CHDB_AVAILABLE)('chDB', () => {
    beforeAll(async () => {
        try {
            ch = await ChdbEngine.open({ threads: 2 });
        } catch (error) {
            throw new Error(`${(error as Error).message} (for the tests: npm ci --prefix tests/engines/chdb --no-audit --no-fund)`);
        }
        duck = await DuckDbEngine.open({ readablePaths: [], threads: 2 });
        both = [['clickhouse', ch], ['duckdb', duck]];
    }, 120_000);
    afterAll(() => {
        duck?.close();
        ch?.close();
    });

    describe('ChdbEngine', () => {
        it('returns plain values like DuckDbEngine for the same query', async () => {
            const [c, d] = await onBoth(plainValuesSql);
            expect(c).toEqual(d);
            expect(c).toEqual(PLAIN_VALUES);
            const [special] = await ch.query("SELECT [inf, -inf, nan] AS a, CAST([DATE '2024-01-02'] AS Array(Date32)) AS days, [toDateTime64('2024-01-05 10:00:00', 6, 'UTC')] AS times, 1 = 1 AS cmp");
            expect(special).toEqual({ a: [Infinity, -Infinity, Number.NaN], days: ['2024-01-02'], times: ['2024-01-05'], cmp: 1 });
        });

        it('loads columns into a temporary table, in chunks, with NULLs, exactly', async () => {
            await loadColumnsMatchesDuckDb(ch, duck);
            const [temporary] = await ch.query("SELECT is_temporary AS t FROM system.tables WHERE name = 'loaded'");
            expect(temporary).toEqual({ t: 1 });
            // Loading again replaces the table; no rows make an empty one.
            await ch.loadColumns('loaded', [{ name: 'only', values: [1, 2] }]);
            expect(await ch.query('SELECT * FROM loaded ORDER BY "only"')).toEqual([{ only: 1 }, { only: 2 }]);
            await ch.loadColumns('loaded', [{ name: 'none', type: 'double', values: [] }]);
            expect(await ch.query('SELECT count(*) AS n FROM loaded')).toEqual([{ n: 0 }]);
            await expect(ch.loadColumns('bad', [{ name: 'x', values: [1.5] }])).rejects.toThrow('column x: 1.5 is not a 32-bit whole number');
        });

        it('describes tables and queries with ClickHouse type names', async () => {
            await ch.exec("CREATE TEMPORARY TABLE described (i Int32, b Nullable(Int64), x Float64, m Decimal(10, 2), t Nullable(String), d Date32, ts DateTime64(6, 'UTC'), f Bool) ENGINE = Memory");
            expect(await ch.describe('described')).toEqual([
                { name: 'i', type: 'Int32' }, { name: 'b', type: 'Nullable(Int64)' }, { name: 'x', type: 'Float64' }, { name: 'm', type: 'Decimal(10, 2)' },
                { name: 't', type: 'Nullable(String)' }, { name: 'd', type: 'Date32' }, { name: 'ts', type: "DateTime64(6, 'UTC')" }, { name: 'f', type: 'Bool' }
            ]);
            const d = ch.dialect;
            expect(await ch.describe(`(SELECT 1 AS one, ${d.number(0.5)} AS half, ${d.cast("'x'", 'text')} AS ${d.ident('a`b')})`)).toEqual([
                { name: 'one', type: 'UInt8' }, { name: 'half', type: 'Float64' }, { name: 'a`b', type: 'Nullable(String)' }
            ]);
        });

        it('copyToFile writes the bytes DuckDB writes and answers with their count', () => copyToFileMatchesDuckDb(ch));

        it('temporary tables: replaced, shadowing a database table of the same name', async () => {
            const d = ch.dialect;
            try {
                await ch.exec('CREATE TABLE customers (id Int32) ENGINE = Memory; INSERT INTO customers VALUES (1), (2), (3)');
                await ch.exec(d.createTemporaryTable(d.ident('customers'), 'SELECT id * 10 AS id FROM default.customers WHERE id < 3'));
                await ch.exec(d.createTemporaryTable(d.ident('customers'), 'SELECT id * 100 AS id FROM default.customers'));
                expect(await ch.query('SELECT sum(id) AS s FROM customers')).toEqual([{ s: 600 }]);
                expect(await ch.query('SELECT sum(id) AS s FROM default.customers')).toEqual([{ s: 6 }]);
                expect(await ch.query("SELECT count() AS n FROM system.tables WHERE is_temporary AND name = 'customers'")).toEqual([{ n: 1 }]);
            } finally {
                await ch.exec('DROP TEMPORARY TABLE IF EXISTS customers; DROP TABLE IF EXISTS default.customers');
            }
        });

        it('importCsv loads the typed rows DuckDB writes, exactly; dates outside 1900..2299 fail', () => importCsvMatchesDuckDb(ch));

        it('copyToFile answers with the row count and leaves no file when the query fails', async () => {
            const dir = tempDir('mplan-ch-copyfile-');
            try {
                const file = path.join(dir, 'out.csv');
                expect(await ch.copyToFile('SELECT number AS n FROM numbers(30000)', file)).toBe(30000);
                expect(fs.readFileSync(file, 'utf8').split('\n').length).toBe(30002);
                const bad = path.join(dir, 'bad.csv');
                await expect(ch.copyToFile('SELECT throwIf(number = 5, \'boom\') FROM numbers(10)', bad)).rejects.toThrow(/^chDB: boom/);
                expect(fs.existsSync(bad)).toBe(false);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it('errors are one line without a stack; a missing chdb says how to install it', async () => {
            const syntax = await ch.query('SELECT FROM WHERE').then(() => undefined, (e: Error) => e);
            expect(syntax?.message).toMatch(/^chDB: Syntax error/);
            expect(syntax?.message).not.toMatch(/\n/);
            const missing = await ch.query('SELECT * FROM no_such_table').then(() => undefined, (e: Error) => e);
            expect(missing?.message).toMatch(/^chDB: .*no_such_table.*UNKNOWN_TABLE/);
            expect(await ch.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
            const previous = process.env.MPLAN_CHDB_MODULE;
            process.env.MPLAN_CHDB_MODULE = path.join(tempDir('mplan-no-chdb-'), 'chdb');
            try {
                if (!resolvable('chdb')) await expect(ChdbEngine.open()).rejects.toThrow(new RegExp(`^${CHDB_MISSING}$`));
            } finally {
                process.env.MPLAN_CHDB_MODULE = previous;
            }
        });
    });

    describe('ClickHouseDialect gives what DuckDbDialect gives', () => {
        it('controlHash: the same unsigned 64-bit value as hash.ts, the same groups and order, for thousands of keys and seeds', async () => {
            const keys = hashKeys();
            for (const [, engine] of both) await textTable(engine, 'keys', keys);
            for (const seed of HASH_SEEDS) {
                const threshold = controlThreshold(37.5);
                const [c, d] = await onBoth(e => {
                    const q = e.dialect;
                    return `SELECT i, CAST(${q.controlHash(seed, 's')} AS ${q.type('text')}) AS h, ${bool(e, `${q.controlHash(seed, 's')} < ${q.bigInteger(threshold)}`)} AS control, ` +
                        `row_number() OVER (ORDER BY ${q.controlHash(seed, 's')}, i) AS rank FROM keys ORDER BY i`;
                });
                expect(c).toEqual(d);
                c.forEach((row, i) => {
                    const h = controlHash(seed, keys[i]);
                    expect(row.h).toBe(h.toString());
                    expect(row.control).toBe(h < threshold);
                });
            }
            const [{ high }] = await ch.query(`SELECT countIf(${ch.dialect.controlHash('x', 's')} >= ${ch.dialect.bigInteger(1n << 63n)}) AS high FROM keys`);
            expect(high).toBeGreaterThan(1300);
        });

        it('quantiles: the same cut points (linear interpolation) on data with ties and NULLs', async () => {
            await loadQuantileData(both.map(([, engine]) => engine));
            const [c, d] = await onBoth(quantilesSql);
            expect(c.length).toBe(4);
            expect(c.map(r => r.g)).toEqual(d.map(r => r.g));
            c.forEach((row, r) => {
                for (const column of ['qx', 'qk'] as const) expect(row[column]).toEqual(d[r][column]);
                expect(row.third).toBe((row.qx as number[])[4]);
            });
            // All NULL: NULL on DuckDB; a list of NULLs on ClickHouse (no NULL arrays), so each element is NULL on both.
            const [nc, nd] = await onBoth(e => `SELECT ${e.dialect.quantiles('x', [0.5, 0.9])} AS q, ${e.dialect.listElement(e.dialect.quantiles('x', [0.5, 0.9]), 2)} AS second FROM qdata WHERE x IS NULL`);
            expect(nd).toEqual([{ q: null, second: null }]);
            expect(nc).toEqual([{ q: [null, null], second: null }]);
        });

        it('dayDiff, dateOfDay and addDays over four centuries of days (ClickHouse dates: 1900 to 2299)', async () => {
            const random = prng(5);
            const n = 3000;
            // 1901-01-01 is day -25202; 2299-12-31 is day 120529.
            const from = Int32Array.from({ length: n }, () => -25_000 + Math.floor(random() * 141_000));
            const to = Int32Array.from({ length: n }, (_, i) => Math.min(120_529, Math.max(-25_202, from[i] + Math.floor((random() - 0.5) * 4000))));
            for (const [, engine] of both) await engine.loadColumns('days', [{ name: 'a', values: from }, { name: 'b', values: to }]);
            const [c, d] = await onBoth(e => {
                const q = e.dialect;
                const text = (x: string) => `CAST(${x} AS ${q.type('text')})`;
                return `SELECT a, ${q.dayDiff(q.dateOfDay('a'), q.dateOfDay('b'))} AS diff, ${text(q.dateOfDay('a'))} AS day, ` +
                    `${text(`CAST(${q.addDays(q.dateOfDay('a'), 45)} AS ${q.type('date')})`)} AS later, ${q.dayDiff(q.date(0), q.dateOfDay('b'))} AS since, ` +
                    `${bool(e, `${q.addDays(q.dateOfDay('a'), -1)} < ${q.dateOfDay('a')}`)} AS before, ${q.dayDiff(q.addDays(q.dateOfDay('a'), -3), q.dateOfDay('a'))} AS back ` +
                    'FROM days ORDER BY a, b';
            });
            expect(c).toEqual(d);
            for (const row of c.slice(0, 200)) {
                const a = row.a as number;
                expect(row.day).toBe(new Date(a * 86_400_000).toISOString().slice(0, 10));
                expect(row.later).toBe(new Date((a + 45) * 86_400_000).toISOString().slice(0, 10));
            }
            expect(c.every(r => r.before === true && r.back === 3)).toBe(true);
            // A timestamp's text has six decimals on ClickHouse (DateTime64(6)), none on DuckDB.
            const [stamp] = await ch.query(`SELECT CAST(${ch.dialect.addDays(ch.dialect.date(19_723), 1)} AS ${ch.dialect.type('text')}) AS t`);
            expect(stamp).toEqual({ t: '2024-01-02 00:00:00.000000' });
        });

        it('fixed-point sums: exact, equal to BigInt arithmetic, and the same on both engines', async () => {
            const random = prng(9);
            const n = 20_000;
            // Thirds of cents (the order of float additions matters), halves (ties to even) and large magnitudes.
            const x = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Math.round(random() * 1e6) / 3 / 100 : i % 3 === 1 ? (Math.floor(random() * 1e7) + 0.5) / 1e6 : (random() - 0.5) * 10 ** Math.floor(random() * 12)));
            const g = Int32Array.from({ length: n }, (_, i) => i % 7);
            for (const [, engine] of both) await engine.loadColumns('money', [{ name: 'g', values: g }, { name: 'x', type: 'double', values: x }]);
            const [c, d] = await onBoth(fixedPointSql);
            expect(c).toEqual(d);
            for (const row of c) {
                const sum = millionthsOf(g, x, row.g as number);
                expect([row.exact, row.value]).toEqual([sum.toString(), Number(sum) / 1_000_000]);
            }
            // Beyond 64 bits per row: an error on both, never a wrapped value.
            for (const [, engine] of both) {
                await expect(engine.query(`SELECT ${engine.dialect.fixedPointSum(engine.dialect.number(1e19), '1')} AS s`)).rejects.toThrow();
            }
        });

        it('integerSum is exact where a 64-bit sum would wrap; highBits and lowBits split negative numbers as DuckDB does', async () => {
            // |x| up to 2^61 (the moments' grid): five of them in a group pass 2^63.
            const values = ['-1', '0', '1', '-2147483649', '2147483648', '123456789012345', '-2305843009213693952',
                ...Array.from({ length: 15 }, (_, i) => (2n ** 61n - BigInt(i * 7919)).toString())];
            const rows = values.map((v, i) => `(${i % 3}, CAST('${v}' AS BIGINT))`).join(', ');
            const [c, d] = await onBoth(e => {
                const q = e.dialect;
                const text = (x: string) => `CAST(${x} AS ${q.type('text')})`;
                return `SELECT g, ${text(q.integerSum('x'))} AS s, ${text(`${q.integerSum('x')} FILTER (WHERE x > 0)`)} AS positive, ` +
                    `${text(q.integerSum(`${q.highBits('x', 31)} * ${q.highBits('x', 31)}`))} AS hh, ${text(q.integerSum(`${q.highBits('x', 31)} * ${q.lowBits('x', 31)}`))} AS hl, ` +
                    `${text(q.integerSum(q.lowBits('x', 31)))} AS l FROM (VALUES ${rows}) AS v(g, x) GROUP BY g ORDER BY g`;
            });
            expect(c).toEqual(d);
            const big = values.map(BigInt);
            const sum = (f: (x: bigint) => bigint, g: number) => big.filter((_, i) => i % 3 === g).reduce((a, x) => a + f(x), 0n).toString();
            expect(c.map(r => r.s)).toEqual([0, 1, 2].map(g => sum(x => x, g)));
            expect(c.map(r => r.hh)).toEqual([0, 1, 2].map(g => sum(x => (x >> 31n) * (x >> 31n), g)));
            expect(c.map(r => r.l)).toEqual([0, 1, 2].map(g => sum(x => x & 0x7fffffffn, g)));
        });

        it('scaleExponent and scaledInteger: the same grid at and around powers of two', async () => {
            await scaleGridMatchesDuckDb(ch, duck);
            const [nc, nd] = await onBoth(e => `SELECT ${e.dialect.scaleExponent('NULL', 60)} AS a, ${e.dialect.scaleExponent(e.dialect.number(0), 60)} AS b`);
            expect(nc).toEqual(nd);
            expect(nc).toEqual([{ a: 1000, b: 1000 }]);
        });

        it('tryCast: NULL on the same bad text as DuckDB TRY_CAST (number, date, boolean, timestamp)', async () => {
            const cases: Array<[keyof typeof TRY_CAST_INPUTS, (q: SqlEngine['dialect'], s: string) => string]> = [
                ['number', (q, s) => q.tryCast(s, 'number')],
                ['date', (q, s) => `CAST(${q.tryCast(s, 'date')} AS ${q.type('text')})`],
                ['boolean', (q, s) => q.tryCast(s, 'boolean')],
                // Timestamps compared as text without ClickHouse's six decimals of zeros.
                ['timestamp', (q, s) => q.name === 'clickhouse' ? `replaceRegexpOne(CAST(${q.tryCast(s, 'timestamp')} AS String), '\\\\.?0*$', '')` : `CAST(${q.tryCast(s, 'timestamp')} AS VARCHAR)`]
            ];
            for (const [type, expression] of cases) {
                const inputs = [...TRY_CAST_INPUTS[type], ...(type === 'date' ? ['1899-12-31', '1900-01-01', '2299-12-31', '2300-01-01'] : [])];
                for (const [, engine] of both) await textTable(engine, 'casts', inputs);
                const [c, d] = await onBoth(e => `SELECT i, s, ${expression(e.dialect, 's')} AS v FROM casts ORDER BY i`);
                expect(c.filter(r => r.v === null).length).toBeGreaterThan(2);
                expect(c.filter(r => r.v !== null).length).toBeGreaterThan(2);
                const differences = c.map((row, i) => ({ input: inputs[i], clickhouse: row.v, duckdb: d[i].v })).filter(r => !Object.is(r.clickhouse, r.duckdb));
                // The only differences: dates outside ClickHouse's 1900..2299 (NULL there, also infinity), text DuckDB
                // reads oddly ("+-1" as -1, "nan(123)" as NaN, a "(BC)" suffix), and a timestamp that is a date and a
                // space, which DuckDB refuses.
                const known: Record<string, Array<string | null>> = {
                    number: ['+-1', 'nan(123)'],
                    date: ['10000-01-01', '24-01-05', '1-01-01', 'infinity', '0000-01-01', '2024-01-05 (BC)', '1899-12-31', '2300-01-01'],
                    boolean: [],
                    timestamp: ['2024-01-05 ']
                };
                expect({ type, differences: differences.map(r => r.input) }).toEqual({ type, differences: known[type] });
            }
        });

        it('keyText: whole numbers without decimals, as DuckDB writes them', async () => {
            const values = [1, 123, -5, 0, 1.5, -0.25, 0.1, 1e-7, 2.5e-5, 1e-300, 123456789012.5, 2 ** 53, 1e18, 2 ** 70, -(2 ** 100), 3.14159, 1 / 3, 1e15 + 0.5];
            for (const [, engine] of both) await engine.loadColumns('keys_x', [{ name: 'x', type: 'double', values }]);
            const [c, d] = await onBoth(e => `SELECT ${e.dialect.keyText('x', e === ch ? 'Nullable(Float64)' : 'DOUBLE')} AS k FROM keys_x ORDER BY x`);
            expect(c).toEqual(d);
            expect(c.map(r => r.k)).toContain('9007199254740992');
            expect(c.map(r => r.k)).toContain('1e-07');
            const [decimals] = await onBoth(e => `SELECT ${e.dialect.keyText('m', e === ch ? 'Decimal(10, 2)' : 'DECIMAL(10,2)')} AS k FROM (VALUES (CAST(5.00 AS DECIMAL(10, 2))), (CAST(5.50 AS DECIMAL(10, 2))), (CAST(-7 AS DECIMAL(10, 2))), (CAST(-0.05 AS DECIMAL(10, 2)))) AS v(m) ORDER BY m`);
            expect(decimals.map(r => r.k)).toEqual(['-7', '-0.05', '5', '5.50']);
            const [ints] = await onBoth(e => `SELECT ${e.dialect.keyText('b', e === ch ? 'Int64' : 'BIGINT')} AS k FROM (VALUES (CAST(9007199254740993 AS BIGINT)), (CAST(-9223372036854775807 AS BIGINT))) AS v(b) ORDER BY b`);
            expect(ints.map(r => r.k)).toEqual(['-9223372036854775807', '9007199254740993']);
        });

        it('round (halves away from zero), epochSeconds, rowId, and a temporary table made from itself', async () => {
            const values = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.4, 2 ** 52 + 0.5, 4503599627370497, 1e300, -1e-300, 123.456, Number.MAX_VALUE];
            for (const [, engine] of both) await engine.loadColumns('rounding', [{ name: 'i', values: values.map((_, i) => i) }, { name: 'x', type: 'double', values }]);
            const [rc, rd] = await onBoth(e => `SELECT i, ${e.dialect.round('x')} AS r FROM rounding ORDER BY i`);
            expect(rc).toEqual(rd);
            expect(rc.slice(0, 6).map(r => r.r)).toEqual([1, 2, 3, -1, -2, -3]);
            expect(Object.is(rc[7].r, -0)).toBe(true);
            const days = [-25_567, -1, 0, 1, 19_723, 120_529];
            for (const [, engine] of both) await engine.loadColumns('epochs', [{ name: 'day', values: days }]);
            const [ec, ed] = await onBoth(e => {
                const q = e.dialect;
                return `SELECT day, ${q.epochSeconds(q.dateOfDay('day'))} AS a, ${q.epochSeconds(q.addDays(q.dateOfDay('day'), 1))} AS b, ` +
                    `${q.epochSeconds(q.tryCast(q.string('2024-01-05 10:11:12.345678'), 'timestamp'))} AS c FROM epochs ORDER BY day`;
            });
            expect(ec).toEqual(ed);
            expect(ec.map(r => r.a)).toEqual(days.map(day => day * 86_400));
            expect(ec[0].c).toBe(1704449472.345678);
            expect(await ch.query(`SELECT ${ch.dialect.rowId('u')} AS id FROM (SELECT 7 AS __rowid) AS u`)).toEqual([{ id: 7 }]);
            // The query may read the table it replaces.
            for (const [, engine] of both) {
                const q = engine.dialect;
                await engine.exec(q.createTemporaryTable(q.ident('itself'), 'SELECT 1 AS a'));
                await engine.exec(q.createTemporaryTable(q.ident('itself'), `SELECT a + 1 AS a, ${q.string('x')} AS b FROM ${q.ident('itself')}`));
                expect(await engine.query('SELECT * FROM itself')).toEqual([{ a: 2, b: 'x' }]);
            }
        });

        it('literals, quoting of nasty text, finiteNumber and isFinite', async () => {
            const nasty = ["it's \\ a \"test\" -- ; /* é 😀", '\\', "\\'", "'; DROP TABLE x; --", 'line\nbreak\r\ttab', '`tick`', '\\x41\\0\\n', 'ключ 中 \u2028'];
            for (const text of nasty) {
                const [c, d] = await onBoth(e => `SELECT ${e.dialect.string(text)} AS ${e.dialect.ident(text)}, ${bool(e, `${e.dialect.string(text)} = ${e.dialect.string(text.slice(0, -1))}`)} AS same`);
                expect(c).toEqual(d);
                expect(c[0][text]).toBe(text);
            }
            const q = ch.dialect;
            const [row] = await ch.query(`SELECT ${q.number(0.1)} + ${q.number(0.2)} AS sum, ${q.number(-1e-300)} AS tiny, ${q.number(Number.MAX_VALUE)} AS max, ${q.date(19_723)} AS day, ${q.date(-25_567)} AS first`);
            expect(row).toEqual({ sum: 0.1 + 0.2, tiny: -1e-300, max: Number.MAX_VALUE, day: '2024-01-01', first: '1900-01-01' });
            expect(() => q.string('a\0b')).toThrow(/NUL/);
            expect(() => q.ident('a\0b')).toThrow(/NUL/);
            for (const [, engine] of both) await engine.loadColumns('finite', [{ name: 'x', type: 'double', values: [1, 2, Number.NaN] }]);
            const [fc, fd] = await onBoth(e => `SELECT ${e.dialect.finiteNumber('x')} AS x, ${e.dialect.isFinite('x')} AS ok FROM finite ORDER BY x`);
            expect(fc).toEqual(fd);
            expect(fc).toEqual([{ x: 1, ok: true }, { x: 2, ok: true }, { x: null, ok: null }]);
            const [ic, id] = await onBoth(e => `SELECT ${e.dialect.isFinite(e.dialect.tryCast('s', 'number'))} AS ok FROM (VALUES ('1'), ('inf'), ('-inf'), ('nan')) AS v(s)`);
            expect(ic).toEqual(id);
            expect(ic.map(r => r.ok)).toEqual([true, false, false, false]);
            for (const [, engine] of both) {
                const [inf, nan] = [`${engine.dialect.number(1e300)} * ${engine.dialect.number(1e300)} * x`, `${engine.dialect.number(0)} / ${engine.dialect.number(0)} + x`];
                for (const bad of [inf, nan]) await expect(engine.query(`SELECT ${engine.dialect.finiteNumber(bad)} AS x FROM finite`)).rejects.toThrow(NOT_FINITE);
            }
            expect(() => q.readFile('/tmp/x.csv', 'csv')).toThrow(/not supported on this engine: the runner loads files itself/);
        });
    });

    describe('ChdbEngine.close', () => {
        it('ends the session and removes its folder: one chDB session per process, so the next engine opens after', async () => {
            // Runs last in the file (vitest keeps the order): later tests would need the closed engine.
            const folder = ch.folder;
            await ch.exec(ch.dialect.createTemporaryTable(ch.dialect.ident('left_behind'), 'SELECT 1 AS x'));
            expect(fs.existsSync(folder)).toBe(true);
            await expect(ChdbEngine.open()).rejects.toThrow(/^chDB: .*only one active data directory per process/);
            ch.close();
            expect(fs.existsSync(folder)).toBe(false);
            await expect(ch.query('SELECT 1')).rejects.toThrow('chDB: the engine is closed');
            expect(() => ch.close()).not.toThrow();
            ch = await ChdbEngine.open({ memoryLimit: '512MiB', threads: 3 });
            expect(await ch.query("SELECT count() AS n FROM system.tables WHERE name = 'left_behind'")).toEqual([{ n: 0 }]);
            // The memory cap and the threads, and the settings of standard NULLs.
            expect(await ch.query("SELECT getSetting('max_memory_usage') AS m, getSetting('max_bytes_before_external_sort') AS spill, getSetting('max_threads') AS t, getSetting('join_use_nulls') AS j"))
                .toEqual([{ m: 512 * 1024 * 1024, spill: 256 * 1024 * 1024, t: 3, j: true }]);
        });
    });
});

function resolvable(id: string): boolean {
    try {
        createRequire(import.meta.url).resolve(id);
        return true;
    } catch {
        return false;
    }
}
