// "Compare with Base" without the editor: the output of a real `mplan diff --format json` read back, the code lens texts
// of changed campaigns (none for unchanged ones), the comparison page (the summary line, changes and deployment rows,
// escaped, under the report view's CSP), and the problems of a side with errors, linked only where the file is on disk.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diff, PlanDiff } from '../../src/cli/diff-schema.js';
import type { Comparison } from '../../src/extension/compare-core.js';
import { asDiffBase, baseArgs, diffLensTexts, isRevisionText, parseProblems, readComparison, renderCompareHtml } from '../../src/extension/compare-core.js';
import { outlinePlan } from '../../src/extension/plan-outline.js';
// @ts-expect-error: a plain ES module without types, shared with the VS Code tests' workspace
import { makeWorkspace } from '../vscode/make-workspace.mjs';

const root = path.resolve(__dirname, '../..');
const options = {
    cspSource: 'https://webview.test', nonce: 'N0NCE', styleUri: 'https://webview.test/report.css', scriptUri: 'https://webview.test/compare.js',
    planLabel: 'retention/summer.mplan', base: 'HEAD'
};
let dir: string;
let retention: string;
let plan: string;
let result: { code: number | null; stdout: string; stderr: string };

/** `mplan diff ARGS` in the workspace's retention folder, as the extension runs it (progress lines on stderr too). */
function diff(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'diff', ...args, '--as-of', '2026-12-01'], {
        cwd: retention, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MPLAN_PROGRESS: '1' }
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-compare-'));
    makeWorkspace(dir);
    retention = path.join(dir, 'retention');
    plan = path.join(retention, 'summer.mplan');
    result = diff([plan, '--format', 'json']);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const comparisonOf = () => readComparison(result, plan, retention, f => fs.existsSync(f)) as Extract<Comparison, { state: 'diff' }>;
