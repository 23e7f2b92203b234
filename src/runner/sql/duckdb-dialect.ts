// The DuckDB spelling of the SQL the runner generates.
import type { DataFormat, SqlDialect, ValueSqlType } from './dialect.js';
import { qualifiedTable } from './dialect.js';
import { StandardSqlDialect } from './standard-sql.js';

const TYPES: Record<ValueSqlType, string> = {
    text: 'VARCHAR',
    number: 'DOUBLE',
    date: 'DATE',
    boolean: 'BOOLEAN',
    timestamp: 'TIMESTAMP'
};

/** Characters a file path may not contain: DuckDB would expand them as a glob, or they cannot be in a literal. */
const UNSAFE_PATH = /[*?[\]{}\0\r\n]/;

/** The error a non-finite number raises while a source loads; the loader then finds and reports the values. */
export const NOT_FINITE = 'mplan: a number that is not finite';

export class DuckDbDialect extends StandardSqlDialect implements SqlDialect {
    readonly name = 'duckdb';
    protected readonly types = TYPES;

    number(value: number): string {
        if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
        return `CAST(${JSON.stringify(value)} AS DOUBLE)`;
    }

    bigInteger(value: bigint): string {
        return `CAST('${value.toString()}' AS HUGEINT)`;
    }

    finiteNumber(expression: string): string {
        return `CASE WHEN ${expression} IS NULL OR isfinite(${expression}) THEN ${expression} ELSE error(${this.string(NOT_FINITE)}) END`;
    }

    isFinite(expression: string): string {
        return `isfinite(${expression})`;
    }

    tryCast(expression: string, type: ValueSqlType): string {
        return `TRY_CAST(${expression} AS ${TYPES[type]})`;
    }

    table(schema: string | undefined, name: string): string {
        return qualifiedTable(this, schema, name);
    }

    readFile(path: string, format: DataFormat, options: { types?: Array<[string, ValueSqlType]>; delimiter?: string } = {}): string {
        if (UNSAFE_PATH.test(path)) throw new Error(`data path ${JSON.stringify(path)} contains characters that are not allowed in a file name here (* ? [ ] { })`);
        const file = this.string(path);
        switch (format) {
            case 'csv':
            case 'tsv': {
                // Explicit dialect: header row, the delimiter detected from the header (comma, or tab for .tsv, when
                // none is given), double quotes; only column names and line endings are sniffed.
                const delim = this.string(options.delimiter ?? (format === 'tsv' ? '\t' : ','));
                const types = options.types
                    ? `types = {${options.types.map(([name, type]) => `${this.string(name)}: '${TYPES[type]}'`).join(', ')}}`
                    : 'all_varchar = true';
                return `read_csv(${file}, header = true, delim = ${delim}, quote = '"', escape = '"', ${types}, null_padding = false, ignore_errors = false)`;
            }
            case 'parquet':
                return `read_parquet(${file}, binary_as_string = true)`;
            case 'json':
                return `read_json(${file}, format = 'auto', records = true)`;
        }
    }

    keyText(expression: string, engineType: string): string {
        const type = engineType.toUpperCase();
        if (type === 'DOUBLE' || type === 'FLOAT' || type.startsWith('DECIMAL')) {
            // 123.0 → "123": integers without decimals.
            return `CASE WHEN ${expression} = trunc(${expression}) THEN CAST(CAST(${expression} AS HUGEINT) AS VARCHAR) ELSE CAST(${expression} AS VARCHAR) END`;
        }
        return `CAST(${expression} AS VARCHAR)`;
    }

    controlHash(seed: string, keyExpression: string): string {
        return `CAST('0x' || substr(sha256(${this.string(seed + ':')} || ${keyExpression}), 1, 16) AS UBIGINT)`;
    }

    epochSeconds(expression: string): string {
        return `epoch(CAST(${expression} AS TIMESTAMP))`;
    }

    dateOfDay(dayExpression: string): string {
        return `(DATE '1970-01-01' + CAST(${dayExpression} AS INTEGER))`;
    }

    addDays(dateExpression: string, days: number): string {
        // Parenthesised: INTERVAL -1 DAY is a syntax error.
        return `(CAST(${dateExpression} AS TIMESTAMP) + INTERVAL (${Math.trunc(days)}) DAY)`;
    }

    dayDiff(fromExpression: string, toExpression: string): string {
        return `date_diff('day', CAST(${fromExpression} AS DATE), CAST(${toExpression} AS DATE))`;
    }

    quantiles(expression: string, fractions: number[]): string {
        return `quantile_cont(${expression}, [${fractions.map(f => JSON.stringify(f)).join(', ')}])`;
    }

    round(expression: string): string {
        return `round(${expression})`;
    }

    listElement(listExpression: string, index: number): string {
        return `${listExpression}[${Math.trunc(index)}]`;
    }

    fixedPointSum(expression: string, scale: string): string {
        // Integer sums are checked 128-bit additions: exact, hence the same in any order.
        return `sum(CAST((${expression}) * ${scale} AS BIGINT))`;
    }

    fixedPointValue(sumExpression: string, scale: string): string {
        return `(CAST(${sumExpression} AS DOUBLE) / ${scale})`;
    }

    scaleExponent(maxExpression: string, bits: number): string {
        // ceil(log2(m)) may be off by one either way; hence the bit of room.
        return `CAST(least(1000, greatest(-1000, ${Math.trunc(bits)} - ceil(log2(greatest(${maxExpression}, 1e-300))))) AS INTEGER)`;
    }

    scaledInteger(expression: string, exponentExpression: string): string {
        return `CAST((${expression}) * pow(2.0, ${exponentExpression}) AS BIGINT)`;
    }

    rowId(alias: string): string {
        return `${alias}.rowid`;
    }

    copyToCsv(query: string, path: string): string {
        return `COPY (${query}) TO ${this.string(path)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"')`;
    }

    createTemporaryTable(name: string, query: string): string {
        // The database is in memory and the session's own: a plain table is already temporary.
        return `CREATE OR REPLACE TABLE ${name} AS ${query}`;
    }
}
