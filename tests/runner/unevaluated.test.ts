// Constructs the runner once refused because it did not evaluate them: `unless` and the money beyond contacts (`fixed
// cost`, `margin`, an offer's `cost ... per`) now run, and the report carries what they say. Arms without a control
// group are the checker's error `arms-without-groups`: `mplan run` and `mplan audience` stop on it (exit 1, file, line
// and column) and write nothing; they never compute a report that silently ignores a construct. Audiences chosen by
// behaviour (issue 10: aggregates in conditions, `where`, `within`, `tiers`, `limit`) pass the checker but are not
// evaluated yet: run and audience refuse them with one line naming the construct and its line, exit 1.
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

// Valid plans the runner does not evaluate yet: one line `mplan <command>: plan.mplan:LINE: CONSTRUCT (WHERE) is not
// evaluated by the runner yet; ...`. `settings` go into the plan block (line 3), `statements` into campaign c (line 16).
const NOT_YET: Array<{ construct: string; text: string; line: number; message: RegExp }> = [
    { construct: 'an aggregate in a segment', text: planText('    channel mail', '  segment buyers = count(orders) >= 1\n'), line: 3, message: /`count\(\.\.\.\)` in a condition \(segment 'buyers'\)/ },
    { construct: 'an aggregate in an audience', text: planText('    channel mail').replace('audience everyone', 'audience any(orders)'), line: 13, message: /`any\(\.\.\.\)` in a condition \(campaign 'c'\)/ },
    { construct: 'where in a metric', text: planText('    channel mail', '  metric big = any(orders where amount > 15)\n'), line: 3, message: /`any\(\.\.\. where \.\.\.\)` \(metric 'big'\)/ },
    { construct: 'within', text: planText('    channel mail', '  segment recent = any(orders within 30 days)\n'), line: 3, message: /`any\(\.\.\. within 30 days\)` \(segment 'recent'\)/ },
    { construct: 'tiers', text: planText('    channel mail', '  tiers regions {\n    north = shoppers.region = "north"\n    rest = otherwise\n  }\n'), line: 3, message: /`tiers` \(tiers 'regions'\)/ },
    { construct: 'limit', text: planText('    channel mail\n    limit 2'), line: 17, message: /`limit` \(campaign 'c'\)/ }
];

// Formerly refused; now evaluated. `check` reads the campaign of the report written.
const EVALUATED: Array<{ construct: string; text: string; check: (c: Record<string, any>) => void }> = [
    { construct: 'fixed cost', text: planText('    channel mail\n    fixed cost 500'), check: c => expect([c.fixedCost, c.cost]).toEqual([500, c.groups.treatment.size * 1 + 500]) },
    { construct: 'campaign margin', text: planText('    channel mail\n    margin 40%', '  margin 90%\n'), check: c => expect(c.margin).toBe(0.4) },
    { construct: 'plan margin', text: planText('    channel mail', '  margin 40%\n'), check: c => expect(c.margin).toBe(0.4) },
    { construct: 'offer cost', text: planText('    channel mail\n    offer "x" cost 2 per responded'), check: c => expect(c.offerCost).toBe(2 * c.metrics.find((m: any) => m.name === 'responded').treatmentTotal) }
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

    for (const c of NOT_YET) {
        // `audience --sizes-json` (the editor's size lenses) draws the groups too, so it refuses as well.
        for (const [command, ...flags] of [['run'], ['audience'], ['audience', '--sizes-json']]) {
            it(`${[command, ...flags].join(' ')} refuses ${c.construct}, which it does not evaluate yet`, async () => {
                const dir = fixture(c.text);
                // One line, and no checker error before it: the plan is valid, only not evaluated.
                const result = await runCli([command, 'plan.mplan', '--as-of', '2026-05-01', ...flags], dir);
                expect(result.code, result.stderr).toBe(1);
                const lines = result.stderr.trim().split('\n');
                expect(lines).toHaveLength(1);
                expect(lines[0]).toMatch(new RegExp(`^mplan ${command}: plan\\.mplan:${c.line}: `));
                expect(lines[0]).toMatch(c.message);
                expect(lines[0]).toMatch(/is not evaluated by the runner yet; remove it to run this plan\.$/);
                expect(fs.readdirSync(dir).sort()).toEqual(['customers.csv', 'orders.csv', 'plan.mplan']);
            });
        }
    }

    for (const c of EVALUATED) {
        it(`run and audience evaluate ${c.construct}`, async () => {
            const dir = fixture(c.text);
            const run = await runCli(['run', 'plan.mplan', '--as-of', '2026-05-01', '--out', 'out'], dir);
            expect(run.code, run.stderr).toBe(0);
            c.check(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')).campaigns[0]);
            const audience = await runCli(['audience', 'plan.mplan', '--as-of', '2026-05-01', '--out', 'aud'], dir);
            expect(audience.code, audience.stderr).toBe(0);
        });
    }

    it('the same plan without the construct runs', async () => {
        const dir = fixture(planText('    channel mail'));
        const result = await runCli(['run', 'plan.mplan', '--as-of', '2026-05-01', '--out', 'out'], dir);
        expect(result.code, result.stderr).toBe(0);
    });
});