const row = (p: PlanDiff, campaign: string, field: string) => p.deployment.find(r => r.campaign === campaign && r.arm === null && r.field === field)!;
const integer = (n: number) => n.toLocaleString('en-US');
const usd = (n: number) => `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;

describe('the output of mplan diff --format json', () => {
    it('is read back as the diff of the named plan, checked against the diff schema', () => {
        expect(result.code, result.stderr).toBe(0);
        const comparison = comparisonOf();
        expect(comparison.state).toBe('diff');
        expect(comparison.diff.base).toBe('HEAD');
        expect(comparison.plan?.path).toBe('summer.mplan');
        expect(comparison.plan?.changes.map(c => c.path)).toEqual(['campaign nudge / audience', 'campaign nudge / control']);
    });

    it('is a failure, naming the field, when the JSON has another shape', () => {
        const json = JSON.parse(result.stdout);
        json.plans[0].deployment[0].field = 'reach';
        const comparison = readComparison({ ...result, stdout: JSON.stringify(json) }, plan, retention, () => true);
        expect(comparison.state).toBe('failed');
        expect(comparison.state === 'failed' && comparison.message).toMatch(/another shape: plans\.0\.deployment\.0\.field/);
        expect(readComparison({ ...result, stdout: 'mplan' }, plan, retention, () => true).state).toBe('failed');
    });

    it('is a failure with the CLI\'s message, not its progress lines, for an unknown revision (exit 2)', () => {
        const unknown = diff(['no-such-branch', plan, '--format', 'json']);
        expect(unknown.code).toBe(2);
        const comparison = readComparison(unknown, plan, retention, () => true);
        expect(comparison).toEqual({ state: 'failed', message: expect.stringMatching(/^mplan diff: 'no-such-branch' is neither a revision/) });
    });
});

describe('the diff lenses', () => {
    it('say "audience OLD → NEW · cost OLD → NEW" on the changed campaign, from the diff\'s figures', () => {
        const p = comparisonOf().plan!;
        const audience = row(p, 'nudge', 'audience');
        const cost = row(p, 'nudge', 'cost');
        // The audiences as the data has them: region west before, every region but the east after.
        const regions = fs.readFileSync(path.join(retention, 'data/customers.csv'), 'utf8').trim().split('\n').slice(1).map(l => l.split(',')[1]);
        expect([audience.old, audience.new]).toEqual([regions.filter(r => r === 'west').length, regions.filter(r => r !== 'east').length]);
        const lenses = diffLensTexts(p, 'HEAD');
        expect(lenses.get('nudge')?.title).toBe(`$(git-compare) audience ${integer(audience.old!)} → ${integer(audience.new!)} · cost ${usd(cost.old!)} → ${usd(cost.new!)}`);
        expect(lenses.get('nudge')?.tooltip).toContain('control: 10% → 30%');
    });

    it('leave out a campaign that did not change', () => {
        const lenses = diffLensTexts(comparisonOf().plan!, 'HEAD');
        expect([...lenses.keys()]).toEqual(['nudge']);
    });

    it('count the changes where no figure moved or the data was not evaluated, and mark a new campaign', () => {
        const p: PlanDiff = {
            path: 'q4.mplan', status: 'changed', currency: 'EUR', evaluated: false, notes: ['data/customers.csv: file not found'], deployment: [],
            changes: [
                { path: 'campaign a / offer', kind: 'changed', old: 'x', new: 'y' },
                { path: 'campaign a / budget', kind: 'changed', old: 10, new: 20 },
                { path: 'campaign b', kind: 'added', old: null, new: { audience: 'everyone' } }
            ]
        };
        const lenses = diffLensTexts(p, 'main');
        expect(lenses.get('a')?.title).toBe('$(git-compare) 2 changes since main');
        expect(lenses.get('a')?.tooltip).toContain('Note: data/customers.csv: file not found');
        expect(lenses.get('b')?.title).toBe('$(git-compare) new campaign · 1 change since main');
        const evaluated = diffLensTexts({ ...p, evaluated: true, notes: [], deployment: [{ campaign: 'b', arm: null, field: 'audience', old: null, new: 1200 }] }, 'main');
        expect(evaluated.get('b')?.title).toBe('$(git-compare) new campaign · audience 1,200 (new)');
    });
});

/** Every element name in a document, e.g. to find an injected <a> or <script>. */
const tags = (page: string) => [...page.matchAll(/<([a-z]+)[\s>/]/g)].map(m => m[1]);

describe('the comparison page', () => {
    it('shows the summary line, each change with old and new, and the deployment rows, under a strict CSP', () => {
        const comparison = comparisonOf();
        const page = renderCompareHtml(comparison, { ...options, outline: outlinePlan(fs.readFileSync(plan, 'utf8')) });
        expect(page).toContain("default-src 'none'");
        expect(page).toContain('<script nonce="N0NCE" src="https://webview.test/compare.js">');
        expect(page).toMatch(/<p class="summary-line">mplan diff against HEAD \([0-9a-f]{7}\): 1 plan of 1 changed, 2 changes\.<\/p>/);
        const p = comparison.plan!;
        const control = row(p, 'nudge', 'control');
        for (const [what, old, now] of [
            ['control', '10%', '30%'],
            ['audience', 'shoppers.region = &quot;west&quot;', 'shoppers.region != &quot;east&quot;'],
            ['audience (customers)', integer(row(p, 'nudge', 'audience').old!), integer(row(p, 'nudge', 'audience').new!)],
            ['control group', integer(control.old!), integer(control.new!)]
        ]) {
            expect(page).toContain(`<td>${what}</td><td class="num">${old}</td><td class="num">${now}</td>`);
        }
        expect(page).toMatch(/<td>MDE of goal lift\(responded\)<\/td><td class="num">[\d.]+ pp<\/td>/);
        expect(page).toContain('Deployment figures evaluated as of 2026-12-01');
        // nudge links to its line; letters did not change and has no section.
        const line = fs.readFileSync(plan, 'utf8').split('\n').findIndex(l => l.includes('campaign nudge'));
        expect(page).toContain(`data-line="${line}"`);
        expect(page).toContain('data-campaign="nudge"');
        expect(page).not.toContain('data-campaign="letters"');
    });

    it('shows values holding markup as text: nothing injected', () => {
        const clean = structuredClone(comparisonOf().diff) as Diff;
        clean.plans[0].notes = ['a note'];
        const evil = structuredClone(clean);
        evil.plans[0].changes[0].new = '<script>alert(1)</script>';
        evil.plans[0].changes[1].path = 'campaign nudge / <img src=x onerror=alert(2)>';
        evil.plans[0].notes = ['<a href="command:workbench.action.terminal.new">open</a>'];
        evil.base = '"><b>base</b>';
        const render = (d: Diff) => renderCompareHtml({ state: 'diff', diff: d, plan: d.plans[0] }, options);
        const page = render(evil);
        // The same elements as the clean page: nothing injected.
        expect(tags(page)).toEqual(tags(render(clean)));
        expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
        expect(page).toContain('&lt;a href=&quot;command:workbench.action.terminal.new&quot;&gt;open&lt;/a&gt;');
        expect(page).not.toMatch(/href="command:/);
    });

    it('says why there are no figures when the deployment was not evaluated', () => {
        const d = structuredClone(comparisonOf().diff) as Diff;
        Object.assign(d.plans[0], { evaluated: false, deployment: [], notes: ['data/customers.csv: file not found'] });
        const page = renderCompareHtml({ state: 'diff', diff: d, plan: d.plans[0] }, options);
        expect(page).toContain('not shown: the deployment could not be evaluated on both sides:');
        expect(page).toContain('<div class="warn note">data/customers.csv: file not found</div>');
        expect(page).not.toContain('<th>deployment</th>');
        expect(page).not.toContain('Deployment figures evaluated');
    });

    it('offers no links or actions in Restricted Mode', () => {
        const comparison = comparisonOf();
        const outline = outlinePlan(fs.readFileSync(plan, 'utf8'));
        expect(renderCompareHtml(comparison, { ...options, outline })).toMatch(/data-action="rerun"/);
        expect(renderCompareHtml(comparison, { ...options, outline, restricted: true })).not.toMatch(/data-line=|data-action=|<a\b/);
    });
});

describe('a side with errors', () => {
    it('lists the problems of both sides, linking only the working copy\'s file and line', () => {
        // The base stands in from a file with a syntax error, the working copy has one too.
        const broken = (text: string) => text.replace('control 30% seed', 'control 30% bogus seed').replace('control 10% seed', 'control 10% bogus seed');
        fs.writeFileSync(path.join(retention, 'old.mplan'), broken(fs.readFileSync(plan, 'utf8').replace('control 30%', 'control 10%')));
        const now = path.join(retention, 'now.mplan');
        fs.writeFileSync(now, broken(fs.readFileSync(plan, 'utf8')));
        const failing = diff(['--base-file', 'old.mplan', now, '--format', 'json']);
        expect(failing.code).toBe(1);
        const comparison = readComparison(failing, now, retention, f => fs.existsSync(f));
        expect(comparison.state).toBe('errors');
        if (comparison.state !== 'errors') return;
        const line = fs.readFileSync(now, 'utf8').split('\n').findIndex(l => l.includes('bogus')) + 1;
        expect(comparison.problems.map(p => [p.where, p.line, p.file])).toEqual([
            ['now.mplan', line, now],
            ['old.mplan:now.mplan', line, undefined]
        ]);
        const page = renderCompareHtml(comparison, options);
        expect(page).toContain(`<a href="#" class="plan-link" data-problem="0" title="Open now.mplan at line ${line}">now.mplan:${line}:`);
        expect(page).toContain(`<code>old.mplan:now.mplan:${line}:`);
        expect(page).not.toContain('data-problem="1"');
        expect(page).toContain('(at the base)');
        expect(renderCompareHtml(comparison, { ...options, restricted: true })).not.toContain('data-problem');
    });

    it('reads only lines shaped like a problem', () => {
        const problems = parseProblems('  0.2s  reading...\nHEAD:q4.mplan:3:5: error: Bad thing. [syntax-error]\nq4.mplan:7:1: warning: Hmm\n1 error', '/w', () => false);
        expect(problems).toEqual([
            { where: 'HEAD:q4.mplan', line: 3, column: 5, severity: 'error', message: 'Bad thing.' },
            { where: 'q4.mplan', line: 7, column: 1, severity: 'warning', message: 'Hmm' }
        ]);
    });
});

describe('the base', () => {
    it('becomes the arguments before the plan, and refuses what is no base', () => {
        expect(baseArgs({ kind: 'default' })).toEqual([]);
        expect(baseArgs({ kind: 'revision', revision: 'origin/main' })).toEqual(['origin/main']);
        expect(baseArgs({ kind: 'file', file: '/w/old.mplan' })).toEqual(['--base-file', '/w/old.mplan']);
        expect(asDiffBase({ kind: 'revision', revision: '--upload-pack=x' })).toBeUndefined();
        expect(asDiffBase({ kind: 'file', file: 'relative.mplan' })).toBeUndefined();
        expect(asDiffBase({ kind: 'revision', revision: 'HEAD~1' })).toEqual({ kind: 'revision', revision: 'HEAD~1' });
        expect(isRevisionText('main branch')).toBe(false);
        expect(isRevisionText('v1.2')).toBe(true);
    });

    it('is the CLI\'s default when none is named: the same diff as the terminal prints', () => {
        const text = execFileSync(process.execPath, [path.join(root, 'bin/mplan.js'), 'diff', plan, '--as-of', '2026-12-01'], { cwd: retention, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        const page = renderCompareHtml(comparisonOf(), options);
        const summary = /<p class="summary-line">(.*)<\/p>/.exec(page)![1];
        expect(text.split('\n')[0]).toBe(summary);
        const planLine = text.split('\n')[2].replace(/^summer\.mplan: /, '');
        expect(page).toContain(`<p class="plan-summary">${planLine}</p>`);
    });
});
