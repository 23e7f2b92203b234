// The PostgreSQL spelling of the SQL the runner generates: every method means what DuckDbDialect's does (see
// dialect.ts), down to the rounding, so that a plan gives the same figures on both engines. PostgreSQL 12 or later
// (tested on 15). The dialect needs no helper function: every expression is plain SQL, so the runner creates nothing
// but temporary tables.
import type { DataFormat, SqlDialect, ValueSqlType } from './dialect.js';
import { qualifiedTable } from './dialect.js';
import { NOT_FINITE } from './duckdb-dialect.js';
import { StandardSqlDialect } from './standard-sql.js';
import { DATE_PARTS, NUMBER, TIME, TIME_PARTS, validTimeOfDay } from './duckdb-text-syntax.js';

const TYPES: Record<ValueSqlType, string> = {
    text: 'TEXT',
    number: 'DOUBLE PRECISION',
    date: 'DATE',
    boolean: 'BOOLEAN',
    timestamp: 'TIMESTAMP'
};

const FLOAT = 'DOUBLE PRECISION';

/** What DuckDB trims around a number or a date: ASCII white space. */
const SPACE = 'chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)';

/** The date at the start of DuckDB's date syntax: year, month and day with one separator (-, / or space). */
const DATE_HEAD = '^[0-9]{1,7}([-/ ])[0-9]{1,2}\\1[0-9]{1,2}';

/** Round to nearest, ties to even: what a double becomes at and beyond these magnitudes (2^1024 − 2^970, 2^-1075). */
const OVERFLOW = ((1n << 1024n) - (1n << 970n)).toString();
const UNDERFLOW = `0.${(5n ** 1075n).toString().padStart(1075, '0')}`;

export class PostgresDialect extends StandardSqlDialect implements SqlDialect {
    readonly name = 'postgres';
    protected readonly types = TYPES;

    number(value: number): string {
        if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
        // Quoted: a bare 0.1 is NUMERIC; the shortest round-trip text parses back to the same double.
        return `CAST('${JSON.stringify(value)}' AS ${FLOAT})`;
    }

    bigInteger(value: bigint): string {
        // No unsigned 64-bit type: NUMERIC holds 2^64 and compares with controlHash's NUMERIC exactly.
        return `CAST('${value.toString()}' AS NUMERIC)`;
    }

    finiteNumber(expression: string): string {
        // No error(): casting the message to a number fails with it. It names the value, so it is never a constant
        // the planner would fold (and fail on) while the rows are all finite.
        return `CASE WHEN ${expression} IS NULL OR ${this.isFinite(expression)} THEN ${expression} ` +
            `ELSE CAST(${this.string(`${NOT_FINITE}: `)} || CAST(${expression} AS TEXT) AS ${FLOAT}) END`;
    }

    isFinite(expression: string): string {
        // No isfinite() for numbers before PostgreSQL 16; NaN sorts above Infinity, so this is false for both.
        return `(abs(${expression}) < CAST('Infinity' AS ${FLOAT}))`;
    }

    tryCast(expression: string, type: ValueSqlType): string {
        // No TRY_CAST: each type's text is checked against DuckDB's syntax and ranges before it is cast, so the cast
        // cannot fail. Where DuckDB's TRY_CAST still differs, see tests/engines/postgres.test.ts.
        const text = `btrim(CAST(${expression} AS TEXT), ${SPACE})`;
        switch (type) {
            case 'text':
                return `CAST(${expression} AS TEXT)`;
            case 'boolean':
                return `CASE WHEN lower(CAST(${expression} AS TEXT)) IN ('true', 't', '1', 'yes', 'y') THEN TRUE ` +
                    `WHEN lower(CAST(${expression} AS TEXT)) IN ('false', 'f', '0', 'no', 'n') THEN FALSE END`;
            case 'number':
                return tryNumber(text);
            case 'date':
                return `CASE WHEN lower(${text}) IN ('epoch', 'infinity', '-infinity') THEN CAST(lower(${text}) AS DATE) ` +
                    `WHEN ${text} ~ '${DATE_HEAD}([^0-9]|$)' THEN ${validDate(text, 'DATE')} END`;
            case 'timestamp':
                return `CASE WHEN lower(${text}) IN ('epoch', 'infinity', '-infinity') THEN CAST(lower(${text}) AS TIMESTAMP) ` +
                    `WHEN ${text} ~ '${DATE_HEAD}(${TIME})?$' THEN ${validDate(text, 'TIMESTAMP')} END`;
        }
    }

