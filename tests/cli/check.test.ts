// `mplan check` end to end: the real binary, real files, every output format and exit code.
// Each CLI start costs about half a second, so the runs start together in beforeAll and the tests share them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/language/validation/diagnostic-codes.js';
import {
    assertBuilt, type CliResult, makeTempDir, runCliClosingStdout, NO_DEADLINE_PLAN, PEOPLE_CSV, removeDir, runCli, specDir, SYNTAX_ERROR_PLAN,
    UNRESOLVED_PLAN, VALID_PLAN
} from './helpers.js';

interface JsonDiagnostic {
    severity: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    code: string;
    message: string;
}

interface JsonReport {
    files: Array<{ path: string; diagnostics: JsonDiagnostic[] }>;
    errors: number;
    warnings: number;
}

/** Found by the fuzz test: an attribution window of 1e20 days once threw "Invalid time value" inside a check. */
const HUGE_NUMBERS_PLAN = `plan "Huge numbers" {
  objective activation
  customers signups from "people.csv" key account_id {
    app_installed: boolean
  }
  events purchases from "orders.csv" customer account_id time purchased_at {
    amount: number
  }
  channel email cost 0.02 per contact
  metric activated = any(purchases)
  campaign welcome_email {
    audience signups.app_installed
    channel email after 99999999999999999999 days
    runs 2026-09-07 to 9999-12-31
    control 15% seed "welcome-2026"
    attribution 99999999999999999999 days
    budget 99999999999999999999
    goal lift(activated) >= 99999999999999999999 pp by 2026-10-31
  }
}
`;

let dir: string;
let runs: Record<string, Promise<CliResult>>;

/** Valid, broken and missing files together: what most format tests look at. */
const MIXED = ['valid.mplan', 'unresolved.mplan', 'syntax.mplan', 'deadline.mplan', 'missing.mplan', 'tree/sub/b.mplan', 'bad/truncated.mplan', 'bad/garbage.mplan'];

beforeAll(() => {
    assertBuilt();
    dir = makeTempDir({
        'valid.mplan': VALID_PLAN,
        'people.csv': PEOPLE_CSV,
        'unresolved.mplan': UNRESOLVED_PLAN,
        'syntax.mplan': SYNTAX_ERROR_PLAN,
        // Misspelt keywords: one error each, with the keyword meant, and nothing else.
        'typo/typo.mplan': VALID_PLAN.replace('objective retention', 'objective retension').replace('campaign welcome', 'campain welcome'),
        'typo/people.csv': PEOPLE_CSV,
        'deadline.mplan': NO_DEADLINE_PLAN,
        // A tree for folder search.
        'tree/a.mplan': VALID_PLAN,
        'tree/people.csv': PEOPLE_CSV,
        'tree/sub/b.mplan': UNRESOLVED_PLAN,
        'tree/sub/people.csv': PEOPLE_CSV,
        'tree/sub/notes.txt': 'not a plan',
        'tree/node_modules/dep/c.mplan': 'this is not { a plan',
        'tree/.git/d.mplan': 'this is not { a plan',
        'tree/.hidden.mplan': 'this is not { a plan',
        'noplans/readme.txt': 'nothing here',
        // Files that are not plans at all.
        'bad/empty.mplan': '',
        'bad/binary.mplan': Buffer.from([0x70, 0x6c, 0x61, 0x6e, 0x00, 0xff, 0xfe, 0x00, 0x01]),
        'bad/garbage.mplan': 'plan "x" {{{ }}} \u001b[31m ☃ 𝔘 \uFFFD "unterminated\n}}}}',
        // Numbers far beyond any calendar.
        'numbers/huge.mplan': HUGE_NUMBERS_PLAN,
        // Over a megabyte of diagnostics, more than a pipe holds.
        'noisy/many-errors.mplan': '#\n'.repeat(20000),
        'bad/truncated.mplan': VALID_PLAN.slice(0, VALID_PLAN.indexOf('campaign') + 12),
        // Imports of files that are not plans.
        'imports/csv.mplan': 'import "../people.csv"\n' + VALID_PLAN.replace('"people.csv"', '"../people.csv"'),
        'imports/folder.mplan': 'import "."\n' + VALID_PLAN.replace('"people.csv"', '"../people.csv"'),
        'imports/upper.mplan': 'import "Other.MPLAN"\n' + VALID_PLAN.replace('"people.csv"', '"../people.csv"'),
        'imports/Other.MPLAN': VALID_PLAN
    });
    // 10 MB: above the 5 MB limit, so it is refused before parsing.
    fs.writeFileSync(path.join(dir, 'bad', 'huge.mplan'), Buffer.alloc(10 * 1024 * 1024, 'a'));

    runs = {
        valid: runCli(['check', 'valid.mplan'], dir),
        text: runCli(['check', ...MIXED], dir),
        json: runCli(['check', ...MIXED, '--format', 'json'], dir),
        github: runCli(['check', ...MIXED, '--format', 'github'], dir),
        sarif: runCli(['check', ...MIXED, '--format', 'sarif'], dir),
        color: runCli(['check', 'unresolved.mplan'], dir, { NO_COLOR: '', FORCE_COLOR: '1' }),
        badFormat: runCli(['check', 'valid.mplan', '--format', 'xml'], dir),
        noPlans: runCli(['check', 'noplans'], dir),
        treeAndSpec: runCli(['check', 'tree', specDir, '--format', 'json'], dir),
        noArgs: runCli(['check', '--format', 'json'], path.join(dir, 'tree')),
        badFiles: runCli(['check', 'bad', 'bad/nope.mplan', 'people.csv', '--format', 'json'], dir),
        badImports: runCli(['check', 'imports', '--format', 'json'], dir),
        closedPipe: runCliClosingStdout(['check', 'noisy'], dir),
        hugeNumbers: runCli(['check', 'numbers/huge.mplan', '--format', 'json'], dir),
        typo: runCli(['check', 'typo/typo.mplan', '--format', 'json'], dir)
    };
    // Keep an early failure from surfacing as an unhandled rejection before its test awaits it.
    for (const run of Object.values(runs)) run.catch(() => undefined);
});

