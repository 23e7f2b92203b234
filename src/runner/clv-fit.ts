// The lifetime-value models of the plan, fitted once per run (before the segments, which may read their scores): each
// customer's calibration history summarised in SQL (models/clv-summary.ts), the models fitted on the distinct
// histories (models/bg-nbd.ts, pareto-nbd.ts, gamma-gamma.ts), and the calibration/holdout check the papers show: for
// the customers fitted, the repeat purchases the model expects after calibration (up to the evaluation date) against
// those they made, by calibration purchases,
// and per period cumulatively for the chart (cumulativeSeries).
import { formatDate } from '../language/semantics.js';
import type { SqlEngine } from './engine/engine.js';
import type { ClvPlan } from './plan/runner-plan.js';
import { clvCustomersSql, clvGroupsSql, clvHoldoutSql, clvRepeatsByPeriodSql } from './models/clv-summary.js';
import type { HistoryGroup } from './models/histories.js';
import { bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchases, bgNbdProbabilityAlive, fitBgNbd } from './models/bg-nbd.js';
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases, paretoNbdExpectedPurchases, paretoNbdProbabilityAlive } from './models/pareto-nbd.js';
import { fitGammaGamma } from './models/gamma-gamma.js';
import type { SpendGroup } from './models/gamma-gamma.js';
import { clvPurchasesTable } from './sql/compile.js';
import type { ClvResult } from './report/schema.js';
import type { GammaGammaParams } from './models/gamma-gamma.js';
import { generatedName } from './sql/names.js';

/** Holdout rows by calibration repeat purchases: 0, 1, ..., 6, then "7+" together (as the papers tabulate them). */
const HOLDOUT_BUCKETS = 7;

/**
 * A fitted model, as the session keeps it: the fit the report shows (without the holdout check, which only the report
 * needs: see clvResult) and what scoring its customers needs (see clv-scores.ts).
 */
export interface ClvFit {
    plan: ClvPlan;
    fit: Omit<ClvResult, 'holdout' | 'holdoutUntil' | 'holdoutPeriods' | 'calibrationCumulative' | 'holdoutCumulative'>;
    /** The per-customer summary (key, first, x, tx_days, t_days, repeat_amount), a table of the engine. */
    summary: string;
    /** The distinct histories, in days as the summary has them (the join keys) and in periods (the models'). */
    histories: Array<{ txDays: number; tDays: number; group: HistoryGroup }>;
    /** Whether the parameters are usable (finite and positive): only then are customers scored. */
    usable: boolean;
    /** The frequency model's functions at the fitted parameters. */
    model: {
        alive: (h: HistoryGroup) => number;
        expected: (h: HistoryGroup, t: number) => number;
        /** E[X(t)] of a customer just acquired. */
        unconditional: (t: number) => number;
    };
    /** The spend model's parameters, when fitted and usable. */
    spend?: GammaGammaParams;
}

/** What a reader of the report or of segments.csv must know about the fits: each problem, one line. */
export function clvWarnings(results: Array<Pick<ClvResult, 'name' | 'problem' | 'spend'>>): string[] {
    const warnings: string[] = [];
    for (const c of results) {
        if (c.problem) warnings.push(`CLV model ${c.name}: ${c.problem}`);
        if (c.spend?.problem) warnings.push(`CLV model ${c.name}, spend: ${c.spend.problem}`);
    }
    return warnings;
}

/** The summary table of a CLV model's customers (see clvCustomersSql). */
export function clvSummaryTable(clv: string): string {
    return generatedName('clvsum', clv);
}

