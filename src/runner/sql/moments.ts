// Per-group sums, sample variances and covariances that do not depend on the order in which the engine adds rows.
//
// A parallel engine combines per-thread partial sums in whatever order the threads finish, and floating-point addition
// is not associative: the last digits of a sum, a variance or an interval would change from run to run. Here every
// sum is a fixed-point sum in exact integer arithmetic (see SqlDialect.fixedPointSum), on a grid chosen from the
// data so that it cannot overflow and loses nothing that matters: the grid of n values of magnitude at most b is
// about n·b·2^-124, so the sum is within n²·b·2^-125 of the exact sum of the values — far below the rounding of the
// result. Variances are two-pass: the mean from the exact sum, then the exact sum of the squared deviations from it
// (with the usual correction for the rounding of the mean):
//
//     s² = (Σd² − (Σd)²/n) / (n − 1),  d = x − x̄;     s_xy = (Σdx·dy − Σdx·Σdy/n) / (n − 1) over the pairs
//
// Every value that enters a sum (x, d, d², dx·dy) is computed row by row, so it is the same whatever the order.
import type { SqlDialect } from './dialect.js';

/** A column of the relation whose count, sum and sample variance a group needs. */
export interface MomentsSpec {
    /** Columns (plain aliases) and the output names of their count, sum and variance. */
    columns: Array<{ column: string; n?: string; sum?: string; variance?: string }>;
    /** Pairs of columns and the output name of their sample covariance (over the rows where both have a value). */
    covariances: Array<{ x: string; y: string; covariance: string }>;
    /** More output names for the group's size. */
    sizes?: string[];
}

/**
 * `SELECT group, count(*) AS size, <the spec's outputs> ... GROUP BY group` over `relation` (SQL of a query with the
 * group column and the spec's columns), ordered by group: in three passes over the relation, kept in between.
 */
