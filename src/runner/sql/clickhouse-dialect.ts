// The ClickHouse spelling of the SQL the runner generates (tested on chDB 3.4, ClickHouse 26.7): every method means
// what DuckDbDialect's does (see dialect.ts), down to the rounding, so that a plan gives the same figures on both
// engines. Where ClickHouse cannot (dates outside 1900..2299, text forms of doubles and timestamps), see
// tests/engines/clickhouse.test.ts and the README's "ClickHouse (chDB)". The SQL assumes the session settings of
// CLICKHOUSE_SETTINGS (standard NULL semantics of joins, empty aggregates and casts).
import type { DataFormat, SqlDialect, ValueSqlType } from './dialect.js';
import { qualifiedTable } from './dialect.js';
import { NOT_FINITE } from './duckdb-dialect.js';
import { DATE_PARTS, NUMBER, TIME, TIME_PARTS, validTimeOfDay } from './duckdb-text-syntax.js';

/** Nullable everywhere: ClickHouse columns and casts refuse NULL unless the type says so. */
const TYPES: Record<ValueSqlType, string> = {
    text: 'Nullable(String)',
    number: 'Nullable(Float64)',
    // Date32 and DateTime64 reach 1900..2299; Date and DateTime stop at 1970 and 2106/2149.
    date: 'Nullable(Date32)',
    boolean: 'Nullable(Bool)',
    timestamp: "Nullable(DateTime64(6, 'UTC'))"
};

/**
 * Settings the dialect's SQL relies on, set once per session: NULL instead of a default value for the unmatched side
 * of outer joins, for an aggregate over no rows and for grouping-set columns; CAST keeps NULL; a bare UNION is
 * DISTINCT; JSON output as DuckDB's values (64-bit integers and decimals as numbers, inf and nan quoted so they
 * survive); times in UTC.
 */
export const CLICKHOUSE_SETTINGS: Record<string, string | number> = {
    join_use_nulls: 1,
    aggregate_functions_null_for_empty: 1,
    group_by_use_nulls: 1,
    cast_keep_nullable: 1,
    union_default_mode: 'DISTINCT',
    // A column's name means the column even where a SELECT item has it as alias (count(x) AS x, then min(x)).
    prefer_column_name_to_alias: 1,
    session_timezone: 'UTC',
    output_format_json_quote_64bit_integers: 0,
    output_format_json_quote_decimals: 0,
    output_format_json_quote_denormals: 1,
    // CSV as DuckDB writes it where ClickHouse can: NULL as an empty field, LF line ends.
    format_csv_null_representation: '',
    output_format_csv_crlf_end_of_line: 0,
    engine_file_truncate_on_insert: 1
};

/** What DuckDB trims around a number or a date: ASCII white space. */
const SPACE = ' \t\n\v\f\r';

/** The date at the start of DuckDB's date syntax, one separator repeated (re2 has no back-references: spelt out). */
const DATE_HEAD = '^[0-9]{1,7}(-[0-9]{1,2}-|/[0-9]{1,2}/| [0-9]{1,2} )[0-9]{1,2}';

/** Characters a file path may not contain: file() would expand them as a glob, or they cannot be in a literal. */
const UNSAFE_PATH = /[*?[\]{}\0\r\n]/;

export class ClickHouseDialect implements SqlDialect {
    readonly name = 'clickhouse';

    ident(name: string): string {
        // Quoted identifiers take backslash escapes like strings do.
        if (name.includes('\0')) throw new Error('identifier contains a NUL character');
        return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    }

    string(value: string): string {
        // Backslashes are escapes in ClickHouse literals: both they and quotes are escaped.
        if (value.includes('\0')) throw new Error('text contains a NUL character');
        return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    }

    number(value: number): string {
        if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
        // From text: the shortest round-trip form parses back to the same double.
        return `CAST('${JSON.stringify(value)}' AS Float64)`;
    }

    date(day: number): string {
        if (!Number.isInteger(day)) throw new Error(`not a day number: ${day}`);
        return `CAST('${new Date(day * 86_400_000).toISOString().slice(0, 10)}' AS Date32)`;
    }

