// The one HTML renderer of a report: `report.html` (a self-contained page: inline CSS and SVG, no scripts, no network,
// light and dark themes) and the editor's report view (the editor's theme colours, a strict Content-Security-Policy,
// links back to plan lines) are the same markup with different options. Every value goes through the escaping `html`
// template (html-template.ts).
import { scheduleByChannel } from './schedule-summary.js';
import type { CampaignResult, GoalResult, MetricResult, Report, RfmResult } from './schema.js';
import { int, inUnit, intervalText, money, num, pValue, percent } from './format.js';
import { Html, html, join, trustedCss } from './html-template.js';
import { attitudeSummary, capText, clvSummary, costParts, goalArmText, goalMetrics, hasArms, marginText } from './markdown.js';

export { escapeHtml } from './html-template.js';

// Typographic marks, as escapes: a non-ASCII character in a template's text stays in the bundle as it is, and one is
// enough to make the whole 2 MB CLI bundle a two-byte string that Node and V8 read more slowly at every start.
const DOT = '\u00b7';
const ARROW = '\u2192';
const DASH = '\u2014';
const EN_DASH = '\u2013';
const WARNING = '\u26a0\ufe0f';

/** 0-based lines of the plan to link to. */
export interface PlanLinks {
    plan?: number;
    campaign(campaign: CampaignResult): { campaign?: number; goals: (number | undefined)[] };
}

/** Inside the editor's webview rather than a file. */
export interface WebviewOptions {
    /** `webview.cspSource`: where the stylesheet may come from. */
    cspSource: string;
    /** A fresh random nonce for this render: the inline stylesheet and the script carry it. */
    nonce: string;
    /** Webview URIs of media/report.css (the theme's colours) and media/report.js (link clicks). */
    styleUri: string;
    scriptUri: string;
    /** The plan's URI, kept in the webview's state so the panel comes back after a reload. */
    planUri?: string;
    /** Offer to run again and to open the report files (not in Restricted Mode). */
    actions: boolean;
}

export interface HtmlReportOptions {
    /** Absent: a self-contained file. */
    webview?: WebviewOptions;
    /** Links from the plan, campaigns and goals to their lines (absent: plain text). */
    links?: PlanLinks;
    /** Shown under the title, e.g. when the report was written. */
    subtitle?: string;
    /** The plan changed since this report was written. */
    stale?: boolean;
}

export const VERDICT_TEXT: Record<GoalResult['status'], string> = {
    'met': 'Met',
    'not-met': 'Not met',
    'inconclusive': 'Inconclusive',
    'pending': 'Pending'
};

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
    return [
        "default-src 'none'",
        `style-src ${cspSource} 'nonce-${nonce}'`,
        `script-src 'nonce-${nonce}'`,
        `img-src ${cspSource} data:`,
        `font-src ${cspSource}`
    ].join('; ');
}

// The layout, in terms of colour variables: the file defines them (PALETTE), the webview's media/report.css maps them
// to the editor's theme. No inline style attributes anywhere: the webview's CSP would block them.
const LAYOUT = `
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 8px; }
.muted, .meta, .sub, .summary { color: var(--muted); } .sub { font-size: 12px; } .summary { font-size: 13px; font-weight: normal; margin-left: 8px; }
.meta { margin: 2px 0; } .stale { border-left: 4px solid var(--inc); padding-left: 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.date { white-space: nowrap; }
.verdict { display: inline-block; padding: 1px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; color: var(--on-badge); white-space: nowrap; }
.verdict-met { background: var(--met); } .verdict-not-met { background: var(--notmet); } .verdict-inconclusive { background: var(--inc); } .verdict-pending { background: var(--pend); }
.tag { font-size: 11px; color: var(--muted); margin-left: 6px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; } .kpi { flex: 1 1 160px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.kpi b { display: block; font-size: 20px; } .kpi span { color: var(--muted); font-size: 12px; display: block; }
.warn { border-left: 4px solid var(--inc); background: var(--card); padding: 6px 12px; margin: 6px 0; }
svg text { fill: var(--fg); font: 11px system-ui, sans-serif; } svg .axis { stroke: var(--line); } svg .zero { stroke: var(--muted); stroke-dasharray: 3 3; }
svg .target { stroke: var(--inc); stroke-width: 2; } svg .t { fill: var(--t); } svg .c { fill: var(--c); } svg .ci { stroke: var(--t); stroke-width: 3; }
svg .bar { fill: var(--bar); } svg .arm-1 { fill: var(--c); } svg .arm-2 { fill: var(--met); } svg .arm-3 { fill: var(--inc); } svg .budget { stroke: var(--notmet); stroke-width: 2; } .budget-label { margin: 0; }
.grid td { text-align: center; font-variant-numeric: tabular-nums; border: 1px solid var(--line); min-width: 72px; }
.grid td small { display: block; color: var(--muted); }
${Array.from({ length: 10 }, (_, i) => `.grid td.heat-${i} { background: color-mix(in srgb, var(--t) ${8 + i * 6}%, transparent); }`).join('\n')}
.legend { font-size: 12px; color: var(--muted); } .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; }
.legend i.t { background: var(--t); } .legend i.c { background: var(--c); } .legend i.e { background: var(--inc); }
svg .series-actual { stroke: var(--t); stroke-width: 2; } svg .series-expected { stroke: var(--inc); stroke-width: 2; stroke-dasharray: 6 3; }
`;