afterAll(() => removeDir(dir));

function parseJson(stdout: string): JsonReport {
    return JSON.parse(stdout) as JsonReport;
}

function byName(report: JsonReport): Map<string, JsonDiagnostic[]> {
    return new Map(report.files.map(f => [path.basename(f.path), f.diagnostics]));
}

describe('mplan check: misspelt keywords', () => {
    it('says which keyword was meant, once per misspelling, and nothing else', async () => {
        const result = await runs.typo;
        expect(result.code).toBe(1);
        const [file] = parseJson(result.stdout).files;
        expect(file.diagnostics).toEqual([
            { severity: 'error', line: 2, column: 13, endLine: 2, endColumn: 22, code: 'syntax-error', message: expect.stringMatching(/^Unexpected `retension`: did you mean `retention`\?/) },
            { severity: 'error', line: 8, column: 3, endLine: 8, endColumn: 10, code: 'syntax-error', message: 'Unexpected `campain`: did you mean `campaign`?' }
        ]);
    });
});

describe.concurrent('mplan check: exit codes', () => {
    it('exits 0 on a valid plan and prints the summary', async () => {
        const result = await runs.valid;
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(result.code).toBe(0);
    });

    it('exits 1 when some file has errors', async () => {
        expect((await runs.text).code).toBe(1);
    });

    it('exits 1 for a named file that does not exist, with file-unreadable on that file', async () => {
        const result = await runs.json;
        expect(result.code).toBe(1);
        expect(byName(parseJson(result.stdout)).get('missing.mplan')).toMatchObject([{ code: 'file-unreadable', severity: 'error', line: 1, column: 1 }]);
    });

    it('exits 2 on an unknown --format', async () => {
        const result = await runs.badFormat;
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/xml/);
        expect(result.stdout).toBe('');
    });

    it('exits 2 for a folder without .mplan files', async () => {
        const result = await runs.noPlans;
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/no \.mplan files found in noplans/);
    });

    it('--help lists the exit codes under their heading, after what --schema does', async () => {
        const result = await runCli(['check', '--help'], dir);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/\nExit codes:\n  0  no errors[^\n]*\n  1  [^\n]+\n  2  /);
        expect(result.stdout.indexOf('With --schema')).toBeLessThan(result.stdout.indexOf('Exit codes:'));
    });
});

