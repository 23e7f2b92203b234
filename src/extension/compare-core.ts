// The parts of "mplan: Compare with Base" that need no `vscode`: the base as `mplan diff` arguments, the CLI's output
// read back (the JSON checked against the diff schema, or the problems it printed), the code lens texts of changed
// campaigns, and the comparison page. The diff is never recomputed here: everything comes from `mplan diff --format json`,
// in the words of the terminal output (src/cli/diff-render.ts). Unit-tested in tests/extension.
import * as path from 'node:path';
import type { DeploymentChange, Diff, PlanDiff } from '../cli/diff-schema.js';
import { DiffSchema } from '../cli/diff-schema.js';
import type { Line } from '../cli/diff-render.js';
import { diffSummary, groupPlan, planSummary, plural } from '../cli/diff-render.js';
import { int, money } from '../runner/report/format.js';
import { contentSecurityPolicy } from '../runner/report/html.js';
import type { Html } from '../runner/report/html-template.js';
import { html, trustedCss } from '../runner/report/html-template.js';
import { firstLines } from './audience-sizes-core.js';
import type { PlanOutline } from './plan-outline.js';

/** What a plan is compared with: `mplan diff`'s default base, a git revision, or another plan file (`--base-file`). */
export type DiffBase =
    | { kind: 'default' }
    | { kind: 'revision'; revision: string }
    | { kind: 'file'; file: string };

/** A base as remembered or passed to a command; undefined for anything else (state from an older version, bad input). */
export function asDiffBase(value: unknown): DiffBase | undefined {
    const v = value as { kind?: unknown; revision?: unknown; file?: unknown } | undefined;
    if (v?.kind === 'default') return { kind: 'default' };
    if (v?.kind === 'revision' && typeof v.revision === 'string' && isRevisionText(v.revision)) return { kind: 'revision', revision: v.revision };
    if (v?.kind === 'file' && typeof v.file === 'string' && path.isAbsolute(v.file)) return { kind: 'file', file: v.file };
    return undefined;
}

/** A revision as a user may type it: not empty, no spaces, not starting with `-` (it would read as an option). */
export function isRevisionText(text: string): boolean {
    return /^[^\s-][^\s]*$/.test(text) && !text.endsWith('.mplan');
}

/** How the base is named in titles and lenses. */
export function baseLabel(base: DiffBase): string {
    if (base.kind === 'default') return 'the default base';
    if (base.kind === 'revision') return base.revision;
    return path.basename(base.file);
}

/** The arguments that name the base, before the plan: none for the default (the CLI picks it), the revision, or --base-file. */
export function baseArgs(base: DiffBase): string[] {
    if (base.kind === 'revision') return [base.revision];
    if (base.kind === 'file') return ['--base-file', base.file];
    return [];
}

/** One problem `mplan diff` printed on stderr (as `mplan check` prints them); `file` only when it is in the working copy. */
export interface DiffProblem {
    /** As printed: `retention/q4.mplan`, or the base's `origin/main:retention/q4.mplan`. */
    where: string;
    line: number;
    column: number;
    severity: 'error' | 'warning' | 'info';
    message: string;
    /** The absolute file in the working copy, for a link; undefined for the base's side (its text is not on disk). */
    file?: string;
}

/** What one comparison gave: the diff, the plans' problems (exit 1), or why it failed. */
export type Comparison =
    | { state: 'diff'; diff: Diff; plan: PlanDiff | undefined }
    | { state: 'errors'; problems: DiffProblem[]; message: string }
    | { state: 'failed'; message: string };

const PROBLEM = /^(.+?):(\d+):(\d+): (error|warning|info): (.*?)(?: \[[a-z0-9-]+\])?$/;

/** The problems in `mplan diff`'s stderr. A `where` that is a file on disk links to it; the base's (`REV:path`) does not. */
export function parseProblems(stderr: string, cwd: string, exists: (file: string) => boolean): DiffProblem[] {
    const problems: DiffProblem[] = [];
    for (const text of stderr.split(/\r?\n/)) {
        const m = PROBLEM.exec(text.trimEnd());
        if (!m) continue;
        const absolute = path.resolve(cwd, m[1]);
        problems.push({
            where: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4] as DiffProblem['severity'], message: m[5],
            ...(exists(absolute) ? { file: absolute } : {})
        });
    }
    return problems;
}

/**
 * Reads what `mplan diff PLAN --format json` gave: exit 0 with the JSON (checked against the diff schema), exit 1 with
 * the plans' problems on stderr, or a failure (a usage error such as an unknown revision, a crash, JSON of another shape).
 */
