// report.html: one self-contained page (inline CSS and SVG, no scripts, no network), light and dark themes.
import type { CampaignResult, GoalResult, MetricResult, Report, RfmResult } from './schema.js';
import { STATUS_LABEL, int, inUnit, intervalText, money, num, pValue, percent } from './format.js';

export function escapeHtml(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const h = escapeHtml;

const CSS = `
:root { color-scheme: light dark; --bg:#ffffff; --fg:#1f2328; --muted:#656d76; --card:#f6f8fa; --line:#d0d7de;
  --t:#0969da; --c:#8c959f; --met:#1a7f37; --notmet:#cf222e; --inc:#9a6700; --pend:#6e7781; --bar:#0969da; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#8d96a0; --card:#161b22; --line:#30363d;
  --t:#4493f8; --c:#8d96a0; --met:#3fb950; --notmet:#f85149; --inc:#d29922; --pend:#8d96a0; --bar:#4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 8px; }
.muted { color: var(--muted); } .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.date { white-space: nowrap; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; color: #fff; white-space: nowrap; }
.badge.met { background: var(--met); } .badge.not-met { background: var(--notmet); } .badge.inconclusive { background: var(--inc); } .badge.pending { background: var(--pend); }
.tag { font-size: 11px; color: var(--muted); margin-left: 6px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; } .kpi { flex: 1 1 160px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.kpi b { display: block; font-size: 20px; } .kpi span { color: var(--muted); font-size: 12px; }
.warn { border-left: 4px solid var(--inc); background: var(--card); padding: 6px 12px; margin: 6px 0; }
svg text { fill: var(--fg); font: 11px system-ui, sans-serif; } svg .axis { stroke: var(--line); } svg .zero { stroke: var(--muted); stroke-dasharray: 3 3; }
svg .target { stroke: var(--inc); stroke-width: 2; } svg .t { fill: var(--t); } svg .c { fill: var(--c); } svg .ci { stroke: var(--t); stroke-width: 3; }
svg .bar { fill: var(--bar); } svg .budget { stroke: var(--notmet); stroke-width: 2; }
.grid td { text-align: center; font-variant-numeric: tabular-nums; border: 1px solid var(--line); min-width: 72px; }
.grid td small { display: block; color: var(--muted); }
.legend { font-size: 12px; color: var(--muted); } .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; }
`;

export function renderHtml(report: Report): string {
    const currency = report.plan.currency;
    const body: string[] = [];
    body.push(`<h1>${h(report.plan.name)}</h1>`);
    body.push(`<p class="muted">Evaluated as of <b>${h(report.asOf)}</b> · ${int(report.customers.size)} customers in <code>${h(report.customers.source)}</code>` +
        (report.plan.objective ? ` · objective: ${h(report.plan.objective)}` : '') + (report.plan.owner ? ` · owner: ${h(report.plan.owner)}` : '') + '</p>');
    for (const w of report.warnings) body.push(`<div class="warn">⚠️ ${h(w)}</div>`);
    for (const c of report.campaigns) body.push(renderCampaign(c, currency));
    if (report.segments.length > 0) body.push(renderSegments(report));
    for (const model of report.rfm) body.push(renderRfm(model, currency));
    body.push(`<p class="muted">mplan ${h(report.tool.version)} · report schema v${report.schemaVersion}</p>`);
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(report.plan.name)} — mplan report</title><style>${CSS}</style></head>
<body><main>
${body.join('\n')}
</main></body></html>
`;
}

function badge(goal: GoalResult): string {
    const phase = goal.status === 'pending' ? '' : `<span class="tag">${goal.final ? 'final' : 'interim'}</span>`;
    return `<span class="badge ${goal.status}">${STATUS_LABEL[goal.status]}</span>${phase}`;
}

function renderCampaign(c: CampaignResult, currency: string | null): string {
    const out: string[] = [];
    out.push(`<h2>Campaign ${h(c.name)} <span class="tag">${h(c.status)}</span></h2>`);
    const srm = c.srm ? `SRM p = ${pValue(c.srm.pValue)} ${c.srm.ok ? '✓' : '⚠️ mismatch'}` : 'no SRM test';
    out.push(`<p class="muted">Runs ${h(c.runs.start)} → ${h(c.runs.end)} · exposure ${h(c.exposure)} · window ${h(c.window.start)} → ${h(c.window.end)} (${c.window.days} days) · ${srm}</p>`);
    out.push('<div class="kpis">' +
        kpi(int(c.groups.treatment.size), 'treatment') + kpi(int(c.groups.control.size), 'control') +
        kpi(money(c.cost, currency), 'cost') + kpi(c.budget === null ? '—' : money(c.budget, currency), c.overBudget ? 'budget ⚠️ exceeded' : 'budget') +
        kpi(c.roi === null ? '—' : num(c.roi, 3), c.valueMetric ? `ROI (value: ${h(c.valueMetric)})` : 'ROI') + '</div>');
    if (c.budget !== null) out.push(budgetBar(c.cost, c.budget));
    if (c.audience.excluded.length > 0) {
        out.push(`<p>Audience ${int(c.audience.size)}; excluded because an earlier overlapping campaign took them: ` +
            c.audience.excluded.map(e => `${int(e.customers)} to <b>${h(e.campaign)}</b>`).join(', ') + '.</p>');
    }
    for (const w of c.warnings) out.push(`<div class="warn">⚠️ ${h(w)}</div>`);
    if (c.goals.length > 0) {
        out.push('<h3>Goals</h3><table><tr><th>Goal</th><th>Status</th><th class="num">Estimate</th><th>95% interval vs target</th><th class="num">p (Holm)</th><th class="num">MDE</th><th>Deadline</th></tr>');
        for (const g of c.goals) {
            const formula = `${g.metric ? `${g.kind}(${g.metric})` : g.kind} ${g.operator} ${inUnit(g.target, g.unit)}`;
            const label = formula === g.label.replace(/(\d)pp/, '$1 pp') ? h(g.label) : `${h(g.label)}<br><code class="muted">${h(formula)}</code>`;
            out.push(`<tr><td>${label}</td><td>${badge(g)}</td><td class="num">${h(inUnit(g.value, g.unit))}</td>` +
                `<td>${g.interval ? intervalSvg(g.interval, g.value, g.target, g.unit) : h(intervalText(g.interval, g.unit))}</td>` +
                `<td class="num">${g.kind === 'lift' ? `${pValue(g.pValue)} (${pValue(g.adjustedPValue)})` : '—'}</td>` +
                `<td class="num">${g.mde === null ? '—' : h(inUnit(g.mde, g.unit)) + (g.underpowered ? ' ⚠️' : '')}</td><td class="date">${h(g.deadline ?? '—')}</td></tr>`);
        }
        out.push('</table>');
    }
    const measured = c.metrics.filter(m => m.treatmentCount > 0 || m.controlCount > 0);
    if (measured.length > 0) {
        out.push('<h3>Metrics</h3><p class="legend"><i style="background:var(--t)"></i>treatment<i style="background:var(--c)"></i>control · interval bars show the 95% CI of the lift</p>');
        out.push('<table><tr><th>Metric</th><th>Treatment vs control</th><th class="num">Lift</th><th>95% interval of the lift</th><th class="num">Relative</th><th class="num">p</th></tr>');
        for (const m of measured) out.push(metricRow(m));
        out.push('</table>');
    } else {
        out.push('<p class="muted">No outcomes measured yet.</p>');
    }
    if (c.steps.length > 0) {
        out.push('<h3>Contacts</h3><table><tr><th>Channel</th><th>Date</th><th class="num">Contacts</th><th class="num">Cost per contact</th><th class="num">Cost</th></tr>');
        for (const s of c.steps) out.push(`<tr><td>${h(s.channel)}</td><td>${h(s.date)}</td><td class="num">${int(s.contacts)}</td><td class="num">${money(s.costPerContact, currency)}</td><td class="num">${money(s.cost, currency)}</td></tr>`);
        out.push('</table>');
    }
    return out.join('\n');
}

function kpi(value: string, label: string): string {
    return `<div class="kpi"><b>${h(value)}</b><span>${label}</span></div>`;
}

function metricRow(m: MetricResult): string {
    return `<tr><td><b>${h(m.name)}</b><br><code class="muted">${h(m.definition)}</code></td>` +
        `<td>${meansSvg(m.treatment, m.control)}</td><td class="num">${num(m.absoluteLift)}</td>` +
        `<td>${m.ci95 ? intervalSvg(m.ci95, m.absoluteLift, null, null) : '—'}</td><td class="num">${percent(m.relativeLift)}</td><td class="num">${pValue(m.pValue)}</td></tr>`;
}

/** Two horizontal bars: treatment and control means on a common scale. */
function meansSvg(treatment: number | null, control: number | null): string {
    const values = [treatment, control].filter((v): v is number => v !== null && Number.isFinite(v));
    const max = Math.max(...values.map(Math.abs), 1e-12);
    const bar = (value: number | null, y: number, cls: string) => {
        if (value === null) return '';
        const width = Math.max(1, (Math.abs(value) / max) * 150);
        return `<rect class="${cls}" x="0" y="${y}" width="${width.toFixed(1)}" height="12" rx="2"/><text x="${(width + 4).toFixed(1)}" y="${y + 10}">${h(num(value))}</text>`;
    };
    return `<svg width="230" height="32" role="img" aria-label="treatment ${h(num(treatment))}, control ${h(num(control))}">${bar(treatment, 2, 't')}${bar(control, 18, 'c')}</svg>`;
}

/** An interval bar with its point estimate, the zero line and the goal's target. */
function intervalSvg(interval: [number, number], point: number | null, target: number | null, unit: string | null): string {
    const width = 260, pad = 10;
    const values = [interval[0], interval[1], 0, ...(target !== null ? [target] : []), ...(point !== null ? [point] : [])];
    let lo = Math.min(...values), hi = Math.max(...values);
    const span = hi - lo || 1;
    lo -= span * 0.08;
    hi += span * 0.08;
    const x = (v: number) => pad + ((v - lo) / (hi - lo)) * (width - 2 * pad);
    const parts = [`<line class="axis" x1="${pad}" x2="${width - pad}" y1="14" y2="14"/>`, `<line class="zero" x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="2" y2="26"/>`];
    if (target !== null) parts.push(`<line class="target" x1="${x(target).toFixed(1)}" x2="${x(target).toFixed(1)}" y1="2" y2="26"><title>target ${h(inUnit(target, unit))}</title></line>`);
    parts.push(`<line class="ci" x1="${x(interval[0]).toFixed(1)}" x2="${x(interval[1]).toFixed(1)}" y1="14" y2="14"/>`);
    if (point !== null) parts.push(`<circle class="t" cx="${x(point).toFixed(1)}" cy="14" r="4"/>`);
    const label = `${inUnit(interval[0], unit)} to ${inUnit(interval[1], unit)}`;
    return `<svg width="${width}" height="40" role="img" aria-label="95% interval ${h(label)}">${parts.join('')}<text x="${pad}" y="38">${h(inUnit(interval[0], unit))}</text><text x="${width - pad}" y="38" text-anchor="end">${h(inUnit(interval[1], unit))}</text></svg>`;
}

/** Cost as a bar, the budget as a red line across it. */
function budgetBar(cost: number, budget: number): string {
    const width = 1000, max = Math.max(cost, budget) * 1.08 || 1;
    const x = (v: number) => (v / max) * width;
    const label = `cost ${num(cost)} of budget ${num(budget)} (${percent(budget > 0 ? cost / budget : null, 0)})`;
    return `<svg viewBox="0 0 ${width} 34" width="100%" height="34" preserveAspectRatio="none" role="img" aria-label="${h(label)}">` +
        `<rect class="bar" x="0" y="4" width="${x(cost).toFixed(1)}" height="14" rx="2"/>` +
        `<line class="budget" x1="${x(budget).toFixed(1)}" x2="${x(budget).toFixed(1)}" y1="0" y2="22"/></svg>` +
        `<p class="muted" style="margin:0">${h(label)}</p>`;
}

function renderSegments(report: Report): string {
    const max = Math.max(...report.segments.map(s => s.size), 1);
    const rows = report.segments.map(s => {
        const w = (s.size / max) * 300;
        return `<tr><td><b>${h(s.name)}</b>${s.description ? `<br><span class="muted">${h(s.description)}</span>` : ''}</td>` +
            `<td><svg width="310" height="16"><rect class="bar" x="0" y="2" width="${Math.max(w, s.size > 0 ? 1 : 0).toFixed(1)}" height="12" rx="2"/></svg></td>` +
            `<td class="num">${int(s.size)}</td><td class="num">${percent(s.share)}</td></tr>`;
    });
    return `<h2>Segments</h2><table><tr><th>Segment</th><th></th><th class="num">Customers</th><th class="num">Share</th></tr>${rows.join('')}</table>`;
}

function renderRfm(model: RfmResult, currency: string | null): string {
    const max = Math.max(...model.grid.map(g => g.customers), 1);
    const rows: string[] = [];
    for (let r = model.bins; r >= 1; r--) {
        const cells = [`<th>R${r}</th>`];
        for (let f = 1; f <= model.bins; f++) {
            const cell = model.grid.find(g => g.r === r && g.f === f);
            const alpha = cell ? (0.08 + 0.6 * (cell.customers / max)).toFixed(2) : '0';
            cells.push(cell
                ? `<td style="background: rgba(68,147,248,${alpha})">${int(cell.customers)}<small>${h(money(cell.value, currency))}</small></td>`
                : '<td class="muted">·</td>');
        }
        rows.push(`<tr>${cells.join('')}</tr>`);
    }
    const header = `<tr><th></th>${Array.from({ length: model.bins }, (_, i) => `<th>F${i + 1}</th>`).join('')}</tr>`;
    return `<h2>RFM ${h(model.name)}</h2><p class="muted">${int(model.scored)} customers scored from <code>${h(model.source)}</code> as of ${h(model.asOf)} in ${model.bins} bins; ` +
        `${int(model.unscored)} without events have no scores. Each cell: customers and their monetary value; R${model.bins} is the most recent.</p>` +
        `<table class="grid">${header}${rows.join('')}</table>`;
}
