// DuckDB's syntax for numbers, dates and timestamps in text (what its TRY_CAST accepts), for the dialects that read
// text as DuckDB does with regular expressions of their own (PostgreSQL, ClickHouse). Both regex flavours (POSIX and
// re2) read these patterns alike; each dialect spells the extraction, the calendar check and the value in its SQL.
// The backslashes are the regex's: a dialect whose string literals read backslashes doubles them.

/** Single underscores between digits, a fraction and an exponent. */
export const NUMBER = '^[+-]?([0-9](_?[0-9])*(\\.([0-9](_?[0-9])*)?)?|\\.[0-9](_?[0-9])*)([eE][+-]?[0-9](_?[0-9])*)?$';

/** The time after a date: `T` or spaces, hours and minutes, seconds with a fraction, and a zone. */
export const TIME = '(T| +)[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]+)?)?(Z| ?UTC|[+-][0-9]{1,2}(:?[0-9]{2})?)?';

/** The year, month and day of a date (text that matches the dialect's DATE_HEAD): each the pattern's first group. */
export const DATE_PARTS = { year: '^([0-9]+)', month: '^[0-9]+[-/ ]([0-9]+)', day: '^[0-9]+[-/ ][0-9]+[-/ ]([0-9]+)' };

const TIME_START = '^[0-9]+[-/ ][0-9]+[-/ ][0-9]+(?:T| +)';

/** Hours, minutes, seconds and the digits of the fraction of a second of a timestamp: each the pattern's first group. */
export const TIME_PARTS = {
    hour: `${TIME_START}([0-9]+)`,
    minute: `${TIME_START}[0-9]+:([0-9]+)`,
    second: `${TIME_START}[0-9]+:[0-9]+:([0-9]+)`,
    fraction: `${TIME_START}[0-9]+:[0-9]+:[0-9]+\\.([0-9]{1,6})`
};

/** SQL: a time of day DuckDB accepts, from its parts (each 0 when absent): up to 24:00:00 exactly. */
export function validTimeOfDay(hour: string, minute: string, second: string, micros: string): string {
    return `${hour} <= 24 AND ${minute} <= 59 AND ${second} <= 59 AND (${hour} < 24 OR ${minute} + ${second} + ${micros} = 0)`;
}
