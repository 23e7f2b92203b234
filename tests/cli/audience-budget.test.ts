// The budget check before launch: `mplan audience` draws the groups, so it knows every step's contacts; a campaign
// whose planned cost (contacts × cost per contact + fixed cost) is above its budget gets one warning line on stderr.
// The offer's cost depends on responses and is left out. The files are written and the exit code stays 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, removeDir, runCli } from './helpers.js';

// 1,000 customers: treatment by a recorded column, every third one in control.
const KEYS = Array.from({ length: 1000 }, (_, i) => i + 1);
const cohort = (key: number) => (key % 3 === 0 ? 'C' : 'T');
const CUSTOMERS = 'id,cohort\n' + KEYS.map(k => `${k},${cohort(k)}`).join('\n') + '\n';
const treated = KEYS.filter(k => cohort(k) === 'T').length;

const campaign = (name: string, lines: string) => `  campaign ${name} {
    audience everyone
    runs 2027-03-01 to 2027-03-31
    groups from people.cohort treatment "T" control "C"
${lines}
    goal lift(booked) >= 1 pp by 2027-06-30
  }`;

// spring_mail: 60 per contact + 5,000 fixed, against a budget 1 below it. summer: the offer alone would break its
// budget, but it is not known before launch. autumn: contacts alone, exactly at its budget.
const PLAN = `plan "Budgets" {
  objective growth
  currency EUR
  customers people from "people.csv" key id {
    cohort: text
  }
  events bookings from "bookings.csv" customer id time at
  channel mail cost 40 per contact
  channel phone cost 20 per contact
  metric booked = any(bookings)
${campaign('spring_mail', `    channel mail\n    channel phone after 3 days\n    fixed cost 5000\n    budget ${treated * 60 + 5000 - 1}`)}
${campaign('summer', `    channel mail\n    offer "Free night" cost 1000000 per booked\n    budget ${treated * 40}`)}
${campaign('autumn', `    channel mail\n    budget ${treated * 40}`)}
}
`;

let dir: string;
beforeAll(() => {
    assertBuilt();
    dir = makeTempDir({ 'people.csv': CUSTOMERS, 'bookings.csv': 'id,at\n1,2027-03-05\n2,2027-03-06\n', 'plan.mplan': PLAN });
});
afterAll(() => removeDir(dir));

const eur = (value: number) => `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;

describe('mplan audience: the planned cost against the budget', () => {
    it('warns once per campaign over budget, writes the files and exits 0', async () => {
        const result = await runCli(['audience', 'plan.mplan', '--as-of', '2027-02-01', '--out', 'out'], dir);
        expect(result.code, result.stderr).toBe(0);
        const planned = treated * (40 + 20) + 5000;
        expect(result.stderr.split('\n').filter(Boolean)).toEqual([
            `warning: campaign 'spring_mail': planned cost ${eur(planned)} (contacts and fixed cost) is above the budget of ${eur(planned - 1)}`
        ]);
        expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['autumn.csv', 'segments.csv', 'spring_mail.csv', 'summer.csv']);
        expect(result.stdout).toMatch(/spring_mail\.csv: 1,000 rows/);
    });

    it('checks only the campaign asked for', async () => {
        const result = await runCli(['audience', 'plan.mplan', '--as-of', '2027-02-01', '--out', 'out2', '--campaign', 'autumn'], dir);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
    });

    it('mplan run of the same plan before launch warns in the report, on the same figure', async () => {
        const result = await runCli(['run', 'plan.mplan', '--as-of', '2027-02-01', '--out', 'reports'], dir);
        expect(result.code, result.stderr).toBe(0);
        const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'report.json'), 'utf8'));
        const [spring, summer, autumn] = report.campaigns;
        expect([spring.cost, spring.overBudget]).toEqual([treated * 60 + 5000, true]);
        expect([summer.cost, summer.offerCost, summer.overBudget]).toEqual([treated * 40, null, false]);
        expect([autumn.cost, autumn.overBudget]).toEqual([treated * 40, false]);
    });
});
