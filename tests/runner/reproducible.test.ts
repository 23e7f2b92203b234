// The same plan on the same data gives the same report, to the byte (defect 13), however many threads the engine
// runs and in whatever order they finish: every sum is exact, not just close. The data is large enough for the engine
// to split every pass among its threads, with amounts (cents / 3) whose floating-point sums depend on the order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/runner/load-plan.js';
import { openSession } from '../../src/runner/session.js';
import { evaluate } from '../../src/runner/evaluate.js';
import type { Report } from '../../src/runner/report/schema.js';
import { isControl } from '../../src/runner/hash.js';
import { day, meanVar, tempDir } from './helpers.js';
import { prng } from '../../scripts/prng.js';

const dir = tempDir('mplan-reproducible-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CUSTOMERS = 200_000;
const EVENTS = 600_000;
const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

const plan = `plan "Reproducible" {
  objective retention
  customers people from "customers.csv" key id {
    score: number
  }
  events orders from "orders.csv" customer id time at {
    amount: number
  }
  rfm value from orders {
    monetary amount
    as of 2026-09-01
  }
  segment active = value.f >= 1
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  metric basket = mean(orders.amount)
  metric per_order = sum(orders.amount) / count(orders)
  metric score = people.score
  campaign all {
    audience everyone
    runs 2026-09-01 to 2026-09-30
    control 30% seed "reproducible"
    attribution 60 days
    goal lift(revenue) >= 1% by 2026-12-31
    goal lift(per_order) >= 1% by 2026-12-31
  }
}
`;

/** Per customer: the revenue in the campaign's window [2026-09-01, 2026-10-31). */
const revenue = new Float64Array(CUSTOMERS);

beforeAll(() => {
    const random = prng(13);
    const customers = ['id,score'];
    for (let i = 0; i < CUSTOMERS; i++) customers.push(`${i + 1},${(Math.floor(random() * 100000) / 3).toPrecision(17)}`);
    fs.writeFileSync(path.join(dir, 'customers.csv'), customers.join('\n') + '\n');
    const orders = ['id,at,amount'];
    const start = day('2025-09-01'), windowStart = day('2026-09-01'), windowEnd = day('2026-10-31');
    for (let j = 0; j < EVENTS; j++) {
        const customer = Math.floor(random() * CUSTOMERS);
        const t = start + Math.floor(random() * 425);
        // Cents / 3: amounts with no exact binary form, whose sums round differently in different orders.
        const amount = Math.floor(random() * 30000) / 300;
        orders.push(`${customer + 1},${iso(t)},${amount.toPrecision(17)}`);
        // Sums count each amount in millionths (the runner's documented rule), exactly.
        if (t >= windowStart && t < windowEnd) revenue[customer] += Math.round(amount * 1e6);
    }
    fs.writeFileSync(path.join(dir, 'orders.csv'), orders.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'plan.mplan'), plan);
}, 60_000);

async function run(threads: number): Promise<{ json: string; report: Report }> {
    const loaded = await loadPlan(path.join(dir, 'plan.mplan'));
    if (!loaded.plan) throw new Error('plan has errors');
    const session = await openSession(loaded.plan, { asOf: day('2027-01-01'), threads });
    try {
        const report = await evaluate(session);
        // What `mplan run` writes to report.json.
        return { json: JSON.stringify(report, null, 2) + '\n', report };
    } finally {
        await session.close();
    }
}

