// The whole pipeline on generated data, against an independent computation written here: group assignment by the
// documented hash, overlap exclusions, exposure windows, every aggregate kind, cost, ROI, status and the exports.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { isControl } from '../../src/runner/hash.js';
import { day, evaluateFile, meanVar, readCsv, runCli, tempDir } from './helpers.js';
import { prng } from '../../scripts/prng.js';
import { engineArgs, forEachEngine } from '../engines/test-engines.js';

const dir = tempDir('mplan-pipeline-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
const N = 600;
const customers = Array.from({ length: N }, (_, i) => ({ id: String(i + 1), region: i % 2 ? 'south' : 'north', age: 20 + (i % 50) }));
const orders: Array<{ id: string; t: number; amount: number }> = [];
{
    const random = prng(7);
    for (const c of customers) {
        const k = Math.floor(random() * 6);
        for (let j = 0; j < k; j++) orders.push({ id: c.id, t: day('2025-06-01') + Math.floor(random() * 450), amount: Math.round(random() * 10000) / 100 });
        // Around the campaigns: some orders before, inside and after their windows.
        const recent = Math.floor(random() * 3);
        for (let j = 0; j < recent; j++) orders.push({ id: c.id, t: day('2026-09-25') + Math.floor(random() * 35), amount: Math.round(random() * 5000) / 100 });
    }
    // Boundaries: exposure day counts, the first day after the window does not.
    orders.push({ id: '1', t: day('2026-10-01'), amount: 11 }, { id: '1', t: day('2026-10-15'), amount: 13 });
    // An unknown customer.
    orders.push({ id: '9999', t: day('2026-10-02'), amount: 5 });
}

const plan = `plan "Pipeline" {
  objective retention
  currency EUR
  customers shoppers from "customers.csv" key customer_id {
    region: text
    age: number
  }
  events orders from "orders.csv" customer customer_id time ordered_at {
    amount: number
  }
  rfm value from orders {
    monetary amount
    as of 2026-09-01
    bins 4
  }
  segment north = shoppers.region = "north"
  segment loyal = value.f >= 3
  channel mail cost 1 per contact
  channel phone cost 2 per contact
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  metric n_orders = count(orders)
  metric avg_order = mean(orders.amount)
  metric biggest = max(orders.amount)
  metric aov = sum(orders.amount) / count(orders)
  metric age = shoppers.age

  campaign a {
    audience north
    channel mail
    channel phone after 3 days
    runs 2026-10-01 to 2026-10-10
    control 20% seed "seed-a"
    attribution 14 days
    budget 10
    goal lift(responded) >= 5 pp by 2026-11-30
    goal lift(revenue) >= 10% by 2026-11-30
    goal total(revenue) >= 1 by 2026-11-30
    goal roi >= -100 by 2026-11-30
    goal cost <= 10 by 2026-11-30
  }
  campaign b {
    audience everyone
    channel mail
    runs 2026-10-05 to 2026-10-20
    control 30% seed "seed-b"
    goal mean(responded) >= 0 % by 2026-11-30
  }
  campaign later {
    audience loyal
    channel mail
    runs 2027-01-01 to 2027-01-31
    control 10% seed "seed-c"
    goal lift(revenue) >= 10% by 2027-03-01
  }
}
`;

// The whole suite, on each engine.
forEachEngine('pipeline', engine => {
    let report: Report;
    beforeAll(async () => {
        fs.writeFileSync(path.join(dir, 'customers.csv'), ['customer_id,region,age', ...customers.map(c => `${c.id},${c.region},${c.age}`)].join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'orders.csv'), ['customer_id,ordered_at,amount', ...orders.map(o => `${o.id},${iso(o.t)},${o.amount}`)].join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), plan);
        report = await evaluateFile(path.join(dir, 'plan.mplan'), '2026-12-01', { engine: engine.url() });
    }, 60_000);

    /** Per-customer metric values in [start, end). */
    function outcomes(ids: string[], start: number, end: number) {
        return ids.map(id => {
            const mine = orders.filter(o => o.id === id && o.t >= start && o.t < end);
            const sum = mine.reduce((s, o) => s + o.amount, 0);
            return { responded: mine.length > 0 ? 1 : 0, revenue: sum, n_orders: mine.length, avg_order: mine.length ? sum / mine.length : null, biggest: mine.length ? Math.max(...mine.map(o => o.amount)) : null };
        });
    }

    describe('drawn groups, overlaps and windows', () => {
        const north = customers.filter(c => c.region === 'north').map(c => c.id);
        const groupsA = { treatment: north.filter(id => !isControl('seed-a', id, 20)), control: north.filter(id => isControl('seed-a', id, 20)) };

        it('draws the control group by the documented hash', () => {
            const a = report.campaigns[0];
            expect(a.groups.treatment.size).toBe(groupsA.treatment.length);
            expect(a.groups.control.size).toBe(groupsA.control.length);
            expect(a.assignment).toMatchObject({ kind: 'drawn', controlShare: 0.2, seed: 'seed-a' });
        });

        it('gives customers of overlapping audiences to the campaign declared first, and counts them', () => {
            const b = report.campaigns[1];
            expect(b.audience.size).toBe(N);
            expect(b.audience.excluded).toEqual([{ campaign: 'a', customers: north.length }]);
            expect(b.groups.treatment.size + b.groups.control.size).toBe(N - north.length);
        });

        it('counts events in [exposure, exposure + attribution) for every aggregate, and leaves mean/max without events out', () => {
            const a = report.campaigns[0];
            expect(a.exposure).toBe('2026-10-01');
            expect(a.window).toMatchObject({ start: '2026-10-01', end: '2026-10-15', days: 14 });
            const start = day('2026-10-01'), end = day('2026-10-15');
            const t = outcomes(groupsA.treatment, start, end), c = outcomes(groupsA.control, start, end);
            for (const name of ['responded', 'revenue', 'n_orders', 'avg_order', 'biggest'] as const) {
                const tv = t.map(o => o[name]).filter((v): v is number => v !== null);
                const cv = c.map(o => o[name]).filter((v): v is number => v !== null);
                const m = a.metrics.find(x => x.name === name)!;
                expect(m.treatmentCount, name).toBe(tv.length);
                expect(m.controlCount, name).toBe(cv.length);
                if (tv.length > 0) expect(m.treatment!, name).toBeCloseTo(meanVar(tv).mean, 10);
                if (cv.length > 0) expect(m.control!, name).toBeCloseTo(meanVar(cv).mean, 10);
            }
            // Ratio metric: sum over sum, over all group members.
            const aov = a.metrics.find(x => x.name === 'aov')!;
            const ratio = (rows: typeof t) => rows.reduce((s, r) => s + r.revenue, 0) / rows.reduce((s, r) => s + r.n_orders, 0);
            expect(aov.treatment!).toBeCloseTo(ratio(t), 10);
            // Its interval: delta-method variance of each group's ratio (the linearisation var(x − R·y) / (n·ȳ²)) with
            // Welch–Satterthwaite degrees of freedom.
            const ratioVariance = (rows: typeof t) => {
                const r = ratio(rows), ybar = rows.reduce((s, o) => s + o.n_orders, 0) / rows.length;
                return meanVar(rows.map(o => o.revenue - r * o.n_orders)).variance / (rows.length * ybar ** 2);
            };
            const vt = ratioVariance(t), vc = ratioVariance(c);
            expect(aov.df!).toBeCloseTo((vt + vc) ** 2 / (vt ** 2 / (t.length - 1) + vc ** 2 / (c.length - 1)), 6);
            // Customer 1 (north) ordered on the exposure day and on the first day after the window.
            const one = outcomes(['1'], start, end)[0];
            expect(one.revenue).toBe(11);
        });

        it('takes customer columns as they are', () => {
            const age = report.campaigns[0].metrics.find(m => m.name === 'age')!;
            const ages = groupsA.treatment.map(id => customers.find(c => c.id === id)!.age);
            expect(age.treatment!).toBeCloseTo(meanVar(ages).mean, 10);
        });
    });

    describe('money and verdicts', () => {
        it('costs treatment contacts × each step, warns over budget, and computes ROI from the revenue metric', () => {
            const a = report.campaigns[0];
            const nt = a.groups.treatment.size;
            expect(a.steps).toEqual([
                { channel: 'mail', via: null, date: '2026-10-01', costPerContact: 1, contacts: nt, cost: nt },
                { channel: 'phone', via: null, date: '2026-10-04', costPerContact: 2, contacts: nt, cost: 2 * nt }
            ]);
            expect(a.cost).toBe(3 * nt);
            expect(a.overBudget).toBe(true);
            expect(a.warnings.join(' ')).toMatch(/Projected cost [0-9,]+\.[0-9]{2}( [A-Z]{3})? is above the budget of [0-9,]+\.[0-9]{2}/);
            const revenue = a.metrics.find(m => m.name === 'revenue')!;
            const incremental = (revenue.treatment! - revenue.control!) * nt;
            expect(a.valueMetric).toBe('revenue');
            expect(a.incrementalValue!).toBeCloseTo(incremental, 8);
            expect(a.roi!).toBeCloseTo((incremental - a.cost) / a.cost, 10);
            const [, , total, roi, cost] = a.goals;
            expect(total.value).toBeCloseTo(revenue.treatmentTotal!, 8);
            expect(roi.status).toBe(a.roi! >= -100 ? 'met' : 'not-met');
            expect(cost.status).toBe(a.cost <= 10 ? 'met' : 'not-met');
            expect(cost.final).toBe(true);
        });

        it('reports power for lift goals and Holm-adjusts their p-values', () => {
            const [responded, revenue] = report.campaigns[0].goals;
            expect(responded.mde).toBeGreaterThan(0);
            expect(responded.underpowered).toBe(5 < responded.mde!);
            const ps = [responded.pValue!, revenue.pValue!];
            const min = Math.min(...ps), max = Math.max(...ps);
            expect(Math.min(responded.adjustedPValue!, revenue.adjustedPValue!)).toBeCloseTo(Math.min(1, 2 * min), 12);
            expect(Math.max(responded.adjustedPValue!, revenue.adjustedPValue!)).toBeCloseTo(Math.max(Math.min(1, 2 * min), max), 12);
        });

        it('marks campaigns that have not started as pending', () => {
            const later = report.campaigns[2];
            expect(later.status).toBe('pending');
            expect(later.goals[0].status).toBe('pending');
            expect(later.goals[0].final).toBe(false);
        });

        it('reports segment sizes and the RFM grid', () => {
            expect(report.segments.find(s => s.name === 'north')!.size).toBe(N / 2);
            const rfm = report.rfm[0];
            expect(rfm.bins).toBe(4);
            expect(rfm.grid.reduce((s, c) => s + c.customers, 0)).toBe(rfm.scored);
            expect(rfm.scored + rfm.unscored).toBe(N);
            expect(report.warnings.join(' ')).toMatch(/1 event in 'orders' belongs to a customer not in '[a-z]+' \(or has no customer\); it is left out/);
        });
    });

    describe('mplan audience', () => {
        it('writes segments.csv and one file per campaign, with contacts for the treatment group only', async () => {
            const out = path.join(dir, 'audience');
            const result = await runCli(['audience', path.join(dir, 'plan.mplan'), '--out', out, '--as-of', '2026-12-01', ...engineArgs(engine)]);
            expect(result.code).toBe(0);
            expect(fs.readdirSync(out).sort()).toEqual(['a.csv', 'b.csv', 'later.csv', 'segments.csv']);
            const segments = readCsv(path.join(out, 'segments.csv'));
            expect(Object.keys(segments[0])).toEqual(['customer_id', 'value.r', 'value.f', 'value.m', 'north', 'loyal']);
            expect(segments.map(s => s.customer_id)).toEqual(customers.map(c => c.id));
            expect(segments.filter(s => s.north === '1').length).toBe(N / 2);
            const a = readCsv(path.join(out, 'a.csv'));
            expect(Object.keys(a[0])).toEqual(['customer_id', 'group', 'step1_channel', 'step1_date', 'step2_channel', 'step2_date']);
            for (const row of a) {
                expect(row.group).toBe(isControl('seed-a', row.customer_id, 20) ? 'control' : 'treatment');
                if (row.group === 'treatment') expect([row.step1_channel, row.step1_date, row.step2_channel, row.step2_date]).toEqual(['mail', '2026-10-01', 'phone', '2026-10-04']);
                else expect(row.step1_channel).toBe('');
            }
            const b = readCsv(path.join(out, 'b.csv'));
            expect(b.every(row => customers.find(c => c.id === row.customer_id)!.region === 'south')).toBe(true);
            expect(fs.readdirSync(out).some(f => f.endsWith('.tmp'))).toBe(false);
        });
    });

    describe('mplan run', () => {
        it('evaluates one campaign with --campaign and prints a summary', async () => {
            const out = path.join(dir, 'one');
            const result = await runCli(['run', path.join(dir, 'plan.mplan'), '--out', out, '--as-of', '2026-12-01', '--campaign', 'b', ...engineArgs(engine)]);
            expect(result.code).toBe(0);
            expect(result.stdout).toMatch(/^Pipeline: 600 customers, as of 2026-12-01$/m);
            expect(result.stdout).toMatch(/^ {2}b \(complete\): treatment \d+, control \d+$/m);
            const written = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
            expect(written.campaigns.map((c: { name: string }) => c.name)).toEqual(['b']);
            // Each goal's verdict, and under it the reason.
            const goal = written.campaigns[0].goals[0];
            expect(result.stdout).toContain(`\n    ${goal.status === 'not-met' ? 'not met' : goal.status}`.padEnd(17) + ` ${goal.label}`);
            expect(result.stdout).toContain(`\n${' '.repeat(17)}${goal.reason}\n`);
            // Exclusions still follow the plan's order: campaign a took the north.
            expect(written.campaigns[0].audience.excluded).toEqual([{ campaign: 'a', customers: N / 2 }]);
        });
    });
});