export async function fitClv(engine: SqlEngine, clv: ClvPlan): Promise<ClvFit> {
    const d = engine.dialect;
    const purchases = clvPurchasesTable(d, clv.name);
    const summary = d.ident(clvSummaryTable(clv.name));
    await engine.exec(d.createTemporaryTable(summary, clvCustomersSql(d, purchases, clv.calibration)));
    const histories = (await engine.query(clvGroupsSql(summary))).map(g => ({
        txDays: Number(g.tx_days),
        tDays: Number(g.t_days),
        group: { x: Number(g.x), tx: Number(g.tx_days) / clv.periodDays, T: Number(g.t_days) / clv.periodDays, count: Number(g.n) }
    }));
    const groups = histories.map(h => h.group);
    const fit = clv.model === 'paretonbd' ? fitParetoNbd(groups) : fitBgNbd(groups);
    if (!fit.problem && fit.customers === 0) fit.problem = { code: 'no-data', message: 'no customer has a purchase in the calibration period' };
    const params = fit.params as Record<string, number>;
    const pareto = clv.model === 'paretonbd';
    const model = {
        alive: (h: HistoryGroup) => (pareto ? paretoNbdProbabilityAlive(params as never, h) : bgNbdProbabilityAlive(params as never, h)),
        expected: (h: HistoryGroup, t: number) => (pareto ? paretoNbdConditionalExpectedPurchases(params as never, h, t) : bgNbdConditionalExpectedPurchases(params as never, h, t)),
        unconditional: (t: number) => (pareto ? paretoNbdExpectedPurchases(params as never, t) : bgNbdExpectedPurchases(params as never, t))
    };
    // Parameters that are no numbers (no data, a likelihood not finite anywhere) score nobody; a fit with a problem
    // that still has parameters scores, and its warning goes with every report and export.
    const usable = fit.customers > 0 && Object.values(params).every(v => Number.isFinite(v) && v > 0);
    let spendParams: GammaGammaParams | undefined;

    let spend: ClvResult['spend'] = null;
    if (clv.monetary) {
        const rows = await engine.query(`SELECT x, repeat_amount AS m, count(*) AS n FROM ${summary} WHERE x > 0 AND repeat_amount > 0 GROUP BY 1, 2 ORDER BY 1, 2`);
        const spendGroups: SpendGroup[] = rows.map(r => ({ x: Number(r.x), meanSpend: Number(r.m), count: Number(r.n) }));
        if (spendGroups.length > 0) {
            const g = fitGammaGamma(spendGroups);
            if ([g.params.p, g.params.q, g.params.v].every(v => Number.isFinite(v) && v > 0)) spendParams = g.params;
            spend = { p: g.params.p, q: g.params.q, v: g.params.v, customers: g.customers, standardErrors: g.standardErrors, converged: g.converged, problem: g.problem?.message ?? null };
        }
    }
    return {
        plan: clv,
        fit: {
            name: clv.name,
            model: clv.model,
            period: clv.period,
            calibration: { start: formatDate(clv.calibration.start), end: formatDate(clv.calibration.end) },
            customers: fit.customers,
            // Without a usable fit (no customer in the calibration period, a likelihood that is not finite) no numbers
            // are given: the problem says why.
            parameters: Object.fromEntries(Object.entries(params).filter(([, v]) => Number.isFinite(v))),
            standardErrors: fit.standardErrors as Record<string, number> | null,
            logLikelihood: Number.isFinite(fit.logLikelihood) ? fit.logLikelihood : null,
            converged: fit.converged,
            problem: fit.problem?.message ?? null,
            spend
        },
        summary,
        histories,
        usable,
        model,
        spend: usable ? spendParams : undefined
    };
}

/**
 * The report's view of a fitted model: the fit, and the calibration/holdout check (only the report needs it, so
 * `mplan audience` and the editor's sizes do not compute it). The holdout runs from the day after calibration to the
 * day before the evaluation date.
 */
