// The report webview's content: report.json read and checked against the report schema, then rendered by the one
// report renderer (src/runner/report/html.ts) with the webview's options: the editor's theme colours, a strict
// Content-Security-Policy, and, in a trusted workspace, links from each campaign and goal back to its line in the plan.
// No `vscode` import: unit-tested in tests/extension.
import type { CampaignResult, GoalResult, Report } from '../runner/report/schema.js';
import { ReportSchema } from '../runner/report/schema.js';
import { renderHtml, renderMessageHtml as renderMessage } from '../runner/report/html.js';
import type { PlanOutline } from './plan-outline.js';

export { contentSecurityPolicy, escapeHtml, goalTarget, VERDICT_TEXT } from '../runner/report/html.js';

export interface ReportViewOptions {
    /** `webview.cspSource`: where the stylesheet may come from. */
    cspSource: string;
    /** A fresh random nonce for this render. */
    nonce: string;
    /** webview URIs of media/report.css and media/report.js. */
    styleUri: string;
    scriptUri: string;
    /** The plan's outline, for lines of campaigns and goals the report does not carry. */
    outline?: PlanOutline;
    /** Shown above the report, e.g. "Report written 14:02". */
    subtitle?: string;
    /** The plan changed since this report was written. */
    stale?: boolean;
    /** The plan's URI, kept in the webview's state so the panel comes back after a reload. */
    planUri?: string;
    /** Restricted Mode: show the report, but offer no links to plan lines and no commands that open files. */
    restricted?: boolean;
}

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

/** The complete HTML document of the report webview. */
export function renderReportHtml(report: Report, options: ReportViewOptions): string {
    const { outline, restricted = false } = options;
    return renderHtml(report, {
        webview: { cspSource: options.cspSource, nonce: options.nonce, styleUri: options.styleUri, scriptUri: options.scriptUri, planUri: options.planUri, actions: !restricted },
        links: restricted ? undefined : { plan: outline?.planLine, campaign: c => planLines(c, outline) },
        subtitle: options.subtitle,
        stale: options.stale
    });
}

/** Shown when a report cannot be read or does not match the schema. */
export function renderMessageHtml(title: string, message: string, options: Pick<ReportViewOptions, 'cspSource' | 'nonce' | 'styleUri' | 'scriptUri'>): string {
    return renderMessage(title, message, options);
}

/**
 * Reads the text of a report.json: a report that matches the report schema, or an Error whose message says what is
 * wrong (not JSON; which fields do not match), to be shown instead of the report.
 */
export function parseReport(text: string, file: string): Report {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new Error(`${file} is not valid JSON (${(error as Error).message}). Run the evaluation again.`);
    }
    const result = ReportSchema.safeParse(json);
    if (result.success) return result.data;
    const issues = result.error.issues.slice(0, 3).map(issue => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    const more = result.error.issues.length > 3 ? `; and ${result.error.issues.length - 3} more` : '';
    throw new Error(`${file} is not an mplan report this version can show: ${issues.join('; ')}${more}. Run the evaluation again.`);
}

/** Goal verdict counts over the whole report, e.g. for the status item: "3 of 5 goals met". */
export function verdictSummary(report: Report): { met: number; total: number; text: string } {
    const goals = report.campaigns.flatMap(c => c.goals);
    const met = goals.filter(g => g.status === 'met').length;
    return { met, total: goals.length, text: `${met} of ${goals.length} goal${goals.length === 1 ? '' : 's'} met` };
}
