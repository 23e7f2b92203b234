// Verdicts at the edges, each against an independent computation: negative and zero baselines, no variation, the
// relative lift's one statistic, Holm over the goals' own tests, ROI and mean intervals, sample-ratio mismatch, power
// with the customers that have a value, and value metrics that do not add up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignResult } from '../../src/runner/report/schema.js';
import { evaluateFile, meanVar, tQuantile975, tTwoSided, tempDir, welchFromValues } from './helpers.js';
import { prng } from '../../scripts/prng.js';

const dir = tempDir('mplan-verdicts-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let planCount = 0;
/** Writes files and a plan into a fresh folder and evaluates it. */
async function run(plan: string, files: Record<string, string>, asOf = '2026-12-01'): Promise<CampaignResult[]> {
    const folder = path.join(dir, `p${planCount++}`);
    fs.mkdirSync(folder);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    fs.writeFileSync(path.join(folder, 'plan.mplan'), plan);
    return (await evaluateFile(path.join(folder, 'plan.mplan'), asOf)).campaigns;
}

/** A customers file with a recorded group column and one number column per entry of `values`. */
function groupsCsv(treatment: Record<string, Array<number | null>>, control: Record<string, Array<number | null>>): string {
    const columns = Object.keys(treatment);
    const rows: string[] = [`id,grp,${columns.join(',')}`];
    const add = (label: string, data: Record<string, Array<number | null>>) => {
        const n = data[columns[0]].length;
        for (let i = 0; i < n; i++) rows.push(`${label}${i},${label},${columns.map(c => data[c][i] ?? '').join(',')}`);
    };
    add('t', treatment);
    add('c', control);
    return rows.join('\n') + '\n';
}

function recordedPlan(columns: string[], goals: string[], extra = ''): string {
    return `plan "Edges" {
  objective growth
  customers people from "people.csv" key id {
    grp: text
${columns.map(c => `    ${c}: number`).join('\n')}
  }
${columns.map(c => `  metric ${c} = people.${c}`).join('\n')}
  channel mail cost 1 per contact
  campaign test {
    audience everyone
    channel mail
    groups from people.grp treatment "t" control "c"${extra}
    runs 2026-10-01 to 2026-10-10
${goals.map(g => `    goal ${g} by 2026-11-30`).join('\n')}
  }
}
`;
}

/** P(T ≥ t) for Student's t, independent of the runner (Simpson on the density, helpers.ts). */
function upperTail(t: number, df: number): number {
    const twoSided = tTwoSided(Math.abs(t), df);
    return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

function normal(random: () => number, mean: number, sd: number): number {
    // Box–Muller.
    const u = 1 - random(), v = random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

describe('defect 2: a control mean at or below 0', () => {
    it('a relative goal over a negative control mean is inconclusive with the reason, never met or not met', async () => {
        // Profit per customer: treatment around −0.40, control around −0.96; the absolute lift is clearly positive.
        const random = prng(21);
        const t = Array.from({ length: 400 }, () => Math.round(normal(random, -0.4, 1) * 100) / 100);
        const c = Array.from({ length: 400 }, () => Math.round(normal(random, -0.96, 1) * 100) / 100);
        const [campaign] = await run(recordedPlan(['profit'], ['lift(profit) >= 10%', 'lift(profit) >= 30 pp']), { 'people.csv': groupsCsv({ profit: t }, { profit: c }) });
        const [relative, absolute] = campaign.goals;
        const w = welchFromValues(t, c);
        expect(w.control.mean).toBeLessThan(0);
        expect(relative.status).toBe('inconclusive');
        expect(relative.interval).toBeNull();
        expect(relative.reason).toMatch(/control mean of profit is -\d\.\d+: a relative lift is undefined when the control mean is 0 or below/);
        // The absolute goal is judged: Holm over two goals, but only one has a test, so the interval rule holds.
        // A number column takes pp: the absolute lift × 100.
        expect(absolute.interval![0]).toBeCloseTo(w.ci[0] * 100, 6);
        expect(absolute.interval![1]).toBeCloseTo(w.ci[1] * 100, 6);
        expect(absolute.status).toBe(w.ci[0] > 0.3 ? 'met' : w.ci[1] < 0.3 ? 'not-met' : 'inconclusive');
        expect(absolute.status).toBe('met');
    });

    it('a small control group whose mean is 0 gets the same', async () => {
        const [campaign] = await run(recordedPlan(['sales'], ['lift(sales) >= 10%']), {
            'people.csv': groupsCsv({ sales: [0, 3, 1, 0, 2, 5, 0, 1] }, { sales: [0, 0, 0] })
        });
        expect(campaign.goals[0]).toMatchObject({ status: 'inconclusive', interval: null });
        expect(campaign.goals[0].reason).toMatch(/control mean of sales is 0: a relative lift is undefined/);
        expect(campaign.warnings.join(' ')).toMatch(/the control group has 3 customers with a value \(fewer than 30\)/);
    });
});

describe('defect 3: no variation is not certainty', () => {
    it('two customers per group, (1, 1) against (0, 0): inconclusive, no interval, no p-value', async () => {
        const [campaign] = await run(recordedPlan(['hit'], ['lift(hit) >= 1 pp']), { 'people.csv': groupsCsv({ hit: [1, 1] }, { hit: [0, 0] }) });
        const goal = campaign.goals[0];
        expect(goal).toMatchObject({ status: 'inconclusive', interval: null, pValue: null, adjustedPValue: null });
        expect(goal.value).toBeCloseTo(100, 10);
        expect(goal.reason).toMatch(/Neither group varies in hit .*the test cannot tell/);
        expect(campaign.warnings.join(' ')).toMatch(/the treatment group has 2 customers with a value and the control group has 2 customers with a value \(fewer than 30\)/);
    });

    it('no events in either group: inconclusive, not a final not-met with interval [0, 0]', async () => {
        const customers = ['id,region', ...Array.from({ length: 200 }, (_, i) => `${i},north`)].join('\n') + '\n';
        // Orders only long before the campaign: none in its window.
        const orders = ['id,at,amount', ...Array.from({ length: 50 }, (_, i) => `${i},2025-01-0${1 + (i % 9)},10`)].join('\n') + '\n';
        const [campaign] = await run(`plan "Quiet" {
  objective retention
  customers people from "customers.csv" key id { region: text }
  events orders from "orders.csv" customer id time at { amount: number }
  metric responded = any(orders)
  channel email cost 0.1 per contact
  campaign quiet {
    audience everyone
    channel email
    runs 2026-10-01 to 2026-10-10
    control 30% seed "quiet"
    goal lift(responded) >= 1 pp by 2026-11-30
  }
}
`, { 'customers.csv': customers, 'orders.csv': orders });
        const goal = campaign.goals[0];
        expect(goal.final).toBe(true);
        expect(goal).toMatchObject({ status: 'inconclusive', interval: null, pValue: null });
        expect(goal.reason).toMatch(/Neither group varies in responded \(treatment 0, control 0 for everyone\)/);
    });
});

describe('defect 4: a % goal is one statistic', () => {
    it('interval, p-value and verdict of a relative goal come from the delta method with Welch–Satterthwaite t', async () => {
        const random = prng(4);
        const t = Array.from({ length: 25 }, () => Math.round(normal(random, 12, 4) * 100) / 100);
        const c = Array.from({ length: 20 }, () => Math.round(normal(random, 10, 4) * 100) / 100);
        const [campaign] = await run(recordedPlan(['spend'], ['lift(spend) >= 5%']), { 'people.csv': groupsCsv({ spend: t }, { spend: c }) });
        const goal = campaign.goals[0];
        const a = meanVar(t), b = meanVar(c);
        const vt = a.variance / a.n, vc = b.variance / b.n;
        const rel = a.mean / b.mean - 1;
        const se = Math.sqrt(vt / b.mean ** 2 + (a.mean ** 2 * vc) / b.mean ** 4);
        const df = (vt + vc) ** 2 / (vt ** 2 / (a.n - 1) + vc ** 2 / (b.n - 1));
        const q = tQuantile975(df);
        expect(goal.value!).toBeCloseTo(rel * 100, 8);
        expect(goal.interval![0]).toBeCloseTo((rel - q * se) * 100, 5);
        expect(goal.interval![1]).toBeCloseTo((rel + q * se) * 100, 5);
        // The goal's own one-sided test of its target, on the same statistic.
        expect(goal.pValue!).toBeCloseTo(upperTail((rel - 0.05) / se, df), 6);
        expect(goal.adjustedPValue!).toBeCloseTo(goal.pValue!, 12);
        expect(goal.status).toBe(goal.pValue! < 0.025 ? 'met' : upperTail(-(rel - 0.05) / se, df) < 0.025 ? 'not-met' : 'inconclusive');
        // The metric's relative interval is the same statistic's two-sided interval.
        const metric = campaign.metrics.find(m => m.name === 'spend')!;
        expect(metric.relativeCi95![0] * 100).toBeCloseTo(goal.interval![0], 10);
    });
});

describe('defect 5: Holm adjusts the goals\' own tests, and changes verdicts', () => {
    const random = prng(5);
    const t = Array.from({ length: 300 }, () => Math.round(normal(random, 1.5, 2) * 100) / 100);
    const c = Array.from({ length: 300 }, () => Math.round(normal(random, 1.0, 2) * 100) / 100);
    const w = welchFromValues(t, c);
    const se = Math.sqrt(w.treatment.variance / w.treatment.n + w.control.variance / w.control.n);
    // The target at which the one-sided p-value is 0.015: met alone (< 0.025), not once doubled by Holm (0.03).
    let lo = 0, hi = 10;
    for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (upperTail(mid, w.df) > 0.015) lo = mid; else hi = mid;
    }
    // In pp (a number column's absolute lift × 100).
    const target = Number(((w.diff - lo * se) * 100).toPrecision(12));
    const files = { 'people.csv': groupsCsv({ amount: t }, { amount: c }) };

    it('one goal: met, exactly the 95% interval rule', async () => {
        const [campaign] = await run(recordedPlan(['amount'], [`lift(amount) >= ${target} pp`]), files);
        const goal = campaign.goals[0];
        expect(goal.pValue!).toBeCloseTo(0.015, 5);
        expect(goal.interval![0]).toBeGreaterThan(target);
        expect(goal.status).toBe('met');
        expect(goal.reason).toMatch(/^The 95% interval .* lies above the [\d.]+ pp target\.$/);
    });

    it('two goals on the same metric and target: each adjusted to 0.03, inconclusive, and the reason says why', async () => {
        const [campaign] = await run(recordedPlan(['amount'], [`lift(amount) >= ${target} pp`, `lift(amount) >= ${target} pp`]), files);
        for (const goal of campaign.goals) {
            expect(goal.pValue!).toBeCloseTo(0.015, 5);
            expect(goal.adjustedPValue!).toBeCloseTo(0.03, 5);
            expect(goal.interval![0]).toBeGreaterThan(target);
            expect(goal.status).toBe('inconclusive');
            expect(goal.reason).toMatch(/lies above the [\d.]+ pp target, but not clearly enough once adjusted for 2 lift goals \(Holm-adjusted p = 0\.03/);
        }
    });

    it('not met through the opposite one-sided test, adjusted the same way', async () => {
        const high = Number(((w.diff + 5 * se) * 100).toPrecision(12));
        const [campaign] = await run(recordedPlan(['amount'], [`lift(amount) >= ${high} pp`, `lift(amount) >= ${target} pp`]), files);
        const [missed, close] = campaign.goals;
        expect(missed.status).toBe('not-met');
        expect(missed.reason).toMatch(/lies below the [\d.]+ pp target \(Holm-adjusted p = /);
        // Holm over the two "met" p-values: 0.015 is the smaller, × 2 = 0.03: still inconclusive.
        expect(close.adjustedPValue!).toBeCloseTo(0.03, 5);
        expect(close.status).toBe('inconclusive');
    });
});

describe('defect 6: ROI and mean goals are judged by intervals', () => {
    const random = prng(6);
    const t = Array.from({ length: 200 }, () => Math.max(0, Math.round(normal(random, 6, 5) * 100) / 100));
    const c = Array.from({ length: 200 }, () => Math.max(0, Math.round(normal(random, 5, 5) * 100) / 100));
    const files = { 'people.csv': groupsCsv({ revenue: t }, { revenue: c }) };

    it('the ROI interval maps the value metric\'s lift interval through (Δ·n − cost)/cost; a straddled target is inconclusive', async () => {
        const [campaign] = await run(recordedPlan(['revenue'], ['roi >= 0.5', 'roi >= -5', 'roi <= 100']), files);
        const w = welchFromValues(t, c);
        const cost = 200; // 200 treatment contacts × 1
        expect(campaign.cost).toBe(cost);
        expect(campaign.roi!).toBeCloseTo((w.diff * 200 - cost) / cost, 8);
        expect(campaign.roiInterval![0]).toBeCloseTo((w.ci[0] * 200 - cost) / cost, 6);
        expect(campaign.roiInterval![1]).toBeCloseTo((w.ci[1] * 200 - cost) / cost, 6);
        const [straddled, low, high] = campaign.goals;
        expect(campaign.roiInterval![0]).toBeLessThan(0.5);
        expect(campaign.roiInterval![1]).toBeGreaterThan(0.5);
        expect(straddled.status).toBe('inconclusive');
        expect(straddled.reason).toMatch(/^The ROI's 95% interval -?[\d.]+ to [\d.]+ includes the 0.5 target\.$/);
        expect(low.status).toBe('met');
        expect(high.status).toBe('met');
        expect(high.interval).toEqual(campaign.roiInterval);
    });

    it('a mean goal uses the treatment mean\'s t interval', async () => {
        const m = meanVar(t);
        const half = tQuantile975(m.n - 1) * Math.sqrt(m.variance / m.n);
        const inside = Number(m.mean.toPrecision(6));
        const [campaign] = await run(recordedPlan(['revenue'], [`mean(revenue) >= ${inside}`, `mean(revenue) >= ${Number((m.mean - 2 * half).toPrecision(6))}`]), files);
        const [straddled, clear] = campaign.goals;
        expect(straddled.interval![0]).toBeCloseTo(m.mean - half, 6);
        expect(straddled.interval![1]).toBeCloseTo(m.mean + half, 6);
        expect(straddled.status).toBe('inconclusive');
        expect(clear.status).toBe('met');
        expect(clear.reason).toMatch(/^The treatment mean's 95% interval .* lies above the .* target\.$/);
    });
});

describe('defect 7: a sample-ratio mismatch makes estimates untrustworthy', () => {
    it('lift, mean and roi goals become inconclusive with the reason; total and cost stand', async () => {
        const random = prng(7);
        const t = Array.from({ length: 300 }, () => Math.round(normal(random, 20, 2) * 100) / 100);
        const c = Array.from({ length: 100 }, () => Math.round(normal(random, 10, 2) * 100) / 100);
        const [campaign] = await run(recordedPlan(['revenue'], ['lift(revenue) >= 10%', 'mean(revenue) >= 1', 'roi >= 0', 'total(revenue) >= 1', 'cost <= 1000'], ' split 1:1'),
            { 'people.csv': groupsCsv({ revenue: t }, { revenue: c }) });
        // χ² of 300 vs 100 against 1:1 = 100, p ≈ 1.5e-23.
        expect(campaign.srm!.chiSquare).toBeCloseTo(100, 10);
        expect(campaign.srm!.ok).toBe(false);
        const [lift, mean, roi, total, cost] = campaign.goals;
        for (const g of [lift, mean, roi]) {
            expect(g.status).toBe('inconclusive');
            expect(g.reason).toMatch(/^Sample-ratio mismatch \(p = .*\): the groups are not the split the assignment promised/);
        }
        // Without the mismatch these would be met: the effect is huge.
        expect(lift.interval![0]).toBeGreaterThan(10);
        expect(total.status).toBe('met');
        expect(cost.status).toBe('met');
        expect(cost.reason).toBe('The cost 300.00 stays within the 1,000.00 limit.');
    });
});

describe('defect 8: power counts the customers with a value', () => {
    it('MDE uses the treatment and control counts with a value, not the group sizes', async () => {
        const random = prng(8);
        // Half the customers have no score: they are left out of the metric.
        const t = Array.from({ length: 400 }, (_, i) => (i % 2 ? null : Math.round(normal(random, 50, 10))));
        const c = Array.from({ length: 100 }, (_, i) => (i % 2 ? null : Math.round(normal(random, 50, 10))));
        const [campaign] = await run(recordedPlan(['score'], ['lift(score) >= 300 pp']), { 'people.csv': groupsCsv({ score: t }, { score: c }) });
        const cv = meanVar(c.filter((v): v is number => v !== null));
        const metric = campaign.metrics[0];
        expect(metric.treatmentCount).toBe(200);
        expect(metric.controlCount).toBe(50);
        const z = 1.959963984540054 + 0.8416212335729143;
        // In pp: × 100.
        expect(campaign.goals[0].mde!).toBeCloseTo(100 * z * Math.sqrt(cv.variance * (1 / 200 + 1 / 50)), 6);
        expect(campaign.goals[0].mde!).toBeGreaterThan(100 * z * Math.sqrt(cv.variance * (1 / 400 + 1 / 100)) * 1.4);
    });
});

describe('defect 9: value metrics must add up', () => {
    it('ROI of a ratio or mean value metric is refused by the runner too (no multiplied mean difference)', async () => {
        const customers = ['id', ...Array.from({ length: 100 }, (_, i) => String(i))].join('\n') + '\n';
        const orders = ['id,at,amount', ...Array.from({ length: 300 }, (_, i) => `${i % 100},2026-10-0${1 + (i % 9)},${(i % 7) + 1}`)].join('\n') + '\n';
        const folder = path.join(dir, 'value');
        fs.mkdirSync(folder);
        fs.writeFileSync(path.join(folder, 'customers.csv'), customers);
        fs.writeFileSync(path.join(folder, 'orders.csv'), orders);
        fs.writeFileSync(path.join(folder, 'plan.mplan'), `plan "Value" {
  objective growth
  customers people from "customers.csv" key id
  events orders from "orders.csv" customer id time at { amount: number }
  channel mail cost 1 per contact
  metric aov = sum(orders.amount) / count(orders)
  campaign c {
    audience everyone
    channel mail
    runs 2026-10-01 to 2026-10-10
    control 20% seed "v"
    value aov
    goal roi >= 1 by 2026-11-30
  }
}
`);
        await expect(evaluateFile(path.join(folder, 'plan.mplan'), '2026-12-01')).rejects.toThrow(/value-not-additive|not additive|does not add up/);
    });
});