const PALETTE = `
:root { color-scheme: light dark; --bg:#ffffff; --fg:#1f2328; --muted:#656d76; --card:#f6f8fa; --line:#d0d7de; --on-badge:#ffffff;
  --t:#0969da; --c:#8c959f; --met:#1a7f37; --notmet:#cf222e; --inc:#9a6700; --pend:#6e7781; --bar:#0969da; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#8d96a0; --card:#161b22; --line:#30363d;
  --t:#4493f8; --c:#8d96a0; --met:#3fb950; --notmet:#f85149; --inc:#d29922; --pend:#8d96a0; --bar:#4493f8; --on-badge:#0d1117; } }
`;

/** The report as one HTML document. */
export function renderHtml(report: Report, options: HtmlReportOptions = {}): string {
    const { webview, links } = options;
    const plan = report.plan;
    const facts = [
        html`Evaluated as of <b>${report.asOf}</b>`,
        html`${int(report.customers.size)} customers in <code>${report.customers.source}</code>`,
        plan.objective && html`objective: ${plan.objective}`,
        plan.owner && html`owner: ${plan.owner}`
    ];
    const body = html`<header>
<h1>${link(plan.name, links?.plan, 'Show the plan')}</h1>
<p class="meta">${join(facts, html` ${DOT} `)}</p>
${options.subtitle && html`<p class="meta">${options.subtitle}</p>`}
${options.stale && html`<p class="stale">The plan has changed since this report was written: run the evaluation again for current results.</p>`}
${webview?.actions && html`<nav class="meta"><a href="#" class="action" data-action="rerun">Run again</a> ${DOT} <a href="#" class="action" data-action="open" data-file="report.md">report.md</a> ${DOT} <a href="#" class="action" data-action="open" data-file="report.html">report.html</a> ${DOT} <a href="#" class="action" data-action="open" data-file="report.json">report.json</a></nav>`}
</header>
${report.warnings.map(w => html`<div class="warn">${WARNING} ${w}</div>\n`)}
${report.campaigns.map(c => campaignSection(c, links?.campaign(c), plan.currency))}
${report.tiers.map(t => tiersSection(t, report.customers.size, report.asOf, plan.currency))}
${report.segments.length > 0 && segmentsSection(report)}
${report.rfm.map(model => rfmSection(model, plan.currency))}
${report.clv.map(clvSection)}
${report.attitude.map(attitudeSection)}
<p class="muted">mplan ${report.tool.version}${report.tool.engine ? ` on ${report.tool.engine}` : ''} ${DOT} report schema v${report.schemaVersion}</p>`;
    return document(html`${plan.name} ${DASH} mplan report`, body, webview);
}

/** A page with a title and one message (a report that cannot be read or does not match the schema). */
export function renderMessageHtml(title: string, message: string, webview?: Omit<WebviewOptions, 'actions'>): string {
    return document(html`${title}`, html`<h1>${title}</h1>\n<p>${message}</p>`, webview && { ...webview, actions: false });
}

