// Renders the runner's report.json as the report webview's HTML: theme colours through VS Code's CSS variables, a
// strict Content-Security-Policy, and links from each campaign and goal back to its line in the plan.
// No `vscode` import: unit-tested in tests/extension.
import type { CampaignResult, GoalResult, MetricResult, Report } from '../runner/report/schema.js';
import { int, intervalText, inUnit, money, num, percent, pValue } from '../runner/report/format.js';
import type { PlanOutline } from './plan-outline.js';

export interface ReportViewOptions {
    /** `webview.cspSource`: where the stylesheet and the script may come from. */
    cspSource: string;
    /** A fresh random nonce for this render. */
    nonce: string;
    /** webview URIs of media/report.css and media/report.js. */
    styleUri: string;
    scriptUri: string;
    /** The plan's outline, for lines of campaigns and goals the report does not carry. */
    outline?: PlanOutline;
    /** Shown above the report, e.g. "Evaluated 14:02, 1.2 s". */
    subtitle?: string;
    /** The plan changed since this report was written. */
    stale?: boolean;
    /** The plan's URI, kept in the webview's state so the panel comes back after a reload. */
    planUri?: string;
}

export function escapeHtml(value: unknown): string {
    return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
    return [
        "default-src 'none'",
        `style-src ${cspSource} 'nonce-${nonce}'`,
        `script-src 'nonce-${nonce}'`,
        `img-src ${cspSource} data:`,
        `font-src ${cspSource}`
    ].join('; ');
}

/** A value in a goal's unit, as the runner's reports write it (`12.3%`, `4.52 pp`, `1,830.50`). */
function goalValue(value: number | null | undefined, goal: Pick<GoalResult, 'unit' | 'kind'>, currency?: string | null): string {
    if (goal.kind === 'cost' && goal.unit === null) return money(value, currency);
    return inUnit(value, goal.unit);
}

export function goalTarget(goal: GoalResult): string {
    const subject = goal.kind === 'roi' || goal.kind === 'cost' ? goal.kind : `${goal.kind}(${goal.metric ?? '?'})`;
    return `${subject} ${goal.operator} ${inUnit(goal.target, goal.unit)}`;
}

export const VERDICT_TEXT: Record<GoalResult['status'], string> = {
    'met': 'Met',
    'not-met': 'Not met',
    'inconclusive': 'Inconclusive',
    'pending': 'Pending'
};

/** 0-based plan lines of a campaign and of its goals: from the report when it carries them, else from the outline. */
export function planLines(campaign: CampaignResult, outline: PlanOutline | undefined): { campaign?: number; goals: (number | undefined)[] } {
    const carried = campaign as CampaignResult & { line?: number; goals: (GoalResult & { line?: number })[] };
    const fromOutline = outline?.campaigns.find(c => c.name === campaign.name);
    const campaignLine = typeof carried.line === 'number' ? carried.line - 1 : fromOutline?.line;
    const goals = carried.goals.map((goal, index) => {
        const line = (goal as { line?: number }).line;
        if (typeof line === 'number') return line - 1;
        if (!fromOutline) return undefined;
        // Goals appear in the report in plan order; a label pins the match when the counts differ.
        const byLabel = fromOutline.goals.find(g => g.label !== undefined && g.label === goal.label);
        return byLabel?.line ?? fromOutline.goals[index]?.line;
    });
    return { campaign: campaignLine, goals };
}

function link(text: string, line: number | undefined, title: string): string {
    if (line === undefined) return escapeHtml(text);
    return `<a href="#" class="plan-link" data-line="${line}" title="${escapeHtml(title)} (line ${line + 1})">${escapeHtml(text)}</a>`;
}

function badge(status: GoalResult['status']): string {
    return `<span class="verdict verdict-${status}">${VERDICT_TEXT[status]}</span>`;
}