describe.concurrent('mplan check: what it finds', () => {
    it('an unresolved reference', async () => {
        const diagnostics = byName(parseJson((await runs.json).stdout)).get('unresolved.mplan')!;
        expect(diagnostics).toMatchObject([{ severity: 'error', line: 13, column: 15, endLine: 13, endColumn: 23, code: 'unresolved-reference' }]);
        expect(diagnostics[0].message).toContain('spending');
    });

    it('a syntax error', async () => {
        const diagnostics = byName(parseJson((await runs.json).stdout)).get('syntax.mplan')!;
        expect(diagnostics.map(d => d.code)).toContain('syntax-error');
        expect(diagnostics.find(d => d.code === 'syntax-error')!.line).toBe(3);
    });

    it('a goal without a deadline (goal-no-deadline)', async () => {
        const diagnostics = byName(parseJson((await runs.json).stdout)).get('deadline.mplan')!;
        expect(diagnostics.filter(d => d.code === 'goal-no-deadline').map(d => [d.severity, d.line])).toEqual([['error', 13]]);
    });

    it('the normative spec files: errors in not-smart.mplan only', async () => {
        const files = byName(parseJson((await runs.treeAndSpec).stdout));
        const errors = (name: string) => files.get(name)!.filter(d => d.severity === 'error').length;
        expect(errors('winback.mplan')).toBe(0);
        expect(errors('recorded-groups.mplan')).toBe(0);
        expect(errors('not-smart.mplan')).toBeGreaterThan(0);
    });
});

describe.concurrent('mplan check: folders', () => {
    it('searches folders recursively, skipping node_modules and hidden entries', async () => {
        const result = await runs.treeAndSpec;
        const paths = parseJson(result.stdout).files.map(f => f.path);
        expect(paths.filter(p => p.startsWith('tree/'))).toEqual(['tree/a.mplan', 'tree/sub/b.mplan']);
        expect(paths.filter(p => !p.startsWith('tree/')).map(p => path.basename(p))).toEqual(['not-smart.mplan', 'recorded-groups.mplan', 'winback.mplan']);
        expect(result.code).toBe(1);
    });

    it('checks the current folder when given no paths', async () => {
        const result = await runs.noArgs;
        expect(parseJson(result.stdout).files.map(f => f.path)).toEqual(['a.mplan', 'sub/b.mplan']);
        expect(result.code).toBe(1);
    });
});

describe.concurrent('mplan check: files that are not plans', () => {
    it('reports empty, binary, garbage, truncated, 10 MB and missing files without crashing', async () => {
        const result = await runs.badFiles;
        expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(result.stderr).not.toMatch(/internal error/);
        const report = parseJson(result.stdout);
        const files = byName(report);
        expect([...files.keys()].sort()).toEqual(['binary.mplan', 'empty.mplan', 'garbage.mplan', 'huge.mplan', 'nope.mplan', 'people.csv', 'truncated.mplan']);
        for (const name of ['binary.mplan', 'huge.mplan', 'nope.mplan', 'people.csv']) {
            expect(files.get(name)!.map(d => d.code), name).toEqual(['file-unreadable']);
        }
        expect(files.get('huge.mplan')![0].message).toMatch(/MB/);
        for (const name of ['garbage.mplan', 'truncated.mplan']) {
            expect(files.get(name)!.map(d => d.code), name).toContain('syntax-error');
        }
        expect(result.code).toBe(1);
    });

    it('an import of a file that is not a plan (a CSV file, a folder, X.MPLAN) is a diagnostic, not an internal error', async () => {
        const result = await runs.badImports;
        expect(result.stderr).toBe('');
        const files = byName(parseJson(result.stdout));
        expect([...files.keys()].sort()).toEqual(['csv.mplan', 'folder.mplan', 'upper.mplan']);
        for (const [name, diagnostics] of files) {
            expect(diagnostics.filter(d => d.line === 1 && d.severity === 'error'), name).not.toHaveLength(0);
        }
        expect(result.code).toBe(1);
    });

    it('numbers far beyond any calendar (attribution 1e20 days) get diagnostics, not an internal error', async () => {
        const result = await runs.hugeNumbers;
        expect(result.stderr).toBe('');
        const diagnostics = parseJson(result.stdout).files[0].diagnostics;
        expect(diagnostics.filter(d => /error occurred during validation/.test(d.message))).toEqual([]);
        expect([0, 1]).toContain(result.code);
    });

    it('stops quietly when the reader closes the pipe (mplan check | head -1)', async () => {
        const result = await runs.closedPipe;
        expect(result.stdout).toMatch(/^noisy\/many-errors\.mplan:1:1: error: /);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(1);
    });

    it('no run prints a stack trace', async () => {
        for (const [name, run] of Object.entries(runs)) {
            const { stderr } = await run;
            expect(stderr, name).not.toMatch(/\n\s+at /);
        }
    });
});