    table(schema: string | undefined, name: string): string {
        return qualifiedTable(this, schema, name);
    }

    readFile(_path: string, _format: DataFormat): string {
        throw new Error('reading data files is not supported on this engine: the runner loads files itself');
    }

    keyText(expression: string, engineType: string): string {
        const type = engineType.toLowerCase();
        if (/^(double|real|float|numeric|decimal)/.test(type)) {
            // 123.0 → "123": integers without decimals (through BIGINT: FLOAT → NUMERIC keeps only 15 digits).
            const whole = /^(numeric|decimal)/.test(type)
                ? `CAST(trunc(${expression}) AS TEXT)`
                : `CASE WHEN abs(${expression}) < 9.2e18 THEN CAST(CAST(${expression} AS BIGINT) AS TEXT) ELSE CAST(CAST(${expression} AS NUMERIC) AS TEXT) END`;
            return `CASE WHEN ${expression} = trunc(${expression}) THEN ${whole} ELSE CAST(${expression} AS TEXT) END`;
        }
        return `CAST(${expression} AS TEXT)`;
    }

    controlHash(seed: string, keyExpression: string): string {
        // The first 8 bytes as a signed BIGINT, then mod 2^64 in NUMERIC: unsigned, with the digest computed once.
        const bits = `CAST(('x' || encode(substring(sha256(convert_to(${this.string(seed + ':')} || ${keyExpression}, 'UTF8')) FROM 1 FOR 8), 'hex')) AS BIT(64))`;
        return `mod(CAST(CAST(${bits} AS BIGINT) AS NUMERIC) + 18446744073709551616, 18446744073709551616)`;
    }

    epochSeconds(expression: string): string {
        // extract gives an exact NUMERIC: to the double DuckDB's epoch() gives.
        return `CAST(extract(epoch FROM CAST(${expression} AS TIMESTAMP)) AS ${FLOAT})`;
    }

    dateOfDay(dayExpression: string): string {
        return `(DATE '1970-01-01' + CAST(${dayExpression} AS INTEGER))`;
    }

    addDays(dateExpression: string, days: number): string {
        return `(CAST(${dateExpression} AS TIMESTAMP) + INTERVAL '${Math.trunc(days)} days')`;
    }

    dayDiff(fromExpression: string, toExpression: string): string {
        return `(CAST(${toExpression} AS DATE) - CAST(${fromExpression} AS DATE))`;
    }

    quantiles(expression: string, fractions: number[]): string {
        // percentile_cont interpolates as DuckDB's quantile_cont: lo + (hi − lo) · (p(n − 1) − floor(p(n − 1))).
        return `percentile_cont(CAST(ARRAY[${fractions.map(f => JSON.stringify(f)).join(', ')}] AS ${FLOAT}[])) WITHIN GROUP (ORDER BY CAST(${expression} AS ${FLOAT}))`;
    }

    round(expression: string): string {
        // round(DOUBLE PRECISION) rounds halves to even here; x − trunc(x) is exact, so this ties away from zero.
        return `(trunc(${expression}) + CASE WHEN abs((${expression}) - trunc(${expression})) >= 0.5 THEN sign(${expression}) ELSE 0 END)`;
    }

    listElement(listExpression: string, index: number): string {
        return `(${listExpression})[${Math.trunc(index)}]`;
    }

    fixedPointSum(expression: string, scale: string): string {
        // FLOAT → BIGINT rounds half to even, as in DuckDB; sum(BIGINT) is an exact NUMERIC.
        return `sum(CAST((${expression}) * ${scale} AS BIGINT))`;
    }

    fixedPointValue(sumExpression: string, scale: string): string {
        return `(CAST(${sumExpression} AS ${FLOAT}) / ${scale})`;
    }

    scaleExponent(maxExpression: string, bits: number): string {
        // No log2: t = round(ln m / ln 2), then log2 m = t + log2(m · 2^-t), the second term near 0 and computed from
        // an exact m · 2^-t, so ceil() sees what DuckDB's log2 gives, including at and around powers of two.
        const m = `greatest(CAST(${maxExpression} AS ${FLOAT}), CAST('1e-300' AS ${FLOAT}))`;
        const t = `round(ln(${m}) / ln(CAST(2 AS ${FLOAT})))`;
        const log2 = `(${t} + ln(${m} * power(CAST(2 AS ${FLOAT}), -${t})) / ln(CAST(2 AS ${FLOAT})))`;
        return `CAST(least(1000, greatest(-1000, ${Math.trunc(bits)} - ceil(${log2}))) AS INTEGER)`;
    }

