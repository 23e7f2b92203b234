// The CLI's building blocks in-process: diagnostic conversion, the output formats' escaping, file collection,
// the console guard and the atomic write.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { writeFileAtomic } from '../../src/cli/atomic-write.js';
import { collectPlanFiles, notAPlanFile } from '../../src/cli/collect-files.js';
import { withConsoleGuard } from '../../src/cli/console-guard.js';
import { escapeGithubData, escapeGithubProperty, formatGithub, formatJson, formatSarif, formatText } from '../../src/cli/diagnostic-formats.js';
import { codeOf, severityOf, toFileReport, toPlanDiagnostic } from '../../src/cli/plan-diagnostics.js';
import { makeTempDir, removeDir } from './helpers.js';
import { CommandFailure, UsageError, runCommand } from '../../src/cli/runner-support.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function diagnostic(overrides: Partial<Diagnostic> = {}): Diagnostic {
    return { severity: 1, range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } }, message: 'Boom.', code: 'x-code', ...overrides };
}

describe('plan diagnostics', () => {
    it('maps LSP severities: 1 error, 2 warning, 3 and 4 info, none error', () => {
        expect([1, 2, 3, 4, undefined].map(s => severityOf(diagnostic({ severity: s as 1 })))).toEqual(['error', 'warning', 'info', 'info', 'error']);
    });

    it('takes the code from code, then data.code, else syntax-error; Langium built-in codes map to ours', () => {
        expect(codeOf(diagnostic({ code: 'goal-no-deadline' }))).toBe('goal-no-deadline');
        expect(codeOf(diagnostic({ code: undefined, data: { code: 'campaign-overlap' } }))).toBe('campaign-overlap');
        expect(codeOf(diagnostic({ code: undefined, data: { code: 'parsing-error' } }))).toBe('syntax-error');
        expect(codeOf(diagnostic({ code: undefined, data: { code: 'linking-error' } }))).toBe('unresolved-reference');
        expect(codeOf(diagnostic({ code: undefined }))).toBe('syntax-error');
        expect(codeOf(diagnostic({ code: undefined, message: 'An error occurred during validation: x' }))).toBe('internal-error');
    });

    it('converts to 1-based positions, the end just after the last character', () => {
        expect(toPlanDiagnostic(diagnostic())).toEqual({ severity: 'error', line: 3, column: 5, endLine: 3, endColumn: 10, code: 'x-code', message: 'Boom.' });
    });

    it('repairs broken ranges (NaN after parser recovery, an end before the start)', () => {
        const nan = toPlanDiagnostic(diagnostic({ range: { start: { line: NaN, character: NaN }, end: { line: NaN, character: NaN } } }));
        expect([nan.line, nan.column, nan.endLine, nan.endColumn]).toEqual([1, 1, 1, 1]);
        const reversed = toPlanDiagnostic(diagnostic({ range: { start: { line: 5, character: 3 }, end: { line: 1, character: 0 } } }));
        expect([reversed.line, reversed.column, reversed.endLine, reversed.endColumn]).toEqual([6, 4, 6, 4]);
    });

    it('sorts a file\'s diagnostics by position and prints paths relative to the working folder', () => {
        const report = toFileReport('/work/plans/a.mplan', [
            diagnostic({ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 1 } } }),
            diagnostic({ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 8 } } })
        ], '/work');
        expect(report.path).toBe('plans/a.mplan');
        expect(report.diagnostics.map(d => d.line)).toEqual([2, 10]);
    });
});

