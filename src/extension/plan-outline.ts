// A light scan of a plan's text for the client: the plan's name, its campaigns with their arms and goals, with line
// numbers.
// The code lenses and the report's links back to the plan use it. It reads tokens the way the grammar does
// (comments, strings, braces) but needs no parser, so it works while the language server is still starting and on
// text with syntax errors elsewhere. No `vscode` import: unit-tested in tests/extension.

export interface OutlineGoal {
    /** 0-based line of the `goal` keyword. */
    line: number;
    /** 0-based position of the goal among its campaign's goals. */
    index: number;
    /** The goal's label (`goal "label": ...`), without quotes. */
    label?: string;
    /** The goal's text on its line, trimmed (for matching a report's description of the goal). */
    text: string;
}

export interface OutlineArm {
    name: string;
    /** 0-based line and character of the `arm` keyword. */
    line: number;
    character: number;
}

export interface OutlineCampaign {
    name: string;
    /** 0-based line and character of the `campaign` keyword. */
    line: number;
    character: number;
    /** 0-based line of the closing brace (or the last line when the block is unclosed). */
    endLine: number;
    /** The arms declared directly in the campaign (`arm NAME [share ...] [label ...] {`), in order. */
    arms: OutlineArm[];
    goals: OutlineGoal[];
}

export interface PlanOutline {
    /** The plan's name (`plan "Name" { ... }`), when the file has a plan block. */
    planName?: string;
    planLine?: number;
    campaigns: OutlineCampaign[];
}

interface Token {
    kind: 'word' | 'string' | 'punct';
    text: string;
    line: number;
    character: number;
}

/** Splits plan text into words, strings and single punctuation characters, skipping whitespace and comments. */
export function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let line = 0;
    let lineStart = 0;
    let i = 0;
    const n = text.length;
    while (i < n) {
        const c = text[i];
        if (c === '\n') {
            line++;
            i++;
            lineStart = i;
            continue;
        }
        if (c === ' ' || c === '\t' || c === '\r') {
            i++;
            continue;
        }
        if (c === '/' && text[i + 1] === '/') {
            while (i < n && text[i] !== '\n') i++;
            continue;
        }
        if (c === '/' && text[i + 1] === '*') {
            i += 2;
            while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
                if (text[i] === '\n') {
                    line++;
                    lineStart = i + 1;
                }
                i++;
            }
            i += 2;
            continue;
        }
        const character = i - lineStart;
        if (c === '"') {
            let j = i + 1;
            while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
            tokens.push({ kind: 'string', text: text.slice(i, Math.min(j + 1, n)), line, character });
            i = Math.min(j + 1, n);
            continue;
        }
        if (/[\w]/.test(c)) {
            let j = i + 1;
            while (j < n && /[\w-]/.test(text[j]) && !(text[j] === '-' && !/\d/.test(c))) j++;
            tokens.push({ kind: 'word', text: text.slice(i, j), line, character });
            i = j;
            continue;
        }
        tokens.push({ kind: 'punct', text: c, line, character });
        i++;
    }
    return tokens;
}

function unquote(text: string): string {
    return text.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
}

/** The plan's outline: campaigns (`campaign NAME {`) and the arms and goals directly inside them. */
export function outlinePlan(text: string): PlanOutline {
    const tokens = tokenize(text);
    const lines = text.split(/\r?\n/);
    const outline: PlanOutline = { campaigns: [] };
    let depth = 0;
    let campaign: OutlineCampaign | undefined;
    let campaignDepth = -1;
    for (let k = 0; k < tokens.length; k++) {
        const token = tokens[k];
        if (token.kind === 'punct') {
            if (token.text === '{') depth++;
            else if (token.text === '}') {
                depth = Math.max(0, depth - 1);
                if (campaign && depth === campaignDepth) {
                    campaign.endLine = token.line;
                    campaign = undefined;
                    campaignDepth = -1;
                }
            }
            continue;
        }
        if (token.kind !== 'word') continue;
        const next = tokens[k + 1];
        const afterNext = tokens[k + 2];
        if (token.text === 'plan' && next?.kind === 'string' && afterNext?.text === '{' && outline.planName === undefined) {
            outline.planName = unquote(next.text);
            outline.planLine = token.line;
        } else if (token.text === 'campaign' && next?.kind === 'word' && afterNext?.text === '{' && !campaign) {
            campaign = { name: next.text, line: token.line, character: token.character, endLine: lines.length - 1, arms: [], goals: [] };
            campaignDepth = depth;
            outline.campaigns.push(campaign);
        } else if (token.text === 'arm' && campaign && depth === campaignDepth + 1 && isStatementStart(tokens, k) && next?.kind === 'word'
            && (afterNext?.text === '{' || afterNext?.text === 'share' || afterNext?.text === 'label')) {
            // `arm NAME` followed by what only an arm declaration has: a segment or column named arm is not one.
            campaign.arms.push({ name: next.text, line: token.line, character: token.character });
        } else if (token.text === 'goal' && campaign && depth === campaignDepth + 1 && isStatementStart(tokens, k)) {
            const label = next?.kind === 'string' && afterNext?.text === ':' ? unquote(next.text) : undefined;
            campaign.goals.push({ line: token.line, index: campaign.goals.length, label, text: (lines[token.line] ?? '').trim() });
        }
    }
    return outline;
}

/** `goal` (or `arm`) begins a statement unless it follows `.` (a column named goal) or `(` (an argument). */
function isStatementStart(tokens: Token[], k: number): boolean {
    const previous = tokens[k - 1];
    return !previous || previous.kind !== 'punct' || previous.text === '{' || previous.text === '}' || previous.text === '%' || previous.text === ')' || previous.text === ']';
}

/** The campaign that contains a 0-based line, if any. */
export function campaignAt(outline: PlanOutline, line: number): OutlineCampaign | undefined {
    return outline.campaigns.find(c => line >= c.line && line <= c.endLine);
}
