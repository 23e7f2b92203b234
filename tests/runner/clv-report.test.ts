// A `clv` model through `mplan run`: the CDNOW sample, calibration 1997-01-01 to 1997-09-30 in weeks. The report's
// BG/NBD and Gamma-Gamma parameters are the published ones (Fader, Hardie and Lee 2005: r = 0.243, α = 4.414,
// a = 0.793, b = 2.426, log-likelihood −9582.4; p = 6.25, q = 3.74, v = 15.44), and the holdout table's actual repeat
// purchases (weeks 40 to 78) are an independent count from the file, as are the weekly cumulative chart's, against
// the model's expectations computed customer by customer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchases, type BgNbdParams } from '../../src/runner/models/bg-nbd.js';
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

    it('charts the cumulative repeat purchases week by week, actual from the file and expected customer by customer', () => {
        const c = report.clv[0];
        const start = day('1997-01-01'), end = day('1997-09-30'), until = day('1998-06-30');
        // Each fitted customer's purchase days (same-day purchases one): first, then the days after it.
        const byKey = new Map<string, Set<number>>();
        for (const r of readCsv(path.join(sharedData, 'cdnow_sample.csv'))) byKey.set(r.customer_id, (byKey.get(r.customer_id) ?? new Set<number>()).add(day(r.date)));
        const customers = [...byKey.values()].map(days => [...days].sort((a, b) => a - b)).filter(days => days[0] <= end);
        expect(customers.length).toBe(2357);
        const p = c.parameters as unknown as BgNbdParams;
        const weeks = (days: number) => days / 7;
        // Calibration: week k ends on 1997-01-01 + 7k − 1 (39 weeks to 1997-09-30); E[X(t)] since each first purchase.
        expect(c.calibrationCumulative.map(r => r.period)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
        c.calibrationCumulative.forEach((row, i) => {
            const last = start + 7 * (i + 1) - 1;
            expect(row.until).toBe(new Date(last * 86400000).toISOString().slice(0, 10));
            expect(row.actual).toBe(customers.reduce((sum, days) => sum + days.filter(d => d > days[0] && d <= last).length, 0));
            const expected = customers.reduce((sum, days) => sum + (days[0] <= last ? bgNbdExpectedPurchases(p, weeks(last - days[0])) : 0), 0);
            expect(row.expected).toBeCloseTo(expected, 6);
        });
        // Holdout: week k ends on 1997-09-30 + 7k; E[X(k) | x, t_x, T] of each customer's calibration history.
        expect(c.holdoutCumulative.map(r => r.period)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
        const histories = customers.map(days => {
            const calibration = days.filter(d => d <= end);
            return { x: calibration.length - 1, tx: weeks(calibration[calibration.length - 1] - days[0]), T: weeks(end - days[0]), days };
        });
        c.holdoutCumulative.forEach((row, i) => {
            const last = end + 7 * (i + 1);
            expect(row.until).toBe(new Date(last * 86400000).toISOString().slice(0, 10));
            expect(row.actual).toBe(histories.reduce((sum, h) => sum + h.days.filter(d => d > end && d <= last).length, 0));
            expect(row.expected).toBeCloseTo(histories.reduce((sum, h) => sum + bgNbdConditionalExpectedPurchases(p, h, i + 1), 0), 6);
        });
        // The last rows are the totals: calibration repeat purchases (Σx, 2,457 in the paper) and the holdout table's.
        expect(c.calibrationCumulative.at(-1)!.actual).toBe(2457);
        expect(c.holdoutCumulative.at(-1)).toMatchObject({ until: '1998-06-30', actual: c.holdout.reduce((s, h) => s + h.actual, 0) });
        expect(c.holdoutCumulative.at(-1)!.expected).toBeCloseTo(c.holdout.reduce((s, h) => s + h.expected, 0), 6);
        expect(until).toBe(day(c.holdoutUntil));
        // The fit tracks the calibration weeks closely (as the paper's figure does): within 5% by the calibration end.
        expect(Math.abs(c.calibrationCumulative.at(-1)!.expected / 2457 - 1)).toBeLessThan(0.05);
    });

    it('draws the cumulative chart in report.html and gives its end points in report.md', () => {
        const md = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
        const page = fs.readFileSync(path.join(dir, 'out', 'report.html'), 'utf8');
        expect(md).toContain('Cumulative repeat purchases, actual against expected: 2,457 against');
        expect(md).toMatch(/then 1,882 against [\d,.]+ more by 1998-06-30 \(per week in report\.html\)\./);
        const svg = page.match(/<svg class="clv-cumulative"[\s\S]*?<\/svg>/)?.[0] ?? '';
        expect(svg).toContain('aria-label="Cumulative repeat purchases of value, actual against expected, per week"');
        // Two lines of 1 + 39 + 39 points (the origin, calibration weeks, holdout weeks) and the calibration end mark.
        for (const cls of ['series-actual', 'series-expected']) {
            const d = svg.match(new RegExp(`<path class="${cls}" fill="none" d="([^"]+)"`))?.[1] ?? '';
            expect(d.split(' ').length, cls).toBe(79);
        }
        expect(svg).toContain('calibration end 1997-09-30');
    });
});
