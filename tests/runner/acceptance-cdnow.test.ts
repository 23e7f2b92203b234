// Acceptance on real data: RFM scores of every CDNOW customer (cdnow_master.csv) against an independent
// computation of the rule: recency/frequency/monetary before `as of`, cut points at k/N by linear interpolation
// between order statistics (R's type 7), F and M = 1 + cuts strictly below, R = N − cuts strictly below.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudience } from '../../src/runner/audience.js';
import { day, readCsv, sharedData, tempDir, withPlanSession } from './helpers.js';
import { engineArgs, forEachEngine } from '../engines/test-engines.js';

const AS_OF = '1998-01-01';
const BINS = 5;

/** R's type 7, as R writes it: (1 − h)·x[lo] + h·x[hi] (the same rounding as DuckDB's quantile_cont). */
function quantile7(sorted: number[], p: number): number {
    const index = (sorted.length - 1) * p;
    const lo = Math.floor(index);
    const hi = Math.min(lo + 1, sorted.length - 1);
    const h = index - lo;
    return sorted[hi] === sorted[lo] ? sorted[lo] : (1 - h) * sorted[lo] + h * sorted[hi];
}

forEachEngine('RFM on CDNOW purchases', engine => {
    const dir = tempDir('mplan-cdnow-');
    const purchases = readCsv(path.join(sharedData, 'cdnow_master.csv'));
    let exported: Map<string, Record<string, string>>;

    beforeAll(async () => {
        // A customers file listing every buyer, and one customer who never bought (no scores).
        const ids = [...new Set(purchases.map(p => p.customer_id))];
        fs.writeFileSync(path.join(dir, 'customers.csv'), ['customer_id', ...ids, '99999'].join('\n') + '\n');
        const plan = `plan "CDNOW RFM" {
  objective retention
  customers buyers from "customers.csv" key customer_id
  events purchases from ${JSON.stringify(path.join(sharedData, 'cdnow_master.csv'))} customer customer_id time date {
    cds: number
    amount: number
  }
  rfm value from purchases {
    monetary amount
    as of ${AS_OF}
    bins ${BINS}
  }
  segment best = value.r >= 4 and value.f >= 4
  segment not_best = not best
}
`;
        fs.writeFileSync(path.join(dir, 'cdnow.mplan'), plan);
        const out = path.join(dir, 'out');
        await withPlanSession(path.join(dir, 'cdnow.mplan'), '2000-01-01', session => exportAudience(session, out), { writableDirectories: [out], dataRoots: [sharedData], engine: engine.url() });
        exported = new Map(readCsv(path.join(out, 'segments.csv')).map(r => [r.customer_id, r]));
    }, 120_000);

    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('scores every customer as the rule says', () => {
        const asOf = day(AS_OF);
        // Monetary is the decimal sum (to 6 places): amounts as integers of 1e-9, added as big integers.
        const nano = (text: string) => {
            const [whole, fraction = ''] = text.split('.');
            return BigInt(whole + fraction.padEnd(9, '0').slice(0, 9));
        };
        const byCustomer = new Map<string, { last: number; count: number; amounts: bigint }>();
        for (const p of purchases) {
            const t = day(p.date);
            if (t >= asOf) continue;
            const entry = byCustomer.get(p.customer_id) ?? { last: -Infinity, count: 0, amounts: 0n };
            entry.last = Math.max(entry.last, t);
            entry.count++;
            entry.amounts += nano(p.amount);
            byCustomer.set(p.customer_id, entry);
        }
        const rows = [...byCustomer].map(([id, e]) => ({ id, recency: asOf - e.last, frequency: e.count, monetary: Number(e.amounts) / 1e9 }));
        const cuts = (values: number[]) => {
            const sorted = [...values].sort((a, b) => a - b);
            return Array.from({ length: BINS - 1 }, (_, k) => quantile7(sorted, (k + 1) / BINS));
        };
        const rc = cuts(rows.map(r => r.recency)), fc = cuts(rows.map(r => r.frequency)), mc = cuts(rows.map(r => r.monetary));
        const below = (cs: number[], v: number) => cs.filter(c => c < v).length;

        expect(rows.length).toBeGreaterThan(20000);
        let checked = 0;
        for (const r of rows) {
            const got = exported.get(r.id)!;
            expect(got, r.id).toBeDefined();
            const expected = { r: BINS - below(rc, r.recency), f: 1 + below(fc, r.frequency), m: 1 + below(mc, r.monetary) };
            expect({ id: r.id, r: Number(got['value.r']), f: Number(got['value.f']), m: Number(got['value.m']) }).toEqual({ id: r.id, ...expected });
            checked++;
        }
        expect(checked).toBe(rows.length);
    });

    it('gives no scores to customers without events before as of, and comparisons with them are false', () => {
        const never = exported.get('99999')!;
        expect(never['value.r']).toBe('');
        expect(never['value.f']).toBe('');
        expect(never.best).toBe('0');
        // `not best` is true for them: the comparison is false, its negation true.
        expect(never.not_best).toBe('1');
        // Customers whose first purchase is after as of are not scored either.
        const late = [...exported.values()].filter(r => r['value.r'] === '');
        expect(late.length).toBeGreaterThan(0);
    });

    it('keeps ties together: customers with equal frequency share one F score', () => {
        const asOf = day(AS_OF);
        const frequency = new Map<string, number>();
        for (const p of purchases) if (day(p.date) < asOf) frequency.set(p.customer_id, (frequency.get(p.customer_id) ?? 0) + 1);
        const scoresByFrequency = new Map<number, Set<string>>();
        for (const [id, f] of frequency) scoresByFrequency.set(f, (scoresByFrequency.get(f) ?? new Set()).add(exported.get(id)!['value.f']));
        for (const scores of scoresByFrequency.values()) expect(scores.size).toBe(1);
        // Most CDNOW customers bought once: they all share the lowest score.
        expect([...scoresByFrequency.get(1)!]).toEqual(['1']);
    });
});
