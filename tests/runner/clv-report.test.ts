// A `clv` model through `mplan run`: the CDNOW sample, calibration 1997-01-01 to 1997-09-30 in weeks. The report's
// BG/NBD and Gamma-Gamma parameters are the published ones (Fader, Hardie and Lee 2005: r = 0.243, α = 4.414,
// a = 0.793, b = 2.426, log-likelihood −9582.4; p = 6.25, q = 3.74, v = 15.44), and the holdout table's actual repeat
// purchases (weeks 40 to 78) are an independent count from the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { day, readCsv, runCli, sharedData, tempDir } from './helpers.js';

const dir = tempDir('mplan-clv-report-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let report: Report;

beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "CLV" {
  objective retention
  customers buyers from "${path.join(sharedData, 'cdnow_sample_customers.csv')}" key customer_id
  events purchases from "${path.join(sharedData, 'cdnow_sample.csv')}" customer customer_id time date {
    amount: number
  }
  clv value from purchases {
    monetary amount
    period week
    calibration 1997-01-01 to 1997-09-30
    horizon 52 weeks
  }
}
`);
    const result = await runCli(['run', 'plan.mplan', '--out', 'out', '--as-of', '1998-07-01', '--data-root', sharedData], dir);
    if (result.code !== 0) throw new Error(result.stderr);
    report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
});

describe('clv on the CDNOW sample, through mplan run', () => {
    it('reports the published BG/NBD and Gamma-Gamma parameters and log-likelihood', () => {
        const c = report.clv[0];
        const within = (value: number, published: number, share: number) => expect(Math.abs(value / published - 1), `${value} vs ${published}`).toBeLessThan(share);
        within(c.parameters.r, 0.243, 0.005);
        within(c.parameters.alpha, 4.414, 0.005);
        within(c.parameters.a, 0.793, 0.005);
        within(c.parameters.b, 2.426, 0.005);
        expect(c.logLikelihood!).toBeCloseTo(-9582.4, 0);
        expect([c.customers, c.converged, c.problem]).toEqual([2357, true, null]);
        expect(Object.keys(c.standardErrors!).sort()).toEqual(['a', 'alpha', 'b', 'r']);
        within(c.spend!.p, 6.25, 0.01);
        within(c.spend!.q, 3.74, 0.01);
        within(c.spend!.v, 15.44, 0.01);
        expect(c.spend!.customers).toBe(946);
    });

    it('shows the fit and the holdout table in report.md and report.html', () => {
        const md = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
        const page = fs.readFileSync(path.join(dir, 'out', 'report.html'), 'utf8');
        for (const text of [md, page]) {
            expect(text).toContain('Calibration 1997-01-01 to 1997-09-30, 2,357 customers: r = 0.2426');
            expect(text).toContain('log-likelihood -9582.4; spend per purchase (Gamma-Gamma, 946 repeat buyers)');
        }
        expect(md).toContain('Holdout, 1997-09-30 to 1998-06-30 (39 weeks):');
        expect(page).toContain('<table class="holdout" data-clv="value">');
    });

    it('counts the holdout repeat purchases as the file has them, by calibration repeat purchases', () => {
        const c = report.clv[0];
        expect([c.holdoutUntil, c.holdoutPeriods]).toEqual(['1998-06-30', 39]);
        const byKey = new Map<string, Set<number>>();
        for (const r of readCsv(path.join(sharedData, 'cdnow_sample.csv'))) {
            const days = byKey.get(r.customer_id) ?? new Set<number>();
            byKey.set(r.customer_id, days.add(day(r.date)));
        }
        const buckets = new Map<string, { customers: number; actual: number }>();
        for (const days of byKey.values()) {
            const calibration = [...days].filter(d => d <= day('1997-09-30')).length;
            if (calibration === 0) continue;
            const label = calibration - 1 >= 7 ? '7+' : String(calibration - 1);
            const b = buckets.get(label) ?? { customers: 0, actual: 0 };
            b.customers += 1;
            b.actual += [...days].filter(d => d > day('1997-09-30') && d <= day('1998-06-30')).length;
            buckets.set(label, b);
        }
        expect(c.holdout.map(h => h.purchases)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
        for (const h of c.holdout) expect({ customers: h.customers, actual: h.actual }).toEqual(buckets.get(h.purchases));
        // As in the paper's conditional-expectation figure, more calibration purchases mean more expected in the
        // holdout per customer, and the model's total is in the holdout's range (here 12% below it).
        const perCustomer = c.holdout.map(h => h.expected / h.customers);
        for (let i = 1; i < perCustomer.length; i++) expect(perCustomer[i]).toBeGreaterThan(perCustomer[i - 1]);
        const actual = c.holdout.reduce((s, h) => s + h.actual, 0), expected = c.holdout.reduce((s, h) => s + h.expected, 0);
        expect(expected / actual).toBeGreaterThan(0.8);
        expect(expected / actual).toBeLessThan(1.2);
    });
});
