// Shared helpers for the language tests: build a document from text (in memory, or on disk through NodeFileSystem),
// and find diagnostics by their stable code, severity and (1-based) line.
import type { LangiumDocument } from 'langium';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { expect } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Model } from '../../src/language/generated/ast.js';
import { createMplanServices } from '../../src/language/mplan-module.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
const SEVERITY: Record<Severity, number> = { error: 1, warning: 2, info: 3, hint: 4 };

/** In-memory services: the `memory:` scheme keeps the file checks (data files, imports) off the real disk. */
const services = createMplanServices(EmptyFileSystem);
const parse = parseHelper<Model>(services.Mplan);
let counter = 0;

export interface Result {
    document: LangiumDocument<Model>;
    model: Model;
    diagnostics: Diagnostic[];
    text: string;
}

/** Parses, links and (unless told otherwise) validates a document held in memory. */
export async function check(text: string, options: { validation?: boolean; uri?: string } = {}): Promise<Result> {
    const document = await parse(text, {
        documentUri: options.uri ?? `memory:///test/doc${++counter}.mplan`,
        validation: options.validation ?? true
    });
    return { document, model: document.parseResult.value, diagnostics: document.diagnostics ?? [], text };
}

/** 1-based line of the first line that contains `needle` (after `from`, if given). */
export function lineOf(text: string, needle: string, from?: string): number {
    const lines = text.split('\n');
    let start = 0;
    if (from !== undefined) {
        start = lines.findIndex(l => l.includes(from));
        if (start < 0) throw new Error(`no line contains ${JSON.stringify(from)}`);
    }
    const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
    if (index < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
    return index + 1;
}

export function withCode(result: { diagnostics: Diagnostic[] }, code: string): Diagnostic[] {
    return result.diagnostics.filter(d => d.code === code);
}

export function describeDiagnostics(diagnostics: Diagnostic[]): string {
    return diagnostics.map(d => `${d.range.start.line + 1}:${d.severity} [${d.code}] ${d.message}`).join('\n');
}

/**
 * Expects a diagnostic with `code`, of `severity`, starting on line `line` (1-based; a string is looked up with lineOf),
 * whose message matches `message` when given. Returns the matching diagnostics.
 */
export function expectCode(
    result: Result,
    code: string,
    severity: Severity,
    line: number | string,
    message?: RegExp | string
): Diagnostic[] {
    const wantedLine = typeof line === 'number' ? line : lineOf(result.text, line);
    const found = result.diagnostics.filter(d =>
        d.code === code &&
        d.severity === SEVERITY[severity] &&
        d.range.start.line + 1 === wantedLine &&
        (message === undefined || (typeof message === 'string' ? d.message.includes(message) : message.test(d.message))));
    expect(found.length, `expected ${severity} [${code}] on line ${wantedLine}${message ? ` matching ${message}` : ''}; got:\n${describeDiagnostics(result.diagnostics)}`).toBeGreaterThan(0);
    // The validator's codes travel in data.code too (code actions read it); parser errors keep Langium's own data.code.
    const dataCodes = code === 'syntax-error' ? ['parsing-error', 'lexing-error'] : [code];
    for (const d of found) expect(dataCodes, 'data.code carries the code').toContain((d.data as { code?: string } | undefined)?.code);
    return found;
}

/** Expects no diagnostic with `code` at all. */
export function expectNoCode(result: Result, code: string): void {
    expect(withCode(result, code).map(d => `${d.range.start.line + 1}: ${d.message}`), `unexpected [${code}]`).toEqual([]);
}

/** Expects no errors or warnings (info and hints allowed). */
export function expectClean(result: Result): void {
    expect(describeDiagnostics(result.diagnostics.filter(d => d.severity === 1 || d.severity === 2))).toBe('');
}

/** The sources, RFM model, channels and metrics most tests build on, inside an open plan block. */
export const HEADER = `plan "Test" {
  objective retention
  customers shoppers from "customers.csv" key customer_id {
    region: text
    age: number
    joined: date
    opted_in: boolean
    visit: number
    spend: number
    cohort: text
  }
  events orders from "orders.csv" customer customer_id time ordered_at {
    amount: number
    sku: text
    shipped: date
  }
  rfm value from orders {
    monetary amount
  }
  segment loyal = value.f >= 4
  channel email cost 0.10 per contact
  channel sms cost 0.05 per contact
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  metric orders_n = count(orders)
  metric basket = sum(orders.amount) / count(orders)
  metric avg_amount = mean(orders.amount)
  metric visit_rate = shoppers.visit
  metric spend = shoppers.spend
  metric opted = shoppers.opted_in
`;

/** A plan of HEADER plus `body`, closed. */
export function plan(body: string): string {
    return `${HEADER}${body}\n}\n`;
}

/** A campaign with a valid default for every required statement; `statements` are added, `omit` drops defaults. */
export function campaign(name: string, statements: string, options: { omit?: Array<'audience' | 'channel' | 'runs' | 'control'> } = {}): string {
    const omit = new Set(options.omit ?? []);
    const lines = [
        omit.has('audience') ? '' : '    audience everyone',
        omit.has('channel') ? '' : '    channel email',
        omit.has('runs') ? '' : '    runs 2026-05-01 to 2026-05-31',
        omit.has('control') ? '' : `    control 10% seed "${name}"`,
        statements
    ].filter(l => l.length > 0);
    return `  campaign ${name} {\n${lines.join('\n')}\n  }`;
}

/** Parses (and links, without validation) text that must follow the grammar; fails on any lexer or parser error. */
export async function parseOk(text: string): Promise<Model> {
    const result = await check(text, { validation: false });
    const errors = [...result.document.parseResult.lexerErrors, ...result.document.parseResult.parserErrors].map(e => e.message);
    expect(errors, `syntax errors in:\n${text}`).toEqual([]);
    return result.model;
}

/** The syntax errors (lexer and parser) of a text. */
export async function syntaxErrors(text: string): Promise<string[]> {
    const result = await check(text, { validation: false });
    return [...result.document.parseResult.lexerErrors, ...result.document.parseResult.parserErrors].map(e => e.message);
}