function document(title: Html, body: Html, webview: WebviewOptions | undefined): string {
    const head = webview
        ? html`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, webview.nonce)}">
<style nonce="${webview.nonce}">${trustedCss(LAYOUT)}</style>
<link rel="stylesheet" href="${webview.styleUri}">`
        : html`<style>${trustedCss(PALETTE + LAYOUT)}</style>`;
    return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${head}
<title>${title}</title></head>
<body${webview?.planUri && html` data-plan="${webview.planUri}"`}><main>
${body}
</main>${webview && html`
<script nonce="${webview.nonce}" src="${webview.scriptUri}"></script>`}
</body></html>
`.text;
}

function link(text: string, line: number | undefined, title: string): Html {
    if (line === undefined) return html`${text}`;
    return html`<a href="#" class="plan-link" data-line="${line}" title="${title} (line ${line + 1})">${text}</a>`;
}

/** A value in a goal's unit as the reports write it (`12.3%`, `4.52 pp`); money for a cost goal. */
function goalValue(value: number | null | undefined, goal: GoalResult, currency: string | null): string {
    if (goal.kind === 'cost' && goal.unit === null) return money(value, currency);
    return inUnit(value, goal.unit);
}

export function goalTarget(goal: GoalResult): string {
    const subject = goal.kind === 'roi' || goal.kind === 'cost' ? goal.kind : `${goal.kind}(${goal.metric ?? '?'})`;
    return `${subject} ${goal.operator} ${inUnit(goal.target, goal.unit)}`;
}

/** Fields a newer report may carry; read optionally, so older reports render as before. */
function goalReason(goal: GoalResult): string | undefined {
    const reason = (goal as { reason?: unknown }).reason;
    return typeof reason === 'string' && reason !== '' ? reason : undefined;
}

function roiInterval(campaign: CampaignResult): [number, number] | undefined {
    const interval = (campaign as { roiInterval?: unknown }).roiInterval;
    return Array.isArray(interval) && interval.length === 2 && interval.every(v => typeof v === 'number') ? interval as [number, number] : undefined;
}

function verdict(goal: GoalResult): Html {
    const phase = goal.status === 'pending' ? null : html`<span class="tag">${goal.final ? 'final' : 'interim'}</span>`;
    return html`<span class="verdict verdict-${goal.status}">${VERDICT_TEXT[goal.status] ?? goal.status}</span>${phase}`;
}

function goalRow(goal: GoalResult, line: number | undefined, currency: string | null, arm = ''): Html {
    const target = goalTarget(goal);
    const formula = target === goal.label.replace(/(\d)pp/, '$1 pp') ? null : html`<br><code class="muted">${target}</code>`;
    const reason = goalReason(goal);
    const interval = goal.interval ? intervalSvg(goal.interval, goal.value, goal.target, goal.unit) : html`${intervalText(goal.interval, goal.unit)}`;
    // The goal's own test; lift goals add the Holm adjustment over the campaign's lift goals.
    const p = goal.pValue === null ? '—' : goal.kind === 'lift' ? `${pValue(goal.pValue)} (${pValue(goal.adjustedPValue)})` : pValue(goal.pValue);
    const mde = goal.mde === null ? '—' : inUnit(goal.mde, goal.unit) + (goal.underpowered ? ' ⚠️' : '');
    return html`<tr class="goal" data-status="${goal.status}">
<td>${link(goal.label, line, 'Show this goal in the plan')}${formula}${arm && html`<div class="sub arm">${arm}</div>`}</td>
<td>${verdict(goal)}${reason && html`<div class="sub reason">${reason}</div>`}${goal.underpowered && html`<div class="sub">underpowered: detectable from ${inUnit(goal.mde, goal.unit)}</div>`}</td>
<td class="num">${goalValue(goal.value, goal, currency)}</td>
<td>${interval}</td>
<td class="num">${p}</td>
<td class="num">${mde}</td>
<td class="date">${goal.deadline ?? '—'}</td>
</tr>
`;
}

function assignmentText(campaign: CampaignResult): string {
    const a = campaign.assignment;
    if (a.kind === 'drawn') return `drawn control ${percent(a.controlShare, 0)} (seed “${a.seed}”)`;
    if (a.kind === 'recorded' && a.treatment === null) return `recorded groups ${a.source}.${a.column}: ${campaign.arms.map(arm => `“${arm.label ?? ''}”`).join(', ')} vs “${a.control}”`;
    if (a.kind === 'recorded') return `recorded groups ${a.source}.${a.column}: “${a.treatment}” vs “${a.control}”`;
    return 'no control group';
}

function verdictCounts(campaign: CampaignResult): string {
    const counts = new Map<GoalResult['status'], number>();
    for (const goal of campaign.goals) counts.set(goal.status, (counts.get(goal.status) ?? 0) + 1);
    const text = (Object.keys(VERDICT_TEXT) as GoalResult['status'][]).filter(k => counts.has(k)).map(k => `${counts.get(k)} ${VERDICT_TEXT[k].toLowerCase()}`);
    return text.join(', ') || 'no goals';
}

function campaignSection(c: CampaignResult, lines: { campaign?: number; goals: (number | undefined)[] } | undefined, currency: string | null): Html {
    const srm = c.srm ? `SRM p = ${pValue(c.srm.pValue)} ${c.srm.ok ? '✓' : '⚠️ mismatch'}` : 'no SRM test';
    const roi = roiInterval(c);
    const kpis = [
        kpi(int(c.groups.treatment.size), 'treatment'),
        kpi(int(c.groups.control.size), 'control'),
        kpi(money(c.cost, currency), 'cost', costParts(c, currency)),
        kpi(c.budget === null ? '—' : money(c.budget, currency), c.overBudget ? 'budget ⚠️ exceeded' : 'budget'),
        kpi(c.roi === null ? '—' : num(c.roi, 3), c.valueMetric ? `ROI (value: ${c.valueMetric})` : 'ROI', roi && `95% interval ${intervalText(roi)}`, marginText(c)),
        // Beside ROI: what each extra unit of a goal's metric cost.
        ...goalMetrics(c).map(name => kpi(money(c.metrics.find(m => m.name === name)?.costPerIncrement, currency), `cost per incremental ${name}`))
    ];
    const measured = c.metrics.filter(m => m.treatmentCount > 0 || m.controlCount > 0);
    return html`<section class="campaign" data-campaign="${c.name}">
<h2>${link(`Campaign ${c.name}`, lines?.campaign, 'Show this campaign in the plan')} <span class="tag">${c.status}</span><span class="summary">${verdictCounts(c)}</span></h2>
<p class="muted">Runs ${c.runs.start} ${ARROW} ${c.runs.end} ${DOT} exposure ${c.exposure}${c.lastExposure !== c.exposure ? ` ${ARROW} ${c.lastExposure}` : ''} ${DOT} window ${c.window.start} ${ARROW} ${c.window.end} (${c.window.days} days) ${DOT} audience ${int(c.audience.size)} ${DOT} ${assignmentText(c)} ${DOT} ${srm}</p>
<div class="kpis">${kpis}</div>
${c.budget !== null && budgetBar(c.cost, c.budget)}
${c.audience.limit !== null && html`<p>${capText(c)}</p>`}
${c.audience.excluded.length > 0 && html`<p>Audience ${int(c.audience.size)}; excluded because an earlier overlapping campaign took them: ${join(c.audience.excluded.map(e => html`${int(e.customers)} to <b>${e.campaign}</b>`), html`, `)}.</p>`}
${c.warnings.map(w => html`<div class="warn">${WARNING} ${w}</div>\n`)}
${c.goals.length > 0 && html`<h3>Goals</h3>
<table class="goals"><thead><tr><th>Goal</th><th>Verdict</th><th class="num">Estimate</th><th>95% interval vs target</th><th class="num">p (Holm)</th><th class="num">MDE</th><th>Deadline</th></tr></thead>
<tbody>
${c.goals.map((g, i) => goalRow(g, lines?.goals[i], currency, goalArmText(c, g)))}</tbody></table>`}
${hasArms(c) && armsSection(c, currency)}
${measured.length > 0 ? html`<h3>${hasArms(c) ? 'Metrics, every arm together' : 'Metrics'}</h3><p class="legend"><i class="t"></i>treatment<i class="c"></i>control ${DOT} interval bars show the 95% CI of the lift</p>
<table class="metrics"><thead><tr><th>Metric</th><th>Treatment vs control</th><th class="num">Lift</th><th>95% interval of the lift</th><th class="num">Relative</th><th class="num">p</th></tr></thead>
<tbody>
${measured.map(metricRow)}</tbody></table>` : html`<p class="muted">No outcomes measured yet.</p>`}
${c.steps.length > 0 && html`<h3>Contacts</h3><table><thead><tr><th>Channel</th><th>Date</th><th class="num">Contacts</th><th class="num">Cost per contact</th><th class="num">Cost</th></tr></thead>
<tbody>${c.steps.map(s => html`<tr><td>${s.channel}${s.via && html` <span class="muted">(${s.via})</span>`}</td><td class="date">${s.date}</td><td class="num">${int(s.contacts)}</td><td class="num">${money(s.costPerContact, currency)}</td><td class="num">${money(s.cost, currency)}</td></tr>`)}</tbody></table>`}
${scheduleByChannel(c.schedule).some(s => s.days > 1) && scheduleSection(c)}
${c.uplift && upliftSection(c.uplift)}
</section>
`;
}

/** Campaigns with arms: each arm's size, cost and ROI, then its metrics against control, and the compared pairs. */
function armsSection(c: CampaignResult, currency: string | null): Html {
    const metricsOf = (title: string, metrics: MetricResult[]) => {
        const measured = metrics.filter(m => m.treatmentCount > 0 || m.controlCount > 0);
        return measured.length > 0 && html`<h4>${title}</h4><table class="metrics"><thead><tr><th>Metric</th><th>Arm vs baseline</th><th class="num">Lift</th><th>95% interval of the lift</th><th class="num">Relative</th><th class="num">p</th></tr></thead>
<tbody>
${measured.map(metricRow)}</tbody></table>`;
    };
    const perIncrement = goalMetrics(c);
    const costPer = (a: CampaignResult['arms'][number], name: string) => money(a.metrics.find(m => m.name === name)?.costPerIncrement, currency);
    return html`<h3>Arms</h3><table class="arms"><thead><tr><th>Arm</th><th>Label</th><th class="num">Share</th><th class="num">Customers</th><th class="num">Cost</th><th class="num">Offer</th><th class="num">ROI</th><th>ROI 95% interval</th>${perIncrement.map(name => html`<th class="num">Cost per incremental ${name}</th>`)}</tr></thead>
<tbody>${c.arms.map(a => html`<tr data-arm="${a.name}"><td><b>${a.name}</b></td><td>${a.label ?? '—'}</td><td class="num">${a.share === null ? '—' : percent(a.share)}</td><td class="num">${int(a.size)}</td><td class="num">${money(a.cost, currency)}</td><td class="num">${a.offerCost === null ? 'not known yet' : money(a.offerCost, currency)}</td><td class="num">${a.roi === null ? '—' : num(a.roi, 3)}</td><td>${intervalText(a.roiInterval)}</td>${perIncrement.map(name => html`<td class="num">${costPer(a, name)}</td>`)}</tr>`)}</tbody></table>
${c.fixedCost !== 0 && html`<p class="muted">Arms' costs leave out the campaign's fixed cost of ${money(c.fixedCost, currency)}; the campaign's cost and ROI include it.</p>`}
${c.arms.map(a => metricsOf(`Arm ${a.name} against control`, a.metrics))}
${c.comparisons.map(x => metricsOf(`Arm ${x.arm} against arm ${x.baseline}`, x.metrics))}
`;
}

function kpi(value: string, label: string, note?: string, more?: string): Html {
    return html`<div class="kpi"><b>${value}</b><span>${label}</span>${note && html`<span class="sub">${note}</span>`}${more && html`<span class="sub">${more}</span>`}</div>`;
}

function metricRow(m: MetricResult): Html {
    return html`<tr><td><b>${m.name}</b><br><code class="muted">${m.definition}</code></td><td>${meansSvg(m.treatment, m.control)}</td>
<td class="num">${num(m.absoluteLift)}</td><td>${m.ci95 ? intervalSvg(m.ci95, m.absoluteLift, null, null) : '—'}</td>
<td class="num">${percent(m.relativeLift)}</td><td class="num">${pValue(m.pValue)}</td></tr>\n`;
}

const fixed = (v: number) => v.toFixed(1);

/** Two horizontal bars: treatment and control means on a common scale. */
function meansSvg(treatment: number | null, control: number | null): Html {
    const values = [treatment, control].filter((v): v is number => v !== null && Number.isFinite(v));
    const max = Math.max(...values.map(Math.abs), 1e-12);
    const bar = (value: number | null, y: number, cls: string) => {
        if (value === null || !Number.isFinite(value)) return null;
        const width = Math.max(1, (Math.abs(value) / max) * 150);
        return html`<rect class="${cls}" x="0" y="${y}" width="${fixed(width)}" height="12" rx="2"/><text x="${fixed(width + 4)}" y="${y + 10}">${num(value)}</text>`;
    };
    return html`<svg width="230" height="32" role="img" aria-label="treatment ${num(treatment)}, control ${num(control)}">${bar(treatment, 2, 't')}${bar(control, 18, 'c')}</svg>`;
}

/** An interval bar with its point estimate, the zero line and the goal's target. */
function intervalSvg(interval: [number, number], point: number | null, target: number | null, unit: string | null): Html {
    const width = 260, pad = 10;
    const values = [interval[0], interval[1], 0, ...(target !== null ? [target] : []), ...(point !== null ? [point] : [])].filter(Number.isFinite);
    let lo = Math.min(...values), hi = Math.max(...values);
    const span = hi - lo || 1;
    lo -= span * 0.08;
    hi += span * 0.08;
    const x = (v: number) => fixed(pad + ((v - lo) / (hi - lo)) * (width - 2 * pad));
    return html`<svg width="${width}" height="40" role="img" aria-label="95% interval ${inUnit(interval[0], unit)} to ${inUnit(interval[1], unit)}">
<line class="axis" x1="${pad}" x2="${width - pad}" y1="14" y2="14"/><line class="zero" x1="${x(0)}" x2="${x(0)}" y1="2" y2="26"/>
${target !== null && html`<line class="target" x1="${x(target)}" x2="${x(target)}" y1="2" y2="26"><title>target ${inUnit(target, unit)}</title></line>`}
<line class="ci" x1="${x(interval[0])}" x2="${x(interval[1])}" y1="14" y2="14"/>${point !== null && html`<circle class="t" cx="${x(point)}" cy="14" r="4"/>`}
<text x="${pad}" y="38">${inUnit(interval[0], unit)}</text><text x="${width - pad}" y="38" text-anchor="end">${inUnit(interval[1], unit)}</text></svg>`;
}

/**
 * Contacts per channel and day: a bar per day (its arms' parts side by side in shades), as in a calendar. Shown when a
 * channel's contacts spread over several days (capacity, or arms' steps on different days); otherwise the contacts
 * table says it all.
 */
function scheduleSection(c: CampaignResult): Html {
    const arms = c.arms.map(a => a.name);
    const blocks = scheduleByChannel(c.schedule).map(summary => {
        const days = [...new Set(c.schedule.filter(r => r.channel === summary.channel).map(r => r.date))].sort();
        const rows = days.map(date => {
            const parts = c.schedule.filter(r => r.channel === summary.channel && r.date === date);
            const total = parts.reduce((sum, r) => sum + r.contacts, 0);
            let x = 0;
            const bars = parts.map(r => {
                const w = (r.contacts / summary.peak) * 300;
                const bar = html`<rect class="bar arm-${Math.max(0, arms.indexOf(r.arm)) % 4}" x="${fixed(x)}" y="2" width="${fixed(Math.max(w, r.contacts > 0 ? 1 : 0))}" height="12" rx="2"><title>${r.arm}: ${int(r.contacts)}</title></rect>`;
                x += w;
                return bar;
            });
            const perArm = arms.length > 1 && html`<td class="muted">${join(parts.map(r => html`${r.arm} ${int(r.contacts)}`), html` ${DOT} `)}</td>`;
            return html`<tr><td class="date">${date}</td><td><svg width="310" height="16" role="img" aria-label="${int(total)} contacts">${bars}</svg></td><td class="num">${int(total)}</td>${perArm}</tr>`;
        });
        return html`<h4>${summary.channel}: ${summary.days === 1 ? summary.first : `${summary.first} ${ARROW} ${summary.last}, ${summary.days} days, at most ${int(summary.peak)} a day`}</h4>
<table class="schedule" data-channel="${summary.channel}"><tbody>${rows}</tbody></table>`;
    });
    return html`<h3>Schedule</h3>${blocks}`;
}

/**
 * `uplift by`: the Qini curve at every tenth of the ranking against the random line (a straight line to the whole
 * campaign's increment), and the uplift at each tenth: a lead sees what "only the top 30%" would have kept.
 */
function upliftSection(u: NonNullable<CampaignResult['uplift']>): Html {
    const points: Array<[number, number]> = [[0, 0], ...u.points.map((p): [number, number] => [p.fraction, p.qini ?? 0])];
    const last = points[points.length - 1];
    return html`<h3>Uplift by ${u.by}</h3><p class="muted">${u.metric}, every arm together against control; Qini coefficient ${num(u.qiniCoefficient, 3)} (1: the perfect ranking; about 0: no better than random).</p>
${lineChart({
        cls: 'uplift', label: `Qini curve of the ranking by ${u.by}`, xLabels: ['top 0%', '100%'],
        lines: [{ cls: 'zero', title: 'random ranking', points: [[0, 0], last] }, { cls: 'ci', title: 'Qini curve', points }]
    })}
<table class="uplift"><thead><tr><th>Top</th><th class="num">Treatment</th><th class="num">Control</th><th class="num">Uplift</th><th class="num">Qini</th></tr></thead>
<tbody>${u.points.map(p => html`<tr><td>${percent(p.fraction, 0)}</td><td class="num">${num(p.treatment)}</td><td class="num">${num(p.control)}</td><td class="num">${num(p.uplift)}</td><td class="num">${num(p.qini)}</td></tr>`)}</tbody></table>`;
}

interface LineChart {
    /** The svg's class and its accessible name. */
    cls: string;
    label: string;
    /** Polylines through [x, y] points, in drawing order; each class gives its stroke. */
    lines: Array<{ cls: string; title: string; points: Array<[number, number]> }>;
    /** Under the left and right ends of the x axis. */
    xLabels: [string, string];
    /** Vertical dashed lines at these x, labelled at the top. */
    marks?: Array<{ x: number; label: string }>;
    /** Written at the top left: what the top of the y axis is worth. */
    yTop?: (value: number) => string;
}

/** The line charts of the report (the Qini curve, the CLV cumulative purchases): lines over the points' range, the x axis at y = 0. */
function lineChart(chart: LineChart): Html {
    const width = 480, height = 160, pad = 28;
    const all = chart.lines.flatMap(l => l.points);
    const xs = all.map(p => p[0]), ys = all.map(p => p[1]);
    const left = Math.min(...xs), right = Math.max(...xs);
    const lo = Math.min(0, ...ys), hi = Math.max(0, ...ys) || 1;
    const x = (v: number) => fixed(pad + ((v - left) / (right - left || 1)) * (width - 2 * pad));
    const y = (v: number) => fixed(height - pad - ((v - lo) / (hi - lo || 1)) * (height - 2 * pad));
    const path = (points: Array<[number, number]>) => points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${x(px)},${y(py)}`).join(' ');
    return html`<svg class="${chart.cls}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${chart.label}">
<line class="axis" x1="${pad}" x2="${width - pad}" y1="${y(0)}" y2="${y(0)}"/>${(chart.marks ?? []).map(m => html`<line class="zero" x1="${x(m.x)}" x2="${x(m.x)}" y1="${y(hi)}" y2="${y(lo)}"/><text x="${x(m.x)}" y="${pad - 10}" text-anchor="middle">${m.label}</text>`)}
${chart.lines.map(l => html`<path class="${l.cls}" fill="none" d="${path(l.points)}"><title>${l.title}</title></path>`)}
${chart.yTop && html`<text x="${pad}" y="${pad - 10}">${chart.yTop(hi)}</text>`}<text x="${pad}" y="${height - 8}">${chart.xLabels[0]}</text><text x="${width - pad}" y="${height - 8}" text-anchor="end">${chart.xLabels[1]}</text></svg>`;
}

