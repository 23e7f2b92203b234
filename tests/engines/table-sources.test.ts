// Table sources (issue 12) on a real PostgreSQL server: the runner reads `from table` sources from the engine itself
// (no file, no embedded reader), splits their names at the last dot with case kept, and reports them as `table "..."`.
// A table the server lacks is a data problem naming it; bad values, keys and an empty table are named without rows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { runCli, tempDir } from '../runner/helpers.js';
import { TABLE_PLAN } from '../table-plan.js';
import { usePostgres } from './postgres-server.js';

/** Case and dots kept: schema `Crm.EU`, table `Customers`; the events from the default schema. */
const PLAN = TABLE_PLAN.replace('"crm.customers"', '"Crm.EU.Customers"');

describe('table sources on PostgreSQL', () => {
    const server = usePostgres();
    const dir = tempDir('mplan-pg-tables-');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'plan.mplan'), PLAN);

    beforeAll(async () => {
        const admin = await server().admin();
        try {
            const role = server().role;
            await admin.query(`CREATE SCHEMA "Crm.EU"`);
            await admin.query(`CREATE TABLE "Crm.EU"."Customers" AS SELECT g AS customer_id, (20 + g % 50)::float8 AS age FROM generate_series(1, 400) g`);
            await admin.query(`CREATE TABLE public.orders AS SELECT 1 + g % 400 AS customer_id, TIMESTAMP '2026-05-01' + (g % 60) * INTERVAL '1 day' AS ordered_at, (g % 30)::numeric AS amount FROM generate_series(1, 2000) g`);
            await admin.query(`GRANT USAGE ON SCHEMA "Crm.EU" TO ${role}; GRANT SELECT ON "Crm.EU"."Customers", public.orders TO ${role}`);
        } finally {
            await admin.end();
        }
    });

    it('runs the plan on the tables, and the report names them', async () => {
        const out = path.join(dir, 'out');
        const result = await runCli(['run', path.join(dir, 'plan.mplan'), '--engine', server().url, '--as-of', '2026-08-01', '--out', out]);
        expect(result.code, result.stderr).toBe(0);
        const report: Report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
        expect(report.sources).toEqual([
            { name: 'shoppers', kind: 'customers', path: 'table "Crm.EU.Customers"', rows: 400 },
            { name: 'orders', kind: 'events', path: 'table "orders"', rows: 2000 }
        ]);
        // age = 20 + id % 50 >= 40 for 30 of every 50 ids.
        expect(report.campaigns[0].audience.size).toBe(240);
    });

    it('says which table the server lacks, as a data problem (exit 1)', async () => {
        fs.writeFileSync(path.join(dir, 'missing.mplan'), PLAN.replace('"orders"', '"sales.orders"'));
        const result = await runCli(['run', path.join(dir, 'missing.mplan'), '--engine', server().url, '--as-of', '2026-08-01', '--out', path.join(dir, 'missing')]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^table "sales\.orders": error: the table cannot be read: .*sales.*\[source orders\]$/m);
        expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
    });

    it('names bad values and missing columns of a table without file rows (a table has no row order)', async () => {
        const admin = await server().admin();
        try {
            await admin.query(`CREATE TABLE public.bad_orders AS SELECT customer_id, ordered_at, CASE WHEN customer_id % 100 = 7 THEN 'n/a' ELSE amount::text END AS amount FROM public.orders`);
            await admin.query(`CREATE TABLE public.thin_orders AS SELECT customer_id, ordered_at FROM public.orders`);
            await admin.query(`GRANT SELECT ON public.bad_orders, public.thin_orders TO ${server().role}`);
        } finally {
            await admin.end();
        }
        fs.writeFileSync(path.join(dir, 'bad.mplan'), PLAN.replace('"orders"', '"bad_orders"'));
        const bad = await runCli(['run', path.join(dir, 'bad.mplan'), '--engine', server().url, '--as-of', '2026-08-01', '--out', path.join(dir, 'bad')]);
        expect(bad.code).toBe(1);
        expect(bad.stderr).toMatch(/^table "bad_orders": error: column "amount": "n\/a" is not a number \(and \d+ more bad values in this column\) \[source orders\]$/m);
        expect(bad.stderr).not.toMatch(/row \d/);
        fs.writeFileSync(path.join(dir, 'thin.mplan'), PLAN.replace('"orders"', '"thin_orders"'));
        const thin = await runCli(['run', path.join(dir, 'thin.mplan'), '--engine', server().url, '--as-of', '2026-08-01', '--out', path.join(dir, 'thin')]);
        expect(thin.code).toBe(1);
        expect(thin.stderr).toMatch(/the table has no column "amount" \(it has: customer_id, ordered_at\)/);
    });

    it('names duplicate and missing keys of a customers table by value, and an empty table, without rows', async () => {
        const admin = await server().admin();
        try {
            await admin.query(`CREATE TABLE public.twice AS SELECT CASE WHEN g IN (5, 9) THEN 'c5' WHEN g = 11 THEN NULL ELSE 'c' || g END AS customer_id, 30.0::float8 AS age FROM generate_series(1, 20) g`);
            await admin.query('CREATE TABLE public.nobody (customer_id text, age float8)');
            await admin.query(`GRANT SELECT ON public.twice, public.nobody TO ${server().role}`);
        } finally {
            await admin.end();
        }
        fs.writeFileSync(path.join(dir, 'twice.mplan'), PLAN.replace('"Crm.EU.Customers"', '"twice"'));
        const twice = await runCli(['run', path.join(dir, 'twice.mplan'), '--engine', server().url, '--as-of', '2026-08-01', '--out', path.join(dir, 'twice')]);
        expect(twice.code).toBe(1);
        expect(twice.stderr.trim().split('\n')).toEqual([
            'table "twice": error: column "customer_id": the customer key is missing in 1 row [source shoppers]',
            'table "twice": error: column "customer_id": duplicate key "c5": 2 rows; a customers source has one row per customer [source shoppers]',
            'mplan run: the data has 2 problems; nothing was written.'
        ]);
        fs.writeFileSync(path.join(dir, 'nobody.mplan'), PLAN.replace('"Crm.EU.Customers"', '"nobody"'));
        const nobody = await runCli(['run', path.join(dir, 'nobody.mplan'), '--engine', server().url, '--as-of', '2026-08-01', '--out', path.join(dir, 'nobody')]);
        expect(nobody.code).toBe(1);
        expect(nobody.stderr).toBe('table "nobody": error: the table has no rows [source shoppers]\nmplan run: the data has 1 problem; nothing was written.\n');
        expect(fs.existsSync(path.join(dir, 'twice')) || fs.existsSync(path.join(dir, 'nobody'))).toBe(false);
    });
});
