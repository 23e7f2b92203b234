// Each customer's CLV scores, as of the end of the model's calibration, for conditions and segments.csv:
//   alive     = P(alive | x, t_x, T)
//   purchases = E[X(T, T+H) | x, t_x, T], the purchases expected over the horizon of H periods
//   spend     = the Gamma-Gamma conditional mean p·(v + x·m̄)/(p·x + q − 1) (p·v/(q − 1) without repeat purchases)
//   clv       = margin × spend × Σₖ₌₁..H (E[X(T, T+k)] − E[X(T, T+k−1)]) / (1 + δ)ᵏ, δ the per-period discount rate
// The frequency/recency terms depend on (x, t_x, T) only: they are computed once per distinct history (a million
// customers are a few thousand histories) and joined back in SQL; spend depends on each customer's own mean.
import type { SqlEngine } from './engine/engine.js';
import type { ClvFit } from './clv-fit.js';
import type { HistoryGroup } from './models/histories.js';
import { discountedExpectedPurchases, perPeriodDiscountRate } from './models/clv.js';
import { generatedName } from './sql/names.js';

export type ClvScoreName = 'alive' | 'purchases' | 'spend' | 'clv';
export const CLV_SCORES: readonly ClvScoreName[] = ['alive', 'purchases', 'spend', 'clv'];

/** The table of a CLV model's scores: key, alive, purchases, spend, clv (a row per customer fitted). */
export function clvScoresTable(clv: string): string {
    return generatedName('clvscore', clv);
}

/**
 * The frequency/recency terms of one history: P(alive), the purchases expected over the horizon, and those purchases
 * discounted per period (what `clv` multiplies by margin × spend).
 */
export function historyScores(
    model: { alive: (h: HistoryGroup) => number; expected: (h: HistoryGroup, t: number) => number },
    h: HistoryGroup, horizonPeriods: number, perPeriodRate: number
): { alive: number; purchases: number; discounted: number } {
    return {
        alive: model.alive(h),
        purchases: model.expected(h, horizonPeriods),
        discounted: discountedExpectedPurchases(t => model.expected(h, t), horizonPeriods, perPeriodRate)
    };
}

export async function scoreClv(engine: SqlEngine, fit: ClvFit): Promise<void> {
    const d = engine.dialect;
    const { plan: clv } = fit;
    const histories = d.ident(generatedName('clvhist', clv.name));
    const scores = d.ident(clvScoresTable(clv.name));
    if (!fit.usable) {
        // No usable fit: nobody has a score (the report's problem says why).
        await engine.exec(d.createTemporaryTable(scores, `SELECT key, CAST(NULL AS ${d.type('number')}) AS alive, CAST(NULL AS ${d.type('number')}) AS purchases, ` +
            `CAST(NULL AS ${d.type('number')}) AS spend, CAST(NULL AS ${d.type('number')}) AS clv FROM ${fit.summary} WHERE false`));
        return;
    }
    // The fit's distinct histories: the scores of each, computed once.
    const n = fit.histories.length;
    const columns = {
        x: new Array<number>(n), tx_days: new Array<number>(n), t_days: new Array<number>(n),
        alive: new Array<number>(n), purchases: new Array<number>(n), discounted: new Array<number>(n)
    };
    const rate = perPeriodDiscountRate(clv.discountPerYear, clv.periodDays);
    fit.histories.forEach((h, i) => {
        const scores = historyScores(fit.model, h.group, clv.horizonPeriods, rate);
        columns.x[i] = h.group.x;
        columns.tx_days[i] = h.txDays;
        columns.t_days[i] = h.tDays;
        columns.alive[i] = scores.alive;
        columns.purchases[i] = scores.purchases;
        columns.discounted[i] = scores.discounted;
    });
    await engine.loadColumns(generatedName('clvhist', clv.name), [
        { name: 'x', values: columns.x }, { name: 'tx_days', values: columns.tx_days }, { name: 't_days', values: columns.t_days },
        { name: 'alive', type: 'double', values: columns.alive }, { name: 'purchases', type: 'double', values: columns.purchases },
        { name: 'discounted', type: 'double', values: columns.discounted }
    ]);
    // Spend needs a positive mean of repeat purchases (the Gamma-Gamma model's own domain): a customer whose repeat
    // purchases average zero or less (returns) has no spend and no value.
    let spend = `CAST(NULL AS ${d.type('number')})`;
    if (fit.spend) {
        const { p, q, v } = fit.spend;
        const [P, Q, V] = [d.number(p), d.number(q), d.number(v)];
        spend = `CASE WHEN s.x = 0 THEN ${P} * ${V} / (${Q} - 1) WHEN s.repeat_amount > 0 THEN ${P} * (${V} + s.x * s.repeat_amount) / (${P} * s.x + ${Q} - 1) END`;
        // Without a finite population mean (q ≤ 1) there is no expected spend.
        if (!(q > 1)) spend = `CAST(NULL AS ${d.type('number')})`;
    }
    await engine.exec(d.createTemporaryTable(scores, `SELECT key, alive, purchases, spend, ${d.number(clv.margin)} * spend * discounted AS clv FROM ` +
        `(SELECT s.key, h.alive, h.purchases, h.discounted, ${spend} AS spend FROM ${fit.summary} s JOIN ${histories} h ` +
        `ON h.x = s.x AND h.tx_days = s.tx_days AND h.t_days = s.t_days) x`));
    await engine.exec(`DROP TABLE ${histories}`);
}
