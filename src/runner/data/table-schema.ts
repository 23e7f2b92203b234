// `mplan check --schema`: whether the tables a plan's `from table` sources name exist on the engine, with the columns
// the plan declares (and its key, customer and time columns), of types the runner can read them as. Only the tables'
// shapes are read (a query for no rows), never their data: values that do not fit are found when the plan runs.
import type { AstNode } from 'langium';
import type { DataSource } from '../../language/generated/ast.js';
import { isCustomersSource, isEventsSource } from '../../language/generated/ast.js';
import { tableName } from '../../language/semantics.js';
import type { SqlEngine } from '../engine/engine.js';
import type { ColumnType } from '../plan/runner-plan.js';

export interface SchemaProblem {
    /** The node and property the problem is about: the table name, or a column's declaration. */
    node: AstNode;
    property: string;
    severity: 'error' | 'warning';
    code: 'table-not-found' | 'table-column-missing' | 'table-column-type';
    message: string;
}

/** What an engine's column type holds, as far as the plan's types go. */
export type StoredKind = 'number' | 'text' | 'date' | 'boolean' | 'other';

/**
 * The kind of an engine's type name: PostgreSQL's (`integer`, `numeric(12,2)`, `character varying(40)`, `timestamp
 * with time zone`), ClickHouse's (`Nullable(Int32)`, `LowCardinality(String)`, `DateTime64(6)`) and DuckDB's.
 */
export function storedKind(engineType: string): StoredKind {
    let type = engineType.trim();
    for (let inner = /^(Nullable|LowCardinality)\((.*)\)$/i.exec(type); inner; inner = /^(Nullable|LowCardinality)\((.*)\)$/i.exec(type)) type = inner[2].trim();
    if (/^(smallint|integer|bigint|hugeint|int|int[0-9]+|uint[0-9]+|u?tinyint|u?smallint|u?integer|u?bigint|numeric|decimal|real|double|double precision|float|float[0-9]+)\b/i.test(type)) return 'number';
    if (/^(text|character varying|varchar|character|char|bpchar|string|fixedstring|uuid|name|citext)\b/i.test(type)) return 'text';
    if (/^(date|date32|timestamp|datetime|datetime64)\b/i.test(type)) return 'date';
    if (/^(boolean|bool)\b/i.test(type)) return 'boolean';
    return 'other';
}

/** Whether a column the engine stores as `stored` reads as `declared`: as it is, by a cast that may fail, or not at all. */
export function fits(declared: ColumnType, stored: StoredKind): 'yes' | 'cast' | 'no' {
    if (declared === stored || declared === 'text') return 'yes';
    // Text is cast value by value when the plan runs: a value that is not a number (date, true/false) is a data problem then.
    if (stored === 'text') return 'cast';
    // 0 and 1 read as false and true.
    if (declared === 'boolean' && stored === 'number') return 'cast';
    return 'no';
}

const AS_VALUES: Record<ColumnType, string> = { text: 'text', number: 'numbers', date: 'dates', boolean: 'true/false values' };

/** The problems of one table source against the table the engine has. */
export async function tableSchemaProblems(engine: SqlEngine, source: DataSource): Promise<SchemaProblem[]> {
    const table = typeof source.path === 'string' ? tableName(source.path) : undefined;
    if (!source.table || !table) return [];
    const where = `table ${JSON.stringify(source.path)} of source ${source.name}`;
    let columns: Array<{ name: string; type: string }>;
    try {
        columns = await engine.describe(engine.dialect.table(table.schema, table.name));
    } catch (error) {
        const reason = ((error as Error)?.message ?? String(error)).split('\n')[0];
        return [{ node: source, property: 'path', severity: 'error', code: 'table-not-found', message: `The ${where} cannot be read on the engine: ${reason}.` }];
    }
    const stored = new Map(columns.map(c => [c.name, c.type]));
    const list = columns.map(c => c.name).join(', ');
    const problems: SchemaProblem[] = [];
    const check = (name: string, declared: ColumnType, node: AstNode, property: string, what: string) => {
        const type = stored.get(name);
        if (type === undefined) {
            problems.push({ node, property, severity: 'error', code: 'table-column-missing', message: `The ${where} has no column "${name}" (it has: ${list}).` });
            return;
        }
        const fit = fits(declared, storedKind(type));
        if (fit === 'no') {
            problems.push({ node, property, severity: 'error', code: 'table-column-type', message: `Column "${name}" of the ${where} is ${type}, which cannot be read as ${AS_VALUES[declared]} (${what}).` });
        } else if (fit === 'cast') {
            problems.push({ node, property, severity: 'warning', code: 'table-column-type', message: `Column "${name}" of the ${where} is ${type}: each value is read as ${declared} (${what}) when the plan runs, and one that is not is a data problem then.` });
        }
    };
    for (const column of source.columns) check(column.name, column.type as ColumnType, column, 'name', `declared ${column.type}`);
    const declared = new Set(source.columns.map(c => c.name));
    // Keys and customer ids are read as text (any type will do); the time column as a date and time.
    if (isCustomersSource(source) && source.key && !declared.has(source.key)) check(source.key, 'text', source, 'key', 'the key');
    if (isEventsSource(source)) {
        if (source.customer && !declared.has(source.customer)) check(source.customer, 'text', source, 'customer', 'the customer column');
        if (source.time && !declared.has(source.time)) check(source.time, 'date', source, 'time', 'the time column');
    }
    return problems;
}
