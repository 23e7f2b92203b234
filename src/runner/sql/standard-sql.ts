// What standard SQL engines spell alike (DuckDB, PostgreSQL): the shared part of their dialects. An engine whose
// integers or operators differ (ClickHouse) spells these itself.
import type { SqlDialect } from './dialect.js';

export abstract class StandardSqlDialect implements Pick<SqlDialect, 'integerSum' | 'highBits' | 'lowBits'> {
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
