// Sources that name a database table (issue 12): `from table "schema.table"`. The text is split at its last dot, each
// part as written; the plan alone is checked (no database is ever reached), and no file check looks at a table source.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from 'langium/node';
import type { CustomersSource, EventsSource } from '../../src/language/generated/ast.js';
import { isCustomersSource, isEventsSource } from '../../src/language/generated/ast.js';
import { loadDocuments } from '../../src/language/load-documents.js';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { declarationsOf, sourceOrigin, tableName } from '../../src/language/semantics.js';
import { check, describeDiagnostics, expectClean, expectCode, expectNoCode, withCode } from './helpers.js';
import { TABLE_PLAN } from '../table-plan.js';


describe('table sources: parsing', () => {
    it('reads `from table "..."` for customers and events, with the text as written', async () => {
        const result = await check(TABLE_PLAN);
        expectClean(result);
        const sources = declarationsOf(result.model);
        const customers = sources.find(isCustomersSource) as CustomersSource;
        const events = sources.find(isEventsSource) as EventsSource;
        expect([customers.table, customers.path, customers.key]).toEqual([true, 'crm.customers', 'customer_id']);
        expect([events.table, events.path, events.customer, events.time]).toEqual([true, 'orders', 'customer_id', 'ordered_at']);
        expect(sourceOrigin(events)).toBe('table "orders"');
        expect(sourceOrigin(customers)).toBe('table "crm.customers"');
    });

    it('keeps file sources as they were: no table flag, the path as written', async () => {
        const result = await check(TABLE_PLAN.replace('from table "crm.customers"', 'from "data/customers.csv"'));
        const customers = declarationsOf(result.model).find(isCustomersSource)!;
        expect([customers.table, customers.path]).toEqual([false, 'data/customers.csv']);
        expect(sourceOrigin(customers)).toBe('data/customers.csv');
    });

    it('splits at the last dot, each part exactly as written', () => {
        expect(tableName('crm.customers')).toEqual({ schema: 'crm', name: 'customers' });
        expect(tableName('orders')).toEqual({ name: 'orders' });
        expect(tableName('my.db.orders')).toEqual({ schema: 'my.db', name: 'orders' });
        expect(tableName('CRM.Customers')).toEqual({ schema: 'CRM', name: 'Customers' });
        expect(tableName(' crm . x ')).toEqual({ schema: ' crm ', name: ' x ' });
        for (const empty of ['', '.', '.x', 'x.', 'a.b.']) expect(tableName(empty), empty).toBeUndefined();
    });

    it('still names a column or source `table` (the new keyword is also a name)', async () => {
        const text = TABLE_PLAN.replace('    age: number', '    age: number\n    table: text').replace('shoppers.age >= 40', 'shoppers.table = "a"');
        expectClean(await check(text));
    });

    it('reports a missing name after `table` as one syntax error, and reads the rest of the source', async () => {
        const result = await check(TABLE_PLAN.replace('from table "crm.customers"', 'from table'));
        expect(result.diagnostics.filter(d => d.severity === 1).map(d => `${d.range.start.line + 1} [${d.code}]`)).toEqual(['3 [syntax-error]']);
    });
});

describe('table sources: validation from the plan alone', () => {
    it('refuses an empty schema or table part, on the name', async () => {
        for (const bad of ['.orders', 'sales.', '', '.']) {
            const text = TABLE_PLAN.replace('"orders"', JSON.stringify(bad));
            const result = await check(text);
            const [found] = expectCode(result, 'table-name', 'error', 6, `'${bad}' is not a table name`);
            // On the quoted name: after `from table `.
            expect(found.range.start.character).toBe(text.split('\n')[5].indexOf('"'));
            expect(withCode(result, 'table-name')).toHaveLength(1);
        }
    });

    it('wants `key` on a customers table source, and not on a file source', async () => {
        const text = TABLE_PLAN.replace(' key customer_id {', ' {');
        const result = await check(text);
        const [found] = expectCode(result, 'table-missing-key', 'error', 3, "Customers source 'shoppers' reads a table, so it needs `key COLUMN`");
        expect(found.range.start.character).toBe('  customers '.length);
        expectNoCode(await check(text.replace('from table "crm.customers"', 'from "customers.csv"')), 'table-missing-key');
    });

    it('checks columns against the declared ones, as for a file', async () => {
        const result = await check(TABLE_PLAN.replace('shoppers.age >= 40', 'shoppers.height >= 40'));
        expectCode(result, 'unresolved-reference', 'error', 'shoppers.height', "'height'");
        const events = await check(TABLE_PLAN.replace(' customer customer_id time ordered_at', ''));
        expectCode(events, 'events-missing-customer', 'error', 6);
        expectCode(events, 'events-missing-time', 'error', 6);
    });
});

describe('table sources: no file is looked at', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-table-'));
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('gives no data-file warning on disk, however the name reads as a path, while a file source beside it gets one', async () => {
        // Not a repository: the plan's folder is its root, so `../../etc/passwd.csv` would be outside it as a file.
        const file = path.join(root, 'plan.mplan');
        fs.writeFileSync(file, TABLE_PLAN
            .replace('"crm.customers"', '"../../etc/passwd.csv"')
            .replace('  channel email', '  events visits from "visits.csv" customer customer_id time at\n  channel email'));
        const { Mplan } = createMplanServices(NodeFileSystem);
        const [loaded] = await loadDocuments(Mplan, [file]);
        const problems = loaded.diagnostics.filter(d => d.severity === 1 || d.severity === 2);
        expect(describeDiagnostics(problems)).toBe(`9:2 [data-file-missing] Data file 'visits.csv' does not exist (looked for ${path.join(root, 'visits.csv')}); the plan can be checked but not run.`);
    });
});
