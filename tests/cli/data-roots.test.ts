// Data paths stay inside the plan's root (its repository, or its own folder outside one): a plan from a pull request
// must not read a CI machine's files, nor print their lines into a log. `check` warns; `run` and `audience` refuse
// without reading, unless --data-root or MPLAN_DATA_ROOTS allows the folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, PEOPLE_CSV, removeDir, runCli, VALID_PLAN } from './helpers.js';

// A value that is not a number: were the file read, the type problem would print it.
const SECRET_CSV = 'id,spend\n1,TOPSECRET-LINE\n';
const planReading = (dataPath: string) => VALID_PLAN.replace('from "people.csv"', `from ${JSON.stringify(dataPath)}`);
const PATH_COLUMN = VALID_PLAN.split('\n')[2].indexOf('"people.csv"') + 1;

let dir: string;
beforeAll(() => {
    assertBuilt();
    // repo/ is a repository (.git); outside.csv lies next to it; repo/plans/passwd.csv links to /etc/passwd.
    dir = makeTempDir({
        'secret.csv': SECRET_CSV,
        'allowed/people.csv': PEOPLE_CSV,
        'repo/.git/HEAD': 'ref: refs/heads/main\n',
        'repo/plans/up.mplan': planReading('../../secret.csv'),
        'repo/plans/link.mplan': planReading('passwd.csv'),
        'repo/plans/inside-link.mplan': planReading('people-link.csv'),
        'repo/plans/allowed.mplan': planReading('../../allowed/people.csv'),
        'repo/data/people.csv': PEOPLE_CSV,
        // A library outside the repository whose source lies beside it: outside the root of the plan being run.
        'lib/sources.mplan': 'customers people from "people.csv" key id {\n  spend: number\n}\n',
        'lib/people.csv': SECRET_CSV,
        'repo/plans/imports.mplan': 'import "../../lib/sources.mplan"\n' + VALID_PLAN.replace(/  customers people[^}]*}\n/, '')
    });
    fs.symlinkSync('/etc/passwd', path.join(dir, 'repo/plans/passwd.csv'));
    fs.symlinkSync(path.join(dir, 'repo/data/people.csv'), path.join(dir, 'repo/plans/people-link.csv'));
});
afterAll(() => removeDir(dir));

const repo = () => path.join(dir, 'repo');
const passwdLines = () => fs.readFileSync('/etc/passwd', 'utf8').split('\n').filter(line => line.trim().length > 3);

describe('data paths outside the plan\'s root', () => {
    it('check warns on ../ and on a symlink out of the repository, with file, line and column', async () => {
        const result = await runCli(['check', 'plans/up.mplan', 'plans/link.mplan'], repo());
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(`plans/up.mplan:3:${PATH_COLUMN}: warning: Data file '../../secret.csv' is outside the plan's root folder`);
        expect(result.stdout).toContain(`plans/link.mplan:3:${PATH_COLUMN}: warning: Data file 'passwd.csv' is outside`);
        expect(result.stdout).toMatch(/\[data-path-outside-root\]/);
        expect(result.stdout).not.toContain('data-file-missing');
    });

    it('run refuses a path above the root: exit 1, where and how to allow it, no line of the file, nothing written', async () => {
        const out = path.join(dir, 'out-up');
        const result = await runCli(['run', 'plans/up.mplan', '--out', out, '--as-of', '2026-12-31'], repo());
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`plans/up.mplan:3:${PATH_COLUMN}: error: data file "../../secret.csv" of source people is outside the plan's root folder`);
        expect(result.stderr).toContain('--data-root');
        expect(result.stderr).not.toContain('TOPSECRET');
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(fs.existsSync(out)).toBe(false);
    });

    it('run and audience refuse a symlink to /etc/passwd inside the repository without printing any of its lines', async () => {
        for (const command of ['run', 'audience']) {
            const out = path.join(dir, `out-link-${command}`);
            const result = await runCli([command, 'plans/link.mplan', '--out', out, '--as-of', '2026-12-31'], repo());
            expect(result.code, command).toBe(1);
            expect(result.stderr).toContain('data file "passwd.csv" of source people is outside');
            for (const line of passwdLines()) expect(result.stderr).not.toContain(line);
            expect(fs.existsSync(out)).toBe(false);
        }
    });

    it('reads a folder allowed by --data-root or MPLAN_DATA_ROOTS, and a symlink that stays inside', async () => {
        const flag = await runCli(['run', 'plans/allowed.mplan', '--out', path.join(dir, 'out-a'), '--as-of', '2026-12-31', '--data-root', '../allowed'], repo());
        expect(flag.stderr).toBe('');
        expect(flag.code).toBe(0);
        const env = await runCli(['run', 'plans/allowed.mplan', '--out', path.join(dir, 'out-b'), '--as-of', '2026-12-31'], repo(), { MPLAN_DATA_ROOTS: path.join(dir, 'allowed') });
        expect(env.code).toBe(0);
        const link = await runCli(['run', 'plans/inside-link.mplan', '--out', path.join(dir, 'out-c'), '--as-of', '2026-12-31'], repo());
        expect(link.stderr).toBe('');
        expect(link.code).toBe(0);
        const report = JSON.parse(fs.readFileSync(path.join(dir, 'out-c/report.json'), 'utf8'));
        expect(report.customers.size).toBe(2);
    });

    it('an imported file\'s sources count against the root of the plan being run', async () => {
        const result = await runCli(['run', 'plans/imports.mplan', '--out', path.join(dir, 'out-e'), '--as-of', '2026-12-31'], repo());
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^\.\.\/lib\/sources\.mplan:1:\d+: error: data file "people\.csv" of source people is outside the plan's root folder/m);
        expect(result.stderr).not.toContain('TOPSECRET');
    });

    it('another --data-root does not allow a file outside it', async () => {
        const result = await runCli(['run', 'plans/up.mplan', '--out', path.join(dir, 'out-d'), '--data-root', '../allowed'], repo());
        expect(result.code).toBe(1);
        expect(result.stderr).not.toContain('TOPSECRET');
    });
});