/** Cost as a bar, the budget as a red line across it. */
function budgetBar(cost: number, budget: number): Html {
    const width = 1000, max = Math.max(cost, budget) * 1.08 || 1;
    const x = (v: number) => fixed((v / max) * width);
    const label = `cost ${num(cost)} of budget ${num(budget)} (${percent(budget > 0 ? cost / budget : null, 0)})`;
    return html`<svg viewBox="0 0 ${width} 34" width="100%" height="34" preserveAspectRatio="none" role="img" aria-label="${label}">
<rect class="bar" x="0" y="4" width="${x(cost)}" height="14" rx="2"/><line class="budget" x1="${x(budget)}" x2="${x(budget)}" y1="0" y2="22"/></svg>
<p class="muted budget-label">${label}</p>`;
}

/** A tiers declaration: each tier's customers as a bar, in order (first match wins), and those in none. */
function tiersSection(t: Report['tiers'][number], customers: number, asOf: string, currency: string | null): Html {
    const rows = [...t.tiers.map(tier => ({ name: tier.name, size: tier.size, share: tier.share, value: tier.value, none: false })),
        ...(t.uncovered > 0 ? [{ name: 'in no tier', size: t.uncovered, share: customers > 0 ? t.uncovered / customers : 0, value: null, none: true }] : [])];
    const max = Math.max(...rows.map(r => r.size), 1);
    const valued = t.valueMetric !== null;
    return html`<h2>Tiers ${t.name}</h2>${t.description && html`<p class="muted">${t.description}</p>`}<table class="tiers" data-tiers="${t.name}"><thead><tr><th>Tier</th><th></th><th class="num">Customers</th><th class="num">Share</th>${valued && html`<th class="num">${t.valueMetric} before ${asOf}</th>`}</tr></thead><tbody>${rows.map(r => html`<tr><td>${r.none ? html`<i>${r.name}</i>` : html`<b>${r.name}</b>`}</td>
<td><svg width="310" height="16"><rect class="bar" x="0" y="2" width="${fixed(Math.max((r.size / max) * 300, r.size > 0 ? 1 : 0))}" height="12" rx="2"/></svg></td>
<td class="num">${int(r.size)}</td><td class="num">${percent(r.share)}</td>${valued && html`<td class="num">${r.none ? '—' : money(r.value, currency)}</td>`}</tr>`)}</tbody></table>
`;
}

