// Acceptance on real data: the MineThatData e-mail test evaluated as ../shared/spec/recorded-groups.mplan.
// Group sizes and means are recomputed here from the CSV, and the Welch intervals from an independent computation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { evaluateFile, readCsv, runCli, sharedData, sharedSpec, tempDir, welchFromValues } from './helpers.js';
import { engineArgs, forEachEngine } from '../engines/test-engines.js';

forEachEngine('MineThatData e-mail test (recorded groups)', engine => {
    let report: Report;
    const rows = readCsv(path.join(sharedData, 'hillstrom.csv'));
    const group = (label: string) => rows.filter(r => r.segment === label);
    const treatment = group('Womens E-Mail');
    const control = group('No E-Mail');

    beforeAll(async () => {
        report = await evaluateFile(path.join(sharedSpec, 'recorded-groups.mplan'), '2008-06-01', { dataRoots: [sharedData], engine: engine.url() });
    });

    it('reproduces the group sizes, leaving the other arm out', () => {
        const c = report.campaigns[0];
        expect(treatment.length).toBe(21387);
        expect(control.length).toBe(21306);
        expect(c.groups.treatment.size).toBe(treatment.length);
        expect(c.groups.control.size).toBe(control.length);
        expect(c.srm?.ok).toBe(true);
    });

    for (const [metric, column] of [['visit_rate', 'visit'], ['conversion_rate', 'conversion'], ['spend', 'spend']] as const) {
        it(`reproduces ${metric}: means exactly, Welch interval of an independent computation`, () => {
            const result = report.campaigns[0].metrics.find(m => m.name === metric)!;
            const w = welchFromValues(treatment.map(r => Number(r[column])), control.map(r => Number(r[column])));
            // 0/1 columns sum exactly; spend to the last bit of a correctly rounded sum.
            expect(result.treatment).toBeCloseTo(w.treatment.mean, 14);
            expect(result.control).toBeCloseTo(w.control.mean, 14);
            if (column !== 'spend') {
                expect(result.treatment).toBe(w.treatment.mean);
                expect(result.control).toBe(w.control.mean);
            }
            expect(result.df!).toBeCloseTo(w.df, 6);
            expect(result.ci95![0]).toBeCloseTo(w.ci[0], 9);
            expect(result.ci95![1]).toBeCloseTo(w.ci[1], 9);
            expect(result.treatmentCount).toBe(treatment.length);
        });
    }

    it('matches the published figures of the challenge (visit 15.1% vs 10.6%, spend $1.08 vs $0.65)', () => {
        const metrics = report.campaigns[0].metrics;
        expect(metrics.find(m => m.name === 'visit_rate')!.treatment).toBeCloseTo(0.1514, 4);
        expect(metrics.find(m => m.name === 'visit_rate')!.control).toBeCloseTo(0.1062, 4);
        expect(metrics.find(m => m.name === 'spend')!.treatment).toBeCloseTo(1.0772, 4);
        expect(metrics.find(m => m.name === 'spend')!.control).toBeCloseTo(0.6528, 4);
    });

    it('judges the goals in their units: pp on the absolute interval, % on the relative one', () => {
        const [visit, spend] = report.campaigns[0].goals;
        const visitMetric = report.campaigns[0].metrics.find(m => m.name === 'visit_rate')!;
        expect(visit.unit).toBe('pp');
        expect(visit.interval![0]).toBeCloseTo(visitMetric.ci95![0] * 100, 10);
        expect(visit.status).toBe(visit.interval![0] >= 3 ? 'met' : visit.interval![1] < 3 ? 'not-met' : 'inconclusive');
        expect(visit.final).toBe(true);
        const spendMetric = report.campaigns[0].metrics.find(m => m.name === 'spend')!;
        expect(spend.interval![0]).toBeCloseTo(spendMetric.relativeCi95![0] * 100, 10);
        expect(spend.adjustedPValue).toBeGreaterThanOrEqual(spend.pValue!);
        // Cost: treatment contacts × 0.10 per e-mail.
        expect(report.campaigns[0].cost).toBeCloseTo(21387 * 0.1, 6);
    });

    it('exports the recorded groups keyed by row number (the source has no key)', async () => {
        const out = tempDir('mplan-hillstrom-');
        try {
            const result = await runCli(['audience', path.join(sharedSpec, 'recorded-groups.mplan'), '--out', out, '--data-root', sharedData, ...engineArgs(engine)]);
            expect(result.code).toBe(0);
            const segments = readCsv(path.join(out, 'segments.csv'));
            expect(segments).toHaveLength(rows.length);
            expect(segments[0]).toEqual({ row: '1' });
            expect(segments[63999]).toEqual({ row: '64000' });
            const exported = readCsv(path.join(out, 'womens_email.csv'));
            expect(exported).toHaveLength(treatment.length + control.length);
            for (const e of exported) {
                const label = rows[Number(e.row) - 1].segment;
                expect(e.group).toBe(label === 'Womens E-Mail' ? 'treatment' : 'control');
            }
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });
});
