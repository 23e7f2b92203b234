// Channel capacity and the day-by-day schedule, and conditional steps, checked against an independent computation
// written here from the README's rules: the scheduling order is SHA-256(seed + ":order:" + key), at most N contacts a
// day, each customer's window from their own first contact, control customers exposed like the treatment customer
// before them, and a conditional contact skipped when the metric happened from exposure to the day before the call.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { day, evaluateFile, readCsv, runCli, tempDir } from './helpers.js';
import { formatDate } from '../../src/language/semantics.js';
import { simulateSchedule } from '../../src/runner/schedule/simulate.js';
import { renderHtml } from '../../src/runner/report/html.js';
import { renderMarkdown } from '../../src/runner/report/markdown.js';

const root = tempDir('mplan-schedule-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const START = day('2027-03-01');

/** First 8 bytes of SHA-256(text) as an unsigned integer: the order the README documents. */
function orderHash(seed: string, key: string): bigint {
    return crypto.createHash('sha256').update(`${seed}:order:${key}`).digest().readBigUInt64BE(0);
}

function byOrder(seed: string, keys: string[]): string[] {
    return [...keys].sort((a, b) => {
        const ha = orderHash(seed, a), hb = orderHash(seed, b);
        return ha < hb ? -1 : ha > hb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    });
}

/** A small deterministic generator, so the data set is the same at every run. */
function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('capacity: 400 a day, 1,002 treatment customers', () => {
    const dir = path.join(root, 'capacity');
    const treatment = Array.from({ length: 1002 }, (_, i) => `T${i + 1}`);
    const control = Array.from({ length: 250 }, (_, i) => `C${i + 1}`);
    const bookings: Array<{ key: string; day: number }> = [];
    let report: Report;

    beforeAll(async () => {
        fs.mkdirSync(dir);
        const rnd = random(7);
        for (const key of [...treatment, ...control]) {
            // Bookings spread over the first days, so that a customer's own window start matters.
            for (let k = 0; k < 2; k++) if (rnd() < 0.3) bookings.push({ key, day: START - 3 + Math.floor(rnd() * 40) });
        }
        fs.writeFileSync(path.join(dir, 'members.csv'), 'member_id,grp\n' + [...treatment.map(k => `${k},T`), ...control.map(k => `${k},C`)].join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'bookings.csv'), 'member_id,booked_at,amount\n' + bookings.map(b => `${b.key},${formatDate(b.day)},10`).join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Capacity" {
  objective activation
  customers members from "members.csv" key member_id {
    grp: text
  }
  events bookings from "bookings.csv" customer member_id time booked_at {
    amount: number
  }
  channel phone cost 4 per contact capacity 400 per day
  metric booked = any(bookings)
  campaign calls {
    audience everyone
    runs 2027-03-01 to 2027-03-31
    groups from members.grp treatment "T" control "C"
    attribution 10 days
    channel phone
    goal lift(booked) >= 1 pp by 2027-06-30
  }
}
`);
        report = await evaluateFile(path.join(dir, 'plan.mplan'), '2027-06-01');
    });

    it('schedules 400, 400 and 202 contacts on three consecutive days in report.json', () => {
        const c = report.campaigns[0];
        expect(c.schedule).toEqual([
            { arm: 'calls', channel: 'phone', date: '2027-03-01', contacts: 400 },
            { arm: 'calls', channel: 'phone', date: '2027-03-02', contacts: 400 },
            { arm: 'calls', channel: 'phone', date: '2027-03-03', contacts: 202 }
        ]);
        expect(c.steps[0].contacts).toBe(1002);
        expect(c.cost).toBe(1002 * 4);
        expect(c.exposure).toBe('2027-03-01');
        expect(c.lastExposure).toBe('2027-03-03');
        expect(c.warnings.join(' ')).not.toMatch(/did not fit/);
    });

    it('draws the schedule per channel and day in HTML, and sums it up in Markdown', () => {
        const page = renderHtml(report);
        expect(page).toContain('<h4>phone: 2027-03-01 → 2027-03-03, 3 days, at most 400 a day</h4>');
        const table = page.slice(page.indexOf('<table class="schedule" data-channel="phone">'));
        const rows = [...table.slice(0, table.indexOf('</table>')).matchAll(/<td class="date">([\d-]+)<\/td>.*?<td class="num">([\d,]+)<\/td>/g)].map(m => [m[1], m[2]]);
        expect(rows).toEqual([['2027-03-01', '400'], ['2027-03-02', '400'], ['2027-03-03', '202']]);
        expect(renderMarkdown(report)).toContain('Schedule: phone 2027-03-01 → 2027-03-03, 3 days, at most 400 a day (1,002 contacts)');
    });

    it('writes each customer\'s scheduled date in the audience export, in the documented order', async () => {
        const result = await runCli(['audience', 'plan.mplan', '--out', 'out', '--as-of', '2027-02-20'], dir);
        expect(result.code, result.stderr).toBe(0);
        const rows = readCsv(path.join(dir, 'out', 'calls.csv'));
        const dates = new Map(rows.map(r => [r.member_id, r.step1_date]));
        const perDay = new Map<string, number>();
        for (const r of rows.filter(r => r.group === 'treatment')) perDay.set(r.step1_date, (perDay.get(r.step1_date) ?? 0) + 1);
        expect([...perDay].sort()).toEqual([['2027-03-01', 400], ['2027-03-02', 400], ['2027-03-03', 202]]);
        // Independently: the first 400 in the order on day 1, the next 400 on day 2, the rest on day 3.
        byOrder('calls', treatment).forEach((key, i) => expect(dates.get(key), key).toBe(formatDate(START + Math.floor(i / 400))));
        for (const key of control) {
            expect(dates.get(key)).toBe('');
            expect(rows.find(r => r.member_id === key)!.step1_channel).toBe('');
        }
    });

    it('measures each customer from their own first contact; control from the treatment customer before them', () => {
        const order = byOrder('calls', [...treatment, ...control]);
        const treated = new Set(treatment);
        const exposure = new Map<string, number>();
        let position = 0;
        for (const key of order) if (treated.has(key)) exposure.set(key, START + Math.floor(position++ / 400));
        const firstTreated = order.find(k => treated.has(k))!;
        let previous: string | undefined;
        for (const key of order) {
            if (treated.has(key)) previous = key;
            else exposure.set(key, exposure.get(previous ?? firstTreated)!);
        }
        const booked = (key: string) => bookings.some(b => b.key === key && b.day >= exposure.get(key)! && b.day < exposure.get(key)! + 10) ? 1 : 0;
        const mean = (keys: string[]) => keys.reduce((s, k) => s + booked(k), 0) / keys.length;
        const m = report.campaigns[0].metrics.find(x => x.name === 'booked')!;
        expect(m.treatment).toBeCloseTo(mean(treatment), 12);
        expect(m.control).toBeCloseTo(mean(control), 12);
        // A window starting at the campaign's start for everyone would count other bookings: the data makes it differ.
        const naive = (keys: string[]) => keys.filter(k => bookings.some(b => b.key === k && b.day >= START && b.day < START + 10)).length / keys.length;
        expect(naive(treatment)).not.toBeCloseTo(mean(treatment), 6);
    });
});

describe('capacity that runs out before the end of runs', () => {
    it('warns with the count and channel, keeps the customers in their group, and charges only contacts made', async () => {
        const dir = path.join(root, 'overflow');
        fs.mkdirSync(dir);
        const keys = Array.from({ length: 130 }, (_, i) => `K${i}`);
        fs.writeFileSync(path.join(dir, 'members.csv'), 'member_id\n' + keys.join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Overflow" {
  objective activation
  customers members from "members.csv" key member_id
  channel sms cost 0.1 per contact capacity 50 per day
  campaign blast {
    audience everyone
    runs 2027-03-01 to 2027-03-02
    channel sms
    goal cost <= 100 by 2027-03-31
  }
}
`);
        const report = await evaluateFile(path.join(dir, 'plan.mplan'), '2027-04-01');
        const c = report.campaigns[0];
        expect(c.schedule.map(s => s.contacts)).toEqual([50, 50]);
        expect(c.groups.treatment.size).toBe(130);
        expect(c.steps[0].contacts).toBe(100);
        expect(c.cost).toBeCloseTo(10, 10);
        expect(c.warnings).toContain('30 sms contacts did not fit before the end of runs (2027-03-02) at 50 a day: those customers stay in their group (intention to treat) and are not charged.');
        const result = await runCli(['audience', 'plan.mplan', '--out', 'out', '--as-of', '2027-02-01'], dir);
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(/warning: campaign 'blast': 30 sms contacts did not fit/);
        expect(readCsv(path.join(dir, 'out', 'blast.csv')).filter(r => r.step1_date === '').length).toBe(30);
    });
});

