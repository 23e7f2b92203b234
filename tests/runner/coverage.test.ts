// Slow test: synthetic data with a planted effect. Over many replicate experiments (each its own campaign, audience
// and seed), the 95% intervals should cover the true lift about 95% of the time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isControl } from '../../src/runner/hash.js';
import { evaluateFile, tempDir } from './helpers.js';
import { prng } from '../../scripts/prng.js';

const REPLICATES = 500;
const PER_REPLICATE = 400;
const P_CONTROL = 0.2;
const P_TREATMENT = 0.25;
const MEAN_AMOUNT = 50;


const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

describe('planted effect (slow)', () => {
    const dir = tempDir('mplan-coverage-');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it(`95% intervals cover the true lift in about 95% of ${REPLICATES} replicates`, async () => {
        const random = prng(2024);
        const customers: string[] = ['customer_id,rep'];
        const orders: string[] = ['customer_id,ordered_at,amount'];
        const campaigns: string[] = [];
        const base = Date.UTC(2000, 0, 1) / 86_400_000;
        for (let k = 0; k < REPLICATES; k++) {
            // Replicates follow each other in time, 40 days apart, so their windows never overlap.
            const start = base + 40 * k;
            const seed = `cov-${k}`;
            for (let i = 0; i < PER_REPLICATE; i++) {
                const id = `${k}-${i}`;
                customers.push(`${id},${k}`);
                const p = isControl(seed, id, 50) ? P_CONTROL : P_TREATMENT;
                if (random() < p) orders.push(`${id},${iso(start + Math.floor(random() * 30))},${(10 + random() * 80).toFixed(2)}`);
            }
            campaigns.push(`  campaign r${k} {
    audience shoppers.rep = ${k}
    channel mail
    runs ${iso(start)} to ${iso(start + 10)}
    control 50% seed "${seed}"
    attribution 30 days
    goal lift(responded) >= 1% by ${iso(start + 35)}
  }`);
        }
        fs.writeFileSync(path.join(dir, 'customers.csv'), customers.join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'orders.csv'), orders.join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'coverage.mplan'), `plan "Coverage" {
  objective retention
  customers shoppers from "customers.csv" key customer_id { rep: number }
  events orders from "orders.csv" customer customer_id time ordered_at { amount: number }
  channel mail cost 0.1 per contact
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
${campaigns.join('\n')}
}
`);
        const report = await evaluateFile(path.join(dir, 'coverage.mplan'), '2070-01-01');
        expect(report.campaigns).toHaveLength(REPLICATES);
        const covers = (interval: [number, number] | null, truth: number) => interval !== null && interval[0] <= truth && truth <= interval[1];
        const rate = (pick: (c: typeof report.campaigns[number]) => boolean) => report.campaigns.filter(pick).length / REPLICATES;
        const metric = (c: typeof report.campaigns[number], name: string) => c.metrics.find(m => m.name === name)!;
        const coverage = {
            respondedAbsolute: rate(c => covers(metric(c, 'responded').ci95, P_TREATMENT - P_CONTROL)),
            respondedRelative: rate(c => covers(metric(c, 'responded').relativeCi95, P_TREATMENT / P_CONTROL - 1)),
            revenueAbsolute: rate(c => covers(metric(c, 'revenue').ci95, (P_TREATMENT - P_CONTROL) * MEAN_AMOUNT)),
            revenueRelative: rate(c => covers(metric(c, 'revenue').relativeCi95, P_TREATMENT / P_CONTROL - 1))
        };
        console.log(`coverage of the true lift over ${REPLICATES} replicates:`, coverage);
        // 95% ± about three standard errors (√(0.95 · 0.05 / 500) ≈ 1%).
        for (const value of Object.values(coverage)) {
            expect(value).toBeGreaterThan(0.92);
            expect(value).toBeLessThan(0.98);
        }
    }, 240_000);
});
