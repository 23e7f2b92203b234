// The report view shows only what a report.json says, as text: values that look like markup stay text, a file that
// does not match the report schema is a message instead of a report, and Restricted Mode offers no links or commands.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { renderHtml } from '../../src/runner/report/html.js';
import { outlinePlan } from '../../src/extension/plan-outline.js';
import { parseReport, renderMessageHtml, renderReportHtml } from '../../src/extension/report-view.js';

const root = path.resolve(__dirname, '../..');
const planFile = path.join(root, 'examples/retention/winback.mplan');
const options = { cspSource: 'https://webview.test', nonce: 'N0NCE', styleUri: 'https://webview.test/report.css', scriptUri: 'https://webview.test/report.js' };
let report: Report;
let text: string;

beforeAll(() => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-report-safety-'));
    execFileSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'run', planFile, '--out', out, '--as-of', '2026-12-01'], { env: { ...process.env, NO_COLOR: '1' } });
    text = fs.readFileSync(path.join(out, 'report.json'), 'utf8');
    report = parseReport(text, 'report.json');
    fs.rmSync(out, { recursive: true, force: true });
});

/** Every element name in a document, e.g. to find an injected <a> or <script>. */
const tags = (page: string) => [...page.matchAll(/<([a-z]+)[\s>/]/g)].map(m => m[1]);

describe('hostile values in a report', () => {
    const link = '<a href="command:workbench.action.terminal.new">open</a>';
    const hostile = () => {
        const evil = structuredClone(report) as Report;
        (evil.campaigns[0].goals[1] as { status: string }).status = link;
        (evil.campaigns[0] as { status: string }).status = '<script>alert(1)</script>';
        evil.campaigns[0].goals[0].label = '<script>alert(2)</script>';
        evil.campaigns[0].name = '<img src=x onerror=alert(3)>';
        evil.segments[0].name = link;
        return evil;
    };

    for (const [where, render] of [
        ['the webview', (r: Report) => renderReportHtml(r, { ...options, outline: outlinePlan(fs.readFileSync(planFile, 'utf8')) })],
        ['report.html', (r: Report) => renderHtml(r)]
    ] as const) {
        it(`${where} shows a status or label holding <a href> or <script> as text`, () => {
            const clean = tags(render(report));
            const page = render(hostile());
            // The same elements as the clean report: nothing injected.
            expect(tags(page)).toEqual(clean);
            expect(page).not.toMatch(/href="command:/);
            expect(page).toContain('&lt;a href=&quot;command:workbench.action.terminal.new&quot;&gt;open&lt;/a&gt;');
            expect(page).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
            expect(page).toContain('&lt;img src=x onerror=alert(3)&gt;');
        });
    }
});

describe('report.json against the schema', () => {
    it('accepts the runner\'s own report', () => {
        expect(parseReport(text, 'report.json').plan.name).toBe('Autumn win-back');
    });

    it('rejects a report whose status is not a verdict, naming the field', () => {
        const json = JSON.parse(text);
        json.campaigns[0].goals[0].status = '<a href="x">met</a>';
        expect(() => parseReport(JSON.stringify(json), 'reports/winback/report.json'))
            .toThrow(/reports\/winback\/report\.json is not an mplan report this version can show: campaigns\.0\.goals\.0\.status: /);
    });

    it('rejects text that is not JSON or not a report', () => {
        expect(() => parseReport('{"plan":', 'r.json')).toThrow(/r\.json is not valid JSON/);
        expect(() => parseReport('{"campaigns": []}', 'r.json')).toThrow(/schemaVersion/);
    });

    it('shows the problem as an escaped message under the same CSP', () => {
        const page = renderMessageHtml('The report cannot be shown', 'r.json: campaigns.0.name: <script>x</script>', options);
        expect(page).toContain("default-src 'none'");
        expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
        expect(page).not.toContain('<script>x');
    });
});

describe('Restricted Mode', () => {
    it('shows the report without links to plan lines or commands that open files', () => {
        const outline = outlinePlan(fs.readFileSync(planFile, 'utf8'));
        const trusted = renderReportHtml(report, { ...options, outline });
        const restricted = renderReportHtml(report, { ...options, outline, restricted: true });
        expect(trusted).toMatch(/data-line="\d+"/);
        expect(trusted).toContain('data-action="open"');
        expect(restricted).not.toMatch(/data-line=|data-action=|<a\b/);
        expect(restricted).toContain('More lapsed buyers come back');
        expect([...restricted.matchAll(/class="verdict verdict-([a-z-]+)"/g)].map(m => m[1])).toEqual(report.campaigns.flatMap(c => c.goals.map(g => g.status)));
    });

    it('is the same report as report.html: one renderer, the webview adding only its head, links and script', () => {
        const main = (page: string) => /<main>([\s\S]*)<\/main>/.exec(page)![1];
        expect(main(renderReportHtml(report, { ...options, restricted: true }))).toBe(main(renderHtml(report)));
    });
});