export function groupMomentsSql(d: SqlDialect, relation: string, group: string, spec: MomentsSpec): string {
    const g = d.ident(group);
    const q = (name: string) => d.ident(name);
    const pairFilter = (x: string, y: string, alias = '') => ` FILTER (WHERE ${alias}${q(x)} IS NOT NULL AND ${alias}${q(y)} IS NOT NULL)`;
    // Generated aliases hold a ':', which column aliases of the relation (v0, x1, ...) do not.
    const a = (kind: string, column: string) => q(`${kind}:${column}`);
    const pair = (kind: string, x: string, y: string) => q(`${kind}:${x}:${y}`);

    // Pass 1: counts and ranges, which set the grids.
    const first = [`count(*) AS ${q('size')}`];
    for (const { column } of spec.columns) first.push(`count(${q(column)}) AS ${a('n', column)}`, `min(${q(column)}) AS ${a('lo', column)}`, `max(${q(column)}) AS ${a('hi', column)}`);
    for (const { x, y } of spec.covariances) first.push(`count(*)${pairFilter(x, y)} AS ${pair('n', x, y)}`);
    const scales = spec.columns.map(({ column }) => `${d.fixedPointScale(a('n', column), `greatest(abs(${a('lo', column)}), abs(${a('hi', column)}))`)} AS ${a('k', column)}`);

    // Pass 2: exact sums, hence means.
    const second = spec.columns.map(({ column }) => `${d.fixedPointSum(`r.${q(column)}`, `s.${a('k', column)}`)} AS ${a('sum', column)}`);
    const sum = (column: string) => d.fixedPointValue(a('sum', column), a('k', column));
    const means = spec.columns.map(({ column }) => `${sum(column)} AS ${a('total', column)}, ${sum(column)} / ${a('n', column)} AS ${a('mean', column)}`);
    // The largest deviation from the mean, which sets the grids of the deviations.
    const spread = (column: string) => `greatest(${a('hi', column)} - ${a('mean', column)}, ${a('mean', column)} - ${a('lo', column)}, 0)`;
    const deviationScales = [
        ...spec.columns.flatMap(({ column }) => [
            `${d.fixedPointScale(a('n', column), spread(column))} AS ${a('kd', column)}`,
            `${d.fixedPointScale(a('n', column), `${spread(column)} * ${spread(column)}`)} AS ${a('kdd', column)}`
        ]),
        ...spec.covariances.map(({ x, y }) => `${d.fixedPointScale(pair('n', x, y), `${spread(x)} * ${spread(y)}`)} AS ${pair('kxy', x, y)}`)
    ];

    // Pass 3: exact sums of the deviations, their squares and products.
    const dev = (column: string) => `(r.${q(column)} - s.${a('mean', column)})`;
    const third = [
        ...spec.columns.flatMap(({ column }) => [
            `${d.fixedPointSum(dev(column), `s.${a('kd', column)}`)} AS ${a('sd', column)}`,
            `${d.fixedPointSum(`${dev(column)} * ${dev(column)}`, `s.${a('kdd', column)}`)} AS ${a('sdd', column)}`
        ]),
        ...spec.covariances.flatMap(({ x, y }) => [
            `${d.fixedPointSum(dev(x), `s.${a('kd', x)}`)}${pairFilter(x, y, 'r.')} AS ${pair('sdx', x, y)}`,
            `${d.fixedPointSum(dev(y), `s.${a('kd', y)}`)}${pairFilter(x, y, 'r.')} AS ${pair('sdy', x, y)}`,
            `${d.fixedPointSum(`${dev(x)} * ${dev(y)}`, `s.${pair('kxy', x, y)}`)} AS ${pair('sxy', x, y)}`
        ])
    ];

    const outputs = ['size', ...(spec.sizes ?? []).map(name => `size AS ${q(name)}`)];
    for (const { column, n, sum: total, variance } of spec.columns) {
        if (n) outputs.push(`${a('n', column)} AS ${q(n)}`);
        if (total) outputs.push(`${a('total', column)} AS ${q(total)}`);
        if (variance) {
            const nn = a('n', column);
            const sd = d.fixedPointValue(a('sd', column), a('kd', column)), sdd = d.fixedPointValue(a('sdd', column), a('kdd', column));
            outputs.push(`CASE WHEN ${nn} >= 2 THEN greatest(${sdd} - ${sd} * ${sd} / ${nn}, 0) / (${nn} - 1) END AS ${q(variance)}`);
        }
    }
    for (const { x, y, covariance } of spec.covariances) {
        const nn = pair('n', x, y);
        const sdx = d.fixedPointValue(pair('sdx', x, y), a('kd', x)), sdy = d.fixedPointValue(pair('sdy', x, y), a('kd', y));
        const sxy = d.fixedPointValue(pair('sxy', x, y), pair('kxy', x, y));
        outputs.push(`CASE WHEN ${nn} >= 2 THEN (${sxy} - ${sdx} * ${sdy} / ${nn}) / (${nn} - 1) END AS ${q(covariance)}`);
    }

    return `WITH r AS MATERIALIZED (${relation}), ` +
        `s1 AS (SELECT ${g}, ${first.join(', ')} FROM r GROUP BY ${g}), ` +
        `k1 AS (SELECT *, ${scales.join(', ')} FROM s1), ` +
        `s2 AS (SELECT s.*${second.map(x => ', ' + x).join('')} FROM r JOIN k1 s ON s.${g} = r.${g} GROUP BY ALL), ` +
        `k2 AS (SELECT *${means.map(x => ', ' + x).join('')} FROM s2), ` +
        `k3 AS (SELECT *${deviationScales.map(x => ', ' + x).join('')} FROM k2), ` +
        `s3 AS (SELECT s.*${third.map(x => ', ' + x).join('')} FROM r JOIN k3 s ON s.${g} = r.${g} GROUP BY ALL) ` +
        `SELECT ${g}, ${outputs.join(', ')} FROM s3 ORDER BY ${g}`;
}
