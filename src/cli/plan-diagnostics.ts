// Turns the language's LSP diagnostics into the flat, 1-based records every output format of `mplan check` prints.
import type { Diagnostic } from 'vscode-languageserver-types';
import { displayPath } from '../language/display-path.js';

export type Severity = 'error' | 'warning' | 'info';

export interface PlanDiagnostic {
    severity: Severity;
    /** 1-based, like editors and GitHub show them. */
    line: number;
    column: number;
    endLine: number;
    /** 1-based column just after the last character (equal to `column` for an empty range). */
    endColumn: number;
    code: string;
    message: string;
}

export interface FileReport {
    /** Relative to the working folder, with forward slashes (what SARIF and GitHub expect). */
    path: string;
    diagnostics: PlanDiagnostic[];
}

export interface Totals {
    errors: number;
    warnings: number;
    infos: number;
    files: number;
}

// Langium's own codes for diagnostics the mplan validator has not re-labelled.
const LANGIUM_CODES: Record<string, string> = {
    'lexing-error': 'syntax-error',
    'parsing-error': 'syntax-error',
    'linking-error': 'unresolved-reference'
};

/** LSP severities: 1 error, 2 warning, 3 information, 4 hint. A diagnostic without one is an error (the LSP default). */
export function severityOf(diagnostic: Diagnostic): Severity {
    switch (diagnostic.severity) {
        case 2: return 'warning';
        case 3:
        case 4: return 'info';
        default: return 'error';
    }
}

export function codeOf(diagnostic: Diagnostic): string {
    if (typeof diagnostic.code === 'string' && diagnostic.code) return LANGIUM_CODES[diagnostic.code] ?? diagnostic.code;
    if (typeof diagnostic.code === 'number') return String(diagnostic.code);
    const dataCode = (diagnostic.data as { code?: unknown } | undefined)?.code;
    if (typeof dataCode === 'string' && dataCode) return LANGIUM_CODES[dataCode] ?? dataCode;
    // Langium turns an exception inside a validation check into a codeless error with this wording: not the plan's fault.
    if (/^An error occurred (during|in) /.test(diagnostic.message ?? '')) return 'internal-error';
    return 'syntax-error';
}

/** A position component as a 1-based number; a missing or broken one (NaN after parser recovery) becomes 1. */
function oneBased(value: number | undefined): number {
    return Number.isFinite(value) && (value as number) >= 0 ? Math.floor(value as number) + 1 : 1;
}

export function toPlanDiagnostic(diagnostic: Diagnostic): PlanDiagnostic {
    const start = diagnostic.range?.start;
    const end = diagnostic.range?.end;
    const line = oneBased(start?.line);
    const column = oneBased(start?.character);
    let endLine = oneBased(end?.line);
    let endColumn = oneBased(end?.character);
    // Keep the end at or after the start, whatever the producer sent.
    if (endLine < line || (endLine === line && endColumn < column)) {
        endLine = line;
        endColumn = column;
    }
    return {
        severity: severityOf(diagnostic),
        line,
        column,
        endLine,
        endColumn,
        code: codeOf(diagnostic),
        message: typeof diagnostic.message === 'string' ? diagnostic.message : String(diagnostic.message)
    };
}

export function toFileReport(absolute: string, diagnostics: Diagnostic[], cwd?: string): FileReport {
    const converted = diagnostics.map(toPlanDiagnostic);
    converted.sort((a, b) => a.line - b.line || a.column - b.column);
    return { path: displayPath(absolute, cwd), diagnostics: converted };
}

export function totalsOf(files: FileReport[]): Totals {
    const totals: Totals = { errors: 0, warnings: 0, infos: 0, files: files.length };
    for (const file of files) {
        for (const d of file.diagnostics) {
            if (d.severity === 'error') totals.errors++;
            else if (d.severity === 'warning') totals.warnings++;
            else totals.infos++;
        }
    }
    return totals;
}
