// report.md: compact tables that read well as a pull-request comment.
import { scheduleByChannel } from './schedule-summary.js';
import type { CampaignResult, Report } from './schema.js';
import { STATUS_ICON, STATUS_LABEL, int, inUnit, intervalText, money, num, pValue, percent } from './format.js';

/** Table cells: pipes and line breaks would break the table. */
function cell(text: string): string {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][]): string {
    const lines = [`| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
    for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
    return lines.join('\n');
}

/**
 * Whether the report shows arms: more than one, or one that is not the whole treatment group (a campaign without arms
 * reports one arm with the campaign's own metrics; older reports have no arms).
 */
export function hasArms(c: CampaignResult): boolean {
    const arms = (c as { arms?: CampaignResult['arms'] }).arms;
    if (!Array.isArray(arms) || arms.length === 0) return false;
    // Cost per increment differs (an arm's cost leaves the fixed cost out): compare the statistics alone.
    const statistics = (metrics: CampaignResult['metrics']) => JSON.stringify(metrics.map(({ costPerIncrement, ...m }) => (void costPerIncrement, m)));
    return arms.length > 1 || arms[0].size !== c.groups.treatment.size || statistics(arms[0].metrics) !== statistics(c.metrics);
}

/** What the cost is made of, in words: "contacts 1,200.00 + offer 300.00 + fixed 500.00"; the offer "not known yet" before it is measured. */
export function costParts(c: CampaignResult, currency: string | null): string {
    const contacts = c.steps.reduce((sum, s) => sum + s.cost, 0);
    const parts = [`contacts ${money(contacts, currency)}`];
    if (c.offerCost === null) parts.push('offer not known yet (its metric is not measured)');
    else if (c.offerCost !== 0) parts.push(`offer ${money(c.offerCost, currency)}`);
    if (c.fixedCost !== 0) parts.push(`fixed ${money(c.fixedCost, currency)}`);
    return parts.join(' + ');
}

/** Whether ROI counts a margin of the value's increment, in one sentence. */
export function marginText(c: CampaignResult): string {
    if (!c.valueMetric) return '';
    return c.margin === null ? 'ROI on revenue: no margin declared.' : `ROI on margin: ${percent(c.margin, 1)} of the increment of ${c.valueMetric}.`;
}

/** "Audience capped at 20,000 of 28,785 (limit 20,000 by usage.m + usage.f; cut-off 5)". */
export function capText(c: CampaignResult): string {
    const a = c.audience;
    const capped = a.beforeLimit > a.size ? `capped at ${int(a.size)} of ${int(a.beforeLimit)}` : `${int(a.size)}, under its limit of ${int(a.limit)}`;
    return `Audience ${capped}${a.cutoff !== null ? ` (the lowest value admitted: ${num(a.cutoff)})` : ''}.`;
}

/** "r = 0.243 (± 0.0125), alpha = 4.41 (± 0.38), ...; log-likelihood −9,582.4; 2,357 customers; spend p = 6.25, ...". */
export function clvSummary(c: Report['clv'][number]): string {
    const params = Object.entries(c.parameters).map(([k, v]) => `${k} = ${num(v, 4)}${c.standardErrors?.[k] !== undefined ? ` (± ${num(c.standardErrors[k], 3)})` : ''}`).join(', ');
    const spend = c.spend ? `; spend per purchase (Gamma-Gamma, ${int(c.spend.customers)} repeat buyers): p = ${num(c.spend.p, 4)}, q = ${num(c.spend.q, 4)}, v = ${num(c.spend.v, 4)}` : '';
    const problem = c.problem ? ` ⚠️ ${c.problem}` : '';
    return `Calibration ${c.calibration.start} to ${c.calibration.end}, ${int(c.customers)} customers: ${params || 'no estimates'}; log-likelihood ${c.logLikelihood === null ? '—' : c.logLikelihood.toFixed(1)}${spend}.${problem}`;
}

/** "Scores from 3,000 contacts in `contacts` before 2026-01-01, half life 90 days, prior 5 contacts." */
export function attitudeSummary(a: Report['attitude'][number]): string {
    const contacts = a.by[0]?.values.reduce((sum, v) => sum + v.contacts, 0) ?? 0;
    return `Scores 0–100 from ${int(contacts)} contacts in \`${a.source}\` before ${a.asOf}, ${a.halfLifeDays === null ? 'every contact weighed the same' : `half life ${num(a.halfLifeDays)} days`}, ` +
        `prior ${num(a.prior)} contacts: a customer without a contact with a value scores 100 × its rate.`;
}

function attitudeMarkdown(a: Report['attitude'][number]): string {
    const rows = a.by.flatMap(b => b.values.map(v => [b.column, v.value, percent(v.rate), int(v.contacts), int(v.customers), num(v.quantiles.p50, 3), num(v.mean, 3)]));
    return `## Attitude \`${a.name}\`\n\n${attitudeSummary(a)}\n\n${table(['Column', 'Value', 'Rate', 'Contacts', 'Customers', 'Median score', 'Mean score'], rows)}`;
}

/** The metrics the goals name, each once, in goal order: where the cost per incremental response is shown. */
export function goalMetrics(c: CampaignResult): string[] {
    const names = c.goals.map(g => g.metric).filter((m): m is string => m !== null);
    return [...new Set(names)].filter(name => c.metrics.some(m => m.name === name && !notAdditive(m)));
}

/** Ratio, mean, min and max metrics have no cost per increment (their values do not add up over customers). */
function notAdditive(m: CampaignResult['metrics'][number]): boolean {
    return m.kind === 'ratio' || /^\s*(mean|min|max)\s*\(/.test(m.definition);
}

/** "cost per incremental booked 12.50 EUR", per goal metric, with a campaign's or an arm's metrics. */
export function costPerIncrementText(names: string[], metrics: CampaignResult['metrics'], currency: string | null): string[] {
    return names.map(name => `cost per incremental ${name} ${money(metrics.find(m => m.name === name)?.costPerIncrement, currency)}`);
}

/** The arm a goal verdict is about, in words: "mens", "mens vs womens"; empty for a campaign without arms. */
export function goalArmText(c: CampaignResult, g: CampaignResult['goals'][number]): string {
    if (!hasArms(c) || g.arm === null || g.arm === undefined) return '';
    const text = g.baseline && g.baseline !== 'control' ? `${g.arm} vs ${g.baseline}` : g.arm;
    // A goal named by its own text already says `for ARM [vs ARM]`.
    return g.label.includes(` for ${text} `) ? '' : text;
}

function metricsTable(metrics: CampaignResult['metrics'], treatment = 'Treatment', control = 'Control'): string {
    return table(['Metric', treatment, control, 'Lift', '95% CI', 'Relative', '95% CI', 'p'], metrics.map(m => [
        m.name,
        num(m.treatment),
        num(m.control),
        num(m.absoluteLift),
        intervalText(m.ci95),
        percent(m.relativeLift),
        m.relativeCi95 ? `[${percent(m.relativeCi95[0])}, ${percent(m.relativeCi95[1])}]` : '—',
        pValue(m.pValue)
    ]));
}

export function renderMarkdown(report: Report): string {
    const out: string[] = [];
    const currency = report.plan.currency;
    out.push(`# ${report.plan.name}`);
    out.push(`Evaluated as of **${report.asOf}** · ${int(report.customers.size)} customers in \`${report.customers.source}\`` +
        (report.plan.objective ? ` · objective: ${report.plan.objective}` : ''));

    const goals = report.campaigns.flatMap(c => c.goals.map(g => ({ c, g })));
    if (goals.length > 0) {
        out.push('## Goals');
        out.push(table(['Campaign', 'Goal', 'Estimate', '95% CI', 'p (Holm)', 'Status', 'Why'], goals.map(({ c, g }) => [
            c.name,
            g.label + (goalArmText(c, g) ? ` (${goalArmText(c, g)})` : ''),
            inUnit(g.value, g.unit),
            intervalText(g.interval, g.unit),
            g.kind === 'lift' ? `${pValue(g.pValue)} (${pValue(g.adjustedPValue)})` : g.pValue !== null ? pValue(g.pValue) : '—',
            `${STATUS_ICON[g.status]} ${STATUS_LABEL[g.status]}${g.final ? ' (final)' : g.status === 'pending' ? '' : ' (interim)'}`,
            g.reason
        ])));
        out.push('p: the one-sided p-value of each goal\'s own target; lift goals are met when it is below 0.025 after Holm\'s adjustment over the campaign\'s lift goals.');
    }

    for (const c of report.campaigns) out.push(renderCampaign(c, currency));

    for (const c of report.clv) {
        out.push(`## CLV \`${c.name}\` — ${c.model === 'paretonbd' ? 'Pareto/NBD' : 'BG/NBD'}`);
        out.push(clvSummary(c));
        if (c.holdout.length > 0) {
            out.push(`Holdout, ${c.calibration.end} to ${c.holdoutUntil} (${num(c.holdoutPeriods, 4)} ${c.period}s):\n\n` +
                table(['Calibration repeat purchases', 'Customers', 'Actual', 'Expected'], c.holdout.map(h => [h.purchases, int(h.customers), int(h.actual), num(h.expected, 4)])));
        }
        const cal = c.calibrationCumulative.at(-1), held = c.holdoutCumulative.at(-1);
        // The chart's end points; the chart itself is in report.html.
        if (cal) {
            out.push(`Cumulative repeat purchases, actual against expected: ${int(cal.actual)} against ${num(cal.expected, 4)} by ${cal.until}` +
                `${held ? `, then ${int(held.actual)} against ${num(held.expected, 4)} more by ${held.until}` : ''} (per ${c.period} in report.html).`);
        }
    }
    for (const a of report.attitude) out.push(attitudeMarkdown(a));
    for (const t of report.tiers) {
        out.push(`## Tiers \`${t.name}\`${t.description ? ` — ${t.description}` : ''}`);
        const valued = t.valueMetric !== null;
        out.push(table(['Tier', 'Customers', 'Share', ...(valued ? [`${t.valueMetric} before ${report.asOf}`] : [])], [
            ...t.tiers.map(tier => [tier.name, int(tier.size), percent(tier.share), ...(valued ? [money(tier.value, currency)] : [])]),
            ...(t.uncovered > 0 ? [['_in no tier_', int(t.uncovered), percent(report.customers.size > 0 ? t.uncovered / report.customers.size : null), ...(valued ? ['—'] : [])]] : [])
        ]));
    }
    if (report.segments.length > 0) {
        out.push('## Segments');
        out.push(table(['Segment', 'Customers', 'Share'], report.segments.map(s => [s.name + (s.description ? ` — ${s.description}` : ''), int(s.size), percent(s.share)])));
    }
    for (const model of report.rfm) {
        out.push(`## RFM \`${model.name}\``);
        out.push(`${int(model.scored)} customers scored from \`${model.source}\` as of ${model.asOf} in ${model.bins} bins; ${int(model.unscored)} without events have no scores.`);
        const rows: string[][] = [];
        for (let r = model.bins; r >= 1; r--) {
            const row = [`R${r}`];
            for (let f = 1; f <= model.bins; f++) {
                const cellData = model.grid.find(g => g.r === r && g.f === f);
                row.push(cellData ? int(cellData.customers) : '·');
            }
            rows.push(row);
        }
        out.push(table(['customers', ...Array.from({ length: model.bins }, (_, i) => `F${i + 1}`)], rows));
    }
    if (report.warnings.length > 0) {
        out.push('## Data warnings');
        out.push(report.warnings.map(w => `- ⚠️ ${w}`).join('\n'));
    }
    return out.join('\n\n') + '\n';
}

function renderCampaign(c: CampaignResult, currency: string | null): string {
    const out: string[] = [];
    out.push(`## Campaign \`${c.name}\` — ${c.status}`);
    const srm = c.srm ? ` · SRM p = ${pValue(c.srm.pValue)} ${c.srm.ok ? '✓' : '⚠️ mismatch'}` : '';
    const excluded = c.audience.excluded.map(e => `${int(e.customers)} to \`${e.campaign}\``).join(', ');
    if (c.audience.limit !== null) out.push(capText(c));
    out.push(`Runs ${c.runs.start} → ${c.runs.end} · window ${c.window.start} → ${c.window.end} (${c.window.days} days) · ` +
        `treatment **${int(c.groups.treatment.size)}**, control **${int(c.groups.control.size)}**${srm}` +
        (excluded ? ` · excluded: ${excluded}` : ''));
    const measured = c.metrics.filter(m => m.treatmentCount > 0 || m.controlCount > 0);
    if (measured.length > 0) {
        if (hasArms(c)) out.push('Every arm together against control:');
        out.push(metricsTable(measured));
    } else {
        out.push('_No outcomes measured yet._');
    }
    if (hasArms(c)) {
        const perIncrement = goalMetrics(c);
        out.push(table(['Arm', 'Label', 'Share', 'Customers', 'Cost', 'Offer', 'ROI', 'ROI 95% CI', ...perIncrement.map(name => `Cost per incr. ${name}`)], c.arms.map(a => [
            a.name, a.label ?? '—', a.share === null ? '—' : percent(a.share), int(a.size), money(a.cost, currency), a.offerCost === null ? 'not known yet' : money(a.offerCost, currency),
            num(a.roi, 3), intervalText(a.roiInterval), ...perIncrement.map(name => money(a.metrics.find(m => m.name === name)?.costPerIncrement, currency))
        ])));
        if (c.fixedCost !== 0) out.push(`Arms' costs leave out the campaign's fixed cost of ${money(c.fixedCost, currency)}; the campaign's cost and ROI include it.`);
        for (const a of c.arms) {
            const armMeasured = a.metrics.filter(m => m.treatmentCount > 0 || m.controlCount > 0);
            if (armMeasured.length > 0) out.push(`Arm \`${a.name}\` against control:\n\n` + metricsTable(armMeasured, a.name, 'control'));
        }
        for (const x of c.comparisons) {
            const pairMeasured = x.metrics.filter(m => m.treatmentCount > 0 || m.controlCount > 0);
            if (pairMeasured.length > 0) out.push(`Arm \`${x.arm}\` against arm \`${x.baseline}\`:\n\n` + metricsTable(pairMeasured, x.arm, x.baseline));
        }
    }
    const power = c.goals.filter(g => g.kind === 'lift' && g.mde !== null);
    if (power.length > 0) {
        out.push('Power (80%, α = 5%): ' + power.map(g => `${g.label}${goalArmText(c, g) ? ` (${goalArmText(c, g)})` : ''}: MDE ${inUnit(g.mde, g.unit)}${g.underpowered ? ' ⚠️ above the target' : ''}`).join(' · '));
    }
    if (c.uplift) {
        const u = c.uplift;
        out.push(`Uplift by \`${u.by}\` (${u.metric}, every arm together against control; Qini coefficient ${num(u.qiniCoefficient, 3)}):\n\n` +
            table(['Top', 'Treatment', 'Control', 'Uplift', 'Qini'], u.points.map(p => [percent(p.fraction, 0), num(p.treatment), num(p.control), num(p.uplift), num(p.qini)])));
    }
    const channels = scheduleByChannel(c.schedule);
    if (channels.length > 0) {
        out.push('Schedule: ' + channels.map(s => `${s.channel} ${s.first}${s.days > 1 ? ` → ${s.last}, ${s.days} days, at most ${int(s.peak)} a day` : ''} (${int(s.contacts)} contacts)`).join(' · '));
    }
    out.push(`Cost **${money(c.cost, currency)}** (${costParts(c, currency)})` + (c.budget !== null ? ` of budget ${money(c.budget, currency)}${c.overBudget ? ' ⚠️ over budget' : ''}` : '') +
        (c.valueMetric ? ` · incremental ${c.valueMetric} ${money(c.incrementalValue, currency)} · ROI ${num(c.roi, 3)}` +
            (c.roiInterval ? ` (95% CI ${intervalText(c.roiInterval)})` : '') : '') +
        costPerIncrementText(goalMetrics(c), c.metrics, currency).map(t => ` · ${t}`).join('') +
        (marginText(c) ? `. ${marginText(c)}` : ''));
    if (c.warnings.length > 0) out.push(c.warnings.map(w => `- ⚠️ ${w}`).join('\n'));
    return out.join('\n\n');
}