describe.concurrent('mplan check: output formats', () => {
    it('text: path:line:col: severity: message [code], relative paths, then the summary', async () => {
        const { stdout } = await runs.text;
        const lines = stdout.trimEnd().split('\n');
        const summary = lines.pop()!;
        expect(summary).toMatch(/^\d+ errors, \d+ warnings? in 8 files$/);
        for (const line of lines) expect(line).toMatch(/^[\w/.-]+\.mplan:\d+:\d+: (error|warning|info): .+ \[[a-z-]+\]$/);
        expect(lines.some(l => l.startsWith('unresolved.mplan:13:15: error: ') && l.endsWith('[unresolved-reference]'))).toBe(true);
        expect(lines.some(l => l.startsWith('tree/sub/b.mplan:13:15: error: '))).toBe(true);
        // No colour when piped, and control characters from a broken file are shown escaped.
        expect(stdout).not.toContain('\u001b');
        expect(stdout).toContain('\\u001b');
    });

    it('text: colour when asked for (FORCE_COLOR)', async () => {
        expect((await runs.color).stdout).toContain('\u001b[31merror');
    });

    it('json: one entry per file in the order given, 1-based positions, totals that match', async () => {
        const report = parseJson((await runs.json).stdout);
        expect(report.files.map(f => f.path)).toEqual(MIXED);
        expect(report.files[0].diagnostics).toEqual([]);
        const all = report.files.flatMap(f => f.diagnostics);
        expect(report.errors).toBe(all.filter(d => d.severity === 'error').length);
        expect(report.warnings).toBe(all.filter(d => d.severity === 'warning').length);
        for (const d of all) {
            expect(Object.keys(d).sort()).toEqual(['code', 'column', 'endColumn', 'endLine', 'line', 'message', 'severity']);
            expect(['error', 'warning', 'info']).toContain(d.severity);
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.column).toBeGreaterThanOrEqual(1);
            expect(d.endLine * 1e6 + d.endColumn).toBeGreaterThanOrEqual(d.line * 1e6 + d.column);
            expect(d.code).toMatch(/^[a-z-]+$/);
        }
    });

    it('github: workflow annotations, one per line, with escaped properties and messages', async () => {
        const { stdout, code } = await runs.github;
        expect(code).toBe(1);
        const lines = stdout.trimEnd().split('\n');
        expect(lines.pop()).toMatch(/^\d+ errors, \d+ warnings? in 8 files$/);
        const annotation = /^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::[^\r\n]*$/;
        for (const line of lines) expect(line).toMatch(annotation);
        expect(lines.some(l => l.startsWith('::error file=unresolved.mplan,line=13,col=15,endLine=13,endColumn=23,title=unresolved-reference::'))).toBe(true);
        expect(lines.some(l => l.startsWith('::error file=missing.mplan,line=1,col=1,'))).toBe(true);
        // As many annotations as JSON has diagnostics: multi-line messages stayed on their line (%0A).
        const json = parseJson((await runs.json).stdout);
        expect(lines).toHaveLength(json.files.reduce((n, f) => n + f.diagnostics.length, 0));
    });

    it('sarif: a 2.1.0 log with the rules and one result per diagnostic', async () => {
        const { stdout, code } = await runs.sarif;
        expect(code).toBe(1);
        const sarif = JSON.parse(stdout);
        expect(sarif.version).toBe('2.1.0');
        expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
        expect(sarif.runs).toHaveLength(1);
        const driver = sarif.runs[0].tool.driver;
        expect(driver.name).toBe('mplan');
        expect(driver.informationUri).toMatch(/^https:\/\//);
        expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(Object.keys(DIAGNOSTIC_CODES)));
        for (const rule of driver.rules) expect(typeof rule.shortDescription.text).toBe('string');

        const json = parseJson((await runs.json).stdout);
        const results = sarif.runs[0].results;
        expect(results).toHaveLength(json.files.reduce((n, f) => n + f.diagnostics.length, 0));
        for (const r of results) {
            expect(driver.rules[r.ruleIndex].id).toBe(r.ruleId);
            expect(['error', 'warning', 'note']).toContain(r.level);
            expect(typeof r.message.text).toBe('string');
            const location = r.locations[0].physicalLocation;
            expect(location.artifactLocation.uri).not.toMatch(/^\/|\\/);
            for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) expect(location.region[key]).toBeGreaterThanOrEqual(1);
        }
        const unresolved = results.filter((r: any) => r.ruleId === 'unresolved-reference');
        expect(unresolved.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['unresolved.mplan', 'tree/sub/b.mplan']);
        expect(unresolved[0].locations[0].physicalLocation.region).toEqual({ startLine: 13, startColumn: 15, endLine: 13, endColumn: 23 });
    });
});