function goalRow(goal: GoalResult, line: number | undefined, currency: string | null): string {
    const interval = goal.interval ? `95% CI ${intervalText(goal.interval, goal.unit)}` : '';
    const notes: string[] = [];
    if (goal.underpowered) notes.push(`underpowered: detectable from ${inUnit(goal.mde, goal.unit)}`);
    if (!goal.final && goal.status !== 'pending') notes.push('interim');
    const p = goal.adjustedPValue ?? goal.pValue;
    return `<tr class="goal" data-status="${goal.status}">
  <td>${link(goal.label, line, 'Show this goal in the plan')}</td>
  <td>${badge(goal.status)}${notes.length ? `<div class="sub">${escapeHtml(notes.join('; '))}</div>` : ''}</td>
  <td><code>${escapeHtml(goalTarget(goal))}</code></td>
  <td class="num">${escapeHtml(goalValue(goal.value, goal, currency))}${interval ? `<div class="sub">${escapeHtml(interval)}</div>` : ''}</td>
  <td class="num">${escapeHtml(pValue(p))}</td>
  <td class="nowrap">${escapeHtml(goal.deadline ?? '—')}</td>
</tr>`;
}

function metricRow(metric: MetricResult): string {
    return `<tr>
  <td><code>${escapeHtml(metric.name)}</code><div class="sub">${escapeHtml(metric.definition)}</div></td>
  <td class="num">${escapeHtml(num(metric.treatment))}</td>
  <td class="num">${escapeHtml(num(metric.control))}</td>
  <td class="num">${escapeHtml(num(metric.absoluteLift))}${metric.ci95 ? `<div class="sub">95% CI ${escapeHtml(intervalText(metric.ci95))}</div>` : ''}</td>
  <td class="num">${escapeHtml(percent(metric.relativeLift))}</td>
  <td class="num">${escapeHtml(pValue(metric.pValue))}</td>
</tr>`;
}

function assignmentText(campaign: CampaignResult): string {
    const a = campaign.assignment;
    if (a.kind === 'drawn') return `drawn control ${percent(a.controlShare, 0)} (seed “${a.seed}”)`;
    if (a.kind === 'recorded') return `recorded groups ${a.source}.${a.column}: “${a.treatment}” vs “${a.control}”`;
    return 'no control group';
}

function campaignSection(campaign: CampaignResult, outline: PlanOutline | undefined, currency: string | null): string {
    const lines = planLines(campaign, outline);
    const counts = { met: 0, 'not-met': 0, inconclusive: 0, pending: 0 } as Record<GoalResult['status'], number>;
    for (const goal of campaign.goals) counts[goal.status]++;
    const summary = (Object.keys(counts) as GoalResult['status'][]).filter(k => counts[k] > 0).map(k => `${counts[k]} ${VERDICT_TEXT[k].toLowerCase()}`).join(', ');
    const srm = campaign.srm
        ? (campaign.srm.ok ? `sample ratio ok (p = ${campaign.srm.pValue.toFixed(3)})` : `<span class="warn">sample ratio mismatch (p = ${campaign.srm.pValue.toFixed(4)})</span>`)
        : '';
    const facts = [
        ['Runs', `${escapeHtml(campaign.runs.start)} → ${escapeHtml(campaign.runs.end)} <span class="sub-inline">(${escapeHtml(campaign.status)})</span>`],
        ['Audience', `${int(campaign.audience.size)} customers`],
        ['Groups', `treatment ${int(campaign.groups.treatment.size)} · control ${int(campaign.groups.control.size)} · ${escapeHtml(assignmentText(campaign))}${srm ? ` · ${srm}` : ''}`],
        ['Cost', `${escapeHtml(money(campaign.cost, currency))}${campaign.budget !== null ? ` of ${escapeHtml(money(campaign.budget, currency))} budget` : ''}${campaign.overBudget ? ' <span class="warn">over budget</span>' : ''}`],
        ['Value', campaign.valueMetric ? `incremental ${escapeHtml(campaign.valueMetric)} ${escapeHtml(money(campaign.incrementalValue, currency))} · ROI ${escapeHtml(num(campaign.roi, 3))}` : 'no value metric']
    ];
    const warnings = campaign.warnings.map(w => `<li>${escapeHtml(w)}</li>`).join('');
    return `<section class="campaign" data-campaign="${escapeHtml(campaign.name)}">
<h2>${link(`Campaign ${campaign.name}`, lines.campaign, 'Show this campaign in the plan')} <span class="summary">${escapeHtml(summary || 'no goals')}</span></h2>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${campaign.goals.length ? `<h3>Goals</h3>
<table class="goals"><thead><tr><th>Goal</th><th>Verdict</th><th>Target</th><th class="num">Estimate</th><th class="num">p</th><th>Deadline</th></tr></thead>
<tbody>${campaign.goals.map((g, i) => goalRow(g, lines.goals[i], currency)).join('\n')}</tbody></table>` : ''}
${campaign.metrics.length ? `<h3>Metrics</h3>
<table class="metrics"><thead><tr><th>Metric</th><th class="num">Treatment</th><th class="num">Control</th><th class="num">Lift</th><th class="num">Relative</th><th class="num">p</th></tr></thead>
<tbody>${campaign.metrics.map(metricRow).join('\n')}</tbody></table>` : ''}
${warnings ? `<ul class="warnings">${warnings}</ul>` : ''}
</section>`;
}

