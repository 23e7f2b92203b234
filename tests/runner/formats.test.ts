// The same data as CSV, TSV, Parquet and JSON gives the same evaluation; numeric keys in typed formats are keys as text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { evaluateFile, tempDir } from './helpers.js';

const dir = tempDir('mplan-formats-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const customers = ['customer_id,region', ...Array.from({ length: 300 }, (_, i) => `${i + 1},${i % 3 ? 'north' : 'south'}`)].join('\n') + '\n';
const orders = ['customer_id,ordered_at,amount', ...Array.from({ length: 900 }, (_, i) => `${(i % 300) + 1},2026-10-${String(1 + (i % 28)).padStart(2, '0')},${(i % 17) + 0.5}`)].join('\n') + '\n';

function plan(ext: string) {
    return `plan "Formats ${ext}" {
  objective retention
  customers shoppers from "customers.${ext}" key customer_id { region: text }
  events orders from "orders.${ext}" customer customer_id time ordered_at { amount: number }
  rfm value from orders { monetary amount as of 2026-10-15 bins 3 }
  segment north = shoppers.region = "north"
  channel mail cost 0.5 per contact
  metric revenue = sum(orders.amount)
  campaign c {
    audience north
    channel mail
    runs 2026-10-15 to 2026-10-20
    control 30% seed "formats"
    attribution 10 days
    goal lift(revenue) >= 5% by 2026-12-01
  }
}
`;
}

describe('data formats', () => {
    it('CSV, TSV, Parquet and JSON agree', async () => {
        fs.writeFileSync(path.join(dir, 'customers.csv'), customers);
        fs.writeFileSync(path.join(dir, 'orders.csv'), orders);
        fs.writeFileSync(path.join(dir, 'customers.tsv'), customers.replace(/,/g, '\t'));
        fs.writeFileSync(path.join(dir, 'orders.tsv'), orders.replace(/,/g, '\t'));
        const instance = await DuckDBInstance.create(':memory:');
        const c = await instance.connect();
        for (const name of ['customers', 'orders']) {
            const source = `read_csv('${path.join(dir, name + '.csv')}', header = true)`;
            await c.run(`COPY (SELECT * FROM ${source}) TO '${path.join(dir, name + '.parquet')}' (FORMAT parquet)`);
            await c.run(`COPY (SELECT * FROM ${source}) TO '${path.join(dir, name + '.json')}' (FORMAT json)`);
        }
        c.closeSync();
        instance.closeSync();

        const results = [];
        for (const ext of ['csv', 'tsv', 'parquet', 'json']) {
            fs.writeFileSync(path.join(dir, `${ext}.mplan`), plan(ext));
            const report = await evaluateFile(path.join(dir, `${ext}.mplan`), '2026-12-01');
            const campaign = report.campaigns[0];
            results.push({
                groups: campaign.groups,
                revenue: campaign.metrics[0].treatment,
                segments: report.segments.map(s => s.size),
                grid: report.rfm[0].grid
            });
        }
        expect(results[0].groups.treatment.size).toBeGreaterThan(0);
        for (const r of results.slice(1)) {
            expect(r.groups).toEqual(results[0].groups);
            expect(r.revenue).toBeCloseTo(results[0].revenue!, 10);
            expect(r.segments).toEqual(results[0].segments);
            expect(r.grid).toEqual(results[0].grid);
        }
    });
});
