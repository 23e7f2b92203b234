// Attitude through `mplan audience` and `mplan run`, on a synthetic contact log (dates and timestamps, a few contacts
// without a channel or a response, customers never contacted): every customer's score for every value in
// segments.csv, a segment and a campaign audience that read scores (the audience as of the campaign's start, from the
// contacts before it only), and the report's rates, against an independent computation of the formula
// score = 100 × (k·p_v + Σ w_i·y_i) / (k + Σ w_i), w_i = 0.5^(age_i / half-life).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { readCsv, runCli, tempDir } from './helpers.js';
import type { Contact } from './attitude-fixture.js';
import { HALF_LIFE, PLAN_HEAD, PRIOR, keys, scores, writeContactLog } from './attitude-fixture.js';

const dir = tempDir('mplan-attitude-plan-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const contacts: Contact[] = [];

beforeAll(async () => {
    contacts.push(...writeContactLog(dir));
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Attitude" {
${PLAN_HEAD}  segment sms_people = prefs.channel("sms") >= 25
  channel email cost 0.02 per contact
  metric replied = any(contacts where responded)
  campaign c {
    audience prefs.channel("email") >= 20
    channel email
    runs 2025-10-01 to 2025-10-31
    control 20% seed "x"
    uplift by prefs.offer("A")
    goal lift(replied) >= 5 pp by 2025-12-31
  }
}
`);
    for (const args of [['audience', 'plan.mplan', '--out', 'audience'], ['run', 'plan.mplan', '--out', 'out']]) {
        const result = await runCli([...args, '--as-of', '2026-01-01'], dir);
        if (result.code !== 0) throw new Error(result.stderr);
    }
});

const scoresAt = (column: 'channel' | 'offer', reference: number) => scores(contacts, column, reference);

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('attitude scores through mplan audience and mplan run', () => {
    const asOf = Date.UTC(2026, 0, 1);

    it('writes every customer\'s score for every value seen into segments.csv', () => {
        const rows = readCsv(path.join(dir, 'audience', 'segments.csv'));
        expect(Object.keys(rows[0])).toEqual(['customer_id', 'prefs.channel:email', 'prefs.channel:phone', 'prefs.channel:sms', 'prefs.offer:A', 'prefs.offer:B', 'sms_people']);
        let worst = 0;
        for (const column of ['channel', 'offer'] as const) {
            const expected = scoresAt(column, asOf);
            for (const row of rows) {
                for (const value of expected.rates.keys()) worst = Math.max(worst, relative(Number(row[`prefs.${column}:${value}`]), expected.score(row.customer_id, value)));
            }
            // Never contacted: the population's rate.
            const lone = rows.find(r => r.customer_id === 'K300')!;
            for (const [value, rate] of expected.rates) expect(relative(Number(lone[`prefs.${column}:${value}`]), 100 * rate)).toBeLessThan(1e-12);
        }
        expect(worst).toBeLessThan(1e-9);
    });

    it('flags a segment by the scores as of the evaluation date', () => {
        const rows = readCsv(path.join(dir, 'audience', 'segments.csv'));
        const sms = scoresAt('channel', asOf);
        const want = keys.filter(k => sms.score(k, "sms") >= 25);
        expect(want.length).toBeGreaterThan(10);
        expect(rows.filter(r => r.sms_people === '1').map(r => r.customer_id)).toEqual(want);
    });

    it('chooses the campaign audience by the scores as of the campaign start, from the contacts before it', () => {
        const start = Date.UTC(2025, 9, 1);
        const email = scoresAt('channel', start);
        const want = keys.filter(k => email.score(k, 'email') >= 20);
        const atEvaluation = scoresAt('channel', asOf);
        // The two dates choose different customers: the test can tell them apart.
        expect(keys.filter(k => atEvaluation.score(k, 'email') >= 20)).not.toEqual(want);
        const members = readCsv(path.join(dir, 'audience', 'c.csv')).map(r => r.customer_id);
        expect([...members].sort()).toEqual([...want].sort());
    });

    it('reports the population rates, contacts, customers and the spread of scores', () => {
        const report: Report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
        const [a] = report.attitude;
        expect([a.name, a.source, a.asOf, a.halfLifeDays, a.prior, a.by.map(b => b.column)]).toEqual(['prefs', 'contacts', '2026-01-01', HALF_LIFE, PRIOR, ['channel', 'offer']]);
        for (const b of a.by) {
            const column = b.column as 'channel' | 'offer';
            const expected = scoresAt(column, asOf);
            expect(b.values.map(v => v.value)).toEqual([...expected.rates.keys()].sort());
            for (const v of b.values) {
                const counted = contacts.filter(c => c.time < asOf && c[column] === v.value && c.responded !== null);
                expect(relative(v.rate, expected.rates.get(v.value)!)).toBeLessThan(1e-12);
                expect([v.contacts, v.customers]).toEqual([counted.length, new Set(counted.map(c => c.key)).size]);
                const all = keys.map(k => expected.score(k, v.value));
                expect(v.histogram.reduce((s, n) => s + n, 0)).toBe(keys.length);
                expect(v.histogram[Math.min(9, Math.floor(all[0] / 10))]).toBeGreaterThan(0);
                expect(relative(v.mean!, all.reduce((s, x) => s + x, 0) / all.length)).toBeLessThan(1e-9);
            }
        }
        const md = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
        expect(md).toContain('## Attitude `prefs`');
        expect(fs.readFileSync(path.join(dir, 'out', 'report.html'), 'utf8')).toContain('<table class="attitude" data-attitude="prefs">');
        expect(report.campaigns[0].uplift?.by).toBe('prefs.offer("A")');
    });
});
