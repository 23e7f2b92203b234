// `mplan fmt`: in-process with a stand-in formatter (the command's own logic), and end to end with the language's
// real Formatter once one is registered.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem, type LangiumDocument } from 'langium';
import type { Formatter } from 'langium/lsp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFmt } from '../../src/cli/fmt-command.js';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { assertBuilt, makeTempDir, PEOPLE_CSV, removeDir, runCli, specDir, SYNTAX_ERROR_PLAN, VALID_PLAN } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function tempDir(files: Record<string, string | Buffer>): string {
    const dir = makeTempDir(files);
    temps.push(dir);
    return dir;
}

/** The valid plan with its layout wrecked: odd indentation, runs of spaces, trailing blanks. Strings hold no spaces. */
const MESSY_PLAN = VALID_PLAN.split('\n')
    .map((line, i) => ' '.repeat((i * 5) % 7) + line.trim().replace(/ /g, '   ') + (i % 2 ? '   ' : ''))
    .join('\n');

/** A stand-in for the Formatter (only formatDocument, the one method `mplan fmt` calls): one whole-document edit. */
function fakeFormatter(transform = (text: string) => text.replace(/[ \t]+$/gm, '')): Formatter {
    return {
        formatDocument: (document: LangiumDocument) => {
            const text = document.textDocument.getText();
            const end = document.textDocument.positionAt(text.length);
            return [{ range: { start: { line: 0, character: 0 }, end }, newText: transform(text) }];
        }
    } as unknown as Formatter;
}

/** Runs the command in-process, capturing what it writes. */
async function fmtInProcess(paths: string[], check: boolean, formatter: Formatter = fakeFormatter()) {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
    try {
        const code = await runFmt(paths, { check }, formatter);
        return { code, stdout, stderr };
    } finally {
        vi.restoreAllMocks();
    }
}