/** The complete HTML document of the report webview. */
export function renderReportHtml(report: Report, options: ReportViewOptions): string {
    const { outline } = options;
    const plan = report.plan;
    const segments = report.segments.length
        ? `<section><h2>Segments</h2><table><thead><tr><th>Segment</th><th class="num">Customers</th><th class="num">Share</th></tr></thead><tbody>${report.segments
            .map(s => `<tr><td><code>${escapeHtml(s.name)}</code>${s.description ? `<div class="sub">${escapeHtml(s.description)}</div>` : ''}</td><td class="num">${int(s.size)}</td><td class="num">${percent(s.share)}</td></tr>`)
            .join('')}</tbody></table></section>`
        : '';
    const warnings = report.warnings.length ? `<ul class="warnings">${report.warnings.map(w => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
    const meta = [plan.objective && `objective ${plan.objective}`, plan.owner && `owner ${plan.owner}`, `as of ${report.asOf}`, `${int(report.customers.size)} customers in ${report.customers.source}`]
        .filter(Boolean).map(s => escapeHtml(s)).join(' · ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.cspSource, options.nonce).replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(plan.name)}</title>
</head>
<body${options.planUri ? ` data-plan="${escapeHtml(options.planUri)}"` : ''}>
<header>
<h1>${link(plan.name, outline?.planLine, 'Show the plan')}</h1>
<p class="meta">${meta}</p>
${options.subtitle ? `<p class="meta">${escapeHtml(options.subtitle)}</p>` : ''}
${options.stale ? '<p class="stale">The plan has changed since this report was written: run the evaluation again for current results.</p>' : ''}
<nav><a href="#" class="action" data-action="rerun">Run again</a> · <a href="#" class="action" data-action="open" data-file="report.md">report.md</a> · <a href="#" class="action" data-action="open" data-file="report.html">report.html</a> · <a href="#" class="action" data-action="open" data-file="report.json">report.json</a></nav>
</header>
${warnings}
${report.campaigns.map(c => campaignSection(c, outline, plan.currency)).join('\n')}
${segments}
<script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>`;
}

/** Shown when a report cannot be read or does not match the schema. */
export function renderMessageHtml(title: string, message: string, options: Pick<ReportViewOptions, 'cspSource' | 'nonce' | 'styleUri'>): string {
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.cspSource, options.nonce).replace(/"/g, '&quot;')}">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/** Goal verdict counts over the whole report, e.g. for the status item: "3 of 5 goals met". */
export function verdictSummary(report: Report): { met: number; total: number; text: string } {
    const goals = report.campaigns.flatMap(c => c.goals);
    const met = goals.filter(g => g.status === 'met').length;
    return { met, total: goals.length, text: `${met} of ${goals.length} goal${goals.length === 1 ? '' : 's'} met` };
}
