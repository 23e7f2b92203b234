// `mplan diff --format text`: for a terminal. One block per plan, `+` added, `-` removed, `~` changed, coloured on a
// terminal like `mplan check`.
import type { Diff } from './diff-schema.js';
import type { Line } from './diff-render.js';
import { diffSummary, groupPlan, planSummary } from './diff-render.js';

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m' };
const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** Control characters in plan texts shown escaped, so a plan cannot drive the terminal. */
function visible(text: string): string {
    return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatDiffText(diff: Diff, color: boolean): string {
    const paint = (code: string, text: string) => (color ? `${code}${text}${ANSI.reset}` : text);
    const out: string[] = [paint(ANSI.bold, diffSummary(diff))];
    const line = (l: Line, indent: string) => {
        const code = l.kind === 'added' ? ANSI.green : l.kind === 'removed' ? ANSI.red : ANSI.yellow;
        const value = l.kind === 'added' ? l.new : l.kind === 'removed' ? l.old : `${l.old} → ${l.new}`;
        const over = l.overBudget ? ' ' + paint(ANSI.red, 'over budget') : '';
        return `${indent}${paint(code, MARK[l.kind])} ${visible(l.what)}: ${visible(value)}${over}`;
    };
    for (const plan of diff.plans) {
        const grouped = groupPlan(plan);
        out.push('', `${paint(ANSI.bold, plan.path)}: ${planSummary(plan, grouped)}`);
        for (const l of grouped.other) out.push(line(l, '  '));
        for (const c of grouped.campaigns) {
            out.push(`  campaign ${c.name}`);
            for (const l of c.lines) out.push(line(l, '    '));
        }
        for (const note of plan.notes) out.push(paint(ANSI.dim, `  note: ${visible(note)}`));
    }
    return out.join('\n') + '\n';
}
