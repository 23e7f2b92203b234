// Shared by the ClickHouse engines' tests (clickhouse.test.ts on chDB, clickhouse-http.test.ts over HTTP): the CSV
// hand-over both ways, held to DuckDB's bytes and values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import type { SqlEngine } from '../../src/runner/engine/engine.js';
import { tempDir } from '../runner/helpers.js';
import { loadedColumns, loadedSummarySql, textTable } from './dialect-cases.js';

/** One row of every kind of value a query returns, spelled by the engine's dialect: must give PLAIN_VALUES. */
export function plainValuesSql(e: SqlEngine): string {
    const q = e.dialect;
    return `SELECT CAST(42 AS BIGINT) AS big, count(*) AS n, sum(x) AS s, CAST(2.5 AS DECIMAL(10, 2)) AS dec, ${q.number(0.1)} AS dbl, ` +
        `${q.date(19_782)} AS day, CAST('2024-01-05 10:11:12' AS TIMESTAMP) AS ts, ${q.string("é'x\\n")} AS txt, TRUE AS flag, ` +
        `CAST(NULL AS ${q.type('number')}) AS nothing, ${q.quantiles('x', [0.25, 0.5])} AS q, ${q.bigInteger(12345678901234567890n)} AS huge, ` +
        `${q.number(-0)} AS zero, ${q.number(1e-300)} * ${q.number(1e-300)} AS under, ${q.number(1e300)} * ${q.number(1e300)} AS over ` +
        `FROM (VALUES (1), (2), (3), (4)) AS v(x)`;
}

/** What plainValuesSql gives, as DuckDbEngine returns it. */
export const PLAIN_VALUES = [{ big: 42, n: 4, s: 10, dec: 2.5, dbl: 0.1, day: '2024-02-29', ts: '2024-01-05', txt: "é'x\\n", flag: true, nothing: null, q: [1.75, 2.5], huge: 12345678901234567000, zero: 0, under: 0, over: Infinity }];

/** loadColumns' 250,001 rows on both engines: the same counts and sums, every double read back as the same double. */
export async function loadColumnsMatchesDuckDb(ch: SqlEngine, duck: SqlEngine): Promise<void> {
    const { n, doubles, columns } = loadedColumns();
    for (const engine of [ch, duck]) await engine.loadColumns('loaded', columns, -1);
    const [c, d] = [await ch.query(loadedSummarySql(ch)), await duck.query(loadedSummarySql(duck))];
    expect(c).toEqual(d);
    expect(c[0]).toMatchObject({ n, a: n - 251, x: n - 322 });
    // -0 and the smallest subnormal too.
    const back = await ch.query('SELECT r, x FROM loaded WHERE r % 997 = 1 OR r IN (5, 7) ORDER BY r');
    expect(back.length).toBeGreaterThan(200);
    for (const row of back) expect(Object.is(row.x, doubles[row.r as number])).toBe(true);
}

/** copyToFile writes the bytes DuckDB writes (quoting, NULLs, doubles, booleans, dates) and answers with their count. */
export async function copyToFileMatchesDuckDb(ch: SqlEngine): Promise<void> {
    const dir = tempDir('mplan-ch-copy-');
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
        // Writing again replaces the file.
        expect(await ch.copyToFile('SELECT 1 AS one', file)).toBe(1);
        expect(fs.readFileSync(file, 'utf8')).toBe('one\n1\n');
    } finally {
        copier.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** importCsv loads the typed rows DuckDB writes, exactly; dates outside 1900..2299 fail. */
export async function importCsvMatchesDuckDb(ch: SqlEngine): Promise<void> {
    const dir = tempDir('mplan-ch-import-');
    const reader = await DuckDbEngine.open({ readablePaths: [], writableDirectories: [dir] });
    try {
        const rows = [
            "(0, 'plain', 0.1, DATE '2024-02-29', TIMESTAMP '2024-01-05 10:11:12.123456', true, 9007199254740993)",
            "(1, '', -0.0, DATE '1900-01-01', TIMESTAMP '1900-01-01 00:00:00', false, -9223372036854775807)",
            "(2, NULL, NULL, NULL, NULL, NULL, NULL)",
            `(3, ${reader.dialect.string('q"uo,te\n\\ \'x')}, 1e-07, DATE '2299-12-31', TIMESTAMP '2299-12-31 23:59:59', true, 0)`,
            `(4, ${reader.dialect.string(' lead')}, 1.7976931348623157e308, DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00.5', false, 1)`,
            `(5, 'NULL', 5e-324, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', true, 2)`
        ];
        const typed = `SELECT CAST(r AS BIGINT) AS r, CAST(t AS VARCHAR) AS ${reader.dialect.ident('a "t\\')}, CAST(x AS DOUBLE) AS x, d, ts, b, CAST(big AS BIGINT) AS big FROM (VALUES ${rows.join(', ')}) AS v(r, t, x, d, ts, b, big)`;
        const file = path.join(dir, 'rows.csv');
        expect(await reader.copyToFile(typed, file)).toBe(rows.length);
        const columns = [{ name: 'r', type: 'integer' as const }, { name: 'a "t\\', type: 'text' as const }, { name: 'x', type: 'number' as const }, { name: 'd', type: 'date' as const },
            { name: 'ts', type: 'timestamp' as const }, { name: 'b', type: 'boolean' as const }, { name: 'big', type: 'integer' as const }];
        const read = (e: SqlEngine) => {
            const q = e.dialect;
            const text = (x: string) => `CAST(${x} AS ${q.type('text')})`;
            return `SELECT r, ${q.ident('a "t\\')} AS t, x, ${text('d')} AS d, ${q.epochSeconds('ts')} AS ts, b, ${text('big')} AS big FROM imported ORDER BY r`;
        };
        // DuckDB's own importCsv (the reader may read the folder) against ClickHouse's.
        for (const engine of [ch, reader]) await engine.importCsv(engine.dialect.ident('imported'), columns, file);
        const [c, d] = [await ch.query(read(ch)), await reader.query(read(reader))];
        expect(c).toEqual(d);
        expect(c.map(r => r.t)).toEqual(['plain', '', null, 'q"uo,te\n\\ \'x', ' lead', 'NULL']);
        expect(c.map(r => r.x)).toEqual([0.1, 0, null, 1e-7, Number.MAX_VALUE, Number.MIN_VALUE]);
        expect(c.map(r => r.big)).toEqual(['9007199254740993', '-9223372036854775807', null, '0', '1', '2']);
        expect(await ch.describe('imported')).toEqual(columns.map(col => ({ name: col.name, type: col.type === 'integer' ? 'Nullable(Int64)' : ch.dialect.type(col.type) })));
        // A date ClickHouse cannot hold is an error, not a clamped value.
        for (const [day, time] of [["DATE '1899-12-31'", "TIMESTAMP '2024-01-01 00:00:00'"], ["DATE '2024-01-01'", "TIMESTAMP '2300-01-01 00:00:00'"]]) {
            await reader.copyToFile(`SELECT ${day} AS d, ${time} AS ts`, file);
            await expect(ch.importCsv(ch.dialect.ident('outside'), [{ name: 'd', type: 'date' }, { name: 'ts', type: 'timestamp' }], file)).rejects.toThrow(/outside the years 1900 to 2299/);
        }
    } finally {
        reader.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
