// The report webview's HTML, rendered from a real report.json of the win-back example: strict CSP, verdicts, links
// from campaigns and goals back to their plan lines, and escaping of everything that comes from the plan.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { outlinePlan } from '../../src/extension/plan-outline.js';
import { contentSecurityPolicy, planLines, renderReportHtml, verdictSummary } from '../../src/extension/report-view.js';
import { inputFingerprint, sizeTitle, sizesFromReport } from '../../src/extension/audience-sizes-core.js';

const root = path.resolve(__dirname, '../..');
const planFile = path.join(root, 'examples/retention/winback.mplan');
let report: Report;
const options = { cspSource: 'https://webview.test', nonce: 'N0NCE', styleUri: 'https://webview.test/report.css', scriptUri: 'https://webview.test/report.js' };

beforeAll(() => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-report-view-'));
    execFileSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'run', planFile, '--out', out, '--as-of', '2026-12-01'], { env: { ...process.env, NO_COLOR: '1' } });
    report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    fs.rmSync(out, { recursive: true, force: true });
});

describe('report webview', () => {
    it('has a strict Content-Security-Policy: nothing by default, scripts by nonce, styles from the extension', () => {
        const csp = contentSecurityPolicy(options.cspSource, options.nonce);
        expect(csp).toMatch(/^default-src 'none'; /);
        expect(csp).toContain("script-src 'nonce-N0NCE'");
        expect(csp).not.toMatch(/unsafe-(inline|eval)/);
        const html = renderReportHtml(report, options);
        expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp}">`);
        const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(m => m[0]);
        expect(scripts).toEqual(['<script nonce="N0NCE" src="https://webview.test/report.js">']);
        expect(html).not.toMatch(/\son\w+=/); // no inline event handlers
        expect(html).not.toMatch(/style="/); // no inline styles
    });

    it('shows each goal with its verdict and links campaigns and goals to their lines', () => {
        const text = fs.readFileSync(planFile, 'utf8');
        const lines = text.split('\n');
        const outline = outlinePlan(text);
        const html = renderReportHtml(report, { ...options, outline });
        const winback = report.campaigns.find(c => c.name === 'winback')!;
        expect(html).toContain('More lapsed buyers come back');
        for (const goal of winback.goals) expect(html).toContain(`verdict-${goal.status}`);
        const badges = [...html.matchAll(/<span class="verdict verdict-([a-z-]+)">([^<]+)<\/span>/g)].map(m => m[1]);
        expect(badges).toEqual(report.campaigns.flatMap(c => c.goals.map(g => g.status)));
        const pp = winback.goals.find(g => g.unit === 'pp')!;
        expect(html).toContain(`${Number(pp.value!.toPrecision(3))} pp`);
        const linked = [...html.matchAll(/data-line="(\d+)"[^>]*>([^<]*)</g)].map(m => ({ line: Number(m[1]), text: m[2] }));
        const campaign = linked.find(l => l.text === 'Campaign winback')!;
        expect(lines[campaign.line]).toMatch(/^\s*campaign winback/);
        const roi = linked.find(l => l.text === 'roi &gt;= 1.5')!;
        expect(lines[roi.line]).toMatch(/^\s*goal roi >= 1\.5/);
        expect(planLines(winback, outline).goals).toHaveLength(winback.goals.length);
        expect(linked.find(l => l.text === 'Autumn win-back')?.line).toBe(outline.planLine);
    });

    it('prefers the lines a report carries', () => {
        const winback = structuredClone(report.campaigns[0]) as Report['campaigns'][number] & { line?: number };
        winback.line = 7;
        (winback.goals[0] as { line?: number }).line = 9;
        const lines = planLines(winback, undefined);
        expect(lines.campaign).toBe(6);
        expect(lines.goals[0]).toBe(8);
        expect(lines.goals[1]).toBe(report.campaigns[0].goals[1].line - 1);
    });

    it('escapes what comes from the plan and the data', () => {
        const evil = structuredClone(report);
        evil.plan.name = '<img src=x onerror=alert(1)>';
        evil.campaigns[0].goals[0].label = '"><script>alert(1)</script>';
        evil.warnings.push('<b>bold</b>');
        const html = renderReportHtml(evil, options);
        expect(html).not.toContain('<img src=x');
        expect(html).not.toContain('<script>alert');
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    });

    it('summarises verdicts and audience sizes', () => {
        const summary = verdictSummary(report);
        expect(summary.total).toBe(report.campaigns.reduce((n, c) => n + c.goals.length, 0));
        expect(summary.text).toMatch(/^\d+ of \d+ goals met$/);
        const sizes = sizesFromReport(report);
        const winback = report.campaigns.find(c => c.name === 'winback')!;
        const treatment = winback.groups.treatment.size;
        // winback: email on the first day, mail a week later, every treatment customer each time.
        const oneDay = (channel: string, date: string) => ({ channel, first: date, last: date, days: 1, peak: treatment, contacts: treatment });
        expect(winback.steps.map(s => s.channel)).toEqual(['email', 'mail']);
        expect(sizes.get('winback')).toEqual({
            audience: winback.audience.size, treatment, control: winback.groups.control.size,
            controlShare: winback.assignment.kind === 'drawn' ? winback.assignment.controlShare : undefined,
            arms: [{ name: 'winback', size: treatment }],
            channels: [oneDay('email', winback.steps[0].date), oneDay('mail', winback.steps[1].date)]
        });
        expect(sizeTitle({ audience: 1234, treatment: 1111, control: 123, controlShare: 0.1 })).toBe('Audience 1,234 · control 10% (123)');
        expect(sizeTitle({ audience: 50, treatment: 50, control: 0 })).toBe('Audience 50 · no control group');
    });

    it('fingerprints a plan with the files it imports and reads', () => {
        const text = fs.readFileSync(planFile, 'utf8');
        const { key, latest } = inputFingerprint(planFile, text);
        for (const file of ['winback.mplan', 'channels.mplan', 'customers.csv', 'orders.csv']) expect(key).toContain(file);
        expect(latest).toBeGreaterThan(0);
        expect(inputFingerprint(planFile, text.replace('data/orders.csv', 'data/gone.csv')).key).toMatch(/gone\.csv:missing/);
    });

    it('does not look at data files outside the plan\'s root unless a root allows them', () => {
        const text = fs.readFileSync(planFile, 'utf8').replace('"data/orders.csv"', '"/etc/passwd.csv"');
        expect(inputFingerprint(planFile, text).key).toContain('/etc/passwd.csv:outside');
        expect(inputFingerprint(planFile, text, ['/etc']).key).toContain('/etc/passwd.csv:missing');
    });

    it('takes no file for a table source: its name is not a path to look at', () => {
        const text = fs.readFileSync(planFile, 'utf8').replace('from "data/orders.csv"', 'from table "/etc/passwd.csv"');
        const { key } = inputFingerprint(planFile, text);
        expect(key).not.toContain('passwd');
        expect(key).not.toContain('orders.csv');
        expect(key).toContain('customers.csv');
    });

    it('uses only the theme\'s colours in its stylesheet', () => {
        const css = fs.readFileSync(path.join(root, 'media/report.css'), 'utf8');
        const colours = [...css.matchAll(/(?:^|[^-\w])(color|background|border|border-(?:bottom|left|top|right)|outline):\s*([^;]+);/g)].map(m => m[2]);
        expect(colours.length).toBeGreaterThan(10);
        for (const value of colours) expect(value, value).toMatch(/var\(--vscode-|currentColor|^none$|^0$|^\d+px solid var\(--vscode-/);
    });
});
