// The control-group hash: the TypeScript reference and the SQL the engine runs agree on every key, and the
// threshold is exact (10% means exactly one tenth of the 2^64 hash values).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { TWO_POW_64, controlHash, controlThreshold, hashUnit, isControl } from '../../src/runner/hash.js';
import { createHash } from 'node:crypto';

describe('control hash', () => {
    let engine: DuckDbEngine;
    beforeAll(async () => {
        engine = await DuckDbEngine.open({ readablePaths: [] });
    });
    afterAll(() => engine.close());

    it('is the first 8 bytes of SHA-256(seed:key), big-endian', () => {
        const digest = createHash('sha256').update('winback-2026:42').digest('hex');
        expect(controlHash('winback-2026', '42')).toBe(BigInt('0x' + digest.slice(0, 16)));
        expect(hashUnit('winback-2026', '42')).toBeCloseTo(Number(BigInt('0x' + digest.slice(0, 16))) / 2 ** 64, 15);
    });

    it('has exact thresholds', () => {
        expect(controlThreshold(50)).toBe(1n << 63n);
        expect(controlThreshold(100)).toBe(TWO_POW_64);
        expect(controlThreshold(0)).toBe(0n);
        // 10% of 2^64 = 1844674407370955161.6 → the first integer not below it.
        expect(controlThreshold(10)).toBe(1844674407370955162n);
        expect(controlThreshold(12.5)).toBe(TWO_POW_64 / 8n);
    });

    it('gives the same hash and the same group in SQL and in TypeScript, for 20,000 keys and awkward seeds', async () => {
        const d = engine.dialect;
        for (const seed of ['winback-2026', "o'brien \"quoted\" seed", 'ünïcødé 🎯', '']) {
            const threshold = controlThreshold(10);
            const rows = await engine.query(
                `SELECT k, CAST(${d.controlHash(seed, 'k')} AS VARCHAR) AS h, ${d.controlHash(seed, 'k')} < ${d.bigInteger(threshold)} AS control ` +
                `FROM (SELECT CAST(i AS VARCHAR) AS k FROM range(1, 5001) t(i) UNION ALL SELECT 'C-' || i || '-é' FROM range(5001, 20001) t(i)) ORDER BY k`
            );
            expect(rows.length).toBe(20000);
            let controls = 0;
            for (const row of rows) {
                const key = String(row.k);
                expect(BigInt(String(row.h)), `${seed}:${key}`).toBe(controlHash(seed, key));
                expect(row.control).toBe(isControl(seed, key, 10));
                if (row.control) controls++;
            }
            // About 10%: 2,000 ± 3 standard deviations (σ ≈ 42).
            expect(Math.abs(controls - 2000)).toBeLessThan(130);
        }
    });

    it('decides each customer alone: the same keys get the same groups in a larger population', async () => {
        const d = engine.dialect;
        const query = (n: number) => engine.query(`SELECT CAST(i AS VARCHAR) AS k, ${d.controlHash('s', 'CAST(i AS VARCHAR)')} < ${d.bigInteger(controlThreshold(20))} AS c FROM range(1, ${n}) t(i) ORDER BY i`);
        const small = await query(1000);
        const large = await query(5000);
        expect(large.slice(0, small.length)).toEqual(small);
    });
});
