// The real money, end to end on synthetic data: a campaign with two recorded arms, a fixed cost, an offer paid per
// `booked` customer and a margin. Every figure of the report (arm and campaign costs, offer units, ROI and its
// interval, cost per incremental response, the ROI of one arm over the other) is recomputed here from the raw rows;
// then the same plan before launch (the offer's cost unknown) and without a margin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignResult, Report } from '../../src/runner/report/schema.js';
import { renderMarkdown } from '../../src/runner/report/markdown.js';
import { renderHtml } from '../../src/runner/report/html.js';
import { evaluateFile, tempDir, welchFromValues } from './helpers.js';
import { prng } from '../../scripts/prng.js';

const dir = tempDir('mplan-money-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MAIL = 0.8, PHONE = 4, OFFER = 12, FIXED = 5000, MARGIN = 0.35;
const GROUPS = [
    { label: 'C', size: 1500, rate: 0.10 },
    { label: 'M', size: 1400, rate: 0.16 },
    { label: 'MC', size: 1600, rate: 0.24 }
];
// The attribution window: exposure at the start of runs (both arms' first step is on day 0), 30 days.
const WINDOW = ['2027-03-01', '2027-03-31'];

interface Member { id: string; group: string; bookings: Array<{ date: string; amount: number }> }

function synthesize(): Member[] {
    const random = prng(9);
    const members: Member[] = [];
    for (const g of GROUPS) {
        for (let i = 0; i < g.size; i++) {
            const bookings: Member['bookings'] = [];
            if (random() < g.rate) {
                // One to three bookings in the window, in cents.
                const n = 1 + Math.floor(random() * 3);
                for (let k = 0; k < n; k++) bookings.push({ date: `2027-03-${String(1 + Math.floor(random() * 30)).padStart(2, '0')}`, amount: Math.round((40 + random() * 260) * 100) / 100 });
            }
            // Bookings outside the window count for nothing: before exposure, and on the day the window closes.
            if (random() < 0.05) bookings.push({ date: '2027-02-27', amount: 99.99 });
            if (random() < 0.05) bookings.push({ date: '2027-03-31', amount: 55.5 });
            members.push({ id: `${g.label}-${i}`, group: g.label, bookings });
        }
    }
    return members;
}

function planText(options: { campaignMargin?: boolean; planMargin?: boolean } = {}): string {
    const { campaignMargin = true, planMargin = true } = options;
    return `plan "Money" {
  objective growth
  currency EUR
${planMargin ? '  margin 50%\n' : ''}
  customers members from "members.csv" key member_id {
    cohort: text
  }
  events bookings from "bookings.csv" customer member_id time booked_at {
    amount: number
  }

  channel mail cost ${MAIL} per contact
  channel phone cost ${PHONE} per contact

  metric booked = any(bookings)
  metric nights = count(bookings)
  metric revenue = sum(bookings.amount)
  metric basket = mean(bookings.amount)

  campaign spring {
    audience everyone
    runs 2027-03-01 to 2027-03-20
    groups from members.cohort control "C" split 15:14:16
    attribution 30 days
    budget 100000
    fixed cost ${FIXED}
${campaignMargin ? `    margin ${MARGIN * 100}%\n` : ''}    offer "Free breakfast" cost ${OFFER} per booked

    arm mail label "M" {
      channel mail
    }
    arm mail_call label "MC" {
      channel mail
      channel phone
    }

    goal "Mail pays": roi for mail >= 0 by 2027-06-30
    goal "The call pays over mail": roi for mail_call vs mail >= 0 by 2027-06-30
    goal "Mail over the call": roi for mail vs mail_call >= 0 by 2027-06-30
    goal roi >= 0 by 2027-06-30
    goal lift(booked) for mail_call >= 2 pp by 2027-06-30
    goal cost <= 100000 by 2027-06-30
  }
}
`;
}

const members = synthesize();
const inWindow = (date: string) => date >= WINDOW[0] && date < WINDOW[1];
const booked = (m: Member) => (m.bookings.some(b => inWindow(b.date)) ? 1 : 0);
const revenue = (m: Member) => m.bookings.filter(b => inWindow(b.date)).reduce((sum, b) => sum + Math.round(b.amount * 100), 0) / 100;
const of = (label: string) => members.filter(m => m.group === label);
const [control, mail, mailCall] = ['C', 'M', 'MC'].map(of);
const treatment = [...mail, ...mailCall];
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const units = (group: Member[]) => group.reduce((sum, m) => sum + booked(m), 0);
// Arm costs: contacts × each step's cost, plus the offer per booked customer of the arm. No fixed cost in an arm.
const armCost = { mail: mail.length * MAIL + OFFER * units(mail), mail_call: mailCall.length * (MAIL + PHONE) + OFFER * units(mailCall) };
const campaignCost = armCost.mail + armCost.mail_call + FIXED;

function write(name: string, plan: string): string {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'members.csv'), 'member_id,cohort\n' + members.map(m => `${m.id},${m.group}`).join('\n') + '\n');
    fs.writeFileSync(path.join(folder, 'bookings.csv'), 'member_id,booked_at,amount\n' + members.flatMap(m => m.bookings.map(b => `${m.id},${b.date},${b.amount}`)).join('\n') + '\n');
    fs.writeFileSync(path.join(folder, 'plan.mplan'), plan);
    return path.join(folder, 'plan.mplan');
}

