// Mangled plans must never crash the checker: every one gets diagnostics with sane ranges and documented codes.
// The plans come from the normative spec files and the examples, mutated by a seeded PRNG so failures replay.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from 'langium/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { codeOf } from '../../src/cli/plan-diagnostics.js';
import { loadDocuments, type LoadedFile } from '../../src/language/load-documents.js';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { DIAGNOSTIC_CODES } from '../../src/language/validation/diagnostic-codes.js';
import { assertBuilt, makeTempDir, removeDir, repoRoot, runCli, specDir, VALID_PLAN } from './helpers.js';
import { prng } from '../../scripts/prng.js';

const SEED = Number(process.env.MPLAN_FUZZ_SEED ?? 20260501);
const COUNT = Number(process.env.MPLAN_FUZZ_COUNT ?? 300);


const KEYWORDS = ['plan', 'objective', 'customers', 'events', 'from', 'key', 'rfm', 'segment', 'channel', 'metric', 'campaign',
    'audience', 'runs', 'to', 'control', 'seed', 'groups', 'goal', 'lift', 'total', 'roi', 'by', 'import', 'and', 'or', 'not',
    'in', 'between', 'sum', 'count', 'any', 'everyone', 'after', 'days', 'budget', 'value', 'attribution', '%', 'pp', '.'];
const PUNCTUATION = ['{', '}', '(', ')', '[', ']', '"', '=', ':', ',', '>=', '<=', '/*', '*/', '//', '-', '\\'];
const UNICODE = ['é', 'ß', '☃', '😀', '\u0301', '\u200b', '\u202e', '\u2028', '\ufeff', '\ud800', '\udfff', '𝔘', '中文', '\u0000', '\u001b'];
const SAMPLES = ['2026-13-45', '0000-00-00', '99999999999999999999', '1e9', '-0', '3.', '.5', '"unterminated', '""', '"a\\"b"',
    'import "fuzz-000.mplan"', 'import "."', 'import "../../../../etc/passwd"', 'metric m = m', 'segment s = s and s'];

type Mutation = (tokens: string[], random: () => number) => string[];

const pick = <T>(items: T[], random: () => number): T => items[Math.floor(random() * items.length)];
const index = (tokens: string[], random: () => number) => Math.floor(random() * Math.max(tokens.length, 1));

const MUTATIONS: Mutation[] = [
    (t, r) => { const i = index(t, r); return [...t.slice(0, i), ...t.slice(i + 1)]; },                         // delete
    (t, r) => { const i = index(t, r); return [...t.slice(0, i + 1), ' ', t[i] ?? '', ...t.slice(i + 1)]; },   // duplicate
    (t, r) => { const c = [...t]; const i = index(c, r); const j = index(c, r); [c[i], c[j]] = [c[j], c[i]]; return c; }, // swap
    (t, r) => { const text = t.join(''); return [text.slice(0, Math.floor(r() * text.length))]; },            // truncate
    (t, r) => insert(t, r, pick(KEYWORDS, r)),
    (t, r) => insert(t, r, pick(PUNCTUATION, r)),
    (t, r) => insert(t, r, pick(UNICODE, r)),
    (t, r) => insert(t, r, pick(SAMPLES, r)),
    (t, r) => insert(t, r, String.fromCharCode(...Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 0x250)))), // random chars
    (t, r) => { const i = index(t, r); const j = Math.min(t.length, i + Math.floor(r() * 40)); return [...t.slice(0, i), ...t.slice(j)]; }, // delete a run
    (t, r) => [t.join('').replace(/\n/g, r() < 0.5 ? '\r\n' : '\r')],                                         // other line endings
    (t) => ['\ufeff', ...t]                                                                                      // byte order mark
];

function insert(tokens: string[], random: () => number, text: string): string[] {
    const i = index(tokens, random);
    return [...tokens.slice(0, i), ' ', text, ' ', ...tokens.slice(i)];
}

/** Tokens with the whitespace between them kept, so joining gives the text back. */
function tokenize(text: string): string[] {
    return text.match(/\s+|"(?:\\.|[^"\\\n])*"?|\/\/[^\n]*|\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?|[A-Za-z_]\w*|>=|<=|!=|[^\s]/g) ?? [];
}

function baseTexts(): string[] {
    const texts = [VALID_PLAN];
    for (const folder of [specDir, path.join(repoRoot, 'examples')]) {
        if (!fs.existsSync(folder)) continue;
        for (const name of fs.readdirSync(folder, { recursive: true }) as string[]) {
            if (name.endsWith('.mplan')) texts.push(fs.readFileSync(path.join(folder, name), 'utf8'));
        }
    }
    return texts;
}

function mangle(bases: string[], random: () => number): string {
    let tokens = tokenize(pick(bases, random));
    const rounds = 1 + Math.floor(random() * 4);
    for (let i = 0; i < rounds; i++) tokens = pick(MUTATIONS, random)(tokens, random);
    return tokens.join('');
}

