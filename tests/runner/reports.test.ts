// The three report files: the JSON schema in the repo is the zod schema's, the HTML stands alone in light and dark,
// the Markdown is a table-shaped PR comment, and writes are atomic.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, reportJsonSchema } from '../../src/runner/report/schema.js';
import type { Report } from '../../src/runner/report/schema.js';
import { escapeHtml, renderHtml } from '../../src/runner/report/html.js';
import { renderMarkdown } from '../../src/runner/report/markdown.js';
import { writeFilesAtomically } from '../../src/runner/report/write.js';
import { evaluateFile, repoRoot, runCli, sharedData, sharedSpec, tempDir } from './helpers.js';

const dir = tempDir('mplan-reports-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('report.json schema', () => {
    it('schema/report.schema.json is generated from the zod schema (run scripts/export-report-schema.js after changes)', () => {
        const committed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema/report.schema.json'), 'utf8'));
        expect(committed).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
        expect(committed.properties.schemaVersion.const).toBe(2);
    });
});

describe('rendered reports', () => {
    let report: Report;
    beforeAll(async () => {
        report = await evaluateFile(path.join(sharedSpec, 'recorded-groups.mplan'), '2008-06-01', { dataRoots: [sharedData] });
    });

    it('HTML is one self-contained file: inline CSS and SVG, no scripts, no network, light and dark', () => {
        const html = renderHtml(report);
        expect(html).toMatch(/^<!doctype html>/);
        expect(html).toContain('prefers-color-scheme: dark');
        expect(html).toContain('<svg');
        expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
        expect(html).not.toMatch(/https?:\/\//);
        expect(html).toMatch(/class="verdict verdict-(met|not-met|inconclusive)"/);
    });

    it('HTML escapes whatever the plan says', () => {
        const hostile: Report = { ...report, plan: { ...report.plan, name: '<script>alert(1)</script>' } };
        const html = renderHtml(hostile);
        expect(html).not.toContain('<script>');
        expect(html).toContain('&lt;script&gt;');
    });

    it('HTML shows a goal\'s reason under its verdict and the ROI interval beside the ROI, when the report has them', () => {
        // The runner's own report: every goal's reason under its verdict.
        const page = renderHtml(report);
        for (const goal of report.campaigns.flatMap(c => c.goals)) {
            const reason = (goal as { reason?: string }).reason;
            if (reason !== undefined) expect(page).toContain(`<div class="sub reason">${escapeHtml(reason)}</div>`);
        }
        // Reports before schema 2 have neither: the page shows none.
        const older = structuredClone(report);
        for (const c of older.campaigns) {
            delete (c as { roiInterval?: unknown }).roiInterval;
            for (const g of c.goals) delete (g as { reason?: unknown }).reason;
        }
        expect(renderHtml(older)).not.toMatch(/class="sub reason"|95% interval \[/);
        const newer = structuredClone(older);
        (newer.campaigns[0].goals[0] as { reason?: string }).reason = 'The whole interval is above the <3 pp> target.';
        (newer.campaigns[0] as { roiInterval?: [number, number] | null }).roiInterval = [1.25, 2.5];
        const html = renderHtml(newer);
        expect(html).toMatch(/<span class="verdict verdict-[a-z-]+">[^<]+<\/span>(<span class="tag">\w+<\/span>)?<div class="sub reason">The whole interval is above the &lt;3 pp&gt; target\.<\/div>/);
        expect(html).toMatch(/<b>[^<]+<\/b><span>ROI[^<]*<\/span><span class="sub">95% interval \[1\.25, 2\.5\]<\/span>/);
        (newer.campaigns[0] as { roiInterval?: [number, number] | null }).roiInterval = null;
        expect(renderHtml(newer)).not.toContain('95% interval [');
    });

    it('Markdown has a goals table and a metrics table per campaign', () => {
        const md = renderMarkdown(report);
        expect(md).toMatch(/^# E-mail test with recorded groups/);
        expect(md).toMatch(/\| Campaign \| Goal \| Estimate \| 95% CI \| p \(Holm\) \| Status \|/);
        expect(md).toMatch(/\| visit_rate \| 0\.1514 \| 0\.1062 \|/);
        expect(md).toMatch(/lift\(visit_rate\) >= 3 pp \| 4\.52 pp \| \[3\.89 pp, 5\.16 pp\]/);
    });

    it('the report validates against its schema', () => {
        expect(() => ReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
    });
});

describe('atomic writes', () => {
    it('writes all files or none, and leaves no temporary files', () => {
        const out = path.join(dir, 'atomic');
        writeFilesAtomically([{ path: path.join(out, 'a.txt'), content: 'one' }, { path: path.join(out, 'b.txt'), content: 'two' }]);
        // A file that cannot be written (its folder is a file) fails the whole set before any rename.
        fs.writeFileSync(path.join(out, 'blocker'), '');
        expect(() => writeFilesAtomically([
            { path: path.join(out, 'a.txt'), content: 'NEW' },
            { path: path.join(out, 'blocker', 'c.txt'), content: 'x' }
        ])).toThrow();
        expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('one');
        expect(fs.readdirSync(out).filter(f => f.endsWith('.tmp'))).toEqual([]);
    });
});

describe('examples from the quick start', () => {
    const examples = path.join(repoRoot, 'examples');
    const plans = fs.existsSync(examples)
        ? fs.readdirSync(examples, { recursive: true }).map(String).filter(f => f.endsWith('.mplan') && !f.includes('shared'))
        : [];
    for (const plan of plans) {
        it(`mplan run examples/${plan} writes report.json, report.md and report.html`, async () => {
            const out = path.join(dir, plan.replace(/[\\/]/g, '_'));
            const result = await runCli(['run', path.join(examples, plan), '--out', out, '--as-of', '2026-12-31']);
            expect(result.stderr).toBe('');
            expect(result.code).toBe(0);
            expect(fs.readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.md']);
            const report = ReportSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')));
            // Campaigns and goals carry their plan lines, so the editor's report can link back to them.
            const lines = fs.readFileSync(path.join(examples, plan), 'utf8').split('\n');
            for (const campaign of report.campaigns) {
                expect(lines[campaign.line - 1]).toMatch(new RegExp(`^\\s*campaign ${campaign.name} \\{`));
                for (const goal of campaign.goals) expect(lines[goal.line - 1]).toMatch(/^\s*goal /);
            }
            expect(report.campaigns.flatMap(c => c.goals)).not.toHaveLength(0);
            // The value example: a fit without problems, attitude rates, each customer's best channel, the uplift curve.
            if (plan === path.join('value', 'value.mplan')) {
                expect([report.clv[0].converged, report.clv[0].problem, report.clv[0].spend?.problem]).toEqual([true, null, null]);
                expect(report.attitude[0].by.map(b => b.column)).toEqual(['channel', 'offer']);
                const steps = report.campaigns[0].steps;
                expect(steps.map(s => s.channel)).toEqual(['email', 'sms', 'phone']);
                expect(steps.every(s => s.contacts > 0 && s.via !== null)).toBe(true);
                expect(report.campaigns[0].uplift?.points).toHaveLength(10);
            }
        });
    }
});