/** ROI and its interval from raw values, at a margin: (Δ·n·margin − cost)/cost, the interval of Δ mapped alike. */
function expectedRoi(t: Member[], c: Member[], n: number, cost: number, margin: number) {
    const w = welchFromValues(t.map(revenue), c.map(revenue));
    const line = (delta: number) => (delta * n * margin - cost) / cost;
    return { value: line(w.diff), interval: [line(w.ci[0]), line(w.ci[1])], increment: w.diff * n };
}

describe('the real money on synthetic arms', () => {
    let report: Report;
    let c: CampaignResult;
    const arm = (name: string) => c.arms.find(a => a.name === name)!;
    const metric = (metrics: CampaignResult['metrics'], name: string) => metrics.find(m => m.name === name)!;

    beforeAll(async () => {
        report = await evaluateFile(write('complete', planText()), '2027-07-01');
        c = report.campaigns[0];
    });

    it('has the groups of the data and planted effects (a sanity check of the fixture)', () => {
        expect(c.status).toBe('complete');
        expect(c.arms.map(a => [a.name, a.size])).toEqual([['mail', mail.length], ['mail_call', mailCall.length]]);
        expect(c.groups.control.size).toBe(control.length);
        expect(mean(mailCall.map(booked))).toBeGreaterThan(mean(mail.map(booked)));
        expect(mean(mail.map(booked))).toBeGreaterThan(mean(control.map(booked)));
    });

    it('counts offer units like the metric over the window, per arm, and costs each arm its contacts and its offer', () => {
        // Customers with a booking in the window, not bookings, and not bookings outside it.
        expect(units(mail)).toBeLessThan(mail.reduce((sum, m) => sum + m.bookings.length, 0));
        expect(arm('mail').offerCost).toBeCloseTo(OFFER * units(mail), 9);
        expect(arm('mail_call').offerCost).toBeCloseTo(OFFER * units(mailCall), 9);
        expect(arm('mail').cost).toBeCloseTo(armCost.mail, 9);
        expect(arm('mail_call').cost).toBeCloseTo(armCost.mail_call, 9);
        expect(c.steps.map(s => [s.channel, s.contacts, s.cost])).toEqual([
            ['mail', mail.length, mail.length * MAIL], ['mail', mailCall.length, mailCall.length * MAIL], ['phone', mailCall.length, mailCall.length * PHONE]
        ]);
    });

    it('adds the fixed cost to the campaign once, not to an arm', () => {
        expect(c.fixedCost).toBe(FIXED);
        expect(c.offerCost).toBeCloseTo(OFFER * units(treatment), 9);
        expect(c.cost).toBeCloseTo(campaignCost, 9);
        expect(c.cost).toBeCloseTo(arm('mail').cost + arm('mail_call').cost + FIXED, 9);
        const cost = c.goals.find(g => g.kind === 'cost')!;
        expect([cost.value, cost.status]).toEqual([c.cost, campaignCost <= 100000 ? 'met' : 'not-met']);
    });

    it("counts the value's increment at the campaign's margin (which wins over the plan's) in ROI and its interval", () => {
        expect(c.margin).toBe(MARGIN);
        const e = expectedRoi(treatment, control, treatment.length, campaignCost, MARGIN);
        expect(c.incrementalValue!).toBeCloseTo(e.increment, 6);
        expect(c.roi!).toBeCloseTo(e.value, 9);
        expect(c.roiInterval![0]).toBeCloseTo(e.interval[0], 7);
        expect(c.roiInterval![1]).toBeCloseTo(e.interval[1], 7);
    });

    it("gives each arm its ROI over its own cost, without the fixed cost", () => {
        for (const [name, group] of [['mail', mail], ['mail_call', mailCall]] as const) {
            const e = expectedRoi(group, control, group.length, armCost[name], MARGIN);
            expect(arm(name).roi!, name).toBeCloseTo(e.value, 9);
            expect(arm(name).roiInterval![0], name).toBeCloseTo(e.interval[0], 7);
            expect(arm(name).roiInterval![1], name).toBeCloseTo(e.interval[1], 7);
        }
        const perArm = c.goals.filter(g => g.label === 'roi >= 0');
        expect(perArm.map(g => [g.arm, g.value])).toEqual([['mail', arm('mail').roi], ['mail_call', arm('mail_call').roi]]);
        const mailGoal = c.goals.find(g => g.label === 'Mail pays')!;
        expect(mailGoal.value!).toBeCloseTo(expectedRoi(mail, control, mail.length, armCost.mail, MARGIN).value, 9);
    });

    it('puts the cost per incremental response on additive metrics: cost ÷ (lift × group size)', () => {
        const lift = (t: Member[], f: (m: Member) => number) => mean(t.map(f)) - mean(control.map(f));
        expect(metric(c.metrics, 'booked').costPerIncrement!).toBeCloseTo(campaignCost / (lift(treatment, booked) * treatment.length), 6);
        expect(metric(c.metrics, 'revenue').costPerIncrement!).toBeCloseTo(campaignCost / (lift(treatment, revenue) * treatment.length), 6);
        expect(metric(arm('mail').metrics, 'booked').costPerIncrement!).toBeCloseTo(armCost.mail / (lift(mail, booked) * mail.length), 6);
        expect(metric(arm('mail_call').metrics, 'booked').costPerIncrement!).toBeCloseTo(armCost.mail_call / (lift(mailCall, booked) * mailCall.length), 6);
        // A mean does not add up over customers: no cost per increment, whatever its lift.
        expect(metric(c.metrics, 'basket').absoluteLift).not.toBeNull();
        expect(metric(c.metrics, 'basket').costPerIncrement).toBeNull();
    });

    it('judges `roi for A vs B` on A\'s extra value over B against A\'s cost minus B\'s', () => {
        const goal = c.goals.find(g => g.label === 'The call pays over mail')!;
        expect([goal.arm, goal.baseline]).toEqual(['mail_call', 'mail']);
        // A's cost beyond B's for A's customers: B's cost scaled to A's size.
        const extra = armCost.mail_call - armCost.mail * mailCall.length / mail.length;
        expect(mailCall.length).not.toBe(mail.length);
        expect(extra).toBeGreaterThan(0);
        const w = welchFromValues(mailCall.map(revenue), mail.map(revenue));
        const line = (delta: number) => (delta * mailCall.length * MARGIN - extra) / extra;
        expect(goal.value!).toBeCloseTo(line(w.diff), 9);
        expect(goal.interval![0]).toBeCloseTo(line(w.ci[0]), 7);
        expect(goal.interval![1]).toBeCloseTo(line(w.ci[1]), 7);
        expect(goal.status).toBe(line(w.ci[0]) > 0 ? 'met' : line(w.ci[1]) < 0 ? 'not-met' : 'inconclusive');
        // The comparison's cost per increment is over the same extra cost.
        const pair = c.comparisons.find(x => x.arm === 'mail_call' && x.baseline === 'mail')!;
        const dBooked = mean(mailCall.map(booked)) - mean(mail.map(booked));
        expect(metric(pair.metrics, 'booked').costPerIncrement!).toBeCloseTo(extra / (dBooked * mailCall.length), 6);
    });

    it('says plainly why the cheaper arm has no ROI over the dearer one', () => {
        const goal = c.goals.find(g => g.label === 'Mail over the call')!;
        expect(goal.value).toBeNull();
        expect(goal.status).toBe('inconclusive');
        const eur = (v: number) => `${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;
        expect(goal.reason).toBe(`The ROI cannot be computed: arm mail costs ${eur(armCost.mail)}, no more than arm mail_call's ${eur(armCost.mail_call)} ` +
            `scaled to arm mail's size (${eur(armCost.mail_call * mail.length / mailCall.length)}), so there is no extra spend to return on.`);
    });

    it('shows the cost parts, the margin and the cost per incremental response in Markdown and HTML', () => {
        const md = renderMarkdown(report);
        const money = (v: number) => `${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;
        const contacts = mail.length * MAIL + mailCall.length * (MAIL + PHONE);
        expect(md).toContain(`(contacts ${money(contacts)} + offer ${money(OFFER * units(treatment))} + fixed ${money(FIXED)})`);
        expect(md).toContain('ROI on margin: 35.0% of the increment of revenue.');
        expect(md).toContain(`cost per incremental booked ${money(metric(c.metrics, 'booked').costPerIncrement!)}`);
        expect(md).toMatch(/\| Cost per incr\. booked \|/);
        const html = renderHtml(report);
        expect(html).toContain(`cost per incremental booked`);
        expect(html).toContain('ROI on margin: 35.0% of the increment of revenue.');
        expect(html).toContain(`fixed ${money(FIXED)}`);
    });
});

describe('money before launch and without a margin', () => {
    it('before launch: the offer\'s cost is not known, left out of cost, and the report says so', async () => {
        const report = await evaluateFile(write('pending', planText()), '2027-02-01');
        const c = report.campaigns[0];
        expect(c.status).toBe('pending');
        expect(c.offerCost).toBeNull();
        expect(c.arms.map(a => a.offerCost)).toEqual([null, null]);
        expect(c.arms.map(a => a.cost)).toEqual([mail.length * MAIL, mailCall.length * (MAIL + PHONE)]);
        expect(c.cost).toBeCloseTo(mail.length * MAIL + mailCall.length * (MAIL + PHONE) + FIXED, 9);
        expect(c.warnings.join(' ')).toMatch(/The offer's cost is not known yet: booked has not been measured/);
        expect(renderMarkdown(report)).toContain('offer not known yet');
        expect(renderHtml(report)).toContain('not known yet');
        expect(c.metrics.every(m => m.costPerIncrement === null)).toBe(true);
    });

    it("takes the plan's margin when the campaign states none", async () => {
        const c = (await evaluateFile(write('plan-margin', planText({ campaignMargin: false })), '2027-07-01')).campaigns[0];
        expect(c.margin).toBe(0.5);
        expect(c.roi!).toBeCloseTo(expectedRoi(treatment, control, treatment.length, campaignCost, 0.5).value, 9);
    });

    it('without any margin, ROI is on revenue and the report says so', async () => {
        const report = await evaluateFile(write('no-margin', planText({ campaignMargin: false, planMargin: false })), '2027-07-01');
        const c = report.campaigns[0];
        expect(c.margin).toBeNull();
        const e = expectedRoi(treatment, control, treatment.length, campaignCost, 1);
        expect(c.roi!).toBeCloseTo(e.value, 9);
        expect(c.roiInterval![0]).toBeCloseTo(e.interval[0], 7);
        expect(renderMarkdown(report)).toContain('ROI on revenue: no margin declared.');
        expect(renderHtml(report)).toContain('ROI on revenue: no margin declared.');
    });
});