/** Why a diagnostic's range does not fit its document, or undefined when it does. */
function rangeProblem(d: Diagnostic, lines: string[]): string | undefined {
    const { start, end } = d.range ?? {};
    const values = [start?.line, start?.character, end?.line, end?.character];
    if (!values.every(v => Number.isInteger(v) && (v as number) >= 0)) return `not whole numbers: ${JSON.stringify(d.range)}`;
    if (end!.line < start!.line || (end!.line === start!.line && end!.character < start!.character)) return 'end before start';
    for (const p of [start!, end!]) {
        if (p.line >= lines.length) return `line ${p.line} past the last line ${lines.length - 1}`;
        if (p.character > lines[p.line].length) return `character ${p.character} past the end of line ${p.line}`;
    }
    return undefined;
}

/** Loads plans in one workspace, catching what Langium logs to console.error; a throw names the plan that caused it. */
async function check(files: string[]): Promise<{ loaded: LoadedFile[]; logged: string[] }> {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        const line = args.map(a => (a instanceof Error ? a.message : String(a))).join(' ').split('\n')[0];
        if (!/^\w*Error: /.test(line)) logged.push(line); // skip the bare stack Langium logs after the message
    });
    try {
        return { loaded: await loadDocuments(createMplanServices(NodeFileSystem).Mplan, files), logged };
    } catch (error) {
        if (files.length === 1) throw new Error(`loadDocuments threw on ${files[0]}: ${(error as Error).message}\n--- text ---\n${fs.readFileSync(files[0], 'latin1')}`);
        for (const file of files) await check([file]);
        throw error;
    } finally {
        spy.mockRestore();
    }
}

describe('fuzz: mangled plans', () => {
    let dir: string;
    const texts = new Map<string, string>();

    beforeAll(() => {
        dir = makeTempDir();
        const random = prng(SEED);
        const bases = baseTexts();
        for (let i = 0; i < COUNT; i++) {
            const file = path.join(dir, `fuzz-${String(i).padStart(3, '0')}.mplan`);
            const text = mangle(bases, random);
            fs.writeFileSync(file, text);
            texts.set(file, text);
        }
    });

    afterAll(() => removeDir(dir));

    it(`checks ${COUNT} plans (seed ${SEED}) without exceptions, with valid ranges and documented codes`, async () => {
        const started = Date.now();
        const files = [...texts.keys()];
        const { loaded, logged } = await check(files);
        if (logged.length > 0) {
            // Langium logs (and swallows) exceptions thrown inside validation checks: name the plans that cause them.
            const culprits: string[] = [];
            for (const file of files) {
                if (culprits.length >= 3) break;
                const single = await check([file]);
                if (single.logged.length > 0) culprits.push(`${path.basename(file)}: ${single.logged[0]}\n--- text ---\n${texts.get(file)}\n---`);
            }
            expect.fail(`a validation check threw: ${logged[0]}\n${culprits.join('\n')}`);
        }

        const problems: string[] = [];
        const documented = new Set(Object.keys(DIAGNOSTIC_CODES));
        for (const file of loaded) {
            const text = file.document?.textDocument.getText() ?? '';
            const lines = text.split(/\r\n|\r|\n/);
            const name = path.basename(file.path);
            for (const d of file.diagnostics) {
                const problem = rangeProblem(d, lines);
                if (problem) problems.push(`${name}: range of "${d.message}": ${problem}`);
                if (![1, 2, 3, 4].includes(d.severity ?? 1)) problems.push(`${name}: severity ${d.severity}`);
                if (typeof d.message !== 'string' || d.message.length === 0) problems.push(`${name}: empty message`);
                if (!documented.has(codeOf(d))) problems.push(`${name}: undocumented code ${codeOf(d)} on "${d.message}"`);
            }
            // A plan that does not parse must fail the check, so CI never passes a broken file.
            const result = file.document?.parseResult;
            if (result && (result.lexerErrors.length > 0 || result.parserErrors.length > 0) && !file.diagnostics.some(d => d.severity === 1)) {
                problems.push(`${name}: parse errors but no error diagnostic`);
            }
        }
        expect(problems.slice(0, 20)).toEqual([]);
        expect(Date.now() - started).toBeLessThan(60_000);
    });

    it('the CLI checks the whole folder in one run: JSON output, exit 0 or 1, no stack trace', async () => {
        assertBuilt();
        const result = await runCli(['check', '.', '--format', 'json'], dir);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stderr).not.toMatch(/internal error/);
        expect([0, 1]).toContain(result.code);
        const report = JSON.parse(result.stdout);
        expect(report.files).toHaveLength(COUNT);
        expect(result.code).toBe(report.errors > 0 ? 1 : 0);
    });

    it('the formatter copes too: `fmt --check` over the folder exits 0 or 1, never an internal error', async () => {
        assertBuilt();
        const result = await runCli(['fmt', '--check', '.'], dir);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stderr.split('\n').filter(l => l.includes('internal error')).slice(0, 5)).toEqual([]);
        expect([0, 1]).toContain(result.code);
    });
});
