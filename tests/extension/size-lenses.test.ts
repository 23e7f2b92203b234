// The size code lenses: arms found in a plan's text without a parser, the lens titles and where they go, and the same
// figures whether they come from `mplan audience --sizes-json` (opening a plan) or from a report (after an evaluation).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outlinePlan } from '../../src/extension/plan-outline.js';
import type { CampaignSize } from '../../src/extension/audience-sizes-core.js';
import { armTitle, channelTooltip, sizeLenses, sizesFromJson, sizesFromReport } from '../../src/extension/audience-sizes-core.js';
import { computeSizes } from '../../src/runner/sizes.js';
import { evaluate } from '../../src/runner/evaluate.js';
import type { Report } from '../../src/runner/report/schema.js';
import type { Sizes } from '../../src/runner/sizes-schema.js';
import { tempDir, withPlanSession } from '../runner/helpers.js';

const PLAN = `plan "Spring" {
  objective growth
  customers members from "members.csv" key member_id {
    arm: text        // a column named arm
    opt_in: boolean
  }
  channel mail cost 0.80 per contact
  channel phone cost 4 per contact capacity 300 per day
  metric spend = members.opt_in
  segment arm = members.arm = "x"

  campaign spring {
    audience everyone and not arm
    runs 2027-03-01 to 2027-03-31
    control 10% seed "spring-2027"
    // arm commented { }
    arm mail share 40% {
      channel mail
    }
    arm mail_call share 60% label "ignored" {
      channel mail
      channel phone after 7 days
    }
    goal lift(spend) for mail_call >= 2 pp by 2027-06-30
  }

  campaign plain {
    audience arm
    runs 2027-04-01 to 2027-04-30
    control 20% seed "plain"
    channel mail
    goal lift(spend) >= 2 pp by 2027-06-30
  }
}
`;
const lines = PLAN.split('\n');
const lineOf = (text: string) => lines.findIndex(l => l.includes(text));

describe('outlinePlan: arms', () => {
    it('finds each `arm NAME` directly in a campaign, with its line and column, and nothing named arm elsewhere', () => {
        const outline = outlinePlan(PLAN);
        const [spring, plain] = outline.campaigns;
        expect(spring.arms).toEqual([
            { name: 'mail', line: lineOf('arm mail share'), character: lines[lineOf('arm mail share')].indexOf('arm') },
            { name: 'mail_call', line: lineOf('arm mail_call'), character: 4 }
        ]);
        expect(plain.arms).toEqual([]);
        expect(spring.goals).toHaveLength(1);
    });

    it('takes `arm NAME {`, `arm NAME share`, `arm NAME label`, on one line or after a closing brace', () => {
        const text = 'plan "p" {\n  campaign c {\n    arm a { channel mail } arm b label "B" {\n      channel sms\n    }\n    arm c\n    share 50% { }\n  }\n}';
        expect(outlinePlan(text).campaigns[0].arms.map(a => [a.name, a.line])).toEqual([['a', 2], ['b', 2], ['c', 5]]);
        expect(outlinePlan('plan "p" {\n  campaign c {\n    audience x.arm and arm\n    arm\n  }\n}').campaigns[0].arms).toEqual([]);
    });
});

