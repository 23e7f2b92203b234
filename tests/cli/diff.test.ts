// `mplan diff`, the built command, on a git repository the test makes: changes by meaning with old and new values,
// deployment figures equal to those `mplan run` reports for each side, no diff for a reformat or a reorder, plans
// found through imports, errors and usage mistakes with their exit codes, and the JSON schema in step with its file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { DiffSchema, diffJsonSchema } from '../../src/cli/diff-schema.js';
import type { Diff } from '../../src/cli/diff-schema.js';
import { assertBuilt, makeTempDir, removeDir, repoRoot, runCli } from './helpers.js';
import { CHANNELS, PLAN, edit, exampleRepository, git, readPlan, writePlan } from './diff-helpers.js';

/** After both campaigns' attribution windows: outcomes are in the data, so `mplan run` gives MDEs. */
const AS_OF = '2027-01-15';

let dir: string;
let original: string;
let initial: string;
beforeAll(() => {
    assertBuilt();
    dir = exampleRepository();
    original = readPlan(dir);
    initial = git(dir, 'rev-parse', 'HEAD').trim();
});
afterAll(() => removeDir(dir));

/** Back to the first commit, with a clean working copy: each test starts from the committed example. */
function restore(): void {
    git(dir, 'reset', '-q', '--hard', initial);
    git(dir, 'clean', '-fdq');
}

async function diffJson(args: string[]): Promise<Diff> {
    const result = await runCli(['diff', ...args, '--format', 'json', '--as-of', AS_OF], dir);
    expect(result.code, result.stderr).toBe(0);
    const parsed = DiffSchema.safeParse(JSON.parse(result.stdout));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    return parsed.data!;
}

/** `mplan run` of the plan as it stands, with its report read back. */
async function runReport(out: string): Promise<Report> {
    const result = await runCli(['run', PLAN, '--as-of', AS_OF, '--out', out], dir);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
}

