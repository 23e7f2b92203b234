// `mplan check --schema --engine URL` on a real PostgreSQL server: the tables of `from table` sources looked up, with
// their declared, key, customer and time columns and the types the plan reads them as; each problem on its line and
// column with its code, exit 1 for errors. No connection without --schema; usage mistakes exit 2; a server that cannot
// be reached is one line, exit 1. The type classes are unit-tested below against the engines' own type names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fits, storedKind } from '../../src/runner/data/table-schema.js';
import { tempDir } from '../runner/helpers.js';
import { assertBuilt, repoRoot, runCli } from '../cli/helpers.js';
import { TABLE_PLAN } from '../table-plan.js';
import { usePostgres } from './postgres-server.js';

/** 1-based line and column of `needle` in `text`, as mplan check prints positions. */
function positionOf(text: string, needle: string): string {
    const at = text.indexOf(needle);
    if (at < 0) throw new Error(`no ${needle} in the plan`);
    const before = text.slice(0, at).split('\n');
    return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('mplan check --schema on PostgreSQL', () => {
    const server = usePostgres();
    const dir = tempDir('mplan-pg-schema-');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    beforeAll(async () => {
        assertBuilt();
        const admin = await server().admin();
        try {
            await admin.query('CREATE SCHEMA crm');
            await admin.query("CREATE TABLE crm.customers (customer_id integer, age numeric(5,1), region text)");
            await admin.query('CREATE TABLE public.orders (customer_id bigint, ordered_at timestamp with time zone, amount double precision)');
            // amount as text (read by a cast), the time as a number (cannot be a date), no customer column.
            await admin.query('CREATE TABLE public.odd_orders (buyer integer, ordered_at integer, amount character varying(20))');
            await admin.query(`GRANT USAGE ON SCHEMA crm TO ${server().role}; GRANT SELECT ON crm.customers, public.orders, public.odd_orders TO ${server().role}`);
        } finally {
            await admin.end();
        }
    });

    it('passes a plan whose tables have the declared columns, of types that fit', async () => {
        fs.writeFileSync(path.join(dir, 'good.mplan'), TABLE_PLAN);
        const result = await runCli(['check', '--schema', '--engine', server().url, path.join(dir, 'good.mplan')], dir);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/0 errors, 0 warnings/);
    });

    it('reports a missing table, a missing column and types that do not fit, on their lines, with exit 1', async () => {
        const plan = TABLE_PLAN
            .replace('"crm.customers" key customer_id {\n    age: number\n', '"crm.customers" key customer_id {\n    age: number\n    joined: date\n')
            .replace('from table "orders" customer customer_id', 'from table "odd_orders" customer customer_id')
            .replace('  channel email', '  customers leads from table "crm.leads" key lead_id\n  channel email');
        fs.writeFileSync(path.join(dir, 'bad.mplan'), plan);
        const result = await runCli(['check', '--schema', '--engine', server().url, 'bad.mplan'], dir);
        expect(result.code, result.stderr).toBe(1);
        const lines = result.stdout.trim().split('\n');
        const at = (needle: string) => `bad.mplan:${positionOf(plan, needle)}`;
        expect(lines).toEqual(expect.arrayContaining([
            expect.stringMatching(new RegExp(`^${at('joined: date')}: error: The table "crm.customers" of source shoppers has no column "joined" \\(it has: customer_id, age, region\\)\\. \\[table-column-missing\\]$`)),
            expect.stringMatching(new RegExp(`^${at('customer_id time')}: error: The table "odd_orders" of source orders has no column "customer_id" \\(it has: buyer, ordered_at, amount\\)\\. \\[table-column-missing\\]$`)),
            expect.stringMatching(new RegExp(`^${at('ordered_at {')}: error: Column "ordered_at" of the table "odd_orders" of source orders is integer, which cannot be read as dates \\(the time column\\)\\. \\[table-column-type\\]$`)),
            expect.stringMatching(new RegExp(`^${at('amount: number')}: warning: Column "amount" of the table "odd_orders" of source orders is character varying\\(20\\): each value is read as number \\(declared number\\) when the plan runs, .* \\[table-column-type\\]$`)),
            expect.stringMatching(new RegExp(`^${at('"crm.leads"')}: error: The table "crm.leads" of source leads cannot be read on the engine: .*leads.* \\[table-not-found\\]$`))
        ]));
        expect(result.stdout).toMatch(/4 errors, 1 warning/);
    });

    it('never connects without --schema, and refuses --engine alone or --schema without an engine (exit 2)', async () => {
        fs.writeFileSync(path.join(dir, 'plan.mplan'), TABLE_PLAN.replace('"orders"', '"no_such_table"'));
        const plain = await runCli(['check', 'plan.mplan'], dir);
        expect(plain.code).toBe(0);
        const alone = await runCli(['check', '--engine', server().url, 'plan.mplan'], dir);
        expect(alone.code).toBe(2);
        expect(alone.stderr).toBe('mplan check: --engine is read only with --schema: mplan check connects to a database for nothing else.\n');
        const bare = await runCli(['check', '--schema', 'plan.mplan'], dir);
        expect(bare.code).toBe(2);
        expect(bare.stderr).toMatch(/--schema needs the database whose tables to check/);
        const embedded = await runCli(['check', '--schema', '--engine', 'duckdb', 'plan.mplan'], dir);
        expect(embedded.code).toBe(1);
        expect(embedded.stdout).toMatch(/plan\.mplan:\d+:\d+: error: Table "crm\.customers" of source shoppers does not exist on the duckdb engine.*\[table-not-found\]/);
    });

    it('connects to nothing for a plan without table sources, even with --schema', async () => {
        const result = await runCli(['check', '--schema', '--engine', 'postgres://someone@127.0.0.1:1/db', path.join(repoRoot, 'examples/retention/winback.mplan')], dir);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
    });

    it('says in one line, exit 1, when the server cannot be reached, without the password', async () => {
        fs.writeFileSync(path.join(dir, 'plan.mplan'), TABLE_PLAN);
        const result = await runCli(['check', '--schema', '--engine', 'postgres://someone:Secret-pw@127.0.0.1:1/db', 'plan.mplan'], dir);
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/^mplan check: could not connect to PostgreSQL at 127\.0\.0\.1:1\/db/);
        expect(result.stderr).not.toContain('Secret-pw');
        expect(result.stdout).toBe('');
    });
});