describe('size lens titles', () => {
    const size: CampaignSize = {
        audience: 10_000, treatment: 9_000, control: 1_000, controlShare: 0.1,
        arms: [{ name: 'mail', size: 4_050 }, { name: 'mail_call', size: 4_950 }],
        channels: [
            { channel: 'mail', first: '2027-03-01', last: '2027-03-01', days: 1, peak: 9_000, contacts: 9_000 },
            { channel: 'phone', first: '2027-03-08', last: '2027-03-10', days: 3, peak: 2_000, contacts: 4_950 }
        ]
    };

    it('says the audience and control on the campaign line, then each channel, and each arm\'s size on its line', () => {
        const spring = outlinePlan(PLAN).campaigns[0];
        const lenses = sizeLenses(spring, size);
        expect(lenses.map(l => [l.line, l.title])).toEqual([
            [spring.line, 'Audience 10,000 · control 10% (1,000)'],
            [spring.line, 'mail: 2027-03-01'],
            [spring.line, 'phone: 3 days at 2,000/day, last 2027-03-10'],
            [lineOf('arm mail share'), 'Arm mail: 4,050 customers'],
            [lineOf('arm mail_call'), 'Arm mail_call: 4,950 customers']
        ]);
        expect(lenses[3]).toMatchObject({ character: 4, length: 3 });
        expect(lenses[0]).toMatchObject({ character: 2, length: 'campaign'.length });
        expect(lenses[2].tooltip).toBe('phone: 4,950 contacts on 3 days from 2027-03-08 to 2027-03-10 (last contact), at most 2,000 a day');
        expect(lenses[4].tooltip).toBe('4,950 treatment customers in arm mail_call, 55% of the treatment group');
        expect(sizeLenses(spring, size, true).every(l => l.tooltip.endsWith(' (from the last report)'))).toBe(true);
    });

    it('leaves out arms the figures do not know (the plan was edited since) and channels without contacts', () => {
        const spring = outlinePlan(PLAN.replace('arm mail_call', 'arm mail_phone')).campaigns[0];
        const lenses = sizeLenses(spring, { ...size, channels: [] });
        expect(lenses.map(l => l.title)).toEqual(['Audience 10,000 · control 10% (1,000)', 'Arm mail: 4,050 customers']);
    });

    it('counts one customer and one contact in the singular', () => {
        expect(armTitle({ name: 'vip', size: 1 })).toBe('Arm vip: 1 customer');
        expect(armTitle({ name: 'vip', size: 0 })).toBe('Arm vip: 0 customers');
        expect(channelTooltip({ channel: 'sms', first: '2027-01-02', last: '2027-01-02', days: 1, peak: 1, contacts: 1 })).toBe('sms: 1 contact on 2027-01-02');
    });
});

describe('sizes from --sizes-json and from a report', () => {
    const dir = tempDir('mplan-size-lenses-');
    let sizes: Sizes;
    let report: Report;
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    beforeAll(async () => {
        const rows = Array.from({ length: 1200 }, (_, i) => `m${i},${i % 7 === 0 ? 'x' : 'y'},${i % 3 === 0}`);
        fs.writeFileSync(path.join(dir, 'members.csv'), 'member_id,arm,opt_in\n' + rows.join('\n') + '\n');
        fs.writeFileSync(path.join(dir, 'plan.mplan'), PLAN);
        [sizes, report] = await withPlanSession(path.join(dir, 'plan.mplan'), '2027-07-01', async session => [await computeSizes(session), await evaluate(session)] as const);
    }, 60_000);

    it('give the same lenses: opening a plan shows what an evaluation would', () => {
        const fromJson = sizesFromJson(sizes);
        const fromReport = sizesFromReport(report);
        expect([...fromJson.keys()]).toEqual(['spring', 'plain']);
        expect(fromJson).toEqual(fromReport);
        const spring = fromJson.get('spring')!;
        // 1,200 members, the 172 with arm "x" left to campaign plain; the phone arm's calls at 300 a day.
        expect(spring.audience).toBe(1200 - 172);
        expect(spring.arms.map(a => a.name)).toEqual(['mail', 'mail_call']);
        const calls = spring.arms[1].size;
        expect(spring.channels[1]).toEqual({ channel: 'phone', first: '2027-03-08', last: `2027-03-${String(7 + Math.ceil(calls / 300)).padStart(2, '0')}`, days: Math.ceil(calls / 300), peak: 300, contacts: calls });
        expect(fromJson.get('plain')).toMatchObject({ audience: 172, controlShare: 0.2, arms: [{ name: 'plain' }] });
    });

    it('read the control share of recorded arms off their split (control first)', () => {
        const recorded = structuredClone(report);
        recorded.campaigns[0].assignment = { kind: 'recorded', source: 'members', column: 'grp', treatment: null, control: 'C', split: [2, 1, 1] };
        recorded.campaigns[1].assignment = { kind: 'recorded', source: 'members', column: 'grp', treatment: 'T', control: 'C', split: [3, 1] };
        const shares = sizesFromReport(recorded);
        expect(shares.get('spring')!.controlShare).toBe(0.5);
        expect(shares.get('plain')!.controlShare).toBe(0.25);
    });
});
