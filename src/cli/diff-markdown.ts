// `mplan diff --format markdown`: a pull-request comment. A summary line, then per plan one table per campaign (its
// plan changes and what they do to the deployment), the other changes and the notes folded. GitHub refuses comments
// over 65,536 characters: past a budget the campaign tables fold into one <details>, and past the limit the rest is
// counted instead of shown (the JSON output has everything).
import type { Diff } from './diff-schema.js';
import type { Line } from './diff-render.js';
import { diffSummary, groupPlan, planSummary, plural } from './diff-render.js';

/** GitHub's limit is 65,536; the workflow adds a marker line and a header. */
export const MARKDOWN_LIMIT = 65_000;
/** Beyond this, campaign tables are folded; the rest of the limit is headroom for the notes of later plans. */
const FOLD_AT = 20_000;
/** A cell longer than this (a long audience condition) is cut: the table must stay readable. */
const MAX_CELL = 300;

const MARK = { added: 'added', removed: 'removed', changed: 'changed' } as const;

/** Text for a table cell, with Markdown and HTML characters escaped (plan texts come from pull requests). */
function cell(text: string): string {
    const cut = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
    return cut.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>|#~&!]/g, c => `\\${c}`);
}

/** A value in a code span (so `at_risk and reachable` reads as plan text), or a dash where absent. */
function code(text: string): string {
    if (text === '') return '—';
    const cut = (text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
    const longest = Math.max(0, ...[...cut.matchAll(/`+/g)].map(m => m[0].length));
    const fence = '`'.repeat(longest + 1);
    const pad = cut.startsWith('`') || cut.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${cut}${pad}${fence}`;
}

function table(lines: Line[]): string {
    const rows = lines.map(l => {
        const value = (text: string) => (l.figure ? (text === '' ? '—' : cell(text)) : code(text));
        const after = l.overBudget ? `${value(l.new)} ⚠️ over budget` : value(l.new);
        return `| ${MARK[l.kind]} | ${cell(l.what)} | ${value(l.old)} | ${after} |`;
    });
    return ['| | | before | after |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function details(summary: string, body: string): string {
    return `<details><summary>${cell(summary)}</summary>\n\n${body}\n\n</details>`;
}

export function formatDiffMarkdown(diff: Diff, limit = MARKDOWN_LIMIT): string {
    const head = `**${cell(diffSummary(diff))}**`;
    const plans = diff.plans.map(plan => {
        const grouped = groupPlan(plan);
        const title = `#### \`${plan.path.replace(/`/g, "'")}\`: ${cell(planSummary(plan, grouped))}`;
        const campaigns = grouped.campaigns.map(c => `**campaign \`${c.name}\`**\n\n${table(c.lines)}`);
        const tail: string[] = [];
        if (grouped.other.length > 0) tail.push(details(`Other changes (${grouped.other.length}): settings, sources, segments, channels, metrics`, table(grouped.other)));
        if (plan.notes.length > 0) tail.push(details(`Notes (${plan.notes.length})`, plan.notes.map(n => `- ${cell(n)}`).join('\n')));
        return { title, campaigns, tail };
    });

    const size = (parts: string[]) => parts.reduce((sum, p) => sum + p.length + 2, 0);
    const total = head.length + plans.reduce((sum, p) => sum + p.title.length + size(p.campaigns) + size(p.tail), 0);
    const fold = total > FOLD_AT;
    // Every plan's title and folded notes are always shown; the campaign tables share what is left, in order.
    const fixed = head.length + plans.reduce((sum, p) => sum + p.title.length + size(p.tail) + 400, 0);
    let room = limit - fixed;
    const out: string[] = [head];
    for (const plan of plans) {
        out.push(plan.title);
        const shown: string[] = [];
        for (const c of plan.campaigns) {
            if (c.length + 2 > room) break;
            shown.push(c);
            room -= c.length + 2;
        }
        const hidden = plan.campaigns.length - shown.length;
        if (hidden > 0) room = 0;
        const more = hidden > 0 ? `…and ${plural(hidden, 'more campaign')} not shown: the comment would pass GitHub's size limit (\`mplan diff --format json\` lists every change).` : '';
        const body = [...shown, ...(more ? [more] : [])].join('\n\n');
        if (body) out.push(fold && shown.length > 0 ? details(`${plural(plan.campaigns.length, 'campaign')}: the tables`, body) : body);
        out.push(...plan.tail);
    }
    return out.join('\n\n') + '\n';
}
