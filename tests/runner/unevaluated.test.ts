// Constructs the runner once refused because it did not evaluate them: `unless` and the money beyond contacts (`fixed
// cost`, `margin`, an offer's `cost ... per`) now run, and the report carries what they say. Arms without a control
// group are the checker's error `arms-without-groups`: `mplan run` and `mplan audience` stop on it (exit 1, file, line
// and column) and write nothing; they never compute a report that silently ignores a construct. Audiences chosen by
// behaviour (aggregates in conditions, `where`, `within`, `tiers`, `limit`) were refused too until the runner evaluated
// them; here each runs against small known data, as do `clv` models and their scores (attitude scores and `channel
// best of` are tested in attitude-plan.test.ts and best-of.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const root = tempDir('mplan-unevaluated-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function planText(campaign: string, planSettings = ''): string {
    return `plan "Unevaluated" {
  objective retention
${planSettings}  customers shoppers from "customers.csv" key customer_id {
    region: text
  }
  events orders from "orders.csv" customer customer_id time ordered_at {
    amount: number
  }
  channel mail cost 1 per contact
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  campaign c {
    audience everyone
    runs 2026-02-01 to 2026-02-10
    control 50% seed "s"
${campaign}
    goal lift(revenue) >= 5% by 2026-04-01
  }
}
`;
}