/** A CLV model: its fit (parameters with standard errors, log-likelihood, spend model) and the holdout check. */
function clvSection(c: Report['clv'][number]): Html {
    return html`<h2>CLV ${c.name} <span class="tag">${c.model === 'paretonbd' ? 'Pareto/NBD' : 'BG/NBD'}</span></h2><p>${clvSummary(c)}</p>
${c.holdout.length > 0 && html`<table class="holdout" data-clv="${c.name}"><thead><tr><th>Calibration repeat purchases</th><th class="num">Customers</th><th class="num">Actual after calibration</th><th class="num">Expected</th></tr></thead>
<tbody>${c.holdout.map(h => html`<tr><td>${h.purchases}</td><td class="num">${int(h.customers)}</td><td class="num">${int(h.actual)}</td><td class="num">${num(h.expected, 4)}</td></tr>`)}</tbody></table>
<p class="muted">Holdout ${c.calibration.end} to ${c.holdoutUntil}: repeat purchase days the model expects for the customers fitted, against those they made.</p>`}
${c.calibrationCumulative.length > 0 && clvCumulativeChart(c)}
`;
}

/**
 * The papers' tracking chart: cumulative repeat purchase days per period, actual against expected, through calibration
 * (the model's unconditional expectation for customers by their first purchase) and on through the holdout, where the
 * expected line continues from the actual calibration total by the conditional expectation of the fitted histories.
 */
