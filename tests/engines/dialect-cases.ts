// Shared by the engine tests (postgres.test.ts, clickhouse.test.ts): the inputs each dialect must treat as DuckDB does,
// and small helpers that build them on any engine through its dialect.
import { expect } from 'vitest';
import type { LoadedColumn, SqlEngine } from '../../src/runner/engine/engine.js';
import { prng } from '../../scripts/prng.js';

/** A table (i INTEGER, s TEXT) of the given texts, on an engine, through its dialect. */
export async function textTable(engine: SqlEngine, name: string, texts: Array<string | null>): Promise<void> {
    const d = engine.dialect;
    const rows = texts.map((t, i) => `(${i}, ${t === null ? 'NULL' : d.string(t)})`).join(', ');
    await engine.exec(d.createTemporaryTable(d.ident(name), `SELECT i, CAST(s AS ${d.type('text')}) AS s FROM (VALUES ${rows}) AS v(i, s)`));
}

/** Texts for TRY_CAST to each type: valid and invalid, edge cases of DuckDB's syntax and ranges. */
export const TRY_CAST_INPUTS: Record<'number' | 'date' | 'boolean' | 'timestamp', Array<string | null>> = {
    number: ['1', '1.5', ' 1.5 ', '\t2\n', '+3', '-4', '.5', '5.', '1e3', '1E-3', '1e', 'e3', 'inf', '-inf', 'Infinity', 'INF', 'nan', 'NaN', '-nan',
        '0x1A', '1_000', '1_000.5', '1e1_0', '1,5', '1.5.2', '', '  ', 'abc', '1 2', '١', '0b101', '1d', '1f', '00012', '-0', '+.5e+2', '1e400', '-1e400',
        '-1e-400', '1e99999', '-1e-99999', '0e99999', '1.8e308', '2e-324', '3e-324', '5e-324', '1__0', '_1', '1_', '1._5', '1_.5', '.', '-.', '.e1', '1e+', '++1', '1e 5', '+-1', 'nan(123)', null],
    date: ['2024-01-05', ' 2024-01-05 ', '2024-1-5', '2024/01/05', '2024.01.05', '2024 01 05', '20240105', '2024-02-30', '2023-02-29', '2024-02-29',
        '10000-01-01', '2024-01-05 10:00:00', '2024-01-05T10:00:00', 'Jan 5 2024', '01/05/2024', 'today', '2024-13-01', '2024-00-10', '2024-01-00',
        '2024-01-5x', '24-01-05', '2024-01', '2024-001-05', '1-01-01', '2024-01/05', 'epoch', 'infinity', '', 'x', '+2024-01-05', '0000-01-01', '2024-01-05 (BC)', null],
    boolean: ['true', 'false', 'TRUE', 'True', 't', 'f', 'T', '1', '0', 'yes', 'no', 'y', 'n', 'on', 'off', ' true ', 'tru', '2', '-1', '1.0', '', 'null', null],
    timestamp: ['2024-01-05', '2024-01-05 10:00:00', '2024-01-05T10:00:00', '2024-01-05 10:00', '2024-01-05 10', '2024-01-05 10:00:00.123456',
        '2024-01-05 10:00:00.1234567', '2024-01-05 10:00:00Z', '2024-01-05 10:00:00+02', '2024-01-05 24:00:00', '2024-01-05 23:59:60', '2024-01-05 10:61:00',
        '2024/01/05 10:00:00', '20240105 100000', '2024-01-05 10:00:00 UTC', '2024-01-05 1:2:3', '2024-1-5 10:00:00', '2024-02-30 10:00:00', 'x', '2024-01-05 10:00:00 +02:00', '2024-01-05 ', null],
};