let count = 0;
function fixture(text: string): string {
    const dir = path.join(root, `case${++count}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'customers.csv'), 'customer_id,region\n1,north\n2,south\n3,north\n4,south\n');
    fs.writeFileSync(path.join(dir, 'orders.csv'), 'customer_id,ordered_at,amount\n1,2026-02-05,10\n2,2026-02-06,20.5\n');
    fs.writeFileSync(path.join(dir, 'plan.mplan'), text);
    return dir;
}

const CASES: Array<{ construct: string; text: string; line: number; message: RegExp }> = [
    {
        construct: 'arms without a control group',
        text: planText('    arm a {\n      channel mail\n    }\n    arm b {\n      channel mail\n    }').replace('    control 50% seed "s"\n', '').replace('goal lift(revenue) >= 5%', 'goal lift(revenue) for a vs b >= 5%'),
        line: 15,
        message: /has arms but nothing that splits its customers between them.*\[arms-without-groups\]/
    }
];

const CLV = '  clv worth from orders {\n    monetary amount\n    calibration 2025-01-01 to 2025-12-31\n    horizon 52 weeks\n  }\n';
// Formerly refused; now evaluated. `check` reads the campaign of the report written.
const EVALUATED: Array<{ construct: string; text: string; check: (report: Record<string, any>) => void }> = [
    { construct: 'fixed cost', text: planText('    channel mail\n    fixed cost 500'), check: r => expect([r.campaigns[0].fixedCost, r.campaigns[0].cost]).toEqual([500, r.campaigns[0].groups.treatment.size * 1 + 500]) },
    { construct: 'campaign margin', text: planText('    channel mail\n    margin 40%', '  margin 90%\n'), check: r => expect(r.campaigns[0].margin).toBe(0.4) },
    { construct: 'plan margin', text: planText('    channel mail', '  margin 40%\n'), check: r => expect(r.campaigns[0].margin).toBe(0.4) },
    { construct: 'offer cost', text: planText('    channel mail\n    offer "x" cost 2 per responded'), check: r => expect(r.campaigns[0].offerCost).toBe(2 * r.campaigns[0].metrics.find((m: any) => m.name === 'responded').treatmentTotal) },
    // Customers 1 and 2 ordered in February 2026; the evaluation date is 2026-05-01, the campaign starts 2026-02-01.
    { construct: 'an aggregate in a segment', text: planText('    channel mail', '  segment buyers = count(orders) >= 1\n'), check: r => expect(r.segments[0].size).toBe(2) },
    { construct: 'an aggregate in an audience (nothing before the start)', text: planText('    channel mail').replace('audience everyone', 'audience any(orders)'), check: r => expect(r.campaigns[0].audience.size).toBe(0) },
    {
        construct: 'where in a metric',
        text: planText('    channel mail', '  metric big = any(orders where amount > 15)\n'),
        check: r => {
            const m = r.campaigns[0].metrics.find((x: any) => x.name === 'big');
            expect(m.treatment * m.treatmentCount + m.control * m.controlCount).toBeCloseTo(1, 12);
        }
    },
    { construct: 'within', text: planText('    channel mail', '  segment recent = any(orders within 90 days)\n  segment last_month = any(orders within 30 days)\n'), check: r => expect(r.segments.map((s: any) => s.size)).toEqual([2, 0]) },
    {
        construct: 'tiers',
        text: planText('    channel mail', '  tiers regions {\n    north = shoppers.region = "north"\n    rest = otherwise\n  }\n'),
        // With the plan's revenue metric, each tier's value: customer 1 (north) ordered 10, customer 2 (south) 20.5.
        check: r => expect(r.tiers).toEqual([{
            name: 'regions', description: null, valueMetric: 'revenue',
            tiers: [{ name: 'north', size: 2, share: 0.5, value: 10 }, { name: 'rest', size: 2, share: 0.5, value: 20.5 }], uncovered: 0
        }])
    },
    // No purchase in the calibration year: the fit says so plainly rather than give numbers.
    { construct: 'a clv model', text: planText('    channel mail', CLV), check: r => expect([r.clv[0].name, r.clv[0].customers, typeof r.clv[0].problem, r.warnings.some((w: string) => w.startsWith('CLV model worth: '))]).toEqual(['worth', 0, 'string', true]) },
    // Without a fit nobody has a CLV score, so a segment that reads one is empty (scores are tested in clv-scores.test.ts).
    { construct: 'a CLV score in a segment', text: planText('    channel mail', `${CLV}  segment fading = worth.alive < 30%\n  segment unfaded = not fading\n`), check: r => expect(r.segments.map((s: any) => s.size)).toEqual([0, 4]) },
    {
        construct: 'uplift by',
        text: planText('    channel mail\n    uplift by count(orders)'),
        check: r => expect(r.campaigns[0].uplift).toMatchObject({ by: 'count(orders)', metric: 'revenue', points: expect.arrayContaining([expect.objectContaining({ fraction: 1 })]) })
    },
    {
        // Edge: the only goal is on a ratio, which has no value per customer: no curve, and a warning that says why.
        construct: 'uplift by with only a ratio goal',
        text: planText('    channel mail\n    uplift by count(orders)', '  metric per_order = sum(orders.amount) / count(orders)\n').replace('goal lift(revenue) >= 5%', 'goal lift(per_order) >= 5%'),
        check: r => {
            expect(r.campaigns[0].uplift).toBeNull();
            expect(r.campaigns[0].warnings).toContain('uplift by: no goal names a per-customer metric (a ratio has no value per customer), so there is nothing to rank by.');
        }
    },
    { construct: 'limit', text: planText('    channel mail\n    limit 2'), check: r => expect(r.campaigns[0].audience).toMatchObject({ size: 2, beforeLimit: 4, limit: 2, cutoff: null }) }
];

describe('what the runner refuses, and what it evaluates now', () => {
    for (const c of CASES) {
        for (const command of ['run', 'audience']) {
            it(`${command}: ${c.construct}`, async () => {
                const dir = fixture(c.text);
                const result = await runCli([command, 'plan.mplan', '--as-of', '2026-05-01'], dir);
                expect(result.code, result.stderr).toBe(1);
                const lines = result.stderr.trim().split('\n');
                expect(lines[0]).toMatch(new RegExp(`^plan\\.mplan:${c.line}:\\d+: error: `));
                expect(lines[0]).toMatch(c.message);
                expect(lines[lines.length - 1]).toMatch(new RegExp(`^mplan ${command}: the plan has errors`));
                expect(fs.readdirSync(dir).sort()).toEqual(['customers.csv', 'orders.csv', 'plan.mplan']);
            });
        }
    }

    for (const c of EVALUATED) {
        it(`run and audience evaluate ${c.construct}`, async () => {
            const dir = fixture(c.text);
            const run = await runCli(['run', 'plan.mplan', '--as-of', '2026-05-01', '--out', 'out'], dir);
            expect(run.code, run.stderr).toBe(0);
            c.check(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')));
            const audience = await runCli(['audience', 'plan.mplan', '--as-of', '2026-05-01', '--out', 'aud'], dir);
            expect(audience.code, audience.stderr).toBe(0);
            // `audience --sizes-json` (the editor's size lenses) draws the groups too.
            const sizes = await runCli(['audience', 'plan.mplan', '--as-of', '2026-05-01', '--sizes-json'], dir);
            expect(sizes.code, sizes.stderr).toBe(0);
        });
    }

    it('the same plan without the construct runs', async () => {
        const dir = fixture(planText('    channel mail'));
        const result = await runCli(['run', 'plan.mplan', '--as-of', '2026-05-01', '--out', 'out'], dir);
        expect(result.code, result.stderr).toBe(0);
    });
});
