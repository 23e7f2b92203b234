// `mplan audience --sizes-json` (src/runner/sizes.ts): group and arm sizes from the drawn groups and the contact
// schedule per channel, without evaluating a metric. Checked against the audience export's rows (who is in which
// group), the report's schedule[] (what `mplan run` schedules) and the README's capacity rule computed here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSizes } from '../../src/runner/sizes.js';
import type { Sizes } from '../../src/runner/sizes-schema.js';
import { SizesSchema, sizesJsonSchema } from '../../src/runner/sizes-schema.js';
import type { Report } from '../../src/runner/report/schema.js';
import { day, evaluateFile, readCsv, repoRoot, runCli, tempDir, withPlanSession } from './helpers.js';
import { formatDate } from '../../src/language/semantics.js';

const dir = tempDir('mplan-sizes-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const AS_OF = '2027-06-01';
const CAPACITY = 500;
const PLAN = `plan "Sizes" {
  objective growth
  customers members from "members.csv" key member_id {
    opt_in: boolean
    grp: text
  }
  events bookings from "bookings.csv" customer member_id time booked_at {
    amount: number
  }
  channel mail cost 0.80 per contact
  channel phone cost 4 per contact capacity ${CAPACITY} per day
  metric booked = any(bookings)

  campaign spring {
    audience members.opt_in
    runs 2027-03-01 to 2027-03-31
    control 10% seed "spring-2027"
    budget 9000
    fixed cost 500
    arm mail share 40% {
      channel mail
    }
    arm mail_call share 60% {
      channel mail
      channel phone after 7 days
    }
    goal lift(booked) for mail_call >= 2 pp by 2027-06-30
  }

  campaign followup {
    audience not members.opt_in
    runs 2027-03-08 to 2027-03-31
    channel phone
    budget 3000
    goal cost <= 5000 by 2027-04-30
  }

  campaign recorded {
    audience everyone
    runs 2027-04-01 to 2027-04-30
    groups from members.grp control "C" split 2:1:1
    arm a label "A" {
      channel mail
    }
    arm b label "B" {
      channel mail
      channel mail after 3 days
    }
    goal lift(booked) for a >= 2 pp by 2027-06-30
  }
}
`;

/** A small deterministic generator, so the data set is the same at every run. */
function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

let sizes: Sizes;
let report: Report;
/** The audience export's rows per campaign. */
const exported = new Map<string, Array<Record<string, string>>>();
let members: Array<{ id: string; optIn: boolean; grp: string }>;
/** What `mplan audience` said on stderr. */
let audienceWarnings: string;

beforeAll(async () => {
    const rnd = random(11);
    members = Array.from({ length: 3000 }, (_, i) => ({ id: `M${i + 1}`, optIn: rnd() < 0.7, grp: ['A', 'B', 'C', 'C', 'X'][Math.floor(rnd() * 5)] }));
    fs.writeFileSync(path.join(dir, 'members.csv'), 'member_id,opt_in,grp\n' + members.map(m => `${m.id},${m.optIn},${m.grp}`).join('\n') + '\n');
    const bookings = members.filter(() => rnd() < 0.2).map(m => `${m.id},2027-03-${String(10 + Math.floor(rnd() * 15)).padStart(2, '0')},25`);
    fs.writeFileSync(path.join(dir, 'bookings.csv'), 'member_id,booked_at,amount\n' + bookings.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'plan.mplan'), PLAN);
    const plan = path.join(dir, 'plan.mplan');
    sizes = await withPlanSession(plan, AS_OF, session => computeSizes(session));
    report = await evaluateFile(plan, AS_OF);
    const result = await runCli(['audience', 'plan.mplan', '--out', 'out', '--as-of', AS_OF], dir);
    expect(result.code, result.stderr).toBe(0);
    audienceWarnings = result.stderr;
    for (const name of ['spring', 'followup', 'recorded']) exported.set(name, readCsv(path.join(dir, 'out', `${name}.csv`)));
}, 60_000);

const countBy = (rows: Array<Record<string, string>>, group: string) => rows.filter(r => r.group === group).length;
const campaign = (name: string) => sizes.campaigns.find(c => c.name === name)!;

/** Adds days to an ISO date. */
const plus = (iso: string, days: number) => formatDate(day(iso) + days);

describe('mplan audience --sizes-json: sizes', () => {
    it('matches its published schema, and schema/sizes.schema.json is generated from it (node scripts/export-report-schema.js)', () => {
        expect(SizesSchema.safeParse(JSON.parse(JSON.stringify(sizes))).success).toBe(true);
        expect(sizes.schemaVersion).toBe(1);
        expect(sizes.asOf).toBe(AS_OF);
        const committed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema/sizes.schema.json'), 'utf8'));
        expect(committed).toEqual(JSON.parse(JSON.stringify(sizesJsonSchema())));
        expect(committed.properties.schemaVersion.const).toBe(1);
    });

    it('gives each arm the treatment customers the audience export puts in it, and control its own', () => {
        const rows = exported.get('spring')!;
        const spring = campaign('spring');
        expect(spring.arms).toEqual([{ name: 'mail', size: countBy(rows, 'mail') }, { name: 'mail_call', size: countBy(rows, 'mail_call') }]);
        expect(spring.control).toBe(countBy(rows, 'control'));
        expect(spring.treatment).toBe(countBy(rows, 'mail') + countBy(rows, 'mail_call'));
        // Nobody else takes spring's customers: its audience is every opted-in member.
        expect(spring.audience).toBe(members.filter(m => m.optIn).length);
        expect(rows.length).toBe(spring.audience);
        expect(spring.controlShare).toBe(0.1);
        expect(spring.budget).toBe(9000);
        expect(spring.line).toBe(PLAN.split('\n').findIndex(l => l.includes('campaign spring')) + 1);
        // Sanity: the split is near 10% : 36% : 54%, so the assertions above compare real groups.
        expect(spring.control / spring.audience).toBeGreaterThan(0.06);
        expect(spring.arms[1].size).toBeGreaterThan(2 * CAPACITY);
    });

    it('counts a campaign without control or arms as one arm named after it, with no control share', () => {
        const followup = campaign('followup');
        const notOptedIn = members.filter(m => !m.optIn).length;
        expect(followup).toMatchObject({ audience: notOptedIn, treatment: notOptedIn, control: 0, controlShare: null, budget: 3000 });
        expect(followup.arms).toEqual([{ name: 'followup', size: countBy(exported.get('followup')!, 'treatment') }]);
    });

    it('reads recorded arms by their labels, and the control share off the declared split', () => {
        const recorded = campaign('recorded');
        const labelled = (label: string) => members.filter(m => m.grp === label).length;
        expect(recorded.arms).toEqual([{ name: 'a', size: labelled('A') }, { name: 'b', size: labelled('B') }]);
        expect(recorded.control).toBe(labelled('C'));
        expect(recorded.audience).toBe(labelled('A') + labelled('B') + labelled('C'));
        expect(recorded.controlShare).toBe(0.5);
    });
});

