// Per-group sums, sample variances and covariances that do not depend on the order in which the engine adds rows.
//
// A parallel engine combines per-thread partial sums in whatever order its threads finish, and floating-point addition
// is not associative: the last digits of a sum, a variance or an interval would change from run to run. Here no
// floating-point number is ever added to another. Each value x of a group is put on a binary fixed-point grid set by
// the group's largest magnitude M (X = round(x · 2^e), |X| ≤ 2^61, so the grid step is at most M·2^-60), and the
// engine sums X and the parts of X² (X = H·2^31 + L, so X² = H²·2^62 + 2HL·2^31 + L², each product within 64 bits)
// in exact 128-bit integers. JavaScript then assembles, with BigInt, exactly:
//
//     ΣX,  n·ΣX² − (ΣX)²  (= n(n−1)·s² on the grid),  n·ΣXY − ΣX·ΣY  (= n(n−1)·s_xy, over the rows with both values)
//
// and divides once. The only rounding before that is of each value to its grid (relative 2^-61 of M), so sums are
// as exact as the data and the variance has no cancellation: no error grows with the number of rows.
import type { SqlDialect } from './dialect.js';
import type { Row } from '../engine/engine.js';

/** A column of the relation whose count, sum and sample variance a group needs. */
export interface MomentsSpec {
    /** Columns (plain aliases) and the output names of their count, sum and variance. */
    columns: Array<{ column: string; n?: string; sum?: string; variance?: string }>;
    /** Pairs of columns and the output name of their sample covariance (over the rows where both have a value). */
    covariances: Array<{ x: string; y: string; covariance: string }>;
    /** More output names for the group's size. */
    sizes?: string[];
}

/** Bits of the low part of a scaled value (X = H·2^31 + L). */
const LOW_BITS = 31;

/**
 * `SELECT group, size, ...` per group over `relation` (a query with the group column and the spec's columns), ordered
 * by group, giving the exact integer sums that finishMoments turns into the spec's outputs: one pass for the counts
 * and largest magnitudes, which set the grids, one for the sums.
 */
export function groupMomentsSql(d: SqlDialect, relation: string, group: string, spec: MomentsSpec): string {
    const g = d.ident(group);
    const q = (name: string) => d.ident(name);
    // Generated aliases hold a ':', which the relation's column aliases (v0, x1, ...) do not.
    const a = (kind: string, column: string) => q(`${kind}:${column}`);
    const pair = (kind: string, x: string, y: string) => q(`${kind}:${x}:${y}`);
    const both = (x: string, y: string) => ` FILTER (WHERE ${a('X', x)} IS NOT NULL AND ${a('X', y)} IS NOT NULL)`;

    const first = [`count(*) AS size`];
    for (const { column } of spec.columns) first.push(`count(${q(column)}) AS ${a('n', column)}`, `max(abs(${q(column)})) AS ${a('max', column)}`);
    const exponents = spec.columns.map(({ column }) => `${d.scaleExponent(a('max', column), 60)} AS ${a('e', column)}`);

    // Each value on its grid, split into its high and low parts.
    const scaled = spec.columns.map(({ column }) => `${d.scaledInteger(`r.${q(column)}`, `k.${a('e', column)}`)} AS ${a('X', column)}`);
    const high = (column: string) => d.highBits(a('X', column), LOW_BITS);
    const low = (column: string) => d.lowBits(a('X', column), LOW_BITS);
    const sum = (expression: string, filter = '') => `CAST(${d.integerSum(expression)}${filter} AS ${d.type('text')})`;
    const sums: string[] = [];
    for (const { column } of spec.columns) {
        sums.push(
            `${sum(a('X', column))} AS ${a('sx', column)}`,
            `${sum(`${high(column)} * ${high(column)}`)} AS ${a('shh', column)}`,
            `${sum(`${high(column)} * ${low(column)}`)} AS ${a('shl', column)}`,
            `${sum(`${low(column)} * ${low(column)}`)} AS ${a('sll', column)}`
        );
    }
    for (const { x, y } of spec.covariances) {
        sums.push(
            `count(*)${both(x, y)} AS ${pair('n', x, y)}`,
            `${sum(a('X', x), both(x, y))} AS ${pair('sx', x, y)}`,
            `${sum(a('X', y), both(x, y))} AS ${pair('sy', x, y)}`,
            `${sum(`${high(x)} * ${high(y)}`)} AS ${pair('shh', x, y)}`,
            `${sum(`${high(x)} * ${low(y)} + ${low(x)} * ${high(y)}`)} AS ${pair('shl', x, y)}`,
            `${sum(`${low(x)} * ${low(y)}`)} AS ${pair('sll', x, y)}`
        );
    }
    return `WITH r AS MATERIALIZED (${relation}), ` +
        `b AS (SELECT ${g}, ${first.join(', ')} FROM r GROUP BY ${g}), ` +
        `k AS (SELECT *, ${exponents.join(', ')} FROM b), ` +
        `x AS (SELECT r.${g}, ${scaled.join(', ')} FROM r JOIN k ON k.${g} = r.${g}), ` +
        `s AS (SELECT ${g}, ${sums.join(', ')} FROM x GROUP BY ${g}) ` +
        `SELECT * FROM k JOIN s USING (${g}) ORDER BY ${g}`;
}

/** The spec's outputs (counts, sums, variances, covariances; numbers, null when undefined) from groupMomentsSql's rows. */
export function finishMoments(rows: Row[], spec: MomentsSpec, group: string): Row[] {
    return rows.map(row => {
        const out: Row = { [group]: row[group], size: Number(row.size) };
        for (const name of spec.sizes ?? []) out[name] = Number(row.size);
        const big = (name: string) => BigInt(String(row[name] ?? '0'));
        const quadratic = (hh: bigint, hl: bigint, ll: bigint) => (hh << BigInt(2 * LOW_BITS)) + (hl << BigInt(LOW_BITS)) + ll;
        for (const { column, n: nName, sum, variance } of spec.columns) {
            const n = Number(row[`n:${column}`]);
            const e = Number(row[`e:${column}`]);
            const sx = big(`sx:${column}`);
            if (nName) out[nName] = n;
            if (sum) out[sum] = n > 0 ? unscale(Number(sx), e) : null;
            if (variance) {
                // n·ΣX² − (ΣX)², exactly; 2·H·L·2^31 is HL·2^32.
                const sxx = quadratic(big(`shh:${column}`), 2n * big(`shl:${column}`), big(`sll:${column}`));
                const m2 = BigInt(n) * sxx - sx * sx;
                out[variance] = n >= 2 ? unscale(unscale(Number(m2), e), e) / (n * (n - 1)) : null;
            }
        }
        for (const { x, y, covariance } of spec.covariances) {
            const n = Number(row[`n:${x}:${y}`]);
            const sxy = quadratic(big(`shh:${x}:${y}`), big(`shl:${x}:${y}`), big(`sll:${x}:${y}`));
            const c2 = BigInt(n) * sxy - big(`sx:${x}:${y}`) * big(`sy:${x}:${y}`);
            out[covariance] = n >= 2 ? unscale(unscale(Number(c2), Number(row[`e:${x}`])), Number(row[`e:${y}`])) / (n * (n - 1)) : null;
        }
        return out;
    });
}

/** value · 2^-e, in two steps so that neither power of two overflows (e is within ±1000). */
function unscale(value: number, e: number): number {
    const half = Math.trunc(e / 2);
    return value * 2 ** -half * 2 ** -(e - half);
}