describe('mplan fmt (in-process, stand-in formatter)', () => {
    afterEach(() => vi.restoreAllMocks());

    it('--check lists files that would change, writes nothing, exits 1; fmt rewrites; then --check passes', async () => {
        const dir = tempDir({ 'a.mplan': 'plan "a" {   \n  objective growth  \n}\n', 'b.mplan': 'plan "b" {\n  objective growth\n}\n' });
        const a = path.join(dir, 'a.mplan');
        const before = fs.readFileSync(a, 'utf8');

        const check = await fmtInProcess([dir], true);
        expect(check.code).toBe(1);
        expect(check.stdout.trim().split('\n').map(l => path.basename(l))).toEqual(['a.mplan']);
        expect(check.stderr).toMatch(/1 file would be reformatted/);
        expect(fs.readFileSync(a, 'utf8')).toBe(before);

        const write = await fmtInProcess([dir], false);
        expect(write.code).toBe(0);
        expect(fs.readFileSync(a, 'utf8')).toBe('plan "a" {\n  objective growth\n}\n');
        expect(fs.readdirSync(dir).sort()).toEqual(['a.mplan', 'b.mplan']); // no temp files left

        const again = await fmtInProcess([dir], true);
        expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('leaves files with syntax errors alone, reports them, and exits 1', async () => {
        const dir = tempDir({ 'broken.mplan': SYNTAX_ERROR_PLAN + '   \n', 'ok.mplan': 'plan "ok" {   \n}\n' });
        const result = await fmtInProcess([dir], false);
        expect(result.code).toBe(1);
        expect(fs.readFileSync(path.join(dir, 'broken.mplan'), 'utf8')).toBe(SYNTAX_ERROR_PLAN + '   \n');
        expect(fs.readFileSync(path.join(dir, 'ok.mplan'), 'utf8')).toBe('plan "ok" {\n}\n');
        expect(result.stderr).toMatch(/broken\.mplan:3:\d+: error: .* \[syntax-error\]/);
        expect(result.stderr).toMatch(/1 file not formatted/);
    });

    it('reports missing, binary and 10 MB files as unreadable and exits 1', async () => {
        const dir = tempDir({ 'binary.mplan': Buffer.from([1, 0, 2]) });
        fs.writeFileSync(path.join(dir, 'huge.mplan'), Buffer.alloc(10 * 1024 * 1024, 'a'));
        const result = await fmtInProcess([path.join(dir, 'missing.mplan'), dir], false);
        expect(result.code).toBe(1);
        expect(result.stderr.match(/\[file-unreadable\]/g)).toHaveLength(3);
        expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it('refuses to write what the formatter changed beyond layout (a token, a comment): exit 2, files untouched', async () => {
        const text = 'plan "a" { // keep me\n  objective growth\n}\n';
        const dir = tempDir({ 'a.mplan': text });
        const broke = await fmtInProcess([dir], false, fakeFormatter(t => t.replace('{', '{{')));
        expect(broke.code).toBe(2);
        expect(broke.stderr).toMatch(/mplan: internal error: .*a\.mplan: the formatter changed more than the layout/);
        const dropped = await fmtInProcess([dir], false, fakeFormatter(t => t.replace('// keep me', '')));
        expect(dropped.code).toBe(2);
        const renamed = await fmtInProcess([dir], false, fakeFormatter(t => t.replace('growth', 'retention')));
        expect(renamed.code).toBe(2);
        expect(fs.readFileSync(path.join(dir, 'a.mplan'), 'utf8')).toBe(text);
        // Whitespace inside a comment is layout.
        const spaced = await fmtInProcess([dir], false, fakeFormatter(t => t.replace('// keep me', '//   keep   me').replace('  objective', '    objective')));
        expect(spaced.code).toBe(0);
    });

    it('exits 2 for a folder without plans', async () => {
        const result = await fmtInProcess([tempDir({ 'x.txt': '' })], false);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/no \.mplan files found/);
    });
});

// The real CLI with the language's Formatter (src/language/lsp/formatter.ts, registered in lspModule).
describe('mplan fmt (the real CLI and Formatter)', () => {
    let dir: string;

    beforeAll(() => {
        assertBuilt();
        dir = tempDir({
            'messy.mplan': MESSY_PLAN,
            'people.csv': PEOPLE_CSV,
            'broken.mplan': SYNTAX_ERROR_PLAN,
            'winback.mplan': fs.readFileSync(path.join(specDir, 'winback.mplan'), 'utf8'),
            'not-smart.mplan': fs.readFileSync(path.join(specDir, 'not-smart.mplan'), 'utf8')
        });
    });

    it('formats a messy plan; --check then passes and a second fmt changes nothing', async () => {
        const file = path.join(dir, 'messy.mplan');
        const checkBefore = await runCli(['fmt', '--check', 'messy.mplan'], dir);
        expect(checkBefore.code).toBe(1);
        expect(checkBefore.stdout).toBe('messy.mplan\n');
        expect(fs.readFileSync(file, 'utf8')).toBe(MESSY_PLAN);

        const write = await runCli(['fmt', 'messy.mplan'], dir);
        expect(write.stderr).toBe('');
        expect(write.code).toBe(0);
        const formatted = fs.readFileSync(file, 'utf8');
        expect(formatted).not.toBe(MESSY_PLAN);

        const checkAfter = await runCli(['fmt', '--check', 'messy.mplan'], dir);
        expect(checkAfter).toMatchObject({ code: 0, stdout: '' });
        await runCli(['fmt', 'messy.mplan'], dir);
        expect(fs.readFileSync(file, 'utf8')).toBe(formatted); // idempotent

        // Formatting changes layout only: the plan checks exactly as before (the valid plan: no diagnostics).
        const check = await runCli(['check', 'messy.mplan', '--format', 'json'], dir);
        expect(JSON.parse(check.stdout).files[0].diagnostics).toEqual([]);
    });

    it('keeps what the spec plans mean: the same diagnostic codes after formatting, and idempotent', async () => {
        const codes = async () => {
            const result = await runCli(['check', 'winback.mplan', 'not-smart.mplan', '--format', 'json'], dir);
            return JSON.parse(result.stdout).files.map((f: { diagnostics: Array<{ code: string }> }) => f.diagnostics.map(d => d.code).sort());
        };
        const before = await codes();
        expect((await runCli(['fmt', 'winback.mplan', 'not-smart.mplan'], dir)).code).toBe(0);
        expect(await codes()).toEqual(before);
        expect((await runCli(['fmt', '--check', 'winback.mplan', 'not-smart.mplan'], dir)).code).toBe(0);
    });

    it('does not format a file with syntax errors', async () => {
        const result = await runCli(['fmt', 'broken.mplan'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/\[syntax-error\]/);
        expect(fs.readFileSync(path.join(dir, 'broken.mplan'), 'utf8')).toBe(SYNTAX_ERROR_PLAN);
    });
});

