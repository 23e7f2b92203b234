// What standard SQL engines spell alike (DuckDB, PostgreSQL): the shared part of their dialects. An engine whose
// literals, integers or operators differ (ClickHouse) spells these itself.
import type { SqlDialect, ValueSqlType } from './dialect.js';

type Shared = 'ident' | 'string' | 'date' | 'type' | 'cast' | 'integerSum' | 'highBits' | 'lowBits';

export abstract class StandardSqlDialect implements Pick<SqlDialect, Shared> {
    /** The engine's type for each plan value type. */
    protected abstract readonly types: Record<ValueSqlType, string>;

    ident(name: string): string {
        if (name.includes('\0')) throw new Error('identifier contains a NUL character');
        return `"${name.replace(/"/g, '""')}"`;
    }

    string(value: string): string {
        // Standard SQL literals: no backslash escapes (DuckDB; PostgreSQL with standard_conforming_strings, on since
        // 9.1 and set by the engine), so doubling quotes is the whole escape.
        if (value.includes('\0')) throw new Error('text contains a NUL character');
        return `'${value.replace(/'/g, "''")}'`;
    }

    date(day: number): string {
        if (!Number.isInteger(day)) throw new Error(`not a day number: ${day}`);
        return `DATE '${new Date(day * 86_400_000).toISOString().slice(0, 10)}'`;
    }

    type(type: ValueSqlType): string {
        return this.types[type];
    }

    cast(expression: string, type: ValueSqlType): string {
        return `CAST(${expression} AS ${this.types[type]})`;
    }

    integerSum(expression: string): string {
        // sum(BIGINT) is HUGEINT in DuckDB and NUMERIC in PostgreSQL: exact.
        return `sum(${expression})`;
    }

    highBits(expression: string, bits: number): string {
        return `(${expression} >> ${Math.trunc(bits)})`;
    }

    lowBits(expression: string, bits: number): string {
        return `(${expression} & ${2 ** Math.trunc(bits) - 1})`;
    }
}