    bigInteger(value: bigint): string {
        // Int128 holds 2^64 and compares exactly with controlHash's UInt64.
        return `CAST('${value.toString()}' AS Int128)`;
    }

    type(type: ValueSqlType): string {
        return TYPES[type];
    }

    cast(expression: string, type: ValueSqlType): string {
        return `CAST(${expression} AS ${TYPES[type]})`;
    }

    finiteNumber(expression: string): string {
        // throwIf runs on every row (not only in a CASE branch), so the check is its own condition.
        return `if(throwIf(${expression} IS NOT NULL AND NOT isFinite(${expression}), ${this.string(NOT_FINITE)}) = 0, ${expression}, NULL)`;
    }

    isFinite(expression: string): string {
        // isFinite gives UInt8; the plan's booleans are Bool.
        return `CAST(isFinite(${expression}) AS Nullable(Bool))`;
    }

    tryCast(expression: string, type: ValueSqlType): string {
        // Like PostgresDialect: each type's text is checked against DuckDB's syntax and ranges before it is converted,
        // since ClickHouse's own parsers are laxer (2024-02-30 becomes March 1st) or stricter (no spaces, no _).
        const raw = `CAST(${expression} AS Nullable(String))`;
        const text = `trimBoth(${raw}, ${this.string(SPACE)})`;
        switch (type) {
            case 'text':
                return raw;
            case 'boolean':
                return `multiIf(lower(${raw}) IN ('true', 't', '1', 'yes', 'y'), CAST(true AS Nullable(Bool)), ` +
                    `lower(${raw}) IN ('false', 'f', '0', 'no', 'n'), CAST(false AS Nullable(Bool)), NULL)`;
            case 'number':
                return `multiIf(match(${text}, '(?i)^[+-]?nan$'), CAST(nan AS Nullable(Float64)), ` +
                    `match(${text}, '(?i)^-inf(inity)?$'), -inf, match(${text}, '(?i)^\\\\+?inf(inity)?$'), inf, ` +
                    `match(${text}, '${NUMBER.replace(/\\/g, '\\\\')}'), toFloat64OrNull(replaceAll(${text}, '_', '')), NULL)`;
            case 'date':
                return `multiIf(lower(${text}) = 'epoch', CAST('1970-01-01' AS Nullable(Date32)), ` +
                    `match(${text}, '${DATE_HEAD}([^0-9]|$)'), ${validDate(text, 'date')}, NULL)`;
            case 'timestamp':
                return `multiIf(lower(${text}) = 'epoch', CAST('1970-01-01 00:00:00' AS ${TYPES.timestamp}), ` +
                    `match(${text}, '${DATE_HEAD}(${TIME.replace(/\\/g, '\\\\')})?$'), ${validDate(text, 'timestamp')}, NULL)`;
        }
    }

    table(schema: string | undefined, name: string): string {
        // A ClickHouse database plays the schema's part: "database"."table".
        return qualifiedTable(this, schema, name);
    }

    readFile(path: string, _format: DataFormat): string {
        // file() could read the files, but its CSV types, NULLs and errors are not DuckDB's: the runner loads them.
        if (UNSAFE_PATH.test(path)) throw new Error(`data path ${JSON.stringify(path)} contains characters that are not allowed in a file name here (* ? [ ] { })`);
        throw new Error('reading data files is not supported on this engine: the runner loads files itself');
    }

