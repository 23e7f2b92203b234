// What the SQL compiler needs from a database: quoting, literals, reading data files, and the few functions whose
// spelling differs between engines: DuckDbDialect and PostgresDialect implement it.

/** The formats a data source can have, told by its file extension. */
export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'json';

/** Value types of the plan language, plus the timestamp that event times are read as. */
export type ValueSqlType = 'text' | 'number' | 'date' | 'boolean' | 'timestamp';

export interface SqlDialect {
    readonly name: string;
    /** A quoted identifier: any text is safe here. */
    ident(name: string): string;
    /** A string literal, escaped for this engine. */
    string(value: string): string;
    /** A finite number literal (DOUBLE). */
    number(value: number): string;
    /** A date literal from a day number (days since 1970-01-01). */
    date(day: number): string;
    /** A whole-number literal of any size (hash thresholds reach 2^64). */
    bigInteger(value: bigint): string;
    /** The engine's type for a plan value type. */
    type(type: ValueSqlType): string;
    /** CAST that fails on a bad value / TRY_CAST that gives NULL. */
    cast(expression: string, type: ValueSqlType): string;
    tryCast(expression: string, type: ValueSqlType): string;
    /**
     * A relation over a data file. CSV: with `types`, columns are parsed as those types while reading (every column
     * of the file must be listed); without, every column is text. Parquet and JSON keep their own types.
     * The path is only ever a literal file path: never a glob, a URL or SQL.
     */
    /** `delimiter`: for CSV and TSV, the field separator (default comma, tab for TSV). */
    readFile(path: string, format: DataFormat, options?: { types?: Array<[string, ValueSqlType]>; delimiter?: string }): string;
    /**
     * A relation over a table of the database: `"schema"."table"`, or `"table"` (the engine's search path) without a
     * schema. Both parts are quoted as written, so case and dots are kept. Its columns keep their own types.
     */
    table(schema: string | undefined, name: string): string;
    /** The number, or a failed statement when it is infinite or not a number: data never carries inf or NaN further. */
    finiteNumber(expression: string): string;
    /** True when a number is finite (false for inf and NaN). */
    isFinite(expression: string): string;
    /** The text form of a key value: text as it is, whole numbers without decimals. */
    keyText(expression: string, engineType: string): string;
    /** First 8 bytes of SHA-256(seed || ':' || key) as an unsigned 64-bit integer. */
    controlHash(seed: string, keyExpression: string): string;
    /** date + n days (as a timestamp boundary). */
    addDays(dateExpression: string, days: number): string;
    /** Seconds from 1970-01-01 00:00 to a date or timestamp, as a DOUBLE. */
    epochSeconds(expression: string): string;
    /** The date of a day number (days since 1970-01-01), from a whole-number expression. */
    dateOfDay(dayExpression: string): string;
    /** Whole days from `from` to `to` (dates). */
    dayDiff(fromExpression: string, toExpression: string): string;
    /** Aggregate: the list of continuous quantiles (linear interpolation, like R type 7) at the given fractions. */
    quantiles(expression: string, fractions: number[]): string;
    /** A DOUBLE rounded to a whole number (still DOUBLE), halves away from zero. */
    round(expression: string): string;
    /** The 1-based element of a list. */
    listElement(listExpression: string, index: number): string;
    /**
     * Aggregate: Σ round(x · scale) over the rows, in exact integer arithmetic, so the rows may be added in any order:
     * the result is the same. Each x · scale is rounded to a 64-bit integer; the sum is 128-bit. With a power of two for
     * scale, x · scale itself is exact.
     */
    fixedPointSum(expression: string, scale: string): string;
    /**
     * Aggregate: the exact sum of 64-bit whole numbers, as a 128-bit (or wider) whole number, whatever the rows' count
     * and order. Ends in the aggregate call, so FILTER or OVER may follow.
     */
    integerSum(expression: string): string;
    /** A 64-bit whole number split at a bit: x >> bits (arithmetic, towards −∞) and x & (2^bits − 1). */
    highBits(expression: string, bits: number): string;
    lowBits(expression: string, bits: number): string;
    /** The DOUBLE value of a fixedPointSum: the integer sum / scale. */
    fixedPointValue(sumExpression: string, scale: string): string;
    /**
     * An integer e (within ±1000) such that values of magnitude at most `max` (an expression; NULL or 0 give 1000),
     * times 2^e, are at most 2^(bits + 1) in magnitude.
     */
    scaleExponent(maxExpression: string, bits: number): string;
    /** round(x · 2^e) as a 64-bit integer, for an integer expression e. */
    scaledInteger(expression: string, exponentExpression: string): string;
    /**
     * The 0-based row of a customers source's table (alias.column), in file order: DuckDB's rowid; engines that get
     * their rows from the reader have it as a column (see load-sources.ts).
     */
    rowId(alias: string): string;
    /** Writes a query's result to a CSV file with a header row. */
    copyToCsv(query: string, path: string): string;
    /**
     * Statement(s) that (re)create a table of the session from a query: `name` as SQL (an identifier, quoted where
     * needed). Temporary where the engine is a shared server, so the runner never writes the user's tables.
     */
    createTemporaryTable(name: string, query: string): string;
}

/** SqlDialect.table for dialects whose identifiers are quoted by `ident` and joined by a dot (DuckDB, PostgreSQL). */
export function qualifiedTable(d: Pick<SqlDialect, 'ident'>, schema: string | undefined, name: string): string {
    return schema === undefined ? d.ident(name) : `${d.ident(schema)}.${d.ident(name)}`;
}

export function formatOf(filePath: string): DataFormat | undefined {
    const lower = filePath.toLowerCase().replace(/\.(gz|zst)$/, '');
    if (lower.endsWith('.csv')) return 'csv';
    if (lower.endsWith('.tsv')) return 'tsv';
    if (lower.endsWith('.parquet')) return 'parquet';
    if (lower.endsWith('.json') || lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'json';
    return undefined;
}