export function readComparison(result: { code: number | null; stdout: string; stderr: string }, planFile: string, cwd: string,
    exists: (file: string) => boolean): Comparison {
    if (result.code === 1) {
        const problems = parseProblems(result.stderr, cwd, exists);
        if (problems.length > 0) return { state: 'errors', problems, message: 'A plan has errors on one side; fix them first.' };
    }
    if (result.code !== 0) return { state: 'failed', message: firstLines(result.stderr) || `mplan diff exited with ${result.code}` };
    let json: unknown;
    try {
        json = JSON.parse(result.stdout);
    } catch (error) {
        return { state: 'failed', message: `mplan diff printed no JSON (${(error as Error).message})` };
    }
    const parsed = DiffSchema.safeParse(json);
    if (!parsed.success) {
        return { state: 'failed', message: `mplan diff printed a diff of another shape: ${parsed.error.issues.slice(0, 3).map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    }
    const diff = parsed.data;
    // Paths in the JSON are relative to the folder the CLI ran in; one plan was named, so one is expected.
    const plan = diff.plans.find(p => path.resolve(cwd, p.path) === path.resolve(planFile)) ?? (diff.plans.length === 1 ? diff.plans[0] : undefined);
    return { state: 'diff', diff, plan };
}

/** A diff lens of one campaign: what its title and tooltip say. */
export interface DiffLensText {
    title: string;
    tooltip: string;
}

function arrow(row: DeploymentChange | undefined, format: (v: number | null) => string): string | undefined {
    if (!row) return undefined;
    if (row.old === null) return `${format(row.new)} (new)`;
    if (row.new === null) return `${format(row.old)} → none`;
    return `${format(row.old)} → ${format(row.new)}`;
}

function lineText(l: Line): string {
    const value = l.kind === 'added' ? `+ ${l.new}` : l.kind === 'removed' ? `- ${l.old}` : `${l.old} → ${l.new}`;
    return `${l.what}: ${value}${l.overBudget ? ' (over budget)' : ''}`;
}

/**
 * The lens of each campaign the comparison says changed (in its settings or in its deployment figures), by name:
 * `audience 710 → 2,340`, with the planned cost when it changed (`· cost 467.40 USD → 728.16 USD`); a campaign whose
 * figures did not move (or were not evaluated) says how many changes it has. Unchanged campaigns have none.
 */
export function diffLensTexts(plan: PlanDiff, base: string): Map<string, DiffLensText> {
    const lenses = new Map<string, DiffLensText>();
    for (const campaign of groupPlan(plan).campaigns) {
        const rows = plan.deployment.filter(r => r.campaign === campaign.name && r.arm === null);
        const added = plan.changes.some(c => c.path === `campaign ${campaign.name}` && c.kind === 'added');
        const parts: string[] = [];
        const audience = arrow(rows.find(r => r.field === 'audience'), v => int(v));
        if (audience) parts.push(`audience ${audience}`);
        const cost = rows.find(r => r.field === 'cost' && r.old !== r.new);
        const costText = arrow(cost, v => money(v, plan.currency));
        if (costText) parts.push(`cost ${costText}`);
        if (parts.length === 0) parts.push(`${plural(campaign.lines.length, 'change')} since ${base}`);
        if (added) parts.unshift('new campaign');
        const shown = campaign.lines.slice(0, 12).map(lineText);
        if (campaign.lines.length > shown.length) shown.push(`… and ${campaign.lines.length - shown.length} more`);
        const notes = plan.notes.map(n => `Note: ${n}`);
        lenses.set(campaign.name, {
            title: `$(git-compare) ${parts.join(' · ')}`,
            tooltip: [`Campaign ${campaign.name} compared with ${base}:`, ...shown, ...notes, 'Click to open the comparison.'].join('\n')
        });
    }
    return lenses;
}

export interface CompareViewOptions {
    /** `webview.cspSource`: where the stylesheet may come from. */
    cspSource: string;
    /** A fresh random nonce for this render. */
    nonce: string;
    /** webview URIs of media/report.css (the theme's colours) and media/compare.js (link clicks). */
    styleUri: string;
    scriptUri: string;
    /** The plan, as shown (relative to the workspace). */
    planLabel: string;
    /** The base, as named in the title. */
    base: string;
    /** The plan's URI, kept in the webview's state so the panel comes back after a reload. */
    planUri?: string;
    /** The plan's outline, to link each campaign to its line. */
    outline?: PlanOutline;
    /** Restricted Mode: no links and no actions. */
    restricted?: boolean;
    /** Shown under the title, e.g. when the comparison ran. */
    subtitle?: string;
}

// The layout, with the colour variables of media/report.css (the editor's theme), as the report view has it. No inline
// style attributes: the CSP would block them.
const LAYOUT = `
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { padding: 0 20px 24px; }
h1 { font-size: 22px; margin: 16px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta, .muted { color: var(--muted); } .meta { margin: 2px 0; } .summary-line { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
tr.subhead th { padding-top: 14px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mark { width: 1.5em; font-weight: 700; } tr.added td.mark { color: var(--met); } tr.removed td.mark { color: var(--notmet); } tr.changed td.mark { color: var(--inc); }
.over { color: var(--notmet); font-weight: 600; margin-left: 6px; }
.warn { border-left: 4px solid var(--inc); background: var(--card); padding: 6px 12px; margin: 6px 0; }
.problems li { margin: 4px 0; } .severity-error { color: var(--notmet); font-weight: 600; }
`;

const MARK = { added: '+', removed: '−', changed: '~' } as const;

function page(title: string, body: Html, options: CompareViewOptions): string {
    return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.cspSource, options.nonce)}">
<style nonce="${options.nonce}">${trustedCss(LAYOUT)}</style>
<link rel="stylesheet" href="${options.styleUri}">
<title>${title}</title></head>
<body${options.planUri && html` data-plan="${options.planUri}"`}><main>
${body}
</main>
<script nonce="${options.nonce}" src="${options.scriptUri}"></script>
</body></html>
`.text;
}

function header(options: CompareViewOptions): Html {
    return html`<h1>${options.planLabel} compared with ${options.base}</h1>
${options.subtitle && html`<p class="meta">${options.subtitle}</p>`}
${!options.restricted && html`<nav class="meta"><a href="#" class="action" data-action="rerun">Compare again</a> · <a href="#" class="action" data-action="choose-base">Change the base</a></nav>`}`;
}

function rowsOf(lines: Line[]): Html[] {
    return lines.map(l => html`<tr class="${l.kind}"><td class="mark">${MARK[l.kind]}</td><td>${l.what}</td><td class="num">${l.old}</td><td class="num">${l.new}${l.overBudget && html`<span class="over">over budget</span>`}</td></tr>\n`);
}

/** One table: the settings first, then (under their own heading row, in the same columns) the deployment figures. */
function table(settings: Line[], figures: Line[], heading: string): Html | false {
    if (settings.length + figures.length === 0) return false;
    return html`<table class="changes"><thead><tr><th></th><th>${settings.length > 0 ? heading : 'deployment'}</th><th class="num">base</th><th class="num">working copy</th></tr></thead><tbody>
${rowsOf(settings)}${settings.length > 0 && figures.length > 0 && html`<tr class="subhead"><th></th><th>deployment</th><th class="num"></th><th class="num"></th></tr>\n`}${rowsOf(figures)}</tbody></table>`;
}

function campaignHeading(name: string, outline: PlanOutline | undefined, restricted: boolean): Html {
    const line = restricted ? undefined : outline?.campaigns.find(c => c.name === name)?.line;
    if (line === undefined) return html`<h3>campaign ${name}</h3>`;
    return html`<h3>campaign <a href="#" class="plan-link" data-line="${line}" title="Show campaign ${name} in the plan (line ${line + 1})">${name}</a></h3>`;
}

function planSection(plan: PlanDiff, options: CompareViewOptions): Html {
    const grouped = groupPlan(plan);
    const restricted = options.restricted ?? false;
    const notEvaluated = !plan.evaluated && plan.status !== 'unchanged';
    return html`<h2>${plan.path} <span class="muted">(${plan.status})</span></h2>
<p class="plan-summary">${planSummary(plan, grouped)}</p>
${notEvaluated && html`<div class="warn missing-data">Sizes, contacts, costs and MDEs are not shown: the deployment could not be evaluated on both sides${plan.notes.length > 0 ? ':' : '.'}</div>`}
${plan.notes.map(n => html`<div class="warn note">${n}</div>\n`)}
${plan.evaluated && plan.deployment.length === 0 && plan.status === 'changed' && html`<p class="muted">The deployment is the same on both sides: no size, contact, cost or MDE differs.</p>`}
${grouped.other.length > 0 && html`<h3>Other changes</h3>\n${table(grouped.other, [], 'declaration / setting')}`}
${grouped.campaigns.map(c => html`<section class="campaign" data-campaign="${c.name}">
${campaignHeading(c.name, options.outline, restricted)}
${table(c.lines.filter(l => !l.figure), c.lines.filter(l => l.figure), 'setting')}
</section>
`)}`;
}

/** The comparison page: the summary line, then per campaign its changes and deployment figures, or the problems. */
export function renderCompareHtml(comparison: Comparison, options: CompareViewOptions): string {
    const title = `${options.planLabel} compared with ${options.base}`;
    if (comparison.state === 'failed') {
        return page(title, html`${header(options)}
<h2>The comparison cannot be shown</h2>
<p class="failure">${comparison.message}</p>`, options);
    }
    if (comparison.state === 'errors') {
        const restricted = options.restricted ?? false;
        const item = (p: DiffProblem, index: number) => {
            const where = `${p.where}:${p.line}:${p.column}`;
            const place = p.file && !restricted
                ? html`<a href="#" class="plan-link" data-problem="${index}" title="Open ${p.where} at line ${p.line}">${where}</a>`
                : html`<code>${where}</code>`;
            return html`<li>${place} <span class="severity-${p.severity}">${p.severity}</span>: ${p.message}${!p.file && html` <span class="muted">(at the base)</span>`}</li>\n`;
        };
        return page(title, html`${header(options)}
<h2>The comparison cannot be shown</h2>
<p class="failure">${comparison.message}</p>
<ul class="problems">
${comparison.problems.map(item)}</ul>`, options);
    }
    const { diff, plan } = comparison;
    const body = html`${header(options)}
<p class="summary-line">${diffSummary(diff)}</p>
${plan?.evaluated && html`<p class="meta">Deployment figures evaluated as of ${diff.asOf} on the working copy's data, for both sides.</p>`}
${plan ? planSection(plan, options) : html`<p class="muted">This plan has no change in meaning since ${options.base}.</p>`}`;
    return page(title, body, options);
}