describe('reproducible reports', () => {
    it('gives byte-identical report.json from runs with 8 threads', async () => {
        const runs: string[] = [];
        for (let i = 0; i < 4; i++) runs.push((await run(8)).json);
        for (const json of runs.slice(1)) expect(json === runs[0], 'report.json differs between two runs of the same plan').toBe(true);
        // And with one thread: the order of the additions does not matter at all.
        expect((await run(1)).json === runs[0], 'report.json differs between 8 threads and 1').toBe(true);
    }, 180_000);

    it('keeps the statistics exact: the revenue means and variances of an independent computation', async () => {
        const { report } = await run(4);
        const c = report.campaigns[0];
        const groups = { treatment: [] as number[], control: [] as number[] };
        for (let i = 0; i < CUSTOMERS; i++) groups[isControl('reproducible', String(i + 1), 30) ? 'control' : 'treatment'].push(revenue[i] / 1e6);
        const m = c.metrics.find(x => x.name === 'revenue')!;
        const t = meanVar(groups.treatment), k = meanVar(groups.control);
        expect(m.treatmentCount).toBe(t.n);
        expect(Math.abs(m.treatment! - t.mean) / t.mean).toBeLessThan(1e-13);
        expect(Math.abs(m.control! - k.mean) / k.mean).toBeLessThan(1e-13);
        expect(Math.abs(m.controlVariance! - k.variance) / k.variance).toBeLessThan(1e-12);
    }, 60_000);
});

describe('the bound of exact sums', () => {
    it('a customer whose sum reaches 2^53 millionths is a data problem, not a silently inexact sum', async () => {
        const folder = tempDir('mplan-exact-bound-');
        try {
            fs.writeFileSync(path.join(folder, 'customers.csv'), 'id\n1\n2\n3\n4\n');
            fs.writeFileSync(path.join(folder, 'orders.csv'), 'id,at,amount\n1,2026-09-02,5000000000\n1,2026-09-03,4100000000\n2,2026-09-02,10\n');
            fs.writeFileSync(path.join(folder, 'plan.mplan'), `plan "Big" {
  objective growth
  customers people from "customers.csv" key id
  events orders from "orders.csv" customer id time at { amount: number }
  metric revenue = sum(orders.amount)
  campaign c {
    audience everyone
    runs 2026-09-01 to 2026-09-30
    control 50% seed "big"
  }
}
`);
            const loaded = await loadPlan(path.join(folder, 'plan.mplan'));
            await expect(openSession(loaded.plan!, { asOf: day('2027-01-01') })).rejects.toThrow(/a customer's sum of amount reaches 9\.100e\+9; mplan adds sums exactly only below 9\.007e\+9/);
            // Just below the bound, the sum is exact (without a control group, everyone is treated).
            fs.writeFileSync(path.join(folder, 'orders.csv'), 'id,at,amount\n1,2026-09-02,5000000000.000001\n1,2026-09-03,4000000000.000002\n2,2026-09-02,10\n');
            fs.writeFileSync(path.join(folder, 'plan.mplan'), fs.readFileSync(path.join(folder, 'plan.mplan'), 'utf8').replace('    control 50% seed "big"\n', ''));
            const again = await loadPlan(path.join(folder, 'plan.mplan'));
            const session = await openSession(again.plan!, { asOf: day('2027-01-01') });
            try {
                const report = await evaluate(session);
                expect(report.campaigns[0].metrics[0].treatmentTotal).toBe(9000000010.000003);
            } finally {
                await session.close();
            }
        } finally {
            fs.rmSync(folder, { recursive: true, force: true });
        }
    });
});

describe('reports are the same on every JavaScript engine', () => {
    it('the statistics raise computed values to powers only as products (V8 has changed `**` in the last bit)', () => {
        const folder = path.resolve(__dirname, '../../src/runner');
        const offenders: string[] = [];
        for (const file of fs.readdirSync(folder, { recursive: true }).map(String).filter(f => f.endsWith('.ts'))) {
            fs.readFileSync(path.join(folder, file), 'utf8').split('\n').forEach((line, i) => {
                const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/\/\*\*.*$/, '');
                // Powers of two and BigInt powers are exact in every engine; anything else is a product.
                if (/ \*\* /.test(code.replace(/\b2 \*\* -?[\w(]/g, '').replace(/\d+n \*\* /g, ''))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
            });
        }
        expect(offenders).toEqual([]);
    });
});
