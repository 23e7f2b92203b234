// Acceptance for issue 10 on real data: CDNOW purchases (cdnow_master.csv), `segment repeat_buyers =
// count(purchases within 180 days) >= 2`, and a campaign for them starting 1998-01-01. Checked against an independent
// count from the raw CSV: events strictly before the reference date R and on or after R − 180 days, R being the
// campaign's start for its audience (the evaluation date when that is earlier) and the evaluation date for the
// report's segment table and segments.csv. On this data a day more or less at either end changes the count.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { day, readCsv, runCli, sharedData, tempDir } from './helpers.js';
import { engineArgs, forEachEngine } from '../engines/test-engines.js';

const SEED = 'cdnow-1998';
const START = '1998-01-01';
const WITHIN = 180;
const purchasesFile = path.join(sharedData, 'cdnow_master.csv');

const dir = tempDir('mplan-cdnow-behaviour-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const plan = `plan "CDNOW repeat buyers" {
  objective retention
  customers buyers from "customers.csv" key customer_id
  events purchases from ${JSON.stringify(purchasesFile)} customer customer_id time date {
    cds: number
    amount: number
  }
  segment repeat_buyers "Two purchases or more in the last 180 days" = count(purchases within ${WITHIN} days) >= 2
  channel mail cost 1 per contact
  metric bought = any(purchases)
  campaign winback {
    audience repeat_buyers
    channel mail
    runs ${START} to 1998-01-31
    control 10% seed "${SEED}"
    attribution 30 days
    goal lift(bought) >= 1 pp by 1998-03-31
  }
}
`;

forEachEngine('count(purchases within 180 days) >= 2 on CDNOW', engine => {
    const purchases = readCsv(purchasesFile).map(p => ({ id: p.customer_id, day: day(p.date) }));
    const ids = [...new Set(purchases.map(p => p.id))];

    /** The customers with at least 2 purchases in [R − days, R), from the raw rows. */
    function repeatBuyers(R: number, days = WITHIN, includeR = false): Set<string> {
        const counts = new Map<string, number>();
        for (const p of purchases) if ((includeR ? p.day <= R : p.day < R) && p.day >= R - days) counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
        return new Set([...counts].filter(([, n]) => n >= 2).map(([id]) => id));
    }

    async function evaluate(asOf: string): Promise<{ report: Report; segments: Array<Record<string, string>>; audience: Array<Record<string, string>> }> {
        const out = `report-${asOf}`, files = `audience-${asOf}`;
        const run = await runCli(['run', 'cdnow.mplan', '--out', out, '--as-of', asOf, '--data-root', sharedData, ...engineArgs(engine)], dir);
        if (run.code !== 0) throw new Error(`mplan run cdnow.mplan failed (exit ${run.code}); the runner must evaluate aggregates with within in segments and audiences:\n${run.stderr}`);
        const audience = await runCli(['audience', 'cdnow.mplan', '--out', files, '--as-of', asOf, '--data-root', sharedData, ...engineArgs(engine)], dir);
        if (audience.code !== 0) throw new Error(`mplan audience cdnow.mplan failed (exit ${audience.code}):\n${audience.stderr}`);
        return {
            report: JSON.parse(fs.readFileSync(path.join(dir, out, 'report.json'), 'utf8')),
            segments: readCsv(path.join(dir, files, 'segments.csv')),
            audience: readCsv(path.join(dir, files, 'winback.csv'))
        };
    }

    beforeAll(() => {
        fs.writeFileSync(path.join(dir, 'customers.csv'), ['customer_id', ...ids].join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'cdnow.mplan'), plan);
    });

    it('the independent count: every boundary matters on this data', () => {
        const R = day(START);
        const n = repeatBuyers(R).size;
        expect(n).toBeGreaterThan(1000);
        // A day less, a day more, or counting purchases on the start date itself: other counts.
        expect(repeatBuyers(R, WITHIN - 1).size).not.toBe(n);
        expect(repeatBuyers(R, WITHIN + 1).size).not.toBe(n);
        expect(repeatBuyers(R, WITHIN, true).size).not.toBe(n);
        expect(repeatBuyers(day('1998-04-01')).size).not.toBe(n);
    });

    it('after the start: the audience counts back from the campaign\'s start, the segment table from the evaluation date', async () => {
        const asOf = '1998-04-01';
        const { report, segments, audience } = await evaluate(asOf);
        const atStart = repeatBuyers(day(START)), atEval = repeatBuyers(day(asOf));
        expect(report.customers.size).toBe(ids.length);
        const c = report.campaigns.find(x => x.name === 'winback')!;
        expect(c.audience.size).toBe(atStart.size);
        expect(c.groups.treatment.size + c.groups.control.size).toBe(atStart.size);
        // The control group is drawn from exactly these customers.
        expect(c.groups.control.size).toBe([...atStart].filter(id => 10n * crypto.createHash('sha256').update(`${SEED}:${id}`).digest().readBigUInt64BE(0) < 2n ** 64n).length);
        expect(new Set(audience.map(r => r.customer_id))).toEqual(atStart);
        expect(report.segments.find(s => s.name === 'repeat_buyers')?.size).toBe(atEval.size);
        expect(new Set(segments.filter(r => r.repeat_buyers === '1').map(r => r.customer_id))).toEqual(atEval);
    });

    it('before the start: the audience counts back from the evaluation date, the earlier one', async () => {
        const asOf = '1997-12-15';
        const { report, audience } = await evaluate(asOf);
        const atEval = repeatBuyers(day(asOf));
        expect(atEval.size).not.toBe(repeatBuyers(day(START)).size);
        const c = report.campaigns.find(x => x.name === 'winback')!;
        expect(c.audience.size).toBe(atEval.size);
        expect(new Set(audience.map(r => r.customer_id))).toEqual(atEval);
        expect(report.segments.find(s => s.name === 'repeat_buyers')?.size).toBe(atEval.size);
    });
});
