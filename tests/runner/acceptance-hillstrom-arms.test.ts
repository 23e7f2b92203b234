// Acceptance on real data: the MineThatData e-mail test as one campaign with two arms and the shared control, all
// recorded in the data (recorded-arms.mplan). Each arm against control, the arms against each other, the sample-ratio
// check over the three groups, the goals per arm and the audience file are recomputed here from the CSV.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { evaluateFile, findSpec, readCsv, runCli, sharedData, sharedSpec, tempDir, welchFromValues } from './helpers.js';
import { engineArgs, forEachEngine } from '../engines/test-engines.js';

const specFile = findSpec('recorded-arms.mplan');

forEachEngine('MineThatData e-mail test with both arms (recorded arms)', engine => {
    let report: Report;
    const rows = readCsv(path.join(sharedData, 'hillstrom.csv'));
    const group = (label: string) => rows.filter(r => r.segment === label);
    const mens = group('Mens E-Mail');
    const womens = group('Womens E-Mail');
    const control = group('No E-Mail');

    beforeAll(async () => {
        report = await evaluateFile(specFile, '2008-06-01', { dataRoots: [sharedData], engine: engine.url() });
    });

    it('has the three groups of the data: two arms with their labels, one control', () => {
        const c = report.campaigns[0];
        expect(c.arms.map(a => [a.name, a.label, a.share, a.size])).toEqual([
            ['mens', 'Mens E-Mail', null, mens.length],
            ['womens', 'Womens E-Mail', null, womens.length]
        ]);
        expect(c.groups.control.size).toBe(control.length);
        expect(c.groups.treatment.size).toBe(mens.length + womens.length);
        expect(c.audience.size).toBe(rows.length);
        expect(c.assignment).toMatchObject({ kind: 'recorded', treatment: null, control: 'No E-Mail', split: [1, 1, 1] });
    });

    for (const [arm, members] of [['mens', mens], ['womens', womens]] as const) {
        for (const [metric, column] of [['visit_rate', 'visit'], ['conversion_rate', 'conversion'], ['spend', 'spend']] as const) {
            it(`reproduces ${metric} of ${arm} against control: means, absolute lift and Welch interval`, () => {
                const result = report.campaigns[0].arms.find(a => a.name === arm)!.metrics.find(m => m.name === metric)!;
                const w = welchFromValues(members.map(r => Number(r[column])), control.map(r => Number(r[column])));
                expect(result.treatment).toBeCloseTo(w.treatment.mean, 14);
                expect(result.control).toBeCloseTo(w.control.mean, 14);
                expect(result.treatmentCount).toBe(members.length);
                expect(result.controlCount).toBe(control.length);
                expect(result.absoluteLift!).toBeCloseTo(w.diff, 14);
                expect(result.df!).toBeCloseTo(w.df, 6);
                expect(result.ci95![0]).toBeCloseTo(w.ci[0], 9);
                expect(result.ci95![1]).toBeCloseTo(w.ci[1], 9);
            });
        }
    }

    it('matches the published figures (visit: Mens 18.28%, Womens 15.14%, No E-Mail 10.62%)', () => {
        const visit = (arm: string) => report.campaigns[0].arms.find(a => a.name === arm)!.metrics.find(m => m.name === 'visit_rate')!;
        expect(visit('mens').treatment).toBeCloseTo(0.1828, 4);
        expect(visit('womens').treatment).toBeCloseTo(0.1514, 4);
        expect(visit('mens').control).toBeCloseTo(0.1062, 4);
    });

    it('checks the sample ratio over the three groups: chi-square with 2 df against 1:1:1', () => {
        const srm = report.campaigns[0].srm!;
        const sizes = [control.length, mens.length, womens.length];
        const total = sizes.reduce((a, b) => a + b, 0);
        const chiSquare = sizes.reduce((sum, n) => sum + (n - total / 3) ** 2 / (total / 3), 0);
        expect(srm.df).toBe(2);
        expect(srm.expectedControlShare).toBeCloseTo(1 / 3, 15);
        expect(srm.chiSquare).toBeCloseTo(chiSquare, 9);
        // With 2 degrees of freedom the chi-square survival function is exp(−x/2).
        expect(srm.pValue).toBeCloseTo(Math.exp(-chiSquare / 2), 9);
        expect(srm.ok).toBe(true);
    });

    it('gives the goal without `for` once per arm, against control, Holm-adjusted over every lift verdict', () => {
        const goals = report.campaigns[0].goals;
        expect(goals.map(g => [g.label, g.arm, g.baseline])).toEqual([
            ['lift(visit_rate) >= 3 pp', 'mens', 'control'],
            ['lift(visit_rate) >= 3 pp', 'womens', 'control'],
            ['lift(spend) for mens vs womens >= 0%', 'mens', 'womens']
        ]);
        for (const [i, arm] of [[0, 'mens'], [1, 'womens']] as const) {
            const metric = report.campaigns[0].arms.find(a => a.name === arm)!.metrics.find(m => m.name === 'visit_rate')!;
            expect(goals[i].value).toBeCloseTo(metric.absoluteLift! * 100, 10);
            expect(goals[i].interval![0]).toBeCloseTo(metric.ci95![0] * 100, 10);
            expect(goals[i].adjustedPValue).toBeGreaterThanOrEqual(goals[i].pValue!);
        }
        // Mens visits 7.7 pp more, womens 4.5 pp: both clearly above 3 pp.
        expect(goals[0].status).toBe('met');
        expect(goals[1].status).toBe('met');
        expect(goals[0].reason).toMatch(/over 3 lift goals/);
    });

    it('compares mens with womens for the `for mens vs womens` goal', () => {
        const c = report.campaigns[0];
        expect(c.comparisons.map(x => [x.arm, x.baseline])).toEqual([['mens', 'womens']]);
        const spend = c.comparisons[0].metrics.find(m => m.name === 'spend')!;
        const w = welchFromValues(mens.map(r => Number(r.spend)), womens.map(r => Number(r.spend)));
        expect(spend.treatment).toBeCloseTo(w.treatment.mean, 14);
        expect(spend.control).toBeCloseTo(w.control.mean, 14);
        expect(spend.ci95![0]).toBeCloseTo(w.ci[0], 9);
        expect(spend.ci95![1]).toBeCloseTo(w.ci[1], 9);
        const goal = c.goals[2];
        expect(goal.value).toBeCloseTo(spend.relativeLift! * 100, 10);
        expect(goal.interval![0]).toBeCloseTo(spend.relativeCi95![0] * 100, 10);
    });

    it('costs each arm its own contacts; the campaign is the sum', () => {
        const c = report.campaigns[0];
        expect(c.arms.map(a => a.cost)).toEqual([mens.length * 0.1, womens.length * 0.1]);
        expect(c.cost).toBeCloseTo((mens.length + womens.length) * 0.1, 6);
        expect(c.steps.map(s => s.contacts)).toEqual([mens.length, womens.length]);
    });

    it('mplan run names the arm of each verdict of a goal without `for`', async () => {
        const out = tempDir('mplan-hillstrom-arms-run-');
        try {
            const result = await runCli(['run', specFile, '--out', out, '--data-root', sharedData, ...engineArgs(engine)]);
            expect(result.code, result.stderr).toBe(0);
            expect(result.stdout).toMatch(/^ {4}met {10}lift\(visit_rate\) >= 3 pp \[mens\]  \(estimate 7\.66 pp\)/m);
            expect(result.stdout).toMatch(/^ {4}met {10}lift\(visit_rate\) >= 3 pp \[womens\]  \(estimate 4\.52 pp\)/m);
            expect(result.stdout).toMatch(/lift\(spend\) for mens vs womens >= 0% {2}\(estimate/);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

        it('exports the arm of each customer as its group', async () => {
        const out = tempDir('mplan-hillstrom-arms-');
        try {
            const result = await runCli(['audience', specFile, '--out', out, '--data-root', sharedData, ...engineArgs(engine)]);
            expect(result.code, result.stderr).toBe(0);
            const exported = readCsv(path.join(out, 'email_test.csv'));
            expect(exported).toHaveLength(rows.length);
            const expected: Record<string, string> = { 'Mens E-Mail': 'mens', 'Womens E-Mail': 'womens', 'No E-Mail': 'control' };
            for (const e of exported) {
                expect(e.group).toBe(expected[rows[Number(e.row) - 1].segment]);
                expect(e.step1_channel).toBe(e.group === 'control' ? '' : 'email');
            }
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });
});