describe('output formats', () => {
    const files = [
        toFileReport('/w/a, b.mplan', [diagnostic({ message: '100% sure:\r\nline two', code: 'c:1' })], '/w'),
        toFileReport('/w/ok.mplan', [], '/w'),
        toFileReport('/w/sp ace#1.mplan', [diagnostic({ severity: 3, code: 'brand-new-code' })], '/w')
    ];

    it('escapes GitHub messages (%, CR, LF) and properties (also : and ,)', () => {
        expect(escapeGithubData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
        expect(escapeGithubProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
        const lines = formatGithub(files).trimEnd().split('\n');
        expect(lines[0]).toBe('::error file=a%2C b.mplan,line=3,col=5,endLine=3,endColumn=10,title=c%3A1::100%25 sure:%0D%0Aline two');
        expect(lines[1]).toMatch(/^::notice file=sp ace#1\.mplan,/);
        expect(lines[2]).toBe('1 error, 0 warnings in 3 files');
    });

    it('text folds multi-line messages and counts with the right plurals', () => {
        expect(formatText(files)).toBe(
            'a, b.mplan:3:5: error: 100% sure: line two [c:1]\n' +
            'sp ace#1.mplan:3:5: info: Boom. [brand-new-code]\n' +
            '1 error, 0 warnings in 3 files\n');
    });

    it('json keeps messages as they are and counts errors and warnings', () => {
        const json = JSON.parse(formatJson(files));
        expect(json.files[0].diagnostics[0].message).toBe('100% sure:\r\nline two');
        expect(json.files[2].diagnostics[0].severity).toBe('info');
        expect([json.errors, json.warnings]).toEqual([1, 0]);
    });

    it('sarif adds a rule for an unknown code, uses note for info, and escapes artifact URIs', () => {
        const sarif = JSON.parse(formatSarif(files, '1.2.3'));
        const driver = sarif.runs[0].tool.driver;
        expect(driver.version).toBe('1.2.3');
        const result = sarif.runs[0].results[1];
        expect(result.level).toBe('note');
        expect(driver.rules[result.ruleIndex]).toEqual({ id: 'brand-new-code', shortDescription: { text: 'brand-new-code' } });
        expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('sp%20ace%231.mplan');
    });
});

describe('collectPlanFiles', () => {
    it('keeps named files (even missing ones), expands folders sorted, and reports folders without plans', () => {
        const dir = makeTempDir({ 'b.mplan': '', 'a/z.mplan': '', 'a/y.MPLAN': '', 'a/node_modules/n.mplan': '', 'a/.cache/c.mplan': '', 'empty/x.txt': '' });
        temps.push(dir);
        fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a', 'loop'));
        const { files, folderProblems } = collectPlanFiles(['missing.mplan', 'a', 'b.mplan', 'a/z.mplan', 'empty'], dir);
        expect(files.map(f => path.relative(dir, f))).toEqual(['missing.mplan', 'a/z.mplan', 'b.mplan']);
        expect(folderProblems).toEqual(['no .mplan files found in empty']);
    });

    it('tells a named file that exists under another extension from a missing one', () => {
        const dir = makeTempDir({ 'data.csv': 'a,b', 'plan.mplan': '' });
        temps.push(dir);
        expect(notAPlanFile(path.join(dir, 'data.csv'))).toMatch(/Not a plan file/);
        expect(notAPlanFile(path.join(dir, 'plan.mplan'))).toBeUndefined();
        expect(notAPlanFile(path.join(dir, 'missing.csv'))).toBeUndefined(); // reported as not found instead
    });
});

describe('withConsoleGuard', () => {
    it('turns console.error output (a crashing validation check) into one line per problem, without stacks', async () => {
        const error = new Error('check exploded');
        const { value, internalErrors } = await withConsoleGuard(async () => {
            console.error('An error occurred during validation:', error);
            console.error(error.stack);
            return 42;
        });
        expect(value).toBe(42);
        expect(internalErrors).toEqual(['An error occurred during validation: check exploded']);
    });

    it('restores the console when the work throws', async () => {
        const before = console.error;
        await expect(withConsoleGuard(async () => { throw new Error('x'); })).rejects.toThrow('x');
        expect(console.error).toBe(before);
    });
});

describe('writeFileAtomic', () => {
    it('replaces the content, keeps the mode, writes through symlinks, and leaves no temp file', () => {
        const dir = makeTempDir({ 'plan.mplan': 'old' });
        temps.push(dir);
        const file = path.join(dir, 'plan.mplan');
        fs.chmodSync(file, 0o640);
        fs.symlinkSync(file, path.join(dir, 'link.mplan'));
        writeFileAtomic(path.join(dir, 'link.mplan'), 'new');
        expect(fs.readFileSync(file, 'utf8')).toBe('new');
        expect(fs.lstatSync(path.join(dir, 'link.mplan')).isSymbolicLink()).toBe(true);
        expect(fs.statSync(file).mode & 0o777).toBe(0o640);
        expect(fs.readdirSync(dir).sort()).toEqual(['link.mplan', 'plan.mplan']);
    });

    it('leaves the original untouched and no temp file when writing fails', () => {
        const dir = makeTempDir({ 'plan.mplan': 'old' });
        temps.push(dir);
        expect(() => writeFileAtomic(path.join(dir, 'no-such-folder', 'plan.mplan'), 'new')).toThrow();
        expect(fs.readdirSync(dir)).toEqual(['plan.mplan']);
    });
});

describe('runCommand (run and audience)', () => {
    async function failWith(error: unknown, env: Record<string, string | undefined> = {}): Promise<{ stderr: string; exitCode: number | undefined }> {
        const written: string[] = [];
        const write = process.stderr.write;
        const saved = { exitCode: process.exitCode, debug: process.env.MPLAN_DEBUG };
        process.env.MPLAN_DEBUG = env.MPLAN_DEBUG;
        if (env.MPLAN_DEBUG === undefined) delete process.env.MPLAN_DEBUG;
        process.stderr.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stderr.write;
        try {
            await runCommand('run', async () => { throw error; });
            return { stderr: written.join(''), exitCode: process.exitCode as number | undefined };
        } finally {
            process.stderr.write = write;
            process.exitCode = saved.exitCode;
            if (saved.debug === undefined) delete process.env.MPLAN_DEBUG; else process.env.MPLAN_DEBUG = saved.debug;
        }
    }

    it('an internal failure is one line and exit 2, without a stack unless MPLAN_DEBUG=1', async () => {
        const plain = await failWith(new Error('boom'));
        expect(plain.stderr).toBe('mplan run: internal error: boom\n');
        expect(plain.exitCode).toBe(2);
        const debug = await failWith(new Error('boom'), { MPLAN_DEBUG: '1' });
        expect(debug.stderr).toMatch(/^mplan run: internal error: Error: boom\n\s+at /);
    });

    it('a usage error is exit 2 and a data or plan problem exit 1, each with its message', async () => {
        const usage = await failWith(new UsageError('--as-of needs a date'));
        expect(usage).toEqual({ stderr: 'mplan run: --as-of needs a date\n', exitCode: 2 });
        const failure = await failWith(new CommandFailure('the plan has errors', 1));
        expect(failure).toEqual({ stderr: 'the plan has errors\n', exitCode: 1 });
    });
});