describe('mplan audience --sizes-json: the schedule per channel', () => {
    /** The report's schedule[] summed per channel here: days, first and last day, busiest day, total. */
    function reportSummary(name: string) {
        const rows = report.campaigns.find(c => c.name === name)!.schedule;
        const channels = [...new Set(rows.map(r => r.channel))];
        return channels.map(channel => {
            const perDay = new Map<string, number>();
            for (const r of rows.filter(x => x.channel === channel)) perDay.set(r.date, (perDay.get(r.date) ?? 0) + r.contacts);
            const dates = [...perDay.keys()].sort();
            return {
                channel, first: dates[0], last: dates[dates.length - 1], days: dates.length,
                peak: Math.max(...perDay.values()), contacts: [...perDay.values()].reduce((a, b) => a + b, 0)
            };
        });
    }

    it('is the schedule mplan run reports, per channel', () => {
        for (const name of ['spring', 'followup', 'recorded']) expect(campaign(name).schedule, name).toEqual(reportSummary(name));
    });

    it('spreads the phone calls at the capacity a day, and lets the later campaign have what is left of a day', () => {
        const spring = campaign('spring');
        const mail = spring.arms[0].size + spring.arms[1].size;
        const calls = spring.arms[1].size;
        const springDays = Math.ceil(calls / CAPACITY);
        expect(spring.schedule).toEqual([
            { channel: 'mail', first: '2027-03-01', last: '2027-03-01', days: 1, peak: mail, contacts: mail },
            { channel: 'phone', first: '2027-03-08', last: plus('2027-03-08', springDays - 1), days: springDays, peak: CAPACITY, contacts: calls }
        ]);
        // followup starts on 2027-03-08 too, declared later: it gets what spring leaves of its last day, then whole days.
        const followup = campaign('followup');
        const n = followup.treatment;
        const left = springDays * CAPACITY - calls;
        const perDay: number[] = [];
        let remaining = n;
        if (left > 0) perDay.push(Math.min(left, remaining)), (remaining -= perDay[0]);
        while (remaining > 0) perDay.push(Math.min(CAPACITY, remaining)), (remaining -= perDay[perDay.length - 1]);
        const first = left > 0 ? plus('2027-03-08', springDays - 1) : plus('2027-03-08', springDays);
        expect(followup.schedule).toEqual([{ channel: 'phone', first, last: plus(first, perDay.length - 1), days: perDay.length, peak: Math.max(...perDay), contacts: n }]);
    });

    it('gives the same-channel steps of an arm one line per channel', () => {
        const recorded = campaign('recorded');
        const [a, b] = recorded.arms.map(arm => arm.size);
        expect(recorded.schedule).toEqual([{ channel: 'mail', first: '2027-04-01', last: '2027-04-04', days: 2, peak: a + b, contacts: a + 2 * b }]);
    });

    it('plans the cost of the scheduled contacts, in decimals, and adds the fixed cost', () => {
        const spring = campaign('spring');
        // In cents the sum is exact; one division gives the double nearest to the decimal (no 4582.400000000001).
        const contactCents = 80 * (spring.arms[0].size + spring.arms[1].size) + 400 * spring.arms[1].size;
        expect(spring.contactCost).toBe(contactCents / 100);
        expect(spring.plannedCost).toBe((contactCents + 50_000) / 100);
        expect(campaign('followup')).toMatchObject({ contactCost: 4 * campaign('followup').treatment, plannedCost: 4 * campaign('followup').treatment });
        expect(campaign('recorded').contactCost).toBe((80 * (campaign('recorded').arms[0].size + 2 * campaign('recorded').arms[1].size)) / 100);
    });

    it('plans the figure mplan audience checks against the budget', () => {
        const followup = campaign('followup');
        expect(followup.plannedCost).toBeGreaterThan(3000);
        const amount = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        expect(audienceWarnings).toContain(`campaign 'followup': planned cost ${amount(followup.plannedCost)} (contacts and fixed cost) is above the budget of 3,000.00`);
        expect(audienceWarnings).not.toContain(`campaign 'spring': planned cost`);
    });

    it('with --campaign, gives that campaign alone, still scheduled after the campaigns declared before it', async () => {
        const only = await withPlanSession(path.join(dir, 'plan.mplan'), AS_OF, session => computeSizes(session, { campaign: 'followup' }));
        expect(only.campaigns.map(c => c.name)).toEqual(['followup']);
        expect(only.campaigns[0]).toEqual(campaign('followup'));
    });
});
