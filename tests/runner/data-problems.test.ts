// Data problems are clear errors — file, row, column, value — and stop the run before anything is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataProblems } from '../../src/runner/data/problems.js';
import { evaluateFile, runCli, tempDir } from './helpers.js';

const root = tempDir('mplan-data-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A plan folder with customers.csv and orders.csv (either may be replaced or left out). */
function fixture(files: { customers?: string | null; orders?: string | null }, extraColumns = '') {
    const dir = path.join(root, `case${++count}`);
    fs.mkdirSync(dir);
    const customers = files.customers === undefined ? 'customer_id,region\n1,north\n2,south\n3,north\n' : files.customers;
    const orders = files.orders === undefined ? 'customer_id,ordered_at,amount\n1,2026-01-05,10\n2,2026-01-06,20.5\n3,2026-01-07,5\n' : files.orders;
    if (customers !== null) fs.writeFileSync(path.join(dir, 'customers.csv'), customers);
    if (orders !== null) fs.writeFileSync(path.join(dir, 'orders.csv'), orders);
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Data checks" {
  objective retention
  customers shoppers from "customers.csv" key customer_id {
    region: text${extraColumns}
  }
  events orders from "orders.csv" customer customer_id time ordered_at {
    amount: number
  }
  channel mail cost 1 per contact
  metric revenue = sum(orders.amount)
  campaign c {
    audience everyone
    channel mail
    runs 2026-02-01 to 2026-02-10
    control 50% seed "s"
    goal lift(revenue) >= 5% by 2026-04-01
  }
}
`);
    return path.join(dir, 'plan.mplan');
}

async function problemsOf(plan: string) {
    try {
        await evaluateFile(plan, '2026-05-01');
    } catch (error) {
        if (error instanceof DataProblems) return error.problems;
        throw error;
    }
    throw new Error('expected data problems');
}

describe('data problems', () => {
    it('a missing file', async () => {
        const [p] = await problemsOf(fixture({ orders: null }));
        expect(p.file).toMatch(/orders\.csv$/);
        expect(p.message).toMatch(/file not found/);
    });

    it('an empty file, and a file with a header only', async () => {
        expect((await problemsOf(fixture({ orders: '' })))[0].message).toMatch(/empty/);
        expect((await problemsOf(fixture({ orders: 'customer_id,ordered_at,amount\n' })))[0].message).toMatch(/no rows/);
    });

    it('a declared column the file lacks, naming the columns it has', async () => {
        const [p] = await problemsOf(fixture({}, '\n    age: number'));
        expect(p.column).toBe('age');
        expect(p.message).toMatch(/no column "age".*customer_id, region/);
    });

    it('values that are not of the declared type: the first few, with row, line and value', async () => {
        const rows = ['customer_id,ordered_at,amount', '1,2026-01-05,10', '2,2026-01-06,abc', '3,2026-01-07,5',
            ...Array.from({ length: 8 }, (_, i) => `1,2026-01-08,bad${i}`)];
        const problems = await problemsOf(fixture({ orders: rows.join('\n') + '\n' }));
        expect(problems).toHaveLength(5);
        expect(problems[0]).toMatchObject({ row: 2, line: 3, column: 'amount', value: 'abc' });
        expect(problems[0].message).toMatch(/"abc" is not a number/);
        expect(problems[4].message).toMatch(/and 4 more/);
    });

    it('dates that are not dates', async () => {
        const [p] = await problemsOf(fixture({ orders: 'customer_id,ordered_at,amount\n1,2026-13-45,10\n' }));
        expect(p).toMatchObject({ line: 2, column: 'ordered_at', value: '2026-13-45' });
    });

    it('duplicate and missing keys in a customers source', async () => {
        const problems = await problemsOf(fixture({ customers: 'customer_id,region\n1,north\n2,south\n1,east\n,west\n' }));
        expect(problems.find(p => /missing/.test(p.message))).toMatchObject({ row: 4, line: 5 });
        const dup = problems.find(p => /duplicate key "1"/.test(p.message))!;
        expect(dup.message).toMatch(/rows 1, 3/);
    });

    it('events of unknown customers are a warning, not an error', async () => {
        const plan = fixture({ orders: 'customer_id,ordered_at,amount\n1,2026-01-05,10\n9,2026-01-06,20\n9,2026-01-07,5\n,2026-01-07,5\n' });
        const report = await evaluateFile(plan, '2026-05-01');
        expect(report.warnings.join(' ')).toMatch(/3 events in 'orders' belong to a customer not in 'shoppers' \(or have no customer\); they are left out/);
    });

    it('events without a time are a warning: counted in no window', async () => {
        const one = await evaluateFile(fixture({ orders: 'customer_id,ordered_at,amount\n1,2026-02-02,10\n2,,20\n' }), '2026-05-01');
        expect(one.warnings).toContain("1 event in 'orders' has no time; it falls in no window and no RFM score.");
        const two = await evaluateFile(fixture({ orders: 'customer_id,ordered_at,amount\n1,,10\n2,2026-02-03,20\n3,,1\n' }), '2026-05-01');
        expect(two.warnings).toContain("2 events in 'orders' have no time; they fall in no window and no RFM score.");
        // The untimed event of customer 2 is not revenue in the campaign's window; customer 1's timed one is.
        const revenue = one.campaigns[0].metrics.find(m => m.name === 'revenue')!;
        expect((revenue.treatment ?? 0) * revenue.treatmentCount + (revenue.control ?? 0) * revenue.controlCount).toBeCloseTo(10, 9);
    });
});

describe('mplan run refuses bad data and invalid plans, writing nothing', () => {
    it('prints each problem as file:line, exits 1 and leaves the last good report in place', async () => {
        const plan = fixture({});
        const out = path.join(path.dirname(plan), 'out');
        const good = await runCli(['run', plan, '--out', out, '--as-of', '2026-05-01']);
        expect(good.code).toBe(0);
        const before = fs.readFileSync(path.join(out, 'report.json'), 'utf8');

        fs.writeFileSync(path.join(path.dirname(plan), 'orders.csv'), 'customer_id,ordered_at,amount\n1,2026-01-05,1O\n');
        const bad = await runCli(['run', plan, '--out', out, '--as-of', '2026-05-02']);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toMatch(/orders\.csv:2: error: column "amount": "1O" is not a number \[source orders\]/);
        expect(bad.stderr).toMatch(/nothing was written/);
        expect(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(before);
        expect(fs.readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    });

    it('prints plan errors as mplan check does and exits 1', async () => {
        const dir = path.join(root, 'invalid');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'bad.mplan'), 'plan "Bad" {\n  objective growth\n  metric m = nothing.here\n}\n');
        const result = await runCli(['run', path.join(dir, 'bad.mplan'), '--out', path.join(dir, 'out')], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^bad\.mplan:3:\d+: error: .+ \[[a-z-]+\]$/m);
        expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
        const audience = await runCli(['audience', path.join(dir, 'bad.mplan'), '--out', path.join(dir, 'aud')], dir);
        expect(audience.code).toBe(1);
    });

    it('usage mistakes exit 2', async () => {
        const plan = fixture({});
        expect((await runCli(['run', plan, '--as-of', '2026-02-30'])).code).toBe(2);
        const unknown = await runCli(['run', plan, '--campaign', 'nope', '--out', path.join(root, 'x')]);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toMatch(/no campaign 'nope' \(campaigns: c\)/);
    });
});
