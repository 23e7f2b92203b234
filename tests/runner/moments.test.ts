// The per-group moments (src/runner/sql/moments.ts) against exact rational arithmetic: sums, variances and
// covariances of values put on a fixed-point grid, finished with BigInt, on data where the textbook formulas fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { finishMoments, groupMomentsSql } from '../../src/runner/sql/moments.js';
import type { MomentsSpec } from '../../src/runner/sql/moments.js';
import { prng } from '../../scripts/prng.js';

let engine: DuckDbEngine;
beforeAll(async () => {
    engine = await DuckDbEngine.open({ readablePaths: [], threads: 4 });
});
afterAll(() => engine.close());

/** A double as an exact fraction: [numerator, power of two of the denominator]. */
function exact(x: number): [bigint, number] {
    let e = 0;
    while (!Number.isInteger(x * 2 ** e)) e++;
    return [BigInt(x * 2 ** e), e];
}

/** Σx, (Σx²·n − (Σx)²)/(n(n−1)) and the covariance, exactly, as numbers rounded once. */
function reference(xs: number[], ys: number[]) {
    const E = 80;
    const scale = (x: number) => { const [m, e] = exact(x); return m << BigInt(E - e); };
    const X = xs.map(scale), Y = ys.map(scale);
    const n = BigInt(xs.length);
    const sx = X.reduce((a, b) => a + b, 0n), sy = Y.reduce((a, b) => a + b, 0n);
    const sxx = X.reduce((a, b) => a + b * b, 0n), sxy = X.reduce((a, b, i) => a + b * Y[i], 0n);
    const ratio = (num: bigint, den: bigint) => Number((num << 200n) / den) / 2 ** 200;
    const unit = 1n << BigInt(2 * E);
    return {
        sum: Number(sx) / 2 ** E,
        variance: ratio(n * sxx - sx * sx, n * (n - 1n) * unit),
        covariance: ratio(n * sxy - sx * sy, n * (n - 1n) * unit)
    };
}

async function moments(rows: Array<[string, number | null, number | null]>) {
    const values = rows.map(([g, x, y]) => `('${g}', ${JSON.stringify(x)}::DOUBLE, ${JSON.stringify(y)}::DOUBLE)`).join(', ');
    const spec: MomentsSpec = { columns: [{ column: 'x', n: 'n', sum: 'sum', variance: 'var' }, { column: 'y', variance: 'vary' }], covariances: [{ x: 'x', y: 'y', covariance: 'cov' }] };
    const sql = groupMomentsSql(engine.dialect, `SELECT * FROM (VALUES ${values}) t(grp, x, y)`, 'grp', spec);
    return finishMoments(await engine.query(sql), spec, 'grp');
}

describe('group moments', () => {
    it('are exact where the textbook formulas cancel: a large mean and a tiny spread', async () => {
        const random = prng(5);
        const xs = Array.from({ length: 2000 }, () => 1e9 + Math.floor(random() * 1000) / 3);
        const ys = xs.map(x => 2 * x - 1e9 + random());
        const [row] = await moments(xs.map((x, i) => ['a', x, ys[i]]));
        const ref = reference(xs, ys);
        expect(row.n).toBe(2000);
        expect(Math.abs((row.sum as number) - ref.sum) / ref.sum).toBeLessThan(1e-15);
        expect(Math.abs((row.var as number) - ref.variance) / ref.variance).toBeLessThan(1e-12);
        expect(Math.abs((row.cov as number) - ref.covariance) / ref.covariance).toBeLessThan(1e-12);
    });

    it('keep values of any scale, groups apart, missing values out and small groups without a variance', async () => {
        const [a, b, c, d] = await moments([
            ['a', 1e-150, 1], ['a', 3e-150, 2], ['a', 2e-150, 3],
            ['b', -5e150, 0], ['b', 5e150, 0],
            ['c', 7, 1],
            ['d', 1, 1], ['d', 2, 2], ['d', null, 4], ['d', 4, null]
        ]);
        expect((a.sum as number) / 6e-150).toBeCloseTo(1, 14);
        expect((a.var as number) / 1e-300).toBeCloseTo(1, 12);
        expect(b.sum).toBe(0);
        expect((b.var as number) / 5e301).toBeCloseTo(1, 12);
        expect(c.var).toBeNull();
        expect(c.cov).toBeNull();
        // Missing values are left out of each column, and of the pairs for the covariance.
        expect(d).toMatchObject({ n: 3, sum: 7, var: 7 / 3, vary: 7 / 3, cov: 0.5 });
    });
});
