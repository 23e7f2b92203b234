// Table sources (issue 12) in the runner: the dialects quote `"schema"."table"` as written, and the loader reads a
// table through SqlDialect.table with the cast path (its columns keep their own types). DuckDB sessions refuse table
// sources (tests/cli/table-sources.test.ts); here an engine is given the tables first, as a database would hold them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbDialect } from '../../src/runner/sql/duckdb-dialect.js';
import { PostgresDialect } from '../../src/runner/sql/postgres-dialect.js';
import { ClickHouseDialect } from '../../src/runner/sql/clickhouse-dialect.js';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { loadSources } from '../../src/runner/data/load-sources.js';
import { DataProblems, formatProblem } from '../../src/runner/data/problems.js';
import { loadPlan } from '../../src/runner/load-plan.js';
import { sourceTable } from '../../src/runner/sql/names.js';
import { day, tempDir } from './helpers.js';
import { TABLE_PLAN } from '../table-plan.js';

/** Case and dots kept: schema `My.Crm`, table `Customers`. */
const PLAN = TABLE_PLAN.replace('"crm.customers"', '"My.Crm.Customers"');


describe('SqlDialect.table', () => {
    it('quotes schema and table as written, and leaves the schema out when there is none', () => {
        for (const d of [new DuckDbDialect(), new PostgresDialect()]) {
            expect(d.table('crm', 'customers')).toBe('"crm"."customers"');
            expect(d.table('My.Crm', 'Customers')).toBe('"My.Crm"."Customers"');
            expect(d.table(undefined, 'orders')).toBe('"orders"');
            expect(d.table('a"b', 'x"; DROP TABLE y; --')).toBe('"a""b"."x""; DROP TABLE y; --"');
        }
        // ClickHouse escapes quotes in identifiers with a backslash, as in its strings.
        const clickhouse = new ClickHouseDialect();
        expect(clickhouse.table('crm', 'customers')).toBe('"crm"."customers"');
        expect(clickhouse.table(undefined, 'orders')).toBe('"orders"');
        expect(clickhouse.table('a"b', 'x')).toBe('"a\\"b"."x"');
    });
});

describe('loading table sources', () => {
    const dir = tempDir('mplan-tables-');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function withTables(setup: string[], body: (engine: DuckDbEngine) => Promise<void>): Promise<void> {
        const engine = await DuckDbEngine.open({ readablePaths: [] });
        try {
            for (const sql of setup) await engine.exec(sql);
            await body(engine);
        } finally {
            engine.close();
        }
    }

    const CUSTOMERS = [
        'CREATE SCHEMA "My.Crm"',
        `CREATE TABLE "My.Crm"."Customers" AS SELECT * FROM (VALUES (7, 31.0, DATE '2024-01-02'), (42, 55.5, DATE '2023-05-06')) AS v(customer_id, age, joined)`
    ];
    const ORDERS = `CREATE TABLE orders AS SELECT * FROM (VALUES (7, TIMESTAMP '2026-01-01 10:00:00', 20.0), (7, TIMESTAMP '2026-02-01 10:00:00', 5.5), (42, TIMESTAMP '2026-03-01 09:00:00', 12.0), (99, TIMESTAMP '2026-03-02 09:00:00', 1.0)) AS v(customer_id, ordered_at, amount)`;

    it('reads the rows of the named tables, keys as text and columns cast to their declared types', async () => {
        fs.writeFileSync(path.join(dir, 'plan.mplan'), PLAN);
        const { plan } = await loadPlan(path.join(dir, 'plan.mplan'));
        await withTables([...CUSTOMERS, ORDERS], async engine => {
            const { stats, warnings } = await loadSources(engine, plan!, day('2026-06-01'));
            expect(stats).toEqual([
                { name: 'shoppers', kind: 'customers', path: 'table "My.Crm.Customers"', rows: 2 },
                { name: 'orders', kind: 'events', path: 'table "orders"', rows: 4 }
            ]);
            expect(warnings.unknownCustomers).toEqual([{ source: 'orders', events: 1, customers: 1 }]);
            const rows = await engine.query(`SELECT __key, typeof(__key) AS t FROM ${sourceTable(engine.dialect, plan!.sources[0])} ORDER BY __key`);
            expect(rows).toEqual([{ __key: '42', t: 'VARCHAR' }, { __key: '7', t: 'VARCHAR' }]);
        });
    });

    it('says which table lacks a declared column, naming it as the plan does', async () => {
        fs.writeFileSync(path.join(dir, 'plan.mplan'), PLAN);
        const { plan } = await loadPlan(path.join(dir, 'plan.mplan'));
        await withTables([...CUSTOMERS, ORDERS.replace('amount)', 'total)')], async engine => {
            const error = await loadSources(engine, plan!, day('2026-06-01')).catch(e => e);
            expect(error).toBeInstanceOf(DataProblems);
            expect((error as DataProblems).problems.map(p => formatProblem(p))).toEqual([
                expect.stringMatching(/^table "orders": error: column "amount": .*no column "amount" \(it has: customer_id, ordered_at, total\) \[source orders\]$/)
            ]);
        });
    });
});
