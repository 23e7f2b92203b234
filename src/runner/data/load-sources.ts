// Reads every data source of the plan into a typed table, checking as it goes: the file exists, has the declared
// columns, has rows, every value has its declared type, customer keys are present and unique. Rows stay in the
// engine; only counts and the first few offending values come back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineOptions, ImportedColumn, SqlEngine } from '../engine/engine.js';
import { DuckDbEngine } from '../engine/duckdb-engine.js';
import type { DataFormat, SqlDialect, ValueSqlType } from '../sql/dialect.js';
import { formatOf } from '../sql/dialect.js';
import type { CustomersSourcePlan, EventsSourcePlan, RunnerPlan, SourceColumn, SourcePlan } from '../plan/runner-plan.js';
import type { DataProblem } from './problems.js';
import { DataProblems, shortValue } from './problems.js';
import { eventsTable, generatedName, rawTable, sourceColumn, sourceTable } from '../sql/names.js';
import { MAX_EXACT_SUM, eventsTablesSql, exactSumChecks } from '../sql/compile.js';
import { detectDelimiter, readHead } from './csv-head.js';
import type { ReadContext } from './read-errors.js';
import { readProblem } from './read-errors.js';

/** At most this many offending values are shown per column. */
export const SHOWN_PER_COLUMN = 5;

export interface SourceStats {
    name: string;
    kind: 'customers' | 'events';
    path: string;
    rows: number;
}

export interface LoadWarnings {
    /** Events whose customer is not in the customers universe (or is missing), per events source. */
    unknownCustomers: Array<{ source: string; events: number; customers: number }>;
    /** Events without a time, per events source: they fall in no window. */
    missingTime: Array<{ source: string; events: number }>;
}

/**
 * An engine that cannot read this machine's files (a database server) gets each file through an embedded DuckDB, the
 * reader: it reads and checks the file as it does on its own (same types, same problems, with rows), writes the typed
 * rows to a temporary CSV file, and the engine bulk-loads that (importCsv). Only typed rows cross: every aggregate is
 * computed by the engine itself.
 */
interface Reader {
    engine: SqlEngine;
    /** A folder for the typed rows on their way to the engine. */
    folder: string;
}