/** 3000 keys for the control hash: quotes, backslashes, colons, unicode, numbers. */
export function hashKeys(): string[] {
    const random = prng(12);
    const alphabet = ["'", '"', '\\', ':', ' ', 'a', 'Z', '0', '9', 'é', 'ß', '中', '😀', '\t', '%', '_', '-', '.'];
    const keys: string[] = ['', '0', '00123', '123', '1.5', '-7', "O'Brien", 'ünïcödé', '😀😀', 'a:b'];
    while (keys.length < 3000) {
        if (random() < 0.3) keys.push(String(Math.floor(random() * 1e9)));
        else keys.push(Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    }
    return keys;
}

export const HASH_SEEDS = ['spring-2024', "it's", 'ключ:ü', '', '😀'];

export function roundHalfEven(v: number): number {
    const r = Math.round(v);
    return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Table qdata (g, k INTEGER with NULLs, x DOUBLE with NULLs, ties among small whole numbers) on each engine. */
export async function loadQuantileData(engines: SqlEngine[]): Promise<void> {
    const random = prng(3);
    const n = 5000;
    const values = new Float64Array(n), groups = new Int32Array(n), ints = new Int32Array(n);
    for (let i = 0; i < n; i++) {
        groups[i] = i % 5 === 0 ? 0 : i < 20 ? 1 : i < 1000 ? 2 : 3;
        values[i] = random() < 0.1 ? Number.NaN : random() < 0.3 ? Math.floor(random() * 5) : (random() - 0.3) * 1e6 / 3;
        ints[i] = random() < 0.1 ? -1 : Math.floor(random() * 20);
    }
    for (const engine of engines) await engine.loadColumns('qdata', [{ name: 'g', values: groups }, { name: 'k', values: ints }, { name: 'x', type: 'double', values }], -1);
}

export const QUANTILE_FRACTIONS = [0, 0.1, 0.2, 0.25, 1 / 3, 0.5, 2 / 3, 0.8, 0.9, 0.99, 1];

/** Per group of qdata: the quantiles of x and k, and the fifth of x's through listElement. */
export function quantilesSql(engine: SqlEngine): string {
    const q = engine.dialect;
    return `SELECT g, ${q.quantiles('x', QUANTILE_FRACTIONS)} AS qx, ${q.quantiles('k', QUANTILE_FRACTIONS)} AS qk, ` +
        `${q.listElement(q.quantiles('x', QUANTILE_FRACTIONS), 5)} AS third FROM qdata GROUP BY g ORDER BY g`;
}

/** Magnitudes at, just above and just below powers of two over the whole range of doubles, subnormals included. */
export function powerOfTwoMagnitudes(): number[] {
    const magnitudes: number[] = [];
    for (let k = -1070; k <= 1023; k += 7) for (const f of [1, 1 + 2 ** -52, 1 - 2 ** -53, 1.5, 0.75]) magnitudes.push(2 ** k * f);
    magnitudes.push(0, 1e-300, 1e-310, Number.MAX_VALUE, Number.MIN_VALUE, 1, 2, 3, 0.1);
    return magnitudes;
}

/**
 * scaleExponent and scaledInteger on the power-of-two grid (table `mags`, loaded on both): `engine` gives DuckDB's rows,
 * one per magnitude.
 */
export async function scaleGridMatchesDuckDb(engine: SqlEngine, duck: SqlEngine): Promise<void> {
    const magnitudes = powerOfTwoMagnitudes();
    for (const e of [engine, duck]) await e.loadColumns('mags', [{ name: 'm', type: 'double', values: magnitudes.filter(Number.isFinite) }]);
    const onBoth = async (sql: (e: SqlEngine) => string) => [await engine.query(sql(engine)), await duck.query(sql(duck))];
    const [exponents, duckExponents] = await onBoth(e => `SELECT m, ${e.dialect.scaleExponent('m', 60)} AS e FROM mags ORDER BY m`);
    expect(exponents.length).toBe(magnitudes.length);
    expect(exponents).toEqual(duckExponents);
    const [scaled, duckScaled] = await onBoth(e => `SELECT m, CAST(${e.dialect.scaledInteger('-m', e.dialect.scaleExponent('m', 60))} AS ${e.dialect.type('text')}) AS big FROM mags ORDER BY m`);
    expect(scaled).toEqual(duckScaled);
}

/** Per group of table money (g, x): Σ x in whole millionths through fixedPointSum, as text, and its value. */
export function fixedPointSql(engine: SqlEngine): string {
    const q = engine.dialect;
    const scale = q.number(1_000_000);
    return `SELECT g, CAST(${q.fixedPointSum('x', scale)} AS ${q.type('text')}) AS exact, ${q.fixedPointValue(q.fixedPointSum('x', scale), scale)} AS value FROM money GROUP BY g ORDER BY g`;
}

/** What fixedPointSql must give for a group: each x · 10^6 rounded half to even, added in BigInt. */
export function millionthsOf(groups: ArrayLike<number>, x: ArrayLike<number>, group: number): bigint {
    let sum = 0n;
    for (let i = 0; i < x.length; i++) if (groups[i] === group) sum += BigInt(roundHalfEven(x[i] * 1_000_000));
    return sum;
}

/** The name of loadedColumns' integer column: quotes and a backslash. */
export const LOADED_INT = 'a "b\\';

/**
 * 250,001 rows for loadColumns (NULL: -1): r, an integer column with NULLs and the 32-bit ends, and a double column
 * with NULLs (NaN, ±Infinity), -0, the smallest subnormal and 40 orders of magnitude.
 */
export function loadedColumns(): { n: number; doubles: Float64Array; columns: LoadedColumn[] } {
    const random = prng(7);
    const n = 250_001;
    const ints = new Int32Array(n), doubles = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        ints[i] = i % 1000 === 0 ? -1 : i === 1 ? -(2 ** 31) : i === 2 ? 2 ** 31 - 1 : Math.floor((random() - 0.5) * 2 ** 31);
        doubles[i] = i % 777 === 0 ? (i % 2 ? Number.NaN : i % 3 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : i === 5 ? -0 : i === 7 ? Number.MIN_VALUE : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
    }
    const columns = [{ name: 'r', values: Int32Array.from({ length: n }, (_, i) => i) }, { name: LOADED_INT, values: ints }, { name: 'x', type: 'double' as const, values: doubles }];
    return { n, doubles, columns };
}

/** Counts, sum and ends of table loaded: n, a and x must be n, n − 251 and n − 322. */
export function loadedSummarySql(engine: SqlEngine): string {
    const a = engine.dialect.ident(LOADED_INT);
    return `SELECT count(*) AS n, count(${a}) AS a, count(x) AS x, sum(${a}) AS s, min(x) AS lo, max(x) AS hi FROM loaded`;
}