function clvCumulativeChart(c: Report['clv'][number]): Html {
    const calibration = c.calibrationCumulative;
    const end = calibration[calibration.length - 1];
    const line = (key: 'actual' | 'expected'): Array<[number, number]> => [[0, 0],
        ...calibration.map((r): [number, number] => [r.period, r[key]]),
        ...c.holdoutCumulative.map((r): [number, number] => [end.period + r.period, end.actual + r[key]])];
    const actual = line('actual'), expected = line('expected');
    const total = actual[actual.length - 1][0];
    return html`<h3>Cumulative repeat purchases per ${c.period}</h3><p class="legend"><i class="t"></i>actual<i class="e"></i>expected (${c.model === 'paretonbd' ? 'Pareto/NBD' : 'BG/NBD'}) ${DOT} after calibration: the actual calibration total + the purchases expected of the customers fitted, given their histories</p>
${lineChart({
        cls: 'clv-cumulative', label: `Cumulative repeat purchases of ${c.name}, actual against expected, per ${c.period}`,
        xLabels: [c.calibration.start, c.holdoutCumulative.length > 0 ? c.holdoutUntil : c.calibration.end],
        marks: c.holdoutCumulative.length > 0 ? [{ x: end.period, label: `calibration end ${c.calibration.end}` }] : [],
        yTop: hi => `${int(hi)} repeat purchases`,
        lines: [{ cls: 'series-expected', title: 'expected', points: expected }, { cls: 'series-actual', title: 'actual', points: actual }]
    })}
<p class="muted">${int(actual[actual.length - 1][1])} repeat purchase days actual against ${num(expected[expected.length - 1][1], 4)} expected over ${num(total, 4)} ${c.period}s.</p>
`;
}