describe('capacity shared by campaigns', () => {
    it('lets the earlier-declared campaign take the day first', async () => {
        const dir = path.join(root, 'shared');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'members.csv'), 'member_id,region\n' + Array.from({ length: 300 }, (_, i) => `M${i},${i < 120 ? 'north' : 'south'}`).join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Shared" {
  objective activation
  customers members from "members.csv" key member_id {
    region: text
  }
  channel phone cost 1 per contact capacity 100 per day
  campaign first {
    audience members.region = "north"
    runs 2027-03-01 to 2027-03-31
    channel phone
    goal cost <= 1000 by 2027-04-30
  }
  campaign second {
    audience members.region = "south"
    runs 2027-03-02 to 2027-03-31
    channel phone
    goal cost <= 1000 by 2027-04-30
  }
}
`);
        const report = await evaluateFile(path.join(dir, 'plan.mplan'), '2027-05-01');
        const rows = (i: number) => report.campaigns[i].schedule.map(s => [s.date, s.contacts]);
        // first: 100 on 03-01, 20 on 03-02; second starts 03-02 with the 80 left, then 100 a day.
        expect(rows(0)).toEqual([['2027-03-01', 100], ['2027-03-02', 20]]);
        expect(rows(1)).toEqual([['2027-03-02', 80], ['2027-03-03', 100]]);
    });
});

describe('a conditional step: `channel phone after 7 days unless booked`', () => {
    const dir = path.join(root, 'conditional');
    const keys = Array.from({ length: 600 }, (_, i) => `P${i}`);
    const bookings: Array<{ key: string; day: number }> = [];
    const CALL = START + 7;

    beforeAll(() => {
        fs.mkdirSync(dir);
        const rnd = random(11);
        // Bookings before launch (do not count), from the mail day to the day before the call (count), on the call day
        // and later (do not count: the call list is made that morning).
        for (const key of keys) if (rnd() < 0.6) bookings.push({ key, day: START - 5 + Math.floor(rnd() * 20) });
        bookings.push({ key: 'P1', day: CALL }, { key: 'P2', day: CALL - 1 }, { key: 'P3', day: START });
        fs.writeFileSync(path.join(dir, 'members.csv'), 'member_id\n' + keys.join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'bookings.csv'), 'member_id,booked_at\n' + bookings.map(b => `${b.key},${formatDate(b.day)}`).join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Conditional" {
  objective activation
  customers members from "members.csv" key member_id
  events bookings from "bookings.csv" customer member_id time booked_at
  channel mail cost 0.80 per contact
  channel phone cost 4.00 per contact
  metric booked = any(bookings)
  campaign follow_up {
    audience everyone
    runs 2027-03-01 to 2027-03-31
    control 20% seed "cond"
    channel mail
    channel phone after 7 days unless booked
    goal lift(booked) >= 1 pp by 2027-06-30
  }
}
`);
    });

    const notBookedBy = (key: string, callDay: number) => !bookings.some(b => b.key === key && b.day >= START && b.day < callDay);

    it('contacts and charges only the treatment customers without a booking from the mail to the day before the call', async () => {
        const result = await runCli(['audience', 'plan.mplan', '--out', 'after', '--as-of', formatDate(CALL)], dir);
        expect(result.code, result.stderr).toBe(0);
        const rows = readCsv(path.join(dir, 'after', 'follow_up.csv'));
        const treated = rows.filter(r => r.group === 'treatment').map(r => r.member_id);
        expect(treated.length).toBeGreaterThan(400);
        const due = treated.filter(k => notBookedBy(k, CALL));
        // Independent count against the export: exactly those have the call, on the call day.
        expect(rows.filter(r => r.step2_channel === 'phone').map(r => r.member_id).sort()).toEqual([...due].sort());
        expect(new Set(rows.filter(r => r.step2_channel === 'phone').map(r => r.step2_date))).toEqual(new Set([formatDate(CALL)]));
        expect(due).toContain('P1');
        expect(due).not.toContain('P2');
        expect(due).not.toContain('P3');

        const report = await evaluateFile(path.join(dir, 'plan.mplan'), '2027-07-01');
        const c = report.campaigns[0];
        expect(c.steps.map(s => s.contacts)).toEqual([treated.length, due.length]);
        expect(c.cost).toBeCloseTo(treated.length * 0.8 + due.length * 4, 9);
        expect(c.schedule).toEqual([
            { arm: 'follow_up', channel: 'mail', date: '2027-03-01', contacts: treated.length },
            { arm: 'follow_up', channel: 'phone', date: formatDate(CALL), contacts: due.length }
        ]);
        // Each channel on one day: the contacts table says it all, no schedule chart.
        expect(renderHtml(report)).not.toContain('<h3>Schedule</h3>');
    });

    it('before the call day, lists everyone due as of --as-of (run it again on the day for the call list)', async () => {
        const asOf = START + 3;
        const result = await runCli(['audience', 'plan.mplan', '--out', 'before', '--as-of', formatDate(asOf)], dir);
        expect(result.code, result.stderr).toBe(0);
        const rows = readCsv(path.join(dir, 'before', 'follow_up.csv'));
        const treated = rows.filter(r => r.group === 'treatment').map(r => r.member_id);
        const due = treated.filter(k => notBookedBy(k, asOf));
        expect(rows.filter(r => r.step2_channel === 'phone').map(r => r.member_id).sort()).toEqual([...due].sort());
    });
});

