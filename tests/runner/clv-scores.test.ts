// Per-customer CLV scores, through `mplan run` and `mplan audience` on the CDNOW sample: every customer's alive,
// purchases, spend and clv in segments.csv against an independent computation — the calibration summary counted from
// the CSV here, the models applied with the report's parameters, the spend mean and the discounted sum written out
// again — and a segment and an audience that read the scores choose exactly the customers the scores say.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from '../../src/runner/models/bg-nbd.js';
import { paretoNbdConditionalExpectedPurchases, paretoNbdProbabilityAlive } from '../../src/runner/models/pareto-nbd.js';
import { day, readCsv, runCli, sharedData, tempDir } from './helpers.js';

const dir = tempDir('mplan-clv-scores-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CALIBRATION_END = day('1997-09-30');

interface Summary { x: number; tx: number; T: number; meanRepeat: number | null }

/** Each customer's calibration summary in weeks, from the file: same-day purchases one, their amounts summed. */
function summaries(): Map<string, Summary> {
    const byKey = new Map<string, Map<number, number>>();
    for (const r of readCsv(path.join(sharedData, 'cdnow_sample.csv'))) {
        const t = day(r.date);
        if (t < day('1997-01-01') || t > CALIBRATION_END) continue;
        const days = byKey.get(r.customer_id) ?? new Map<number, number>();
        days.set(t, (days.get(t) ?? 0) + Number(r.amount));
        byKey.set(r.customer_id, days);
    }
    const result = new Map<string, Summary>();
    for (const [key, days] of byKey) {
        const sorted = [...days.keys()].sort((a, b) => a - b);
        const repeat = sorted.slice(1).map(t => days.get(t)!);
        result.set(key, {
            x: sorted.length - 1,
            tx: (sorted[sorted.length - 1] - sorted[0]) / 7,
            T: (CALIBRATION_END - sorted[0]) / 7,
            meanRepeat: repeat.length > 0 ? repeat.reduce((a, b) => a + b, 0) / repeat.length : null
        });
    }
    return result;
}

async function scored(model: 'bgnbd' | 'paretonbd'): Promise<{ report: Report; rows: Array<Record<string, string>> }> {
    const sub = path.join(dir, model);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, 'plan.mplan'), `plan "CLV scores" {
  objective retention
  customers buyers from "${path.join(sharedData, 'cdnow_sample_customers.csv')}" key customer_id
  events purchases from "${path.join(sharedData, 'cdnow_sample.csv')}" customer customer_id time date {
    amount: number
  }
  clv value from purchases {
    model ${model}
    monetary amount
    period week
    calibration 1997-01-01 to 1997-09-30
    horizon 52 weeks
    discount 10% per year
    margin 30%
  }
  segment fading = value.alive < 50% and value.clv >= 2
  channel email cost 0.02 per contact
  metric bought = any(purchases)
  campaign save_the_fading {
    audience fading
    channel email
    runs 1997-10-01 to 1997-10-31
    control 20% seed "fading-1997"
    goal lift(bought) >= 5 pp by 1997-12-31
  }
}
`);
    const args = ['--as-of', '1998-07-01', '--data-root', sharedData];
    const run = await runCli(['run', 'plan.mplan', '--out', 'out', ...args], sub);
    if (run.code !== 0) throw new Error(run.stderr);
    const audience = await runCli(['audience', 'plan.mplan', '--out', 'audience', ...args], sub);
    if (audience.code !== 0) throw new Error(audience.stderr);
    return {
        report: JSON.parse(fs.readFileSync(path.join(sub, 'out', 'report.json'), 'utf8')),
        rows: readCsv(path.join(sub, 'audience', 'segments.csv'))
    };
}

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);

describe.each(['bgnbd', 'paretonbd'] as const)('CLV scores (%s) on the CDNOW sample', model => {
    let report: Report;
    let rows: Array<Record<string, string>>;
    beforeAll(async () => ({ report, rows } = await scored(model)));

    it('gives every customer the scores an independent computation gives, with the report\'s parameters', () => {
        const c = report.clv[0];
        const params = c.parameters as never;
        const { p, q, v } = c.spend!;
        const perPeriod = Math.pow(1.1, 7 / 365) - 1;
        const expected = (h: Summary, t: number) => (model === 'bgnbd'
            ? bgNbdConditionalExpectedPurchases(params, h, t)
            : paretoNbdConditionalExpectedPurchases(params, h, t));
        const all = summaries();
        expect(rows).toHaveLength(2357);
        expect(all.size).toBe(2357);
        let worst = 0;
        for (const row of rows) {
            const h = all.get(row.customer_id)!;
            const alive = model === 'bgnbd' ? bgNbdProbabilityAlive(params, h) : paretoNbdProbabilityAlive(params, h);
            const spend = h.x === 0 ? (p * v) / (q - 1) : (p * (v + h.x * h.meanRepeat!)) / (p * h.x + q - 1);
            let discounted = 0;
            for (let k = 1; k <= 52; k++) discounted += (expected(h, k) - expected(h, k - 1)) / Math.pow(1 + perPeriod, k);
            const want = { alive, purchases: expected(h, 52), spend, clv: 0.3 * spend * discounted };
            for (const score of ['alive', 'purchases', 'spend', 'clv'] as const) {
                worst = Math.max(worst, relative(Number(row[`value.${score}`]), want[score]));
            }
        }
        expect(worst).toBeLessThan(1e-9);
    });

    it('flags the segment and fills the audience from the scores', () => {
        const fading = rows.filter(r => Number(r['value.alive']) < 0.5 && Number(r['value.clv']) >= 2).map(r => r.customer_id);
        expect(fading.length).toBeGreaterThan(50);
        expect(rows.filter(r => r.fading === '1').map(r => r.customer_id)).toEqual(fading);
        const members = readCsv(path.join(dir, model, 'audience', 'save_the_fading.csv')).map(r => r.customer_id);
        expect(members).toEqual(fading);
    });
});