    keyText(expression: string, engineType: string): string {
        const type = engineType.replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2').replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2');
        const decimal = /^Decimal(?:32|64|128|256)?\((?:\d+\s*,\s*)?(\d+)\)$/i.exec(type);
        if (decimal) {
            // toString drops a decimal's trailing zeros; DuckDB keeps the scale (5.50).
            return `if(${expression} = trunc(${expression}), toString(toInt256(${expression})), toDecimalString(${expression}, ${decimal[1]}))`;
        }
        if (/^Float(32|64)$/i.test(type)) {
            // 123.0 → "123". Otherwise DuckDB's exponent form: e-07 and e+300 where ClickHouse writes e-7 and e300, and
            // below 1e-4 always (ClickHouse writes 0.000025 for 2.5e-05). Both give the shortest round-trip digits.
            const text = `toString(${expression})`;
            const exponent = `replaceRegexpOne(replaceRegexpOne(${text}, 'e([0-9])', 'e+\\\\1'), 'e([+-])([0-9])$', 'e\\\\10\\\\2')`;
            const digits = `extract(${text}, '^-?0\\\\.0*([1-9][0-9]*)$')`;
            const small = `concat(if(${expression} < 0, '-', ''), substring(${digits}, 1, 1), if(length(${digits}) > 1, concat('.', substring(${digits}, 2)), ''), ` +
                `'e-', leftPad(toString(length(extract(${text}, '^-?0\\\\.(0*)')) + 1), 2, '0'))`;
            return `multiIf(${expression} = trunc(${expression}), toString(toInt128(${expression})), match(${text}, '^-?0\\\\.0000'), ${small}, ${exponent})`;
        }
        return `CAST(${expression} AS Nullable(String))`;
    }

    controlHash(seed: string, keyExpression: string): string {
        // reinterpretAsUInt64 reads little-endian: the 8 bytes reversed are read big-endian.
        return `reinterpretAsUInt64(reverse(substring(SHA256(concat(${this.string(seed + ':')}, ${keyExpression})), 1, 8)))`;
    }

    epochSeconds(expression: string): string {
        // Whole microseconds, then one division: the double DuckDB's epoch() gives.
        return `(toFloat64(toUnixTimestamp64Micro(toDateTime64(${expression}, 6, 'UTC'))) / 1000000)`;
    }

    dateOfDay(dayExpression: string): string {
        // Not toDate32(n): for some numbers and types it reads seconds, not days.
        return `addDays(CAST('1970-01-01' AS Date32), toInt32(${dayExpression}))`;
    }

    addDays(dateExpression: string, days: number): string {
        return `addDays(toDateTime64(${dateExpression}, 6, 'UTC'), ${Math.trunc(days)})`;
    }

    dayDiff(fromExpression: string, toExpression: string): string {
        return `dateDiff('day', toDate32(${fromExpression}), toDate32(${toExpression}))`;
    }

    quantiles(expression: string, fractions: number[]): string {
        // As DuckDB's quantile_cont computes it, to the last bit (quantilesExactInclusive interpolates the same points
        // as lo + (hi − lo)·d, which differs in the last bits): over the sorted values, with r = (n − 1)·p and
        // d = r − floor r, lo·(1 − d) + hi·d where lo and hi are the values at floor r and ceil r. Over no values the list holds NULLs: an array cannot be NULL in
        // ClickHouse, and listElement gives NULL as on DuckDB.
        // One sort per group: the same expression spelt once per fraction is computed once (no lambda, which would
        // copy the sorted values for each fraction).
        const sorted = `arraySort(groupArray(toFloat64(${expression})))`;
        const items = fractions.map(f => {
            const r = `((greatest(length(${sorted}), 1) - 1) * CAST('${JSON.stringify(f)}' AS Float64))`;
            const at = (index: string) => `arrayElement(${sorted}, toUInt64(${index}(${r})) + 1)`;
            const d = `(${r} - floor(${r}))`;
            return `if(length(${sorted}) = 0, NULL, ${at('floor')} * (1 - ${d}) + ${at('ceil')} * ${d})`;
        });
        return `[${items.join(', ')}]`;
    }

    round(expression: string): string {
        // ClickHouse's round() takes halves to even; x − trunc(x) is exact, so this ties away from zero (and keeps −0).
        return `if(abs((${expression}) - trunc(${expression})) >= 0.5, trunc(${expression}) + sign(${expression}), trunc(${expression}))`;
    }

    listElement(listExpression: string, index: number): string {
        return `arrayElement(${listExpression}, ${Math.trunc(index)})`;
    }

    fixedPointSum(expression: string, scale: string): string {
        // CAST(Float64 AS Int64) truncates and wraps: roundBankers rounds half to even as DuckDB's cast does, and
        // accurateCast fails out of range as it does. The Int128 sum is exact, hence the same in any order.
        return `sum(toInt128(accurateCast(roundBankers((${expression}) * ${scale}), 'Int64')))`;
    }

    integerSum(expression: string): string {
        // sum(Int64) is Int64 in ClickHouse and wraps around: the sum of Int128s is exact.
        return `sum(toInt128(${expression}))`;
    }

    highBits(expression: string, bits: number): string {
        // No >> or & operators; bitShiftRight of a signed integer is arithmetic.
        return `bitShiftRight(toInt64(${expression}), ${Math.trunc(bits)})`;
    }

    lowBits(expression: string, bits: number): string {
        return `bitAnd(toInt64(${expression}), ${2 ** Math.trunc(bits) - 1})`;
    }

    fixedPointValue(sumExpression: string, scale: string): string {
        return `(toFloat64(${sumExpression}) / ${scale})`;
    }

    scaleExponent(maxExpression: string, bits: number): string {
        // greatest ignores NULL as DuckDB's does; ceil(log2(m)) may be off by one either way; hence the bit of room.
        return `toInt32(least(1000, greatest(-1000, ${Math.trunc(bits)} - ceil(log2(greatest(${maxExpression}, CAST('1e-300' AS Float64)))))))`;
    }

    scaledInteger(expression: string, exponentExpression: string): string {
        // ifNotFinite: a NULL row's hidden value (0/0 of a mean over no events) reaches the cast too, which would throw.
        return `accurateCast(roundBankers(ifNotFinite((${expression}) * pow(2., ${exponentExpression}), 0)), 'Int64')`;
    }

    rowId(alias: string): string {
        // The rows come from the reader (load-sources.ts), with their file order as a column.
        return `${alias}.__rowid`;
    }

    copyToCsv(query: string, path: string): string {
        return this.csvExport(query, path, undefined);
    }

    /**
     * The query's rows written to a CSV file as DuckDB's COPY writes them, then their count (DuckDB's COPY answers with
     * it). ClickHouse's CSV quotes every text field and the header, so with the columns known (ChdbEngine.copyToFile
     * describes the query) each cell is spelled here: text quoted only when empty or holding , " CR or LF, whole
     * doubles with ".0", booleans as true/false; NULL is an empty field. Without them, ClickHouse's own CSV.
     */
    csvExport(query: string, path: string, columns: Array<{ name: string; type: string }> | undefined): string {
        if (UNSAFE_PATH.test(path)) throw new Error(`output path ${JSON.stringify(path)} contains characters that are not allowed in a file name here (* ? [ ] { })`);
        const file = this.string(path);
        const count = `SELECT count() AS Count FROM file(${file}, 'CSV', 'c String') ` +
            'SETTINGS input_format_csv_skip_first_lines = 1, input_format_csv_allow_variable_number_of_columns = 1';
        if (!columns) return `INSERT INTO FUNCTION file(${file}, 'CSVWithNames') SELECT * FROM (${query}); ${count}`;
        const cells = this.csvCells(query, columns);
        return `INSERT INTO FUNCTION file(${file}, 'CustomSeparated') ${cells.select} SETTINGS ${this.settings(cells.settings)}; ${count}`;
    }

    /**
     * The SELECT of csvExport's cells and the CustomSeparated settings that write them (raw, comma-separated, after the
     * header): for an engine that streams the output itself (ClickHouseHttpEngine) rather than have file() write it.
     */
    csvCells(query: string, columns: Array<{ name: string; type: string }>): { select: string; settings: Record<string, string | number> } {
        const header = columns.map(c => csvText(c.name)).join(',') + '\n';
        const cells = columns.map((c, i) => `${this.csvCell(`q.${this.ident(c.name)}`, c.type)} AS c${i}`);
        // The subquery's ORDER BY is kept (not optimised away).
        return {
            select: `SELECT ${cells.join(', ')} FROM (${query}) q`,
            settings: { format_custom_escaping_rule: 'Raw', format_custom_field_delimiter: ',', format_custom_row_after_delimiter: '\n', format_custom_result_before_delimiter: header, query_plan_remove_redundant_sorting: 0 }
        };
    }

    /** Settings as SET and SETTINGS list them: name = value, ... */
    settings(settings: Record<string, string | number>): string {
        return Object.entries(settings).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : this.string(v)}`).join(', ');
    }

    /** One CSV cell of a value of a ClickHouse type, as DuckDB writes it. */
    private csvCell(value: string, type: string): string {
        const base = type.replace(/^Nullable\((.*)\)$/, '$1').replace(/^LowCardinality\((.*)\)$/, '$1');
        let text: string;
        if (/^Float/.test(base)) {
            // 3 → 3.0 below 10^16 (DuckDB's shortest form); other values in ClickHouse's shortest form.
            text = `if(isFinite(${value}) AND ${value} = floor(${value}) AND abs(${value}) < 1e16, concat(toString(toInt64(${value})), '.0'), toString(${value}))`;
        } else if (base === 'Bool') {
            text = `if(${value}, 'true', 'false')`;
        } else if (/^(U?Int|Decimal|Date|DateTime)/.test(base)) {
            text = /^DateTime/.test(base) ? `replaceRegexpOne(toString(${value}), '\\.0+$', '')` : `toString(${value})`;
        } else {
            const s = `toString(${value})`;
            text = `if(${s} = '' OR match(${s}, '[,"\\r\\n]'), concat('"', replaceAll(${s}, '"', '""'), '"'), ${s})`;
        }
        return `if(${value} IS NULL, '', ${text})`;
    }

    createTemporaryTable(name: string, query: string): string {
        // TEMPORARY: the session's own and gone with it, never a table of a database, and it shadows one of the same
        // name. MergeTree, not Memory: its parts are on disk (the session's folder), so a large table does not have to
        // fit in memory. OR REPLACE builds the new table before the old one goes, so the query may read the table it
        // replaces. The table keeps no row order: queries whose order matters say ORDER BY.
        return `CREATE OR REPLACE TEMPORARY TABLE ${name} ENGINE = MergeTree ORDER BY tuple() AS ${query}`;
    }
}

/** The date (or timestamp) of text matching DATE_HEAD (and TIME), or NULL when it is not a day of the calendar. */
function validDate(text: string, type: 'date' | 'timestamp'): string {
    // ClickHouse string literals read backslashes: the regex's are doubled.
    const group = (pattern: string) => `extract(${text}, '${pattern.replace(/\\/g, '\\\\')}')`;
    const part = (pattern: string) => `toInt32OrNull(${group(pattern)})`;
    const [y, m, d] = [part(DATE_PARTS.year), part(DATE_PARTS.month), part(DATE_PARTS.day)];
    const day = `makeDate32(${y}, ${m}, ${d})`;
    let value = `CAST(${day} AS Nullable(Date32))`;
    let timeValid = '1';
    if (type === 'timestamp') {
        const h = `ifNull(${part(TIME_PARTS.hour)}, 0)`;
        const mi = `ifNull(${part(TIME_PARTS.minute)}, 0)`;
        const s = `ifNull(${part(TIME_PARTS.second)}, 0)`;
        // Fractions of a second truncated to microseconds, as DuckDB does.
        const micros = `ifNull(toInt32OrNull(rightPad(${group(TIME_PARTS.fraction)}, 6, '0')), 0)`;
        timeValid = validTimeOfDay(h, mi, s, micros);
        value = `CAST(addMicroseconds(addSeconds(toDateTime64(${day}, 6, 'UTC'), ${h} * 3600 + ${mi} * 60 + ${s}), ${micros}) AS Nullable(DateTime64(6, 'UTC')))`;
    }
    // Computed: toLastDayOfMonth gives a Date (up to 2149), and the month after 2299-12 is out of range.
    const lastDay = `multiIf(${m} = 2, if((${y} % 4 = 0 AND ${y} % 100 != 0) OR ${y} % 400 = 0, 29, 28), ${m} IN (4, 6, 9, 11), 30, 31)`;
    // Years outside Date32's 1900..2299 are NULL: ClickHouse would clamp them silently.
    return `multiIf(${y} BETWEEN 1900 AND 2299 AND ${m} BETWEEN 1 AND 12 AND ${timeValid} AND ${d} BETWEEN 1 AND ${lastDay}, ${value}, NULL)`;
}

/** Text as one CSV cell, quoted as DuckDB quotes it: when empty or holding a comma, a quote, CR or LF. */
function csvText(text: string): string {
    return text === '' || /[,"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
