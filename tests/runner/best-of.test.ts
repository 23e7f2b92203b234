// `channel best of [email, sms, phone, push] by prefs.channel` through `mplan audience` and `mplan run`, on the
// synthetic contact log of attitude-fixture.ts: each treatment customer's channel is the listed one with the highest
// score as of the campaign's start (ties to the first listed; push, never used before, has no score and is never
// picked), computed here independently; the phone's capacity applies to the customers who got the phone only; the
// report's contacts and cost are per actual channel, and so is the schedule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { readCsv, runCli, tempDir } from './helpers.js';
import type { Contact } from './attitude-fixture.js';
import { PLAN_HEAD, scores, writeContactLog } from './attitude-fixture.js';

const dir = tempDir('mplan-best-of-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const OPTIONS = ['email', 'sms', 'phone', 'push'];
const COST: Record<string, number> = { email: 0.02, sms: 0.05, phone: 3, push: 0.01 };
const PHONE_PER_DAY = 4;
const RUN_DAYS = 5;
const contacts: Contact[] = [];
let report: Report;
let rows: Array<Record<string, string>>;

beforeAll(async () => {
    contacts.push(...writeContactLog(dir));
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Best of" {
${PLAN_HEAD}  channel email cost ${COST.email} per contact
  channel sms cost ${COST.sms} per contact
  channel phone cost ${COST.phone} per contact capacity ${PHONE_PER_DAY} per day
  channel push cost ${COST.push} per contact
  metric replied = any(contacts where responded)
  campaign c {
    audience everyone
    channel best of [${OPTIONS.join(', ')}] by prefs.channel
    runs 2025-10-01 to 2025-10-0${RUN_DAYS}
    control 20% seed "best"
    goal lift(replied) >= 5 pp by 2025-12-31
  }
}
`);
    for (const args of [['audience', 'plan.mplan', '--out', 'audience'], ['run', 'plan.mplan', '--out', 'out']]) {
        const result = await runCli([...args, '--as-of', '2026-01-01'], dir);
        if (result.code !== 0) throw new Error(result.stderr);
    }
    report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    rows = readCsv(path.join(dir, 'audience', 'c.csv'));
});

/** The pick, computed here: the highest score as of the start, ties to the first listed, no score below any. */
function picks(): Map<string, string> {
    const start = Date.UTC(2025, 9, 1);
    const s = scores(contacts, 'channel', start);
    const result = new Map<string, string>();
    for (const row of rows.filter(r => r.group === 'treatment')) {
        let best = OPTIONS[0], top = -Infinity;
        for (const option of OPTIONS) {
            const score = s.rates.has(option) ? s.score(row.customer_id, option) : -1;
            if (score > top) [best, top] = [option, score];
        }
        result.set(row.customer_id, best);
    }
    return result;
}

describe('channel best of, through mplan audience and mplan run', () => {
    it('contacts each treatment customer through their best channel, the phone within its capacity', () => {
        const want = picks();
        const treatment = rows.filter(r => r.group === 'treatment');
        expect(new Set(want.values())).toEqual(new Set(['email', 'sms', 'phone']));
        const phone = [...want.values()].filter(c => c === 'phone').length;
        // More customers prefer the phone than it can call in the run: some calls do not fit.
        expect(phone).toBeGreaterThan(PHONE_PER_DAY * RUN_DAYS);
        let calls = 0;
        for (const row of treatment) {
            if (want.get(row.customer_id) === 'phone' && row.step1_channel === '') continue;
            expect(row.step1_channel, row.customer_id).toBe(want.get(row.customer_id));
            if (row.step1_channel === 'phone') calls++;
        }
        expect(calls).toBe(PHONE_PER_DAY * RUN_DAYS);
        const perDay = new Map<string, number>();
        for (const row of treatment.filter(r => r.step1_channel === 'phone')) perDay.set(row.step1_date, (perDay.get(row.step1_date) ?? 0) + 1);
        expect([...perDay.values()]).toEqual(Array.from({ length: RUN_DAYS }, () => PHONE_PER_DAY));
        for (const row of rows.filter(r => r.group === 'control')) expect([row.step1_channel, row.step1_date]).toEqual(['', '']);
    });

    it('reports contacts and cost per actual channel, and the schedule per channel', () => {
        const want = picks();
        const count = (channel: string) => [...want.values()].filter(c => c === channel).length;
        const c = report.campaigns[0];
        const made: Record<string, number> = { email: count('email'), sms: count('sms'), phone: PHONE_PER_DAY * RUN_DAYS, push: 0 };
        expect(c.steps.map(s => [s.channel, s.contacts])).toEqual(OPTIONS.map(o => [o, made[o]]));
        for (const s of c.steps) {
            expect(s.via).toBe('best of [email, sms, phone, push] by prefs.channel');
            expect(s.cost).toBeCloseTo(made[s.channel] * COST[s.channel], 9);
        }
        expect(c.cost).toBeCloseTo(OPTIONS.reduce((sum, o) => sum + made[o] * COST[o], 0), 9);
        const scheduled = (channel: string) => c.schedule.filter(r => r.channel === channel).reduce((sum, r) => sum + r.contacts, 0);
        expect([scheduled('email'), scheduled('sms'), scheduled('phone')]).toEqual([made.email, made.sms, made.phone]);
        expect(Math.max(...c.schedule.filter(r => r.channel === 'phone').map(r => r.contacts))).toBe(PHONE_PER_DAY);
        expect(c.warnings.join(' ')).toContain(`${count('phone') - made.phone} phone contacts did not fit`);
    });
});
