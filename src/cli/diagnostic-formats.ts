// The output formats of `mplan check`: text for people, JSON for scripts, GitHub annotations and SARIF for CI.
import { DIAGNOSTIC_CODES } from '../language/validation/diagnostic-codes.js';
import type { FileReport, PlanDiagnostic, Severity, Totals } from './plan-diagnostics.js';
import { totalsOf } from './plan-diagnostics.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/** Where SARIF viewers send people to read about mplan's rules. */
export const MPLAN_INFORMATION_URI = 'https://www.npmjs.com/package/mplan';

export interface FormatOptions {
    /** ANSI colours, for text on a terminal only. */
    color?: boolean;
    /** The tool version written into SARIF. */
    version?: string;
}

export function formatReport(format: OutputFormat, files: FileReport[], options: FormatOptions = {}): string {
    switch (format) {
        case 'text': return formatText(files, options.color ?? false);
        case 'json': return formatJson(files);
        case 'github': return formatGithub(files);
        case 'sarif': return formatSarif(files, options.version);
    }
}

// ---------------------------------------------------------------- text

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m' };
const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };

/** Colour only for a terminal; NO_COLOR and FORCE_COLOR override (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.NO_COLOR) return false;
    if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
    return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Control characters (a stray ESC in a binary-ish file) shown as \uXXXX, so they cannot drive the terminal. */
function visible(text: string): string {
    return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function plural(count: number, word: string): string {
    return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function summaryLine(totals: Totals): string {
    return `${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')} in ${plural(totals.files, 'file')}`;
}

/** `path:line:col: severity: message [code]`, one line per diagnostic, then the summary. */
export function formatText(files: FileReport[], color = false): string {
    return [...diagnosticLines(files, color), summaryLine(totalsOf(files))].join('\n') + '\n';
}

/** One line per diagnostic; multi-line parser messages are folded onto it, so each line stands alone for grep. */
export function diagnosticLines(files: FileReport[], color = false): string[] {
    const paint = (code: string, text: string) => (color ? `${code}${text}${ANSI.reset}` : text);
    const lines: string[] = [];
    for (const file of files) {
        for (const d of file.diagnostics) {
            const message = visible(d.message.replace(/\s*\r?\n\s*/g, ' ').trim());
            lines.push(`${paint(ANSI.bold, `${visible(file.path)}:${d.line}:${d.column}`)}: ${paint(SEVERITY_COLOR[d.severity], d.severity)}: ${message} ${paint(ANSI.dim, `[${d.code}]`)}`);
        }
    }
    return lines;
}

// ---------------------------------------------------------------- json

export function formatJson(files: FileReport[]): string {
    const totals = totalsOf(files);
    const body = {
        files: files.map(f => ({ path: f.path, diagnostics: f.diagnostics.map(jsonDiagnostic) })),
        errors: totals.errors,
        warnings: totals.warnings
    };
    return JSON.stringify(body, null, 2) + '\n';
}

function jsonDiagnostic(d: PlanDiagnostic) {
    return { severity: d.severity, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, code: d.code, message: d.message };
}

// ---------------------------------------------------------------- github

// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions: messages escape %, CR and LF;
// property values also escape : and , (they separate properties).
export function escapeGithubData(text: string): string {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeGithubProperty(text: string): string {
    return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(files: FileReport[]): string {
    const lines: string[] = [];
    for (const file of files) {
        for (const d of file.diagnostics) {
            const properties = [
                `file=${escapeGithubProperty(file.path)}`,
                `line=${d.line}`,
                `col=${d.column}`,
                `endLine=${d.endLine}`,
                `endColumn=${d.endColumn}`,
                `title=${escapeGithubProperty(d.code)}`
            ].join(',');
            lines.push(`::${GITHUB_COMMAND[d.severity]} ${properties}::${escapeGithubData(d.message)}`);
        }
    }
    // A plain line is just log output for Actions; it tells the reader what was checked.
    lines.push(summaryLine(totalsOf(files)));
    return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- sarif

/** A relative URI reference: spaces and the like escaped, and ? and # too (they would start a query or fragment). */
function sarifUri(relativePath: string): string {
    return encodeURI(relativePath).replace(/[?#]/g, c => encodeURIComponent(c));
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(files: FileReport[], version?: string): string {
    const rules: Array<{ id: string; shortDescription: { text: string } }> = Object.entries(DIAGNOSTIC_CODES)
        .map(([id, text]) => ({ id, shortDescription: { text } }));
    const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
    const results = [];
    for (const file of files) {
        for (const d of file.diagnostics) {
            // A code outside the list (from a newer or older validator) still gets a rule, so ruleIndex stays valid.
            if (!ruleIndex.has(d.code)) {
                ruleIndex.set(d.code, rules.length);
                rules.push({ id: d.code, shortDescription: { text: d.code } });
            }
            results.push({
                ruleId: d.code,
                ruleIndex: ruleIndex.get(d.code),
                level: SARIF_LEVEL[d.severity],
                message: { text: d.message },
                locations: [{
                    physicalLocation: {
                        artifactLocation: { uri: sarifUri(file.path) },
                        region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn }
                    }
                }]
            });
        }
    }
    const sarif = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [{
            tool: {
                driver: {
                    name: 'mplan',
                    ...(version ? { version } : {}),
                    informationUri: MPLAN_INFORMATION_URI,
                    rules
                }
            },
            artifacts: files.map(f => ({ location: { uri: sarifUri(f.path) } })),
            results
        }]
    };
    return JSON.stringify(sarif, null, 2) + '\n';
}
