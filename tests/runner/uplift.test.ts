// The uplift curve and the Qini coefficient (src/runner/models/uplift.ts) on MineThatData: the Mens e-mail against
// the No e-mail control, ranked by `history`, outcome `visit` (and `spend`, a continuous outcome). The expected
// figures come from an independent computation here: uplift@k per group as scikit-uplift's `uplift_at_k`
// (average='group', floor instead of ceil, as the issue says), the Qini curve and coefficient as its `qini_curve`,
// `perfect_qini_curve` (negative_effect=True) and `qini_auc_score` with sklearn's trapezoidal `auc`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { PERFECT_SCORE, qiniAreaSql, qiniCoefficient, upliftPoints, upliftPointsSql } from '../../src/runner/models/uplift.js';
import { readCsv, sharedData } from './helpers.js';

interface Row { t: number; s: number; y: number; k: string }

const file = path.join(sharedData, 'hillstrom.csv');
let rows: Row[] = [];
let engine: DuckDbEngine;

beforeAll(async () => {
    const data = readCsv(file);
    rows = data.map((r, i) => ({ r, k: String(i + 1) }))
        .filter(({ r }) => r.segment === 'Mens E-Mail' || r.segment === 'No E-Mail')
        .map(({ r, k }) => ({ t: r.segment === 'Mens E-Mail' ? 1 : 0, s: Number(r.history), y: Number(r.visit), k, spend: Number(r.spend) } as Row & { spend: number }));
    engine = await DuckDbEngine.open({ readablePaths: [fs.realpathSync(file)] });
    await engine.exec(`CREATE TABLE hs AS SELECT CAST(row_number() OVER () AS VARCHAR) AS k, * FROM read_csv('${fs.realpathSync(file)}', header = true)`);
    await engine.exec(`CREATE TABLE u AS SELECT CASE WHEN segment = 'Mens E-Mail' THEN 1 ELSE 0 END AS t, CAST(history AS DOUBLE) AS s, CAST(visit AS DOUBLE) AS y, CAST(spend AS DOUBLE) AS spend, k FROM hs WHERE segment IN ('Mens E-Mail', 'No E-Mail')`);
});
afterAll(() => engine?.close());

/** uplift@k: the top floor(k·n) of each group by score (highest first, ties by key as text). */
function upliftAt(data: Row[], tenth: number): { treatment: number; control: number } {
    const top = (t: number) => {
        const group = data.filter(r => r.t === t).sort((a, b) => b.s - a.s || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
        const n = Math.floor((tenth * group.length) / 10);
        return group.slice(0, n).reduce((sum, r) => sum + r.y, 0) / n;
    };
    return { treatment: top(1), control: top(0) };
}

/** scikit-uplift's qini_curve: thresholds where the (descending) score changes; then sklearn's trapezoidal auc. */
function qiniArea(data: Row[], score: (r: Row) => number): { auc: number; n: number; last: number } {
    const sorted = [...data].sort((a, b) => score(b) - score(a));
    const xs = [0], ys = [0];
    let nt = 0, yt = 0, yc = 0;
    sorted.forEach((r, i) => {
        nt += r.t;
        if (r.t === 1) yt += r.y; else yc += r.y;
        const last = i === sorted.length - 1 || score(sorted[i + 1]) !== score(r);
        if (!last) return;
        const na = i + 1, nc = na - nt;
        xs.push(na);
        ys.push(yt - (nc > 0 ? (yc * nt) / nc : 0));
    });
    let auc = 0;
    for (let i = 1; i < xs.length; i++) auc += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
    return { auc, n: xs[xs.length - 1], last: ys[ys.length - 1] };
}

describe('uplift by history on MineThatData (Mens e-mail against No e-mail)', () => {
    it('gives the uplift at every tenth of an independent computation', async () => {
        const points = upliftPoints(await engine.query(upliftPointsSql(engine.dialect, 'u')));
        expect(points.map(p => p.fraction)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
        expect(rows.length).toBe(42_613);
        for (const [i, p] of points.entries()) {
            const expected = upliftAt(rows, i + 1);
            expect(p.treatment).toBeCloseTo(expected.treatment, 12);
            expect(p.control).toBeCloseTo(expected.control, 12);
            expect(p.uplift).toBeCloseTo(expected.treatment - expected.control, 12);
        }
        // The whole groups: MineThatData's published visit rates, 18.28% against 10.62%.
        expect(points[9].treatment).toBeCloseTo(0.1828, 4);
        expect(points[9].control).toBeCloseTo(0.1062, 4);
    });

    it('gives the pooled Qini curve at every tenth and the Qini coefficient of scikit-uplift', async () => {
        const points = upliftPoints(await engine.query(upliftPointsSql(engine.dialect, 'u')));
        const pooled = [...rows].sort((a, b) => b.s - a.s || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
        for (const [i, p] of points.entries()) {
            const top = pooled.slice(0, Math.floor(((i + 1) * pooled.length) / 10));
            const nt = top.filter(r => r.t === 1).length, nc = top.length - nt;
            const yt = top.filter(r => r.t === 1).reduce((s, r) => s + r.y, 0), yc = top.filter(r => r.t === 0).reduce((s, r) => s + r.y, 0);
            expect(p.qini).toBeCloseTo(yt - (yc * nt) / nc, 9);
        }
        const [actual] = await engine.query(qiniAreaSql(engine.dialect, 'u', 'r.s'));
        const [perfect] = await engine.query(qiniAreaSql(engine.dialect, 'u', PERFECT_SCORE));
        const a = qiniArea(rows, r => r.s), b = qiniArea(rows, r => r.y * r.t - r.y * (1 - r.t));
        expect(Number(actual.auc)).toBeCloseTo(a.auc, 4);
        expect(Number(perfect.auc)).toBeCloseTo(b.auc, 4);
        const coefficient = qiniCoefficient({ auc: Number(actual.auc) }, { auc: Number(perfect.auc), n: Number(perfect.n), last: Number(perfect.last) });
        const expected = (a.auc - (b.n * b.last) / 2) / (b.auc - (b.n * b.last) / 2);
        expect(coefficient).toBeCloseTo(expected, 10);
        // History ranks visits only weakly: a small positive coefficient, far below the perfect ranking's 1.
        expect(coefficient!).toBeGreaterThan(-0.2);
        expect(coefficient!).toBeLessThan(0.2);
    });

    it('handles a continuous outcome (spend) and a score without ties the same way', async () => {
        const spend = rows.map(r => ({ ...r, y: (r as Row & { spend: number }).spend }));
        await engine.exec('CREATE OR REPLACE TABLE us AS SELECT t, s, spend AS y, k FROM u');
        const points = upliftPoints(await engine.query(upliftPointsSql(engine.dialect, 'us')));
        for (const [i, p] of points.entries()) {
            const expected = upliftAt(spend, i + 1);
            expect(p.uplift).toBeCloseTo(expected.treatment - expected.control, 9);
        }
        const [actual] = await engine.query(qiniAreaSql(engine.dialect, 'us', 'r.s'));
        expect(Number(actual.auc)).toBeCloseTo(qiniArea(spend, r => r.s).auc, 2);
    });

    it('gives no coefficient when the perfect ranking finds no increment', () => {
        expect(qiniCoefficient({ auc: 0 }, { auc: 0, n: 10, last: 0 })).toBeNull();
    });
});