export async function loadSources(engine: SqlEngine, plan: RunnerPlan, asOf: number, readerOptions: Partial<EngineOptions> = {}): Promise<{ stats: SourceStats[]; warnings: LoadWarnings }> {
    if (engine.readsFiles) return loadAll(engine, undefined, plan, asOf);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-load-'));
    try {
        const reader = await DuckDbEngine.open({ ...readerOptions, readablePaths: plan.sources.filter(s => !s.table).map(s => s.readPath), writableDirectories: [folder] });
        try {
            return await loadAll(engine, { engine: reader, folder }, plan, asOf);
        } finally {
            reader.close();
        }
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

async function loadAll(engine: SqlEngine, reader: Reader | undefined, plan: RunnerPlan, asOf: number): Promise<{ stats: SourceStats[]; warnings: LoadWarnings }> {
    const problems: DataProblem[] = [];
    const stats: SourceStats[] = [];
    const warnings: LoadWarnings = { unknownCustomers: [], missingTime: [] };
    // Customers first: events are tied to the universe as they load.
    for (const kind of ['customers', 'events'] as const) {
        for (const source of plan.sources.filter(s => s.kind === kind)) {
            const found = await loadSource(engine, reader, source, plan, asOf);
            if ('problems' in found) {
                problems.push(...found.problems);
                continue;
            }
            stats.push({ name: source.name, kind: source.kind, path: source.path, rows: found.rows });
            if (found.unknown && found.unknown.events > 0) warnings.unknownCustomers.push({ source: source.name, ...found.unknown });
            if (source.kind === 'events' && source.time && found.untimed) warnings.missingTime.push({ source: source.name, events: found.untimed });
        }
        if (problems.length > 0) throw new DataProblems(problems);
    }
    return { stats, warnings };
}

interface Loaded {
    rows: number;
    /** Events: those whose customer is not in the universe (or missing), and how many distinct customers they name. */
    unknown?: { events: number; customers: number };
    /** Events: those without a time. */
    untimed?: number;
}

async function loadSource(engine: SqlEngine, reader: Reader | undefined, source: SourcePlan, plan: RunnerPlan, asOf: number): Promise<Loaded | { problems: DataProblem[] }> {
    // The file is read (and checked) by `reading`: the engine itself, or the embedded reader that hands rows over. A
    // table is read where it lives: on the engine (there is no reader for it, nor rows to hand over).
    if (source.table) reader = undefined;
    const reading = reader?.engine ?? engine;
    const rd = reading.dialect;
    const d = engine.dialect;
    const format = formatOf(source.path)!;
    const base = { file: source.path, source: source.name };
    // The header tells the delimiter (compressed files keep the default).
    const delimiter = isCsv(format) && !/\.(gz|zst)$/i.test(source.readPath)
        ? detectDelimiter(readHead(source.readPath, 64 * 1024), format === 'tsv' ? '\t' : ',')
        : format === 'tsv' ? '\t' : ',';
    const context: ReadContext = { file: source.path, readPath: source.readPath, source: source.name, csv: isCsv(format), delimiter };
    const textReader = source.table ? rd.table(source.table.schema, source.table.name) : rd.readFile(source.readPath, format, { delimiter });

    let fileColumns: Array<{ name: string; type: string }>;
    try {
        fileColumns = await reading.describe(textReader);
    } catch (error) {
        return { problems: [readProblem(error, context) ?? { ...base, message: `${source.table ? 'the table cannot be read' : `the file cannot be read as ${format.toUpperCase()}`}: ${firstLine(error)}` }] };
    }
    const available = new Map(fileColumns.map(c => [c.name, c.type]));
    const missing = source.columns.filter(c => !available.has(c.name));
    if (missing.length > 0) {
        const list = fileColumns.map(c => c.name).join(', ');
        return { problems: missing.map(c => ({ ...base, column: c.name, message: `the ${source.table ? 'table' : 'file'} has no column "${c.name}" (it has: ${list})` })) };
    }

    // CSV values are parsed to their declared types while reading (the fast path); other formats are cast below.
    const declared = new Map(source.columns.map(c => [c.name, columnSqlType(c)]));
    const fileReader = isCsv(format)
        ? rd.readFile(source.readPath, format, { delimiter, types: fileColumns.map(c => [c.name, declared.get(c.name) ?? 'text'] as [string, ValueSqlType]) })
        : textReader;
    const typedAvailable = isCsv(format) ? new Map(fileColumns.map(c => [c.name, rd.type(declared.get(c.name) ?? 'text')])) : available;
    // A customers table on an engine that gets file rows from the reader needs the row ids those have (ROW_ID).
    const rowIds = source.table && !engine.readsFiles && source.kind === 'customers' ? `row_number() OVER () - 1 AS ${ROW_ID}, ` : '';
    const typedRows = `SELECT ${rowIds}${selectList(rd, source, typedAvailable)} FROM ${fileReader} r`;
    // Events handed over: the typed rows, in a file the engine bulk-loads.
    const handover = reader && path.join(reader.folder, `${plan.sources.indexOf(source)}.csv`);
    // Customers: the typed rows. Events are never stored row by row: one pass over the file, grouped by customer key,
    // computes every aggregate RFM and the campaign windows need (the table has a row per distinct customer, not per
    // event); it is then tied to the universe, __cid being the customer's row there (NULL when unknown), so later
    // joins run on integers and unknown customers are counted without another pass.
    const read = async () => {
        if (source.kind === 'customers') await reading.exec(rd.createTemporaryTable(sourceTable(rd, source), typedRows));
        else if (handover) await reading.copyToFile(typedRows, handover);
        else for (const sql of eventsTablesSql(d, plan, source, asOf, `(${typedRows})`, isCsv(format))) await engine.exec(sql);
    };
    try {
        await read();
    } catch (error) {
        // A broken file (a ragged row far down, a bad byte) is said as such; otherwise a value has the wrong type.
        const broken = readProblem(error, context);
        if (broken) return { problems: [broken] };
        let typeProblems: DataProblem[];
        try {
            typeProblems = await findTypeProblems(reading, source, textReader, format);
        } catch (again) {
            return { problems: [readProblem(again, context) ?? { ...base, message: firstLine(again) }] };
        }
        return { problems: typeProblems.length > 0 ? typeProblems : [{ ...base, message: firstLine(error) }] };
    }

    if (source.kind === 'events') {
        const table = eventsTable(d, source);
        if (handover) {
            // Every value is typed already: the engine aggregates the handed-over rows as they are.
            const staged = d.ident(generatedName('staged', source.name));
            await engine.importCsv(staged, await importedColumns(reading, `(${typedRows})`), handover);
            fs.rmSync(handover, { force: true });
            for (const sql of eventsTablesSql(d, plan, source, asOf, `(SELECT * FROM ${staged})`, true)) await engine.exec(sql);
            await engine.exec(`DROP TABLE ${staged}`);
        }
        // Sums are exact below MAX_EXACT_SUM (see microSum); a customer beyond it is a data problem, not a silent error.
        for (const check of exactSumChecks(d, plan, source, asOf)) {
            const [found] = await engine.query(check.sql);
            const largest = Number(found?.m ?? 0);
            if (largest >= MAX_EXACT_SUM) {
                return { problems: [{ ...base, column: check.column, message: `a customer's sum of ${check.column} reaches ${largest.toExponential(3)}; mplan adds sums exactly only below ${MAX_EXACT_SUM.toExponential(3)} (2^53 millionths): state the column in a larger unit (thousands, say)` }] };
            }
        }
        const [row] = await engine.query(
            `SELECT sum(__n) AS n, sum(__n) - sum(__timed) AS untimed, sum(__n) FILTER (WHERE __cid IS NULL) AS unknown_events, ` +
            `count(__k) FILTER (WHERE __cid IS NULL) AS unknown_customers FROM ${table}`
        );
        const rows = Number(row.n ?? 0);
        if (rows === 0) return { problems: [{ ...base, message: noRows(source) }] };
        return {
            rows,
            untimed: Number(row.untimed ?? 0),
            unknown: { events: Number(row.unknown_events ?? 0), customers: Number(row.unknown_customers ?? 0) }
        };
    }

    const table = sourceTable(rd, source);
    const [{ n }] = await reading.query(`SELECT count(*) AS n FROM ${table}`);
    const rows = Number(n);
    if (rows === 0) return { problems: [{ ...base, message: noRows(source) }] };
    if (!source.key) {
        // Without a key, the 1-based row number is the key (rows keep file order in the table).
        await reading.exec(rd.createTemporaryTable(table, `SELECT CAST(rowid + 1 AS ${rd.type('text')}) AS __key, * EXCLUDE (__key) FROM ${table}`));
    }
    const keyProblems = await checkKeys(reading, source, table, format);
    if (keyProblems.length > 0) return { problems: keyProblems };
    if (reader) {
        // The engine gets the checked table with its rows' ids (file order), which a DuckDB table has as rowid.
        const file = path.join(reader.folder, `${plan.sources.indexOf(source)}.csv`);
        const withIds = `SELECT rowid AS ${ROW_ID}, * FROM ${table}`;
        const columns = await importedColumns(reading, `(${withIds})`);
        await reading.copyToFile(withIds, file);
        await reading.exec(`DROP TABLE ${table}`);
        await engine.importCsv(sourceTable(d, source), columns, file);
        fs.rmSync(file, { force: true });
    }
    return { rows };
}

/** The column of a customers table, on an engine that loads files through the reader, that DuckDB's rowid is. */
export const ROW_ID = '__rowid';

/** A relation's columns on the reader, as the engine creates them. */
async function importedColumns(reading: SqlEngine, relation: string): Promise<ImportedColumn[]> {
    return (await reading.describe(relation)).map(c => ({ name: c.name, type: importedType(c.type) }));
}

function importedType(duckType: string): ImportedColumn['type'] {
    const type = duckType.toUpperCase();
    if (type === 'VARCHAR') return 'text';
    if (type === 'DOUBLE') return 'number';
    if (type === 'DATE') return 'date';
    if (type === 'BOOLEAN') return 'boolean';
    if (type.startsWith('TIMESTAMP')) return 'timestamp';
    if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/.test(type)) return 'integer';
    throw new Error(`internal: a typed column of type ${duckType} cannot be handed over`);
}

function customerExpression(d: SqlDialect, source: EventsSourcePlan, available: Map<string, string>): string {
    return source.customer ? d.keyText(`r.${d.ident(source.customer)}`, available.get(source.customer)!) : `CAST(NULL AS ${d.type('text')})`;
}

/** Typed columns: key, customer and time under fixed names, declared columns under their own names. */
function selectList(d: SqlDialect, source: SourcePlan, available: Map<string, string>): string {
    const items: string[] = [];
    const col = (c: SourceColumn) => `r.${d.ident(c.name)}`;
    if (source.kind === 'customers') {
        items.push(source.key ? `${d.keyText(`r.${d.ident(source.key)}`, available.get(source.key)!)} AS __key` : `CAST(NULL AS ${d.type('text')}) AS __key`);
        // The key column is stored once, as __key.
        for (const c of source.columns.filter(c => c.role !== 'key')) {
            items.push(`${castTo(d, col(c), c.type, available.get(c.name)!)} AS ${d.ident(sourceColumn(c.name))}`);
        }
    } else {
        const events = source as EventsSourcePlan;
        items.push(`${customerExpression(d, events, available)} AS __k`);
        items.push(events.time ? `${d.cast(`r.${d.ident(events.time)}`, 'timestamp')} AS __t` : 'CAST(NULL AS TIMESTAMP) AS __t');
        // Events columns are only ever aggregated: keep the declared, non-role ones.
        for (const c of source.columns.filter(c => !c.role)) items.push(`${castTo(d, col(c), c.type, available.get(c.name)!)} AS ${d.ident(sourceColumn(c.name))}`);
    }
    return items.join(', ');
}

/** The type a column is read as: keys and customer ids as text, event times as timestamps. */
function columnSqlType(c: SourceColumn): ValueSqlType {
    if (c.role === 'key' || c.role === 'customer') return 'text';
    if (c.role === 'time') return 'timestamp';
    return c.type;
}

function castTo(d: SqlDialect, expression: string, type: SourceColumn['type'], engineType: string): string {
    if (type === 'text') return d.keyText(expression, engineType);
    // inf and NaN parse as numbers but break every statistic: they stop the load, and are then reported as values.
    if (type === 'number') return d.finiteNumber(d.cast(expression, 'number'));
    return d.cast(expression, type as ValueSqlType);
}

/** After a failed typed read: re-read the values as they are and show the first few that do not convert, with rows. */
async function findTypeProblems(engine: SqlEngine, source: SourcePlan, reader: string, format: DataFormat): Promise<DataProblem[]> {
    const d = engine.dialect;
    const raw = rawTable(d, source);
    const problems: DataProblem[] = [];
    try {
        // Rows keep file order in a table, so rowid + 1 is the data row. A database table has no row order: its bad
        // values are shown without rows, each once, in the order of their text.
        const inFile = !source.table;
        await engine.exec(d.createTemporaryTable(raw, `SELECT * FROM ${reader}`));
        const typed = source.columns.map(c => ({ column: c, type: columnSqlType(c) })).filter(c => c.type !== 'text');
        for (const { column, type } of typed) {
            const name = d.ident(column.name);
            const converted = d.tryCast(name, type);
            const bad = type === 'number' ? `(${converted} IS NULL OR NOT ${d.isFinite(converted)})` : `${converted} IS NULL`;
            const [{ n }] = await engine.query(`SELECT count(*) AS n FROM ${raw} WHERE ${name} IS NOT NULL AND ${bad}`);
            if (Number(n) === 0) continue;
            const text = `CAST(${name} AS ${d.type('text')})`;
            const rows = await engine.query(
                inFile
                    ? `SELECT rowid + 1 AS row, ${text} AS value FROM ${raw} WHERE ${name} IS NOT NULL AND ${bad} ORDER BY rowid LIMIT ${SHOWN_PER_COLUMN}`
                    : `SELECT DISTINCT NULL AS row, ${text} AS value FROM ${raw} WHERE ${name} IS NOT NULL AND ${bad} ORDER BY 2 LIMIT ${SHOWN_PER_COLUMN}`
            );
            const more = Number(n) - rows.length;
            rows.forEach((r, i) => {
                const row = r.row === null ? undefined : Number(r.row);
                problems.push({
                    file: source.path,
                    source: source.name,
                    row,
                    line: isCsv(format) && row !== undefined ? row + 1 : undefined,
                    column: column.name,
                    value: String(r.value),
                    message: `"${shortValue(r.value)}" is not ${notFinite(r.value) ? 'a finite number (infinity and NaN break every statistic)' : article(type)}` + (i === rows.length - 1 && more > 0 ? ` (and ${more} more bad values in this column)` : '')
                });
            });
        }
    } finally {
        await engine.exec(`DROP TABLE IF EXISTS ${raw}`);
    }
    return problems;
}

async function checkKeys(engine: SqlEngine, source: CustomersSourcePlan, table: string, format: DataFormat): Promise<DataProblem[]> {
    const d = engine.dialect;
    const base = { file: source.path, source: source.name, column: source.key };
    const problems: DataProblem[] = [];
    const line = (row: number) => (isCsv(format) ? row + 1 : undefined);
    const row = `${d.rowId('t')} + 1`;
    // One pass for the counts; the offending rows are looked up only when there are some.
    const [{ empty, distinct, total }] = await engine.query(
        `SELECT count(*) FILTER (WHERE __key IS NULL OR __key = '') AS empty, count(DISTINCT __key) AS distinct, count(__key) AS total FROM ${table}`
    );
    // A database table has no row order: its problems are counted and named by value, never by row.
    const inTable = source.table !== undefined;
    if (Number(empty) > 0 && inTable) {
        problems.push({ ...base, message: `the customer key is missing in ${empty} row${Number(empty) === 1 ? '' : 's'}` });
    } else if (Number(empty) > 0) {
        const rows = await engine.query(`SELECT ${row} AS row FROM ${table} t WHERE t.__key IS NULL OR t.__key = '' ORDER BY ${row} LIMIT ${SHOWN_PER_COLUMN}`);
        for (const r of rows) problems.push({ ...base, row: Number(r.row), line: line(Number(r.row)), message: 'the customer key is missing' });
    }
    if (Number(distinct) !== Number(total)) {
        const duplicates = await engine.query(
            `SELECT t.__key AS key, count(*) AS n FROM ${table} t WHERE t.__key IS NOT NULL ` +
            `GROUP BY t.__key HAVING count(*) > 1 ORDER BY ${inTable ? 't.__key' : `min(${row})`} LIMIT ${SHOWN_PER_COLUMN}`
        );
        if (inTable) {
            for (const dup of duplicates) {
                problems.push({ ...base, value: String(dup.key), message: `duplicate key "${shortValue(dup.key)}": ${dup.n} rows; a customers source has one row per customer` });
            }
            const extra = Number(total) - Number(distinct);
            if (problems.length > 0 && extra > duplicates.length) problems[problems.length - 1].message += ` (${extra} duplicate rows in all)`;
            return problems;
        }
        // The rows of those few keys, in a second small query (no list aggregate: every engine has this).
        const keys = duplicates.map(dup => d.string(String(dup.key))).join(', ');
        const rowsOf = new Map<string, number[]>();
        for (const r of await engine.query(`SELECT t.__key AS key, ${row} AS row FROM ${table} t WHERE t.__key IN (${keys}) ORDER BY ${row}`)) {
            const list = rowsOf.get(String(r.key)) ?? [];
            list.push(Number(r.row));
            rowsOf.set(String(r.key), list);
        }
        for (const dup of duplicates) {
            const rows = rowsOf.get(String(dup.key)) ?? [];
            problems.push({
                ...base,
                row: rows[1],
                line: line(rows[1]),
                value: String(dup.key),
                message: `duplicate key "${shortValue(dup.key)}": ${dup.n} rows (rows ${rows.slice(0, 5).join(', ')}${rows.length > 5 ? ', ...' : ''}); a customers source has one row per customer`
            });
        }
        const extra = Number(total) - Number(distinct);
        if (extra > duplicates.length) problems[problems.length - 1].message += ` (${extra} duplicate rows in all)`;
    }
    return problems;
}

function noRows(source: SourcePlan): string {
    return source.table ? 'the table has no rows' : 'the file has a header but no rows';
}

function isCsv(format: DataFormat): boolean {
    return format === 'csv' || format === 'tsv';
}

/** inf, -Infinity, NaN: what the engine reads as numbers that are not finite. */
function notFinite(value: unknown): boolean {
    return /^\s*[+-]?(inf|infinity|nan)\s*$/i.test(String(value));
}

function article(type: ValueSqlType): string {
    switch (type) {
        case 'number': return 'a number';
        case 'date': return 'a date (YYYY-MM-DD)';
        case 'timestamp': return 'a date or time (YYYY-MM-DD[ HH:MM:SS])';
        case 'boolean': return 'a boolean (true/false)';
        default: return 'text';
    }
}

function firstLine(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return text.split('\n')[0];
}