    scaledInteger(expression: string, exponentExpression: string): string {
        return `CAST((${expression}) * power(CAST(2 AS ${FLOAT}), ${exponentExpression}) AS BIGINT)`;
    }

    rowId(alias: string): string {
        return `${alias}.__rowid`;
    }

    copyToCsv(query: string, _path: string): string {
        // The server cannot write the client's files: the engine streams this to the file (PostgresEngine.copyToFile).
        return `COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"')`;
    }

    createTemporaryTable(name: string, query: string): string {
        // Made under another name first, as the query may read the table it replaces; pg_temp. only ever drops the
        // session's own table, never a user's table of the same name.
        const next = this.ident('__mplan_next');
        return `DROP TABLE IF EXISTS pg_temp.${next}; CREATE TEMPORARY TABLE ${next} AS ${query}; ` +
            `DROP TABLE IF EXISTS pg_temp.${name}; ALTER TABLE pg_temp.${next} RENAME TO ${name}`;
    }
}

/** DuckDB's TRY_CAST to DOUBLE of trimmed text: beyond the range of doubles, ±Infinity or ±0 as there. */
function tryNumber(text: string): string {
    const plain = `replace(${text}, '_', '')`;
    const negative = `${text} LIKE '-%'`;
    const signed = (positive: string, negativeValue: string) => `CAST(CASE WHEN ${negative} THEN '${negativeValue}' ELSE '${positive}' END AS ${FLOAT})`;
    const magnitude = `abs(CAST(${plain} AS NUMERIC))`;
    return `CASE WHEN ${text} ~* '^[+-]?(inf|infinity|nan)$' THEN CAST(${text} AS ${FLOAT}) ` +
        `WHEN ${text} !~ '${NUMBER}' THEN NULL ` +
        // Exponents of 5 digits: decided by the mantissa alone (NUMERIC would not parse 1e-99999).
        `WHEN ${plain} ~ '[eE][+-]?0*[1-9][0-9]{4}' THEN CASE WHEN substring(${plain} FROM '^[^eE]*') !~ '[1-9]' OR ${plain} ~ '[eE]-' THEN ${signed('0', '-0')} ELSE ${signed('Infinity', '-Infinity')} END ` +
        `WHEN length(${plain}) > 10000 THEN NULL ` +
        `WHEN ${magnitude} >= ${OVERFLOW} THEN ${signed('Infinity', '-Infinity')} ` +
        `WHEN ${magnitude} <= ${UNDERFLOW} THEN ${signed('0', '-0')} ` +
        `ELSE CAST(${plain} AS ${FLOAT}) END`;
}

/** The date (or timestamp) of text that matches DATE_HEAD (and TIME), or NULL when it is not a day of the calendar. */
function validDate(text: string, type: 'DATE' | 'TIMESTAMP'): string {
    const group = (pattern: string) => `substring(${text} FROM '${pattern}')`;
    const part = (pattern: string) => `CAST(${group(pattern)} AS INTEGER)`;
    const [y, m, d] = [part(DATE_PARTS.year), part(DATE_PARTS.month), part(DATE_PARTS.day)];
    const day = `make_date(${y}, ${m}, ${d})`;
    let value = day;
    let timeValid = 'TRUE';
    if (type === 'TIMESTAMP') {
        const h = `coalesce(${part(TIME_PARTS.hour)}, 0)`;
        const mi = `coalesce(${part(TIME_PARTS.minute)}, 0)`;
        const s = `coalesce(${part(TIME_PARTS.second)}, 0)`;
        // Fractions of a second truncated to microseconds, as DuckDB does.
        const micros = `coalesce(CAST(rpad(${group(TIME_PARTS.fraction)}, 6, '0') AS INTEGER), 0)`;
        timeValid = validTimeOfDay(h, mi, s, micros);
        value = `(CAST(${day} AS TIMESTAMP) + make_interval(hours => ${h}, mins => ${mi}) + ${s} * INTERVAL '1 second' + ${micros} * INTERVAL '1 microsecond')`;
    }
    const lastDay = `CAST(extract(DAY FROM make_date(${y}, ${m}, 1) + INTERVAL '1 month' - INTERVAL '1 day') AS INTEGER)`;
    // Nested CASEs: make_date runs only on a year and month it accepts (AND does not promise an order).
    return `CASE WHEN ${y} BETWEEN 1 AND 5874896 AND ${m} BETWEEN 1 AND 12 AND ${timeValid} THEN CASE WHEN ${d} BETWEEN 1 AND ${lastDay} THEN ${value} END END`;
}