describe('the schedule itself (simulateSchedule)', () => {
    const arms = (n: number) => Int32Array.from({ length: n }, () => 0);

    it('keeps a later step at its distance from an earlier step that capacity pushed', () => {
        const r = simulateSchedule({
            start: 100, end: 130,
            arms: [[{ channel: 'mail', delayDays: 0, conditional: false }, { channel: 'sms', delayDays: 2, conditional: false }]],
            capacities: new Map([['mail', 2]]),
            armOf: arms(5)
        }, new Map());
        // mail: 2, 2, 1 on days 100..102; sms 2 days after each customer's mail.
        expect(Array.from(r.exposure)).toEqual([100, 100, 101, 101, 102]);
        const sms = [0, 1, 2, 3, 4].map(p => r.contactDays[p * r.maxSteps + 1]);
        expect(sms).toEqual([102, 102, 103, 103, 104]);
    });

    it('gives same-day steps the same day, and control the exposure of the treatment customer before them', () => {
        const armOf = Int32Array.from([-1, 0, -1, -1, 0, -1]);
        const r = simulateSchedule({
            start: 10, end: 20,
            arms: [[{ channel: 'mail', delayDays: 0, conditional: false }, { channel: 'sms', delayDays: 0, conditional: false }]],
            capacities: new Map([['mail', 1]]),
            armOf
        }, new Map());
        expect(Array.from(r.exposure)).toEqual([10, 10, 10, 10, 11, 11]);
        expect(r.contactDays[4 * r.maxSteps + 1]).toBe(11);
    });
});
