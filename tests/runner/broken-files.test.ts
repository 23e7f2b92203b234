// Files the engine cannot read, and ordinary usage mistakes, end in a message that names the problem, the place and the
// fix (exit 1 for data, 2 for usage): never "internal error" with the engine's text. Delimiters other than the comma
// are detected from the header.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataProblems } from '../../src/runner/data/problems.js';
import type { DataProblem } from '../../src/runner/data/problems.js';
import { evaluateFile, runCli, tempDir } from './helpers.js';

const root = tempDir('mplan-broken-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CUSTOMERS = 'customer_id,region\n1,north\n2,south\n3,north\n';
const ORDERS = 'customer_id,ordered_at,amount\n1,2026-02-05,10\n2,2026-02-06,20.5\n3,2026-02-07,5\n';

let count = 0;
function fixture(files: { customers?: string | Buffer; orders?: string | Buffer }): string {
    const dir = path.join(root, `case${++count}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'customers.csv'), files.customers ?? CUSTOMERS);
    fs.writeFileSync(path.join(dir, 'orders.csv'), files.orders ?? ORDERS);
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Broken files" {
  objective retention
  customers shoppers from "customers.csv" key customer_id {
    region: text
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

async function problemsOf(plan: string): Promise<DataProblem[]> {
    try {
        await evaluateFile(plan, '2026-05-01');
    } catch (error) {
        if (error instanceof DataProblems) return error.problems;
        throw error;
    }
    throw new Error('expected data problems');
}

/** What the CLI printed must be ours: no engine option dumps, no "Original Line", no internal error. */
function expectOwnMessage(stderr: string): void {
    expect(stderr).not.toMatch(/internal error|Original Line|Possible fix|strict_mode|sniffing/i);
}

describe('numbers that are not finite (defect 10)', () => {
    it('inf, -Infinity and NaN in a number column are data problems with row, line, column and value', async () => {
        const orders = 'customer_id,ordered_at,amount\n1,2026-02-05,10\n2,2026-02-06,inf\n3,2026-02-07,5\n1,2026-02-08,NaN\n2,2026-02-08,-Infinity\n';
        const problems = await problemsOf(fixture({ orders }));
        expect(problems.map(p => [p.line, p.column, p.value])).toEqual([[3, 'amount', 'inf'], [5, 'amount', 'NaN'], [6, 'amount', '-Infinity']]);
        expect(problems[0].message).toMatch(/"inf" is not a finite number/);
        expect(problems[0].source).toBe('orders');
    });

    it('in a customers source too, and the CLI exits 1 with file:line', async () => {
        const plan = fixture({ customers: 'customer_id,region,score\n1,north,1\n2,south,nan\n' });
        fs.writeFileSync(plan, fs.readFileSync(plan, 'utf8').replace('region: text', 'region: text\n    score: number'));
        const result = await runCli(['run', plan, '--out', path.join(root, 'out-nan'), '--as-of', '2026-05-01']);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/customers\.csv:3: error: column "score": "nan" is not a finite number/);
        expectOwnMessage(result.stderr);
    });
});

describe('files that do not parse (defect 11)', () => {
    it('a ragged row far down the file (line 5001): its line, its field count and the fix', async () => {
        const lines = ['customer_id,region', ...Array.from({ length: 6000 }, (_, i) => (i + 2 === 5001 ? `${i + 1},north,extra` : `${i + 1},north`))];
        const plan = fixture({ customers: lines.join('\n') + '\n' });
        const [p] = await problemsOf(plan);
        expect(p).toMatchObject({ line: 5001, source: 'shoppers' });
        expect(p.message).toMatch(/3 fields where the header has 2; quote fields that contain "," /);
        const result = await runCli(['run', plan, '--out', path.join(root, 'out-ragged'), '--as-of', '2026-05-01']);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/customers\.csv:5001: error: this row has 3 fields/);
        expectOwnMessage(result.stderr);
    });

    it('an unterminated quote near the top: the line it opens on', async () => {
        const [p] = await problemsOf(fixture({ customers: 'customer_id,region\n1,north\n2,"south\n3,north\n' }));
        expect(p.line).toBe(3);
        expect(p.message).toMatch(/a quote \("\) opens here and is never closed/);
    });

    it('a short row near the top: its line and the fix', async () => {
        const [p] = await problemsOf(fixture({ customers: 'customer_id,region\n1,north\n2\n3,north\n' }));
        expect(p.line).toBe(3);
        expect(p.message).toMatch(/1 field where the header has 2; add the missing fields/);
    });

    it('a Latin-1 file: the encoding, the line and how to convert it', async () => {
        const plan = fixture({ customers: Buffer.from('customer_id,region\n1,north\n2,Malmö\n3,north\n', 'latin1') });
        const [p] = await problemsOf(plan);
        expect(p.line).toBe(3);
        expect(p.message).toMatch(/not UTF-8.*convert it to UTF-8/);
        const result = await runCli(['run', plan, '--out', path.join(root, 'out-latin1'), '--as-of', '2026-05-01']);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/customers\.csv:3: error: the file is not UTF-8/);
        expectOwnMessage(result.stderr);
    });
});

describe('delimiters detected from the header', () => {
    for (const [name, delimiter] of [['semicolon', ';'], ['tab', '\t'], ['pipe', '|']] as const) {
        it(`a ${name}-delimited .csv reads like a comma-delimited one`, async () => {
            const convert = (text: string) => text.replaceAll(',', delimiter);
            const report = await evaluateFile(fixture({ customers: convert(CUSTOMERS), orders: convert(ORDERS) }), '2026-05-01');
            expect(report.customers.size).toBe(3);
            const revenue = report.campaigns[0].metrics.find(m => m.name === 'revenue')!;
            expect((revenue.treatment ?? 0) * revenue.treatmentCount + (revenue.control ?? 0) * revenue.controlCount).toBeCloseTo(35.5, 9);
        });
    }

    it('a comma inside a quoted header field does not count', async () => {
        const customers = 'customer_id;region;"note, with comma"\n1;north;a\n2;south;b\n';
        const report = await evaluateFile(fixture({ customers }), '2026-05-01');
        expect(report.customers.size).toBe(2);
    });
});

describe('usage mistakes exit 2 with the fix', () => {
    it('a data file, or any file that is not .mplan, given as the plan', async () => {
        const plan = fixture({});
        for (const command of ['run', 'audience']) {
            const result = await runCli([command, path.join(path.dirname(plan), 'customers.csv')]);
            expect(result.code, command).toBe(2);
            expect(result.stderr).toMatch(/customers\.csv' is not a plan: mplan (run|audience) takes a \.mplan file/);
        }
    });

    it('--out naming an existing file', async () => {
        const plan = fixture({});
        const result = await runCli(['run', plan, '--out', plan, '--as-of', '2026-05-01']);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/--out '.*plan\.mplan' is a file; give a folder/);
        expect(fs.readFileSync(plan, 'utf8')).toMatch(/^plan "Broken files"/);
    });

    it('a bad MPLAN_MEMORY_LIMIT names the format', async () => {
        const plan = fixture({});
        const previous = process.env.MPLAN_MEMORY_LIMIT;
        process.env.MPLAN_MEMORY_LIMIT = 'lots';
        try {
            const result = await runCli(['run', plan, '--out', path.join(root, 'out-mem'), '--as-of', '2026-05-01']);
            expect(result.code).toBe(2);
            expect(result.stderr).toMatch(/MPLAN_MEMORY_LIMIT='lots' is not a memory size: .*512MB/);
            expectOwnMessage(result.stderr);
        } finally {
            if (previous === undefined) delete process.env.MPLAN_MEMORY_LIMIT; else process.env.MPLAN_MEMORY_LIMIT = previous;
        }
    });

    it('running out of memory says so and suggests MPLAN_MEMORY_LIMIT', async () => {
        const rows = Array.from({ length: 200_000 }, (_, i) => `${i + 1},region-${(i * 7919) % 1_000_003}-padding-padding-padding`);
        const plan = fixture({ customers: ['customer_id,region', ...rows].join('\n') + '\n' });
        const previous = process.env.MPLAN_MEMORY_LIMIT;
        process.env.MPLAN_MEMORY_LIMIT = '1MB';
        try {
            const result = await runCli(['run', plan, '--out', path.join(root, 'out-oom'), '--as-of', '2026-05-01']);
            expect(result.code).toBe(1);
            expect(result.stderr).toMatch(/out of memory.*MPLAN_MEMORY_LIMIT/);
            expect(result.stderr).not.toMatch(/cannot be read as CSV/);
            expectOwnMessage(result.stderr);
        } finally {
            if (previous === undefined) delete process.env.MPLAN_MEMORY_LIMIT; else process.env.MPLAN_MEMORY_LIMIT = previous;
        }
    });
});