describe('mplan diff: what a change means', () => {
    let before: Report;
    let after: Report;
    let diff: Diff;
    const reports = makeTempDir();
    afterAll(() => removeDir(reports));

    beforeAll(async () => {
        before = await runReport(path.join(reports, 'before'));
        let text = edit(original, 'audience at_risk and reachable', 'audience at_risk');
        text = edit(text, 'control 20% seed "winback-2026"', 'control 5% seed "winback-2026"');
        text = edit(text, 'budget 2500', 'budget 700');
        text = edit(text, 'goal roi >= 1.5 by 2026-11-15', 'goal roi >= 1.5 by 2026-12-15');
        writePlan(dir, text);
        after = await runReport(path.join(reports, 'after'));
        diff = await diffJson([]);
    }, 120_000);
    afterAll(restore);

    it('gives a change of audience, control share, budget and a goal\'s deadline as exactly those changes', () => {
        expect(diff.schemaVersion).toBe(1);
        expect(diff.baseCommit).toBe(git(dir, 'rev-parse', 'HEAD').trim());
        expect(diff.plans.map(p => [p.path, p.status])).toEqual([[PLAN, 'changed']]);
        expect(diff.plans[0].changes).toEqual([
            { path: 'campaign winback / audience', kind: 'changed', old: 'at_risk and reachable', new: 'at_risk' },
            { path: 'campaign winback / control', kind: 'changed', old: '20%', new: '5%' },
            { path: 'campaign winback / budget', kind: 'changed', old: 2500, new: 700 },
            { path: 'campaign winback / goal roi / deadline', kind: 'changed', old: '2026-11-15', new: '2026-12-15' }
        ]);
    });

    it('gives the sizes, the cost against the budget and the MDEs mplan run reports for each side', () => {
        const plan = diff.plans[0];
        expect(plan.evaluated).toBe(true);
        const row = (field: string, goal?: string) => plan.deployment.find(r => r.campaign === 'winback' && r.field === field && r.goal === goal);
        const winback = (report: Report) => report.campaigns.find(c => c.name === 'winback')!;
        const [b, a] = [winback(before), winback(after)];
        expect(row('audience')).toMatchObject({ old: b.audience.size, new: a.audience.size });
        expect(row('treatment')).toMatchObject({ old: b.groups.treatment.size, new: a.groups.treatment.size });
        expect(row('control')).toMatchObject({ old: b.groups.control.size, new: a.groups.control.size });
        // The offer costs nothing per response here, so the planned cost is the cost the report gives.
        // Rounded to the millionth, as --sizes-json gives it (728.16, where the report's binary sum is 728.1600000000001).
        expect(row('cost')).toMatchObject({ budget: 700 });
        expect(row('cost')!.old).toBeCloseTo(b.cost, 6);
        expect(row('cost')!.new).toBeCloseTo(a.cost, 6);
        expect(a.audience.size).toBeGreaterThan(b.audience.size);
        expect(a.cost).toBeGreaterThan(700);
        for (const goal of b.goals.filter(g => g.kind === 'lift')) {
            const key = goal.label.startsWith('lift(') ? 'lift(responded)' : `"${goal.label}"`;
            const newGoal = a.goals.find(g => g.label === goal.label)!;
            expect(goal.mde).not.toBeNull();
            expect(row('mde', key)).toMatchObject({ old: goal.mde, new: newGoal.mde, unit: goal.unit });
        }
        // vip_thanks did not change, nor did anything it deploys.
        expect(plan.deployment.every(r => r.campaign === 'winback')).toBe(true);
        expect(winback(before).name).toBe('winback');
        expect(before.campaigns.find(c => c.name === 'vip_thanks')!.audience.size).toBe(after.campaigns.find(c => c.name === 'vip_thanks')!.audience.size);
    });

    it('reads the data once when both sides have the same sources, and once per side when they differ, with the same figures', async () => {
        const progress = { MPLAN_PROGRESS: '1' };
        const shared = await runCli(['diff', '--format', 'json', '--as-of', AS_OF], dir, progress);
        expect(shared.code, shared.stderr).toBe(0);
        expect(shared.stderr).toContain('the sources are the same on both sides: reading the data once');
        expect(shared.stderr.match(/reading 2 data sources/g)).toHaveLength(1);
        // The RFM model is the same on both sides: scored once, its table read by both.
        expect(shared.stderr.match(/scoring RFM model value/g)).toHaveLength(1);
        expect((JSON.parse(shared.stdout) as Diff).plans[0].deployment).toEqual(diff.plans[0].deployment);
        // A second (unused) events source on the working copy's side: each side then loads its own sources.
        const changed = readPlan(dir);
        writePlan(dir, edit(changed, '  rfm value from orders {', '  events orders_again from "data/orders.csv" customer customer_id time ordered_at {\n    amount: number\n  }\n\n  rfm value from orders {'));
        try {
            const apart = await runCli(['diff', '--format', 'json', '--as-of', AS_OF], dir, progress);
            expect(apart.code, apart.stderr).toBe(0);
            expect(apart.stderr).toContain('the sources differ between the sides: reading the data for each');
            expect(apart.stderr).not.toContain('scoring RFM model');
            const plan = (JSON.parse(apart.stdout) as Diff).plans[0];
            expect(plan.changes.map(c => c.path)).toContain('source orders_again');
            expect(plan.deployment).toEqual(diff.plans[0].deployment);
        } finally {
            writePlan(dir, changed);
        }
    });

    it('scores an RFM model again for the side whose model differs, on the one load of the data', async () => {
        const changed = readPlan(dir);
        writePlan(dir, edit(changed, '    bins 5\n', '    bins 4\n'));
        try {
            const result = await runCli(['diff', '--format', 'json', '--as-of', AS_OF], dir, { MPLAN_PROGRESS: '1' });
            expect(result.code, result.stderr).toBe(0);
            expect(result.stderr).toContain('reading the data once');
            expect(result.stderr.match(/scoring RFM model value/g)).toHaveLength(2);
            const plan = (JSON.parse(result.stdout) as Diff).plans[0];
            // Each side's audience is the one mplan run gives for that side alone.
            const now = await runReport(path.join(reports, 'bins'));
            const audience = plan.deployment.find(r => r.campaign === 'winback' && r.field === 'audience' && r.arm === null);
            expect(audience).toMatchObject({ old: before.campaigns.find(c => c.name === 'winback')!.audience.size, new: now.campaigns.find(c => c.name === 'winback')!.audience.size });
            expect(now.campaigns.find(c => c.name === 'winback')!.audience.size).not.toBe(after.campaigns.find(c => c.name === 'winback')!.audience.size);
        } finally {
            writePlan(dir, changed);
        }
    });

    it('leaves the MDEs out, and says so, where the data holds no outcomes yet, as mplan run does', async () => {
        const early = '2026-08-15';
        const result = await runCli(['diff', '--format', 'json', '--as-of', early], dir);
        expect(result.code, result.stderr).toBe(0);
        const plan = (JSON.parse(result.stdout) as Diff).plans[0];
        expect(plan.evaluated).toBe(true);
        expect(plan.deployment.filter(r => r.field === 'mde')).toEqual([]);
        expect(plan.deployment.map(r => r.field)).toContain('audience');
        expect(plan.notes).toEqual([`MDEs are left out for winback, vip_thanks: the data holds no outcomes for them yet as of ${early}.`]);
        const run = await runCli(['run', PLAN, '--as-of', early, '--out', path.join(reports, 'early')], dir);
        expect(run.code, run.stderr).toBe(0);
        const report: Report = JSON.parse(fs.readFileSync(path.join(reports, 'early', 'report.json'), 'utf8'));
        expect(report.campaigns.flatMap(c => c.goals).filter(g => g.kind === 'lift').map(g => g.mde)).toEqual([null, null, null]);
    });

    it('writes a coloured-or-plain text report and a Markdown table for the campaign', async () => {
        const text = await runCli(['diff', '--as-of', AS_OF], dir);
        expect(text.code, text.stderr).toBe(0);
        expect(text.stdout).toContain('~ control: 20% → 5%');
        expect(text.stdout).not.toMatch(/\x1b\[/);
        const colored = await runCli(['diff', '--as-of', AS_OF], dir, { NO_COLOR: undefined, FORCE_COLOR: '1' });
        expect(colored.stdout).toMatch(/\x1b\[33m~\x1b\[0m control: 20% → 5%/);
        const markdown = await runCli(['diff', '--as-of', AS_OF, '--format', 'markdown'], dir);
        expect(markdown.stdout).toContain('| changed | control | `20%` | `5%` |');
        const b = before.campaigns.find(c => c.name === 'winback')!.audience.size.toLocaleString('en-US');
        const a = after.campaigns.find(c => c.name === 'winback')!.audience.size.toLocaleString('en-US');
        expect(markdown.stdout).toContain(`| changed | audience (customers) | ${b} | ${a} |`);
        expect(markdown.stdout).toMatch(/⚠️ over budget/);
    });
});

describe('mplan diff: no change', () => {
    afterEach(restore);

    it('finds no change for a reformatted and reordered plan, and evaluates nothing', async () => {
        // The campaigns swapped, the segments reordered, settings moved, spacing and comments changed.
        const winback = original.slice(original.indexOf('  campaign winback {'), original.indexOf('  campaign vip_thanks {'));
        const vip = original.slice(original.indexOf('  campaign vip_thanks {'), original.lastIndexOf('}'));
        let text = original.replace(winback, '').replace(vip, `${vip}\n${winback}`);
        text = edit(text, '  segment reachable = shoppers.email_opt_in\n', '');
        text = edit(text, '  segment at_risk', '  segment   reachable=shoppers.email_opt_in   // moved up\n  segment at_risk');
        text = edit(text, 'value.r <= 2 and value.f >= 3', 'value.r<=2\n      and value.f>=3');
        text = edit(text, '    budget 2500\n', '');
        text = edit(text, '    attribution 30 days\n', '    attribution 30 days\n    budget 2500.00\n');
        writePlan(dir, text);
        expect(git(dir, 'status', '--porcelain')).toContain(PLAN);
        const check = await runCli(['check', PLAN], dir);
        expect(check.code, check.stdout).toBe(0);
        const diff = await diffJson([]);
        expect(diff.plans).toEqual([{ path: PLAN, status: 'unchanged', changes: [], deployment: [], evaluated: false, notes: [], currency: 'USD' }]);
    });
});

describe('mplan diff: which plans', () => {
    afterEach(restore);

    it('compares the plans that import a changed library, and the library itself', async () => {
        writePlan(dir, edit(readPlan(dir, CHANNELS), 'channel mail cost 0.80', 'channel mail cost 0.90'), CHANNELS);
        const diff = await diffJson([]);
        expect(diff.plans.map(p => p.path)).toEqual([PLAN, CHANNELS].sort());
        for (const plan of diff.plans) {
            expect(plan.changes).toEqual([{ path: 'channel mail / cost per contact', kind: 'changed', old: 0.8, new: 0.9 }]);
        }
        // winback's second step is a letter to each treatment customer (mail has no capacity): 0.10 more each.
        const deployment = diff.plans.find(p => p.path === PLAN)!.deployment;
        expect(deployment.map(r => [r.campaign, r.field])).toEqual([['winback', 'cost']]);
        const sizes = await runCli(['audience', PLAN, '--sizes-json', '--as-of', AS_OF], dir);
        const treatment = JSON.parse(sizes.stdout).campaigns.find((c: { name: string }) => c.name === 'winback').treatment;
        expect(deployment[0].new! - deployment[0].old!).toBeCloseTo(0.1 * treatment, 6);
    });

    it('takes a revision and plan paths, and a folder for the plans in it', async () => {
        const first = git(dir, 'rev-parse', 'HEAD').trim();
        writePlan(dir, edit(original, 'budget 3000', 'budget 3500'));
        git(dir, 'commit', '-q', '-am', 'A bigger VIP budget');
        const diff = await diffJson([first, 'retention']);
        expect(diff.base).toBe(first);
        expect(diff.plans.map(p => p.path)).toEqual([PLAN]);
        expect(diff.plans[0].changes).toEqual([{ path: 'campaign vip_thanks / budget', kind: 'changed', old: 3000, new: 3500 }]);
        // Against HEAD (the default here: no origin), the committed change is no change.
        const head = await diffJson([PLAN]);
        expect(head.plans[0].status).toBe('unchanged');
    });

    it('reports a plan added or removed since the base', async () => {
        fs.copyFileSync(path.join(dir, PLAN), path.join(dir, 'retention/copy.mplan'));
        const added = await diffJson([]);
        expect(added.plans.map(p => [p.path, p.status])).toEqual([['retention/copy.mplan', 'added']]);
        expect(added.plans[0].changes.filter(c => c.path === 'campaign winback')).toEqual([
            { path: 'campaign winback', kind: 'added', old: null, new: expect.objectContaining({ budget: 2500, control: '20%' }) }
        ]);
        // Added: every figure of its deployment is new.
        expect(added.plans[0].deployment.every(r => r.old === null)).toBe(true);
        fs.rmSync(path.join(dir, 'retention/copy.mplan'));
        fs.rmSync(path.join(dir, PLAN));
        const removed = await diffJson([]);
        expect(removed.plans.map(p => [p.path, p.status])).toEqual([[PLAN, 'removed']]);
        expect(removed.plans[0].changes.every(c => c.kind === 'removed')).toBe(true);
    });
});

describe('mplan diff: without data, with errors, and usage mistakes', () => {
    afterEach(restore);

    it('shows the plan diff alone, and says why, when the data is not at hand', async () => {
        writePlan(dir, edit(original, 'budget 2500', 'budget 2600').replace(/data\/customers\.csv/g, 'data/missing.csv'));
        const diff = await diffJson([]);
        const plan = diff.plans[0];
        expect(plan.changes.map(c => c.path)).toEqual(['source shoppers / file', 'campaign winback / budget']);
        expect(plan.evaluated).toBe(false);
        expect(plan.deployment).toEqual([]);
        expect(plan.notes).toHaveLength(1);
        expect(plan.notes[0]).toMatch(/not shown, only the plan diff: the working copy's plan could not be evaluated \(.*missing\.csv.*file not found/);
        const text = await runCli(['diff'], dir);
        expect(text.stdout).toMatch(/note: Sizes, costs and MDEs are not shown/);
    });

    it('says once that neither side could be evaluated when the data both read the same way is gone', async () => {
        writePlan(dir, edit(original, 'budget 2500', 'budget 2600'));
        fs.rmSync(path.join(dir, 'retention/data/customers.csv'));
        const result = await runCli(['diff', '--format', 'json', '--as-of', AS_OF], dir, { MPLAN_PROGRESS: '1' });
        expect(result.code, result.stderr).toBe(0);
        // Found before any engine opens, for both sides: nothing is read.
        expect(result.stderr).toContain('the data is not at hand for either side: the plan diff alone');
        expect(result.stderr).not.toContain('reading the data');
        const plan = (JSON.parse(result.stdout) as Diff).plans[0];
        expect(plan.changes.map(c => c.path)).toEqual(['campaign winback / budget']);
        expect(plan.evaluated).toBe(false);
        expect(plan.deployment).toEqual([]);
        expect(plan.notes).toHaveLength(1);
        expect(plan.notes[0]).toMatch(/^Sizes, costs and MDEs are not shown, only the plan diff: the plan could not be evaluated on either side \(.*customers\.csv.*file not found/);
    });

    it('exits 1 with the errors, file:line:col, of the working copy and of the base', async () => {
        const broken = edit(original, 'goal lift(responded) >= 3 pp', 'goal lift(respondid) >= 3 pp');
        writePlan(dir, broken);
        const line = broken.split('\n').findIndex(l => l.includes('respondid')) + 1;
        const result = await runCli(['diff'], dir);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(new RegExp(`^retention/winback\\.mplan:${line}:\\d+: error: .*respondid`, 'm'));
        expect(result.stderr).not.toMatch(/\n\s+at /);
        // The broken plan committed, the fixed one in the working copy: the base's error, named by its revision.
        git(dir, 'commit', '-q', '-am', 'Broken');
        writePlan(dir, original);
        const base = await runCli(['diff', 'HEAD'], dir);
        expect(base.code).toBe(1);
        expect(base.stderr).toMatch(new RegExp(`^HEAD:retention/winback\\.mplan:${line}:\\d+: error: `, 'm'));
    });

    it('exits 2 with one line for an unknown revision, an unknown engine, --base-file with two plans and outside a repository', async () => {
        const cases: Array<[string[], RegExp, string]> = [
            [['diff', 'no-such-branch'], /'no-such-branch' is neither a revision/, dir],
            [['diff', '--engine', 'mysql://x'], /unknown engine 'mysql:\/\/x'/, dir],
            [['diff', '--base-file', PLAN, PLAN, PLAN], /--base-file compares two files/, dir],
            [['diff', '--format', 'yaml'], /Allowed choices are text, markdown, json/, dir],
            // Revisions reach git as arguments, never through a shell, and never as options.
            [['diff', '$(touch pwned)'], /is neither a revision/, dir],
            [['diff', '--output=pwned'], /unknown option '--output=pwned'/, dir],
            [['diff', '--', '--output=pwned'], /'--output=pwned' is neither a revision/, dir]
        ];
        const outside = makeTempDir({ 'a.mplan': original });
        cases.push([['diff', 'a.mplan'], /not inside a git repository; to compare two files, use --base-file/, outside]);
        for (const [args, message, cwd] of cases) {
            const result = await runCli(args, cwd);
            expect(result.code, args.join(' ')).toBe(2);
            expect(result.stderr).toMatch(message);
            expect(result.stderr.trim().split('\n')).toHaveLength(1);
        }
        expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
        removeDir(outside);
    });

    it('compares two files with --base-file, the old one standing in the new one\'s place (its imports and data)', async () => {
        fs.writeFileSync(path.join(dir, 'old.mplan'), edit(original, 'control 20% seed "vip-2026"', 'control 10% seed "vip-2026"'));
        const result = await runCli(['diff', '--base-file', 'old.mplan', PLAN, '--format', 'json', '--as-of', AS_OF], dir);
        expect(result.code, result.stderr).toBe(0);
        const diff: Diff = JSON.parse(result.stdout);
        expect(diff.base).toBe('old.mplan');
        expect(diff.baseCommit).toBeNull();
        expect(diff.plans[0].changes).toEqual([{ path: 'campaign vip_thanks / control', kind: 'changed', old: '10%', new: '20%' }]);
        const control = diff.plans[0].deployment.find(r => r.campaign === 'vip_thanks' && r.field === 'control')!;
        expect(control.new!).toBeGreaterThan(control.old!);
    });
});

describe('mplan diff: JSON schema', () => {
    it('schema/diff.schema.json is generated from the zod schema (node scripts/export-report-schema.js)', () => {
        const committed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema/diff.schema.json'), 'utf8'));
        expect(committed).toEqual(JSON.parse(JSON.stringify(diffJsonSchema())));
        expect(committed.properties.schemaVersion.const).toBe(1);
    });
});