/** An attitude: per column and value, the population's rate, contacts, customers and the spread of scores (a histogram). */
function attitudeSection(a: Report['attitude'][number]): Html {
    const rows = a.by.flatMap(b => b.values.map(v => {
        const max = Math.max(...v.histogram, 1);
        const bars = v.histogram.map((n, k) => html`<rect class="bar" x="${k * 12}" y="${fixed(16 - (n / max) * 14)}" width="10" height="${fixed((n / max) * 14)}"><title>${k * 10}${EN_DASH}${k * 10 + 10}: ${int(n)}</title></rect>`);
        return html`<tr><td>${b.column}</td><td><b>${v.value}</b></td><td class="num">${percent(v.rate)}</td><td class="num">${int(v.contacts)}</td><td class="num">${int(v.customers)}</td>
<td class="num">${num(v.quantiles.p50, 3)}</td><td><svg width="120" height="16">${bars}</svg></td></tr>`;
    }));
    return html`<h2>Attitude ${a.name}</h2><p class="muted">${attitudeSummary(a)}</p>
<table class="attitude" data-attitude="${a.name}"><thead><tr><th>Column</th><th>Value</th><th class="num">Rate</th><th class="num">Contacts</th><th class="num">Customers</th><th class="num">Median score</th><th>Scores 0${EN_DASH}100</th></tr></thead><tbody>${rows}</tbody></table>
`;
}

