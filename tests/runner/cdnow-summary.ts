// The calibration-period summary of the CDNOW sample as Fader, Hardie & Lee (2005) and the BTYD walkthrough build it,
// computed here from the raw purchases: calibration 1997-01-01 to 1997-09-30 inclusive, weeks of 7 days, purchases on
// the same day merged into one, x = purchase days after the first, t_x = (last − first) days / 7, T = (1997-09-30 −
// first) days / 7, m̄ = the mean amount of the repeat purchase days (the first day left out).
import * as path from 'node:path';
import { readCsv, sharedData } from './helpers.js';

export interface CdnowCustomer {
    id: string;
    x: number;
    tx: number;
    T: number;
    /** The mean spend of the repeat purchase days; 0 without repeat purchases. */
    meanSpend: number;
}

const DAY = 86_400_000;
const START = Date.UTC(1997, 0, 1);
const END = Date.UTC(1997, 8, 30);

function utcDay(iso: string): number {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
}

export function cdnowCalibrationSummary(file = path.join(sharedData, 'cdnow_sample.csv')): CdnowCustomer[] {
    const days = new Map<string, Map<number, number>>();
    for (const row of readCsv(file)) {
        const at = utcDay(row.date);
        if (at < START || at > END) continue;
        let customer = days.get(row.customer_id);
        if (!customer) days.set(row.customer_id, (customer = new Map()));
        customer.set(at, (customer.get(at) ?? 0) + Number(row.amount));
    }
    // A customer whose first purchase falls after the calibration end has no purchase left here: left out.
    return [...days.keys()].sort().map(id => {
        const spend = days.get(id)!;
        const sorted = [...spend.keys()].sort((a, b) => a - b);
        const first = sorted[0];
        const x = sorted.length - 1;
        const repeat = sorted.slice(1).reduce((sum, d) => sum + spend.get(d)!, 0);
        return { id, x, tx: (sorted[x] - first) / DAY / 7, T: (END - first) / DAY / 7, meanSpend: x > 0 ? repeat / x : 0 };
    });
}

/** Customers with identical (x, t_x, T) as one group with a count, as the runner will pass them. */
export function groupHistories(customers: readonly CdnowCustomer[]): Array<{ x: number; tx: number; T: number; count: number }> {
    const groups = new Map<string, { x: number; tx: number; T: number; count: number }>();
    for (const c of customers) {
        const key = `${c.x}|${c.tx}|${c.T}`;
        const group = groups.get(key);
        if (group) group.count++;
        else groups.set(key, { x: c.x, tx: c.tx, T: c.T, count: 1 });
    }
    return [...groups.values()];
}
