// What the text and Markdown outputs of `mplan diff` share: changes grouped per campaign, the words for each row and
// values formatted for people. The JSON output is the Diff itself.
import type { Change, DeploymentChange, Diff, PlanDiff } from './diff-schema.js';
import { inUnit, int, money } from '../runner/report/format.js';

/** One line of a table: what it is, and before and after as text ('' where absent). */
export interface Line {
    kind: 'added' | 'removed' | 'changed';
    what: string;
    old: string;
    new: string;
    /** A cost above its budget on the new side. */
    overBudget?: boolean;
    /** A deployment figure (a count, a cost, an MDE), not a setting as written in the plan. */
    figure?: boolean;
}

/** The changes of one plan: per campaign (plan changes and deployment figures), and the rest. */
export interface Grouped {
    campaigns: Array<{ name: string; lines: Line[] }>;
    other: Line[];
}

export function groupPlan(plan: PlanDiff): Grouped {
    const campaigns = new Map<string, Line[]>();
    const lineOf = (name: string) => {
        if (!campaigns.has(name)) campaigns.set(name, []);
        return campaigns.get(name)!;
    };
    const other: Line[] = [];
    for (const change of plan.changes) {
        const campaign = /^campaign (\S+)(?: \/ (.*))?$/.exec(change.path);
        if (campaign) lineOf(campaign[1]).push(changeLine(change, campaign[2] ?? 'campaign'));
        else other.push(changeLine(change, change.path));
    }
    for (const row of plan.deployment) lineOf(row.campaign).push(deploymentLine(row, plan.currency));
    return { campaigns: [...campaigns].map(([name, lines]) => ({ name, lines })), other };
}

function changeLine(change: Change, what: string): Line {
    return { kind: change.kind, what, old: valueText(change.old), new: valueText(change.new) };
}

export function valueText(value: Change['old']): string {
    if (value === null) return '';
    if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k} ${v}`).join('; ');
    return typeof value === 'number' ? String(value) : value;
}

const FIELD_WORDS: Record<DeploymentChange['field'], string> = {
    audience: 'audience (customers)',
    treatment: 'treatment group',
    control: 'control group',
    contacts: 'contacts',
    days: 'days with contacts',
    cost: 'planned cost',
    mde: 'MDE'
};

export function deploymentLine(row: DeploymentChange, currency: string | null): Line {
    let what = FIELD_WORDS[row.field];
    if (row.field === 'treatment' && row.arm) what = `arm ${row.arm} (customers)`;
    if (row.channel) what += ` on ${row.channel}`;
    if (row.field === 'mde') what += ` of goal ${row.goal}${row.arm && !row.goal?.includes(` for ${row.arm}`) ? ` for ${row.arm}` : ''}`;
    const format = (v: number | null) => v === null ? '' : row.field === 'cost' ? money(v, currency) : row.field === 'mde' ? inUnit(v, row.unit ?? null) : int(v);
    const line: Line = { kind: row.old === null ? 'added' : row.new === null ? 'removed' : 'changed', what, old: format(row.old), new: format(row.new), figure: true };
    if (row.field === 'cost' && row.budget !== undefined && row.budget !== null) {
        line.new += `${line.new ? ' ' : ''}(budget ${money(row.budget, currency)})`;
        line.overBudget = row.new !== null && row.new > row.budget;
    }
    return line;
}

export function plural(count: number, word: string, many = `${word}s`): string {
    return `${count.toLocaleString('en-US')} ${count === 1 ? word : many}`;
}

/** One sentence per plan: how many changes, in how many campaigns, and the deployment's headline. */
export function planSummary(plan: PlanDiff, grouped: Grouped): string {
    if (plan.status === 'unchanged') return 'no change in meaning';
    const parts = [plural(plan.changes.length, 'change')];
    if (grouped.campaigns.length > 0) parts.push(`${plural(grouped.campaigns.length, 'campaign')} affected`);
    if (plan.status !== 'changed') parts.unshift(`plan ${plan.status}`);
    const over = plan.deployment.filter(r => r.field === 'cost' && r.budget !== null && r.budget !== undefined && r.new !== null && r.new > r.budget);
    if (over.length > 0) parts.push(`${plural(over.length, 'campaign')} over budget (${over.map(r => r.campaign).join(', ')})`);
    const audiences = plan.deployment.filter(r => r.field === 'audience' && r.old !== null && r.new !== null);
    if (audiences.length === 1) parts.push(`audience of ${audiences[0].campaign} ${int(audiences[0].old)} → ${int(audiences[0].new)}`);
    else if (audiences.length > 1) parts.push(`${audiences.length} audiences change size`);
    const costs = plan.deployment.filter(r => r.field === 'cost' && r.old !== null && r.new !== null && r.old !== r.new);
    if (costs.length === 1) parts.push(`planned cost of ${costs[0].campaign} ${money(costs[0].old, plan.currency)} → ${money(costs[0].new, plan.currency)}`);
    return parts.join('; ');
}

/** The first line of the whole output. */
export function diffSummary(diff: Diff): string {
    const changed = diff.plans.filter(p => p.status !== 'unchanged');
    const total = diff.plans.reduce((sum, p) => sum + p.changes.length, 0);
    const base = diff.baseCommit ? `${diff.base} (${diff.baseCommit.slice(0, 7)})` : diff.base;
    if (diff.plans.length === 0) return `mplan diff against ${base}: no plan changed.`;
    return `mplan diff against ${base}: ${plural(changed.length, 'plan')} of ${diff.plans.length} changed, ${plural(total, 'change')}.`;
}