function segmentsSection(report: Report): Html {
    const max = Math.max(...report.segments.map(s => s.size), 1);
    const rows = report.segments.map(s => {
        const w = Math.max((s.size / max) * 300, s.size > 0 ? 1 : 0);
        return html`<tr><td><b>${s.name}</b>${s.description && html`<br><span class="muted">${s.description}</span>`}</td>
<td><svg width="310" height="16"><rect class="bar" x="0" y="2" width="${fixed(w)}" height="12" rx="2"/></svg></td>
<td class="num">${int(s.size)}</td><td class="num">${percent(s.share)}</td></tr>`;
    });
    return html`<h2>Segments</h2><table><thead><tr><th>Segment</th><th></th><th class="num">Customers</th><th class="num">Share</th></tr></thead><tbody>${rows}</tbody></table>\n`;
}

function rfmSection(model: RfmResult, currency: string | null): Html {
    const max = Math.max(...model.grid.map(g => g.customers), 1);
    const rows: Html[] = [];
    for (let r = model.bins; r >= 1; r--) {
        const cells: Html[] = [];
        for (let f = 1; f <= model.bins; f++) {
            const cell = model.grid.find(g => g.r === r && g.f === f);
            // Ten shades of the treatment colour by the cell's share of the largest cell (classes: no inline styles).
            cells.push(cell
                ? html`<td class="heat-${Math.min(9, Math.floor((cell.customers / max) * 10))}">${int(cell.customers)}<small>${money(cell.value, currency)}</small></td>`
                : html`<td class="muted">${DOT}</td>`);
        }
        rows.push(html`<tr><th>R${r}</th>${cells}</tr>`);
    }
    const header = html`<tr><th></th>${Array.from({ length: model.bins }, (_, i) => html`<th>F${i + 1}</th>`)}</tr>`;
    return html`<h2>RFM ${model.name}</h2><p class="muted">${int(model.scored)} customers scored from <code>${model.source}</code> as of ${model.asOf} in ${model.bins} bins; 
${int(model.unscored)} without events have no scores. Each cell: customers and their monetary value; R${model.bins} is the most recent.</p>
<table class="grid">${header}${rows}</table>\n`;
}