describe('the engines\' column types against the plan\'s', () => {
    it('classes PostgreSQL, ClickHouse and DuckDB type names', () => {
        const cases: Array<[string, string]> = [
            ['integer', 'number'], ['numeric(12,2)', 'number'], ['double precision', 'number'], ['Nullable(Int32)', 'number'], ['Float64', 'number'],
            ['Decimal(18, 4)', 'number'], ['BIGINT', 'number'], ['HUGEINT', 'number'], ['UInt8', 'number'],
            ['text', 'text'], ['character varying(40)', 'text'], ['LowCardinality(Nullable(String))', 'text'], ['VARCHAR', 'text'], ['uuid', 'text'],
            ['date', 'date'], ['timestamp with time zone', 'date'], ['DateTime64(6)', 'date'], ['Date32', 'date'], ['TIMESTAMP', 'date'],
            ['boolean', 'boolean'], ['Bool', 'boolean'], ['jsonb', 'other'], ['interval', 'other'], ['Array(String)', 'other']
        ];
        expect(cases.map(([type]) => [type, storedKind(type)])).toEqual(cases);
    });

    it('reads text as anything, anything as text, and casts text and 0/1 values', () => {
        expect(fits('text', 'date')).toBe('yes');
        expect(fits('number', 'number')).toBe('yes');
        expect(fits('number', 'text')).toBe('cast');
        expect(fits('boolean', 'number')).toBe('cast');
        expect(fits('date', 'number')).toBe('no');
        expect(fits('number', 'date')).toBe('no');
        expect(fits('number', 'other')).toBe('no');
    });
});
