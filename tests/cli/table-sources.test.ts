// Table sources (issue 12) through the built CLI: `mplan check` validates them from the plan alone, `mplan fmt` writes
// them canonically, `mplan run` and `mplan audience` refuse them on DuckDB (which has no tables) with one line per
// source at its position and exit code 1, and `mplan diff` gives a source moved from a file to a table as a change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffSchema } from '../../src/cli/diff-schema.js';
import { loadPlan } from '../../src/runner/load-plan.js';
import { assertBuilt, makeTempDir, removeDir, runCli } from './helpers.js';
import { PLAN as WINBACK, edit, exampleRepository, readPlan, writePlan } from './diff-helpers.js';
import { TABLE_PLAN } from '../table-plan.js';


const REFUSED = (line: number, column: number, table: string, source: string) =>
    `plan.mplan:${line}:${column}: error: table "${table}" of source ${source} does not exist on the duckdb engine; table sources need --engine with a database that has it`;

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function tempDir(files: Record<string, string>): string {
    const dir = makeTempDir(files);
    temps.push(dir);
    return dir;
}

beforeAll(() => assertBuilt());

describe.concurrent('table sources: check, fmt, and the runner plan', () => {
    it('mplan check: a plan reading tables is clean; empty name parts and a customers table without key are errors', async () => {
        const dir = tempDir({
            'plan.mplan': TABLE_PLAN,
            'bad.mplan': TABLE_PLAN.replace('"orders"', '"sales."').replace(' key customer_id {', ' {').replace('shoppers.age >= 40', 'everyone')
        });
        const clean = await runCli(['check', 'plan.mplan'], dir);
        expect([clean.code, clean.stdout]).toEqual([0, '0 errors, 0 warnings in 1 file\n']);
        const bad = await runCli(['check', 'bad.mplan'], dir);
        expect(bad.code).toBe(1);
        expect(bad.stdout.split('\n').filter(l => l.includes('error:')).map(l => l.replace(/: error: .*\[/, ' ['))).toEqual([
            'bad.mplan:3:13 [table-missing-key]',
            'bad.mplan:6:28 [table-name]'
        ]);
    });

    it('mplan fmt writes `from table "x.y"` canonically, and then has nothing left to change', async () => {
        const messy = TABLE_PLAN
            .replace('customers shoppers from table "crm.customers" key', 'customers shoppers  from\ttable   "crm.customers"  key')
            .replace('events orders from table "orders"', 'events orders from table"orders"');
        const dir = tempDir({ 'plan.mplan': messy });
        expect((await runCli(['fmt', '--check', 'plan.mplan'], dir)).code).toBe(1);
        expect((await runCli(['fmt', 'plan.mplan'], dir)).code).toBe(0);
        expect(fs.readFileSync(path.join(dir, 'plan.mplan'), 'utf8')).toBe(TABLE_PLAN);
        expect((await runCli(['fmt', '--check', 'plan.mplan'], dir)).code).toBe(0);
    });

    it('gives the runner the table split at the last dot, and no file to read', async () => {
        const dir = tempDir({ 'plan.mplan': TABLE_PLAN.replace('"crm.customers"', '"My.Crm.Customers"') });
        const { plan } = await loadPlan(path.join(dir, 'plan.mplan'));
        const [shoppers, orders] = plan!.sources;
        expect([shoppers.table, shoppers.declaredPath, shoppers.path, shoppers.readPath]).toEqual([{ schema: 'My.Crm', name: 'Customers' }, 'My.Crm.Customers', 'table "My.Crm.Customers"', '']);
        expect([orders.table, orders.declaredPath, orders.path, orders.readPath]).toEqual([{ name: 'orders' }, 'orders', 'table "orders"', '']);
    });
});

describe.concurrent('table sources on DuckDB', () => {
    it('mplan run fails with one line per table source, at its position, exit 1, no stack trace, nothing written', async () => {
        const dir = tempDir({ 'plan.mplan': TABLE_PLAN });
        const result = await runCli(['run', 'plan.mplan', '--as-of', '2026-08-01', '--out', 'reports'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(`${REFUSED(3, 33, 'crm.customers', 'shoppers')}\n${REFUSED(6, 28, 'orders', 'orders')}\n`);
        expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false);
    });

    it('mplan audience fails the same way; a file source beside a table source is not the one named', async () => {
        const mixed = TABLE_PLAN.replace('from table "orders"', 'from "orders.csv"');
        const dir = tempDir({ 'plan.mplan': mixed, 'orders.csv': 'customer_id,ordered_at,amount\n1,2026-01-01,5\n' });
        const result = await runCli(['audience', 'plan.mplan', '--as-of', '2026-08-01', '--out', 'out'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(`${REFUSED(3, 33, 'crm.customers', 'shoppers')}\n`);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    });
});

describe('mplan diff: a source moved from a file to a table', () => {
    let dir: string;
    beforeAll(() => {
        dir = exampleRepository();
    });
    afterAll(() => removeDir(dir));

    it('is a change of the source, and the figures are left out with the reason', async () => {
        writePlan(dir, edit(readPlan(dir), 'customers shoppers from "data/customers.csv"', 'customers shoppers from table "crm.customers"'));
        const result = await runCli(['diff', '--format', 'json', '--as-of', '2027-01-15'], dir);
        expect(result.code, result.stderr).toBe(0);
        const diff = DiffSchema.parse(JSON.parse(result.stdout));
        const [plan] = diff.plans;
        expect(plan.path).toBe(WINBACK);
        expect(plan.changes).toEqual([
            { path: 'source shoppers / table', kind: 'added', old: null, new: 'crm.customers' },
            { path: 'source shoppers / file', kind: 'removed', old: 'data/customers.csv', new: null }
        ]);
        expect(plan.evaluated).toBe(false);
        expect(plan.notes.join('\n')).toMatch(/the plan reads database tables, which the embedded duckdb engine does not have \(give --engine/);
        const text = await runCli(['diff', '--as-of', '2027-01-15'], dir);
        expect(text.stdout).toMatch(/source shoppers \/ table/);
    });
});
