// The normative `arms.mplan` (spring direct mail: control drawn first, two arms, a phone follow-up limited to 2,000 a
// day and only for those who have not booked, a fixed cost, an offer paid per booking, a margin) runs on synthetic
// members and bookings, and its figures match an independent computation written here from the README's rules.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { formatDate } from '../../src/language/semantics.js';
import { day, evaluateFile, readCsv, runCli, sharedSpec, tempDir } from './helpers.js';
import { engineArgs, forEachEngine } from '../engines/test-engines.js';

const specFile = [path.join(sharedSpec, 'arms.mplan'), path.resolve(sharedSpec, '../spec-next/arms.mplan')].find(f => fs.existsSync(f))!;
const root = tempDir('mplan-spring-arms-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const START = day('2027-03-01');
const CALL = START + 7;
const SEED = 'spring-2027';

function hash(text: string): bigint {
    return crypto.createHash('sha256').update(text).digest().readBigUInt64BE(0);
}

/** The README's split: u = hash / 2^64; control when u < 10%; else mail when (u − 0.1) / 0.9 < 50%, else mail_call. */
function groupOf(key: string): 'control' | 'mail' | 'mail_call' {
    const u = Number(hash(`${SEED}:${key}`)) / 2 ** 64;
    if (u < 0.1) return 'control';
    return (u - 0.1) / 0.9 < 0.5 ? 'mail' : 'mail_call';
}

function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Member { key: string; optIn: boolean }
interface Booking { key: string; day: number; amount: number }

forEachEngine('arms.mplan on synthetic members and bookings', engine => {
    const members: Member[] = [];
    const bookings: Booking[] = [];
    let report: Report;

    beforeAll(async () => {
        const rnd = random(2027);
        for (let i = 1; i <= 11_000; i++) members.push({ key: `M${i}`, optIn: rnd() < 0.9 });
        for (const m of members) {
            // Bookings from before launch to after the window; those called are a little more likely to book.
            const g = groupOf(m.key);
            const p = g === 'control' ? 0.10 : g === 'mail' ? 0.14 : 0.16;
            if (rnd() < p) bookings.push({ key: m.key, day: START - 10 + Math.floor(rnd() * 80), amount: Math.round(50 + rnd() * 400) });
            if (rnd() < 0.05) bookings.push({ key: m.key, day: START + Math.floor(rnd() * 20), amount: Math.round(80 + rnd() * 200) });
        }
        fs.writeFileSync(path.join(root, 'members.csv'), 'member_id,tier,mail_opt_in\n' + members.map(m => `${m.key},silver,${m.optIn}`).join('\n') + '\n');
        fs.writeFileSync(path.join(root, 'bookings.csv'), 'member_id,booked_at,amount\n' + bookings.map(b => `${b.key},${formatDate(b.day)},${b.amount}`).join('\n') + '\n');
        fs.copyFileSync(specFile, path.join(root, 'plan.mplan'));
        report = await evaluateFile(path.join(root, 'plan.mplan'), '2027-07-01', { engine: engine.url() });
    });

    const audience = () => members.filter(m => m.optIn);
    /**
     * The calls as the README schedules them: mail_call customers in the order of SHA-256(seed:order:key), from
     * 2027-03-08, at most 2,000 a day; each decided on the morning of their day (a booking since the mail skips them).
     */
    const calls = () => {
        const order = inGroup('mail_call').sort((a, b) => {
            const ha = hash(`${SEED}:order:${a}`), hb = hash(`${SEED}:order:${b}`);
            return ha < hb ? -1 : ha > hb ? 1 : a < b ? -1 : 1;
        });
        const days = new Map<string, number>();
        let today = CALL, taken = 0;
        for (const key of order) {
            if (bookedBetween(key, START, today)) continue;
            days.set(key, today);
            if (++taken === 2000) (today++, (taken = 0));
        }
        return days;
    };
    const inGroup = (g: string) => audience().filter(m => groupOf(m.key) === g).map(m => m.key);
    const bookedBetween = (key: string, from: number, to: number) => bookings.some(b => b.key === key && b.day >= from && b.day < to);

    it('draws control first and splits the rest between the arms by their shares', () => {
        const c = report.campaigns[0];
        expect(c.groups.control.size).toBe(inGroup('control').length);
        expect(c.arms.map(a => [a.name, a.size])).toEqual([['mail', inGroup('mail').length], ['mail_call', inGroup('mail_call').length]]);
    });

    it('calls, from 2027-03-08, at most 2,000 a day, only the mail_call customers who have not booked since the mail', () => {
        const c = report.campaigns[0];
        const perDay = new Map<number, number>();
        for (const d of calls().values()) perDay.set(d, (perDay.get(d) ?? 0) + 1);
        // The data makes the calls spill over more than one day, and bookings on a call day skip later days' calls.
        expect(perDay.size).toBeGreaterThan(2);
        expect(calls().size).toBeLessThan(inGroup('mail_call').filter(k => !bookedBetween(k, START, CALL)).length);
        const phone = c.schedule.filter(r => r.channel === 'phone');
        expect(phone).toEqual([...perDay].sort((a, b) => a[0] - b[0]).map(([d, n]) => ({ arm: 'mail_call', channel: 'phone', date: formatDate(d), contacts: n })));
        expect(c.steps.filter(s => s.channel === 'phone').map(s => s.contacts)).toEqual([calls().size]);
        expect(c.schedule.filter(r => r.channel === 'mail')).toEqual([
            { arm: 'mail', channel: 'mail', date: '2027-03-01', contacts: inGroup('mail').length },
            { arm: 'mail_call', channel: 'mail', date: '2027-03-01', contacts: inGroup('mail_call').length }
        ]);
    });

    it('measures booked and revenue over 60 days from the mail, for each arm against control', () => {
        const c = report.campaigns[0];
        const booked = (k: string) => (bookedBetween(k, START, START + 60) ? 1 : 0);
        const revenue = (k: string) => bookings.filter(b => b.key === k && b.day >= START && b.day < START + 60).reduce((s, b) => s + b.amount, 0);
        const mean = (keys: string[], f: (k: string) => number) => keys.reduce((s, k) => s + f(k), 0) / keys.length;
        for (const arm of c.arms) {
            const m = arm.metrics.find(x => x.name === 'booked')!;
            expect(m.treatment).toBeCloseTo(mean(inGroup(arm.name), booked), 12);
            expect(m.control).toBeCloseTo(mean(inGroup('control'), booked), 12);
            const r = arm.metrics.find(x => x.name === 'revenue')!;
            expect(r.treatment).toBeCloseTo(mean(inGroup(arm.name), revenue), 9);
        }
    });

    it('charges contacts, the offer per booking and the fixed cost, and counts ROI at the 35% margin', () => {
        const c = report.campaigns[0];
        const booked = (keys: string[]) => keys.filter(k => bookedBetween(k, START, START + 60)).length;
        const revenue = (k: string) => bookings.filter(b => b.key === k && b.day >= START && b.day < START + 60).reduce((s, b) => s + b.amount, 0);
        const mean = (keys: string[]) => keys.reduce((s, k) => s + revenue(k), 0) / keys.length;
        const mail = inGroup('mail'), call = inGroup('mail_call'), control = inGroup('control');
        const cost = { mail: mail.length * 0.8 + 12 * booked(mail), mail_call: call.length * 0.8 + calls().size * 4 + 12 * booked(call) };
        expect(c.arms.map(a => a.cost)).toEqual([expect.closeTo(cost.mail, 6), expect.closeTo(cost.mail_call, 6)]);
        expect(c.fixedCost).toBe(5000);
        expect(c.cost).toBeCloseTo(cost.mail + cost.mail_call + 5000, 6);
        expect(c.margin).toBe(0.35);
        const roiMail = ((mean(mail) - mean(control)) * mail.length * 0.35 - cost.mail) / cost.mail;
        expect(c.arms[0].roi).toBeCloseTo(roiMail, 9);
        const goal = c.goals.find(g => g.label === 'Mail pays for itself')!;
        expect(goal.value).toBeCloseTo(roiMail, 9);
        // The campaign's cost goal is judged on every arm together, the fixed cost included.
        const costGoal = c.goals.find(g => g.kind === 'cost')!;
        expect(costGoal.value).toBeCloseTo(c.cost, 9);
        expect(costGoal.status).toBe(c.cost <= 150000 ? 'met' : 'not-met');
    });

    it('exports each customer\'s call day, and no call for those who booked', async () => {
        const result = await runCli(['audience', 'plan.mplan', '--out', 'out', '--as-of', '2027-07-01', ...engineArgs(engine)], root);
        expect(result.code, result.stderr).toBe(0);
        const rows = readCsv(path.join(root, 'out', 'spring_mail.csv'));
        const exported = new Map(rows.filter(r => r.step2_channel === 'phone').map(r => [r.member_id, r.step2_date]));
        expect(exported).toEqual(new Map([...calls()].map(([k, d]) => [k, formatDate(d)])));
        expect(rows.filter(r => r.group === 'control').every(r => r.step1_channel === '' && r.step2_channel === '')).toBe(true);
    });
});
