// Who is in a campaign's audience is decided by data from before the campaign starts (defect 1): RFM scores an
// audience reads are computed as of its campaign's start unless the model fixes `as of`. Otherwise customers who
// bought because of the campaign become "recent" and leave an at-risk audience: post-treatment selection.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { evaluateFile, readCsv, repoRoot, runCli, tempDir } from './helpers.js';

const dir = tempDir('mplan-history-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the examples whose win-back plan has its `as of` line replaced. */
function examplesWith(name: string, asOfLine: string): string {
    const target = path.join(dir, name);
    fs.cpSync(path.join(repoRoot, 'examples'), target, { recursive: true });
    const plan = path.join(target, 'retention', 'winback.mplan');
    const text = fs.readFileSync(plan, 'utf8');
    expect(text).toMatch(/^\s*as of 2026-09-01\n/m);
    fs.writeFileSync(plan, text.replace(/^\s*as of 2026-09-01\n/m, asOfLine));
    return plan;
}

let fixed: Report, floating: Report;
let fixedPlan: string, floatingPlan: string;
beforeAll(async () => {
    fixedPlan = examplesWith('fixed', '    as of 2026-09-01\n');
    floatingPlan = examplesWith('floating', '');
    fixed = await evaluateFile(fixedPlan, '2026-12-01');
    floating = await evaluateFile(floatingPlan, '2026-12-01');
}, 60_000);

describe('audiences are decided by data from before the campaign starts', () => {
    it('the win-back example without `as of` gives the same audience and lift as with `as of` at the campaign start', () => {
        const [a, b] = [fixed.campaigns[0], floating.campaigns[0]];
        expect(a.name).toBe('winback');
        expect(a.audience.size).toBe(710);
        expect(b.audience.size).toBe(a.audience.size);
        expect(b.groups).toEqual(a.groups);
        const lift = (r: Report) => r.campaigns[0].goals.find(g => g.unit === 'pp')!.value!;
        expect(lift(fixed)).toBeCloseTo(5.087719298245613, 10);
        expect(lift(floating)).toBeCloseTo(lift(fixed), 12);
    });

    it('each campaign is scored as of its own start: vip_thanks (1 October) as with `as of 2026-10-01`', async () => {
        const october = await evaluateFile(examplesWith('october', '    as of 2026-10-01\n'), '2026-12-01');
        expect(floating.campaigns[1].audience.size).toBe(october.campaigns[1].audience.size);
        expect(floating.campaigns[1].groups).toEqual(october.campaigns[1].groups);
        // And differently from the win-back's date, which the fixed plan uses for both.
        expect(floating.campaigns[1].audience.size).not.toBe(fixed.campaigns[1].audience.size);
    });

    it('the model itself (segment sizes, RFM grid) is still scored as of the evaluation date', () => {
        expect(floating.rfm[0].asOf).toBe('2026-12-01');
        expect(fixed.rfm[0].asOf).toBe('2026-09-01');
    });

    it('the exported audience lists are the same customers', async () => {
        const lists: Array<Array<Record<string, string>>> = [];
        for (const [plan, out] of [[fixedPlan, 'a-fixed'], [floatingPlan, 'a-floating']]) {
            const result = await runCli(['audience', plan, '--out', path.join(dir, out), '--as-of', '2026-12-01', '--campaign', 'winback']);
            expect(result.code, result.stderr).toBe(0);
            lists.push(readCsv(path.join(dir, out, 'winback.csv')));
        }
        expect(lists[0].length).toBe(710);
        expect(lists[1]).toEqual(lists[0]);
    });
});