export async function clvResult(engine: SqlEngine, asOf: number, fitted: ClvFit): Promise<ClvResult> {
    const { plan: clv, summary, model, usable } = fitted;
    const d = engine.dialect;
    const groups = fitted.histories.map(h => h.group);
    const holdoutEnd = asOf - 1;
    const holdoutPeriods = (holdoutEnd - clv.calibration.end) / clv.periodDays;
    const holdout: ClvResult['holdout'] = [];
    if (holdoutPeriods > 0 && groups.length > 0) {
        const rows = await engine.query(
            `SELECT s.x, s.tx_days, s.t_days, count(*) AS n, sum(h.holdout) AS actual FROM ${summary} s JOIN (${clvHoldoutSql(d, clvPurchasesTable(d, clv.name), summary, clv.calibration.end, holdoutEnd)}) h ON h.key = s.key GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
        );
        for (let b = 0; b <= HOLDOUT_BUCKETS; b++) holdout.push({ purchases: b === HOLDOUT_BUCKETS ? `${b}+` : String(b), customers: 0, actual: 0, expected: 0 });
        for (const r of rows) {
            const h: HistoryGroup = { x: Number(r.x), tx: Number(r.tx_days) / clv.periodDays, T: Number(r.t_days) / clv.periodDays, count: Number(r.n) };
            const row = holdout[Math.min(h.x, HOLDOUT_BUCKETS)];
            row.customers += h.count;
            row.actual += Number(r.actual);
            row.expected += h.count * model.expected(h, holdoutPeriods);
        }
    }
    const cumulative = usable
        ? await cumulativeSeries(engine, clv, summary, groups, Math.max(holdoutEnd, clv.calibration.end), model.expected, model.unconditional)
        : { calibration: [], holdout: [] };
    return {
        ...fitted.fit,
        holdout,
        holdoutUntil: formatDate(holdoutEnd),
        holdoutPeriods: Math.max(0, holdoutPeriods),
        calibrationCumulative: cumulative.calibration,
        holdoutCumulative: cumulative.holdout
    };
}

type CumulativeRow = ClvResult['holdoutCumulative'][number];

/**
 * The weekly (per period) cumulative chart of the papers (Fader, Hardie & Lee 2005, figure 1): the fitted customers'
 * repeat purchase days, counted in one query by period, against the model. In calibration, period k ends on the
 * calibration start + k·P − 1 and the model's count is Σ E[X(t)] over the customers whose first purchase is on or
 * before that day, t the periods since it (the unconditional expectation, by first purchase: few distinct days). In
 * the holdout, period k ends on the calibration end + k·P and the model's count is Σ E[X(k) | x, t_x, T] over the
 * fitted histories. Whole periods, and a last partial one that ends on the calibration end (a calibration not a
 * whole number of periods long) or on the holdout's last day, so that the last rows match the calibration purchases
 * and the holdout table's totals.
 */
async function cumulativeSeries(
    engine: SqlEngine, clv: ClvPlan, summary: string, groups: readonly HistoryGroup[], holdoutEnd: number,
    expected: (h: HistoryGroup, t: number) => number, unconditional: (t: number) => number
): Promise<{ calibration: CumulativeRow[]; holdout: CumulativeRow[] }> {
    const P = clv.periodDays;
    const { start, end } = clv.calibration;
    const counts = { calibration: new Map<number, number>(), holdout: new Map<number, number>() };
    for (const r of await engine.query(clvRepeatsByPeriodSql(engine.dialect, clvPurchasesTable(engine.dialect, clv.name), summary, clv.calibration, holdoutEnd, P))) {
        counts[r.holdout ? 'holdout' : 'calibration'].set(Number(r.period), Number(r.n));
    }
    // Customers by first purchase day, as days before the calibration end (T in days).
    const firsts = new Map<number, number>();
    for (const g of groups) {
        const days = Math.round(g.T * P);
        firsts.set(days, (firsts.get(days) ?? 0) + g.count);
    }
    const series = (origin: number, last: number, table: Map<number, number>, model: (until: number) => number) => {
        const rows: CumulativeRow[] = [];
        let actual = 0;
        for (let k = 1; origin + (k - 1) * P < last; k++) {
            const until = Math.min(origin + k * P, last);
            actual += table.get(k) ?? 0;
            rows.push({ period: (until - origin) / P, until: formatDate(until), actual, expected: model(until) });
        }
        return rows;
    };
    const calibration = series(start - 1, end, counts.calibration, until => {
        let sum = 0;
        for (const [days, n] of firsts) {
            const elapsed = days - (end - until);
            if (elapsed >= 0) sum += n * unconditional(elapsed / P);
        }
        return sum;
    });
    const holdout = series(end, holdoutEnd, counts.holdout, until => groups.reduce((sum, g) => sum + g.count * expected(g, (until - end) / P), 0));
    return { calibration, holdout };
}
