// The lifetime-value models' per-customer summary (src/runner/models/clv-summary.ts) on the CDNOW sample of Fader,
// Hardie and Lee (2005), against an independent computation from the file and the paper's own figures: 2,357
// customers, 1,411 of them without a repeat purchase in the 39-week calibration period (weeks 1-39 of 1997).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { clvCustomersSql, clvGroupsSql, clvHoldoutSql } from '../../src/runner/models/clv-summary.js';
import { day, readCsv, sharedData } from './helpers.js';

const file = path.join(sharedData, 'cdnow_sample.csv');
const START = day('1997-01-01'), END = day('1997-09-30'), HOLDOUT_END = day('1998-06-30');
let engine: DuckDbEngine;
const purchases = readCsv(file).map(r => ({ key: r.customer_id, day: day(r.date), amount: Number(r.amount) }));

beforeAll(async () => {
    engine = await DuckDbEngine.open({ readablePaths: [fs.realpathSync(file)] });
    await engine.exec(`CREATE TABLE p AS SELECT CAST(customer_id AS VARCHAR) AS key, CAST(date AS DATE) AS day, CAST(amount AS DOUBLE) AS amount ` +
        `FROM read_csv('${fs.realpathSync(file)}', header = true, types = {'customer_id': 'VARCHAR'})`);
    await engine.exec(`CREATE TABLE c AS ${clvCustomersSql(engine.dialect, 'p', { start: START, end: END })}`);
});
afterAll(() => engine?.close());

/** Per customer, from the rows: purchase days (same-day merged) with their summed amounts, in the calibration period. */
function independent() {
    const byKey = new Map<string, Map<number, number>>();
    for (const p of purchases) {
        if (p.day < START || p.day > END) continue;
        const days = byKey.get(p.key) ?? new Map<number, number>();
        byKey.set(p.key, days);
        days.set(p.day, (days.get(p.day) ?? 0) + p.amount);
    }
    return new Map([...byKey].map(([key, days]) => {
        const sorted = [...days.keys()].sort((a, b) => a - b);
        const repeat = sorted.slice(1).map(d => days.get(d)!);
        return [key, {
            x: sorted.length - 1,
            tx: sorted[sorted.length - 1] - sorted[0],
            t: END - sorted[0],
            repeatAmount: repeat.length > 0 ? repeat.reduce((a, b) => a + b, 0) / repeat.length : null
        }];
    }));
}

describe('the CLV summary of the CDNOW sample, calibration 1997-01-01 to 1997-09-30', () => {
    it('has the paper\'s 2,357 customers, 1,411 of them without a repeat purchase', async () => {
        const [row] = await engine.query('SELECT count(*) AS n, count(*) FILTER (WHERE x = 0) AS zero FROM c');
        expect(Number(row.n)).toBe(2357);
        expect(Number(row.zero)).toBe(1411);
    });

    it('gives x, t_x, T (in days) and the mean repeat spend of an independent computation for every customer', async () => {
        const rows = await engine.query('SELECT key, x, tx_days, t_days, repeat_amount FROM c');
        const expected = independent();
        expect(rows.length).toBe(expected.size);
        for (const r of rows) {
            const e = expected.get(String(r.key))!;
            expect([Number(r.x), Number(r.tx_days), Number(r.t_days)], String(r.key)).toEqual([e.x, e.tx, e.t]);
            if (e.repeatAmount === null) expect(r.repeat_amount).toBeNull();
            else expect(Number(r.repeat_amount)).toBeCloseTo(e.repeatAmount, 9);
        }
        // A first purchase on 1997-01-01 has T = 272 days (38.857 weeks).
        expect(rows.some(r => Number(r.t_days) === 272)).toBe(true);
    });

    it('groups identical (x, t_x, T), and counts every customer once', async () => {
        const groups = await engine.query(clvGroupsSql('c'));
        expect(groups.reduce((s, g) => s + Number(g.n), 0)).toBe(2357);
        expect(new Set(groups.map(g => `${g.x}|${g.tx_days}|${g.t_days}`)).size).toBe(groups.length);
        expect(groups.length).toBeLessThan(2357);
    });

    it('counts each fitted customer\'s repeat purchase days after calibration, up to the holdout end', async () => {
        const rows = await engine.query(clvHoldoutSql(engine.dialect, 'p', 'c', END, HOLDOUT_END));
        const fitted = new Set(independent().keys());
        const expected = new Map<string, Set<number>>();
        for (const p of purchases) {
            if (!fitted.has(p.key) || p.day <= END || p.day > HOLDOUT_END) continue;
            expected.set(p.key, (expected.get(p.key) ?? new Set()).add(p.day));
        }
        expect(rows.length).toBe(2357);
        for (const r of rows) expect(Number(r.holdout), String(r.key)).toBe(expected.get(String(r.key))?.size ?? 0);
    });
});
