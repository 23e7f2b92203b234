// `mplan diff` on campaigns with arms (drawn and recorded groups): each arm's size, and each lift goal's MDE per arm
// it judges (`for ARM`, `for A vs B`, and without `for`: one per arm), the same as `mplan run` reports for each side.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import type { Diff } from '../../src/cli/diff-schema.js';
import { assertBuilt, makeTempDir, removeDir, runCli } from './helpers.js';

const AS_OF = '2027-07-01';

const PLAN = `plan "Arms" {
  objective growth
  customers members from "members.csv" key member_id {
    opt_in: boolean
    grp: text
  }
  events bookings from "bookings.csv" customer member_id time booked_at {
    amount: number
  }
  channel mail cost 0.80 per contact
  channel phone cost 4 per contact capacity 300 per day
  metric booked = any(bookings)
  metric revenue = sum(bookings.amount)
  campaign spring {
    audience members.opt_in
    runs 2027-03-01 to 2027-03-31
    control 10% seed "spring-2027"
    arm mail share 40% {
      channel mail
    }
    arm mail_call share 60% {
      channel mail
      channel phone after 7 days
    }
    goal lift(booked) for mail_call >= 2 pp by 2027-06-30
    goal "Revenue": lift(revenue) >= 5% by 2027-06-30
    goal lift(booked) for mail_call vs mail >= 1 pp by 2027-06-30
  }
  campaign recorded {
    audience not members.opt_in
    runs 2027-04-01 to 2027-04-30
    groups from members.grp control "C" split 2:1:1
    arm a label "A" {
      channel mail
    }
    arm b label "B" {
      channel mail
    }
    goal lift(booked) >= 2 pp by 2027-06-30
  }
}
`;

/** A small deterministic generator, so the data set is the same at every run. */
function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

let dir: string;
beforeAll(() => {
    assertBuilt();
    const rnd = random(5);
    const members = Array.from({ length: 2000 }, (_, i) => ({ id: `M${i + 1}`, optIn: rnd() < 0.6, grp: ['A', 'B', 'C', 'C'][Math.floor(rnd() * 4)] }));
    const bookings: string[] = [];
    for (const m of members) {
        if (rnd() < 0.3) bookings.push(`${m.id},2027-0${3 + Math.floor(rnd() * 3)}-1${Math.floor(rnd() * 9)},${(10 + rnd() * 90).toFixed(2)}`);
    }
    const after = PLAN.replace('control 10% seed', 'control 25% seed').replace('arm mail share 40%', 'arm mail share 50%').replace('arm mail_call share 60%', 'arm mail_call share 50%')
        .replace('split 2:1:1', 'split 1:1:1').replace('audience not members.opt_in', 'audience everyone');
    dir = makeTempDir({
        'old.mplan': PLAN,
        'plan.mplan': after,
        'members.csv': 'member_id,opt_in,grp\n' + members.map(m => `${m.id},${m.optIn},${m.grp}`).join('\n') + '\n',
        'bookings.csv': 'member_id,booked_at,amount\n' + bookings.join('\n') + '\n'
    });
});
afterAll(() => removeDir(dir));

async function report(plan: string, out: string): Promise<Report> {
    const result = await runCli(['run', plan, '--as-of', AS_OF, '--out', out], dir);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(fs.readFileSync(path.join(dir, out, 'report.json'), 'utf8'));
}

describe('mplan diff with arms', () => {
    it('gives each arm\'s size and each lift goal\'s MDE per arm as mplan run reports them on each side', async () => {
        const [before, after] = [await report('old.mplan', 'before'), await report('plan.mplan', 'after')];
        const result = await runCli(['diff', '--base-file', 'old.mplan', 'plan.mplan', '--format', 'json', '--as-of', AS_OF], dir);
        expect(result.code, result.stderr).toBe(0);
        const diff: Diff = JSON.parse(result.stdout);
        const rows = diff.plans[0].deployment;
        expect(diff.plans[0].evaluated).toBe(true);

        let mdes = 0;
        for (const campaign of after.campaigns) {
            const old = before.campaigns.find(c => c.name === campaign.name)!;
            for (const arm of campaign.arms) {
                const row = rows.find(r => r.campaign === campaign.name && r.field === 'treatment' && r.arm === arm.name);
                const was = old.arms.find(a => a.name === arm.name)!.size;
                if (was === arm.size) expect(row).toBeUndefined();
                else expect(row).toMatchObject({ old: was, new: arm.size });
            }
            for (const goal of campaign.goals.filter(g => g.kind === 'lift')) {
                const oldGoal = old.goals.find(g => g.label === goal.label && g.arm === goal.arm && g.baseline === goal.baseline)!;
                expect(goal.mde).not.toBeNull();
                // The goal's key: its label, else what it judges (without the target).
                const key = goal.label === 'Revenue' ? '"Revenue"' : goal.label.replace(/ >= .*$/, '');
                const row = rows.find(r => r.campaign === campaign.name && r.field === 'mde' && r.goal === key && r.arm === goal.arm);
                expect(row, `${campaign.name} ${key} ${goal.arm}`).toMatchObject({ old: oldGoal.mde, new: goal.mde });
                mdes++;
            }
        }
        // spring: for mail_call, Revenue for each of its two arms, mail_call vs mail; recorded: each of its two arms.
        expect(mdes).toBe(6);
        expect(rows.filter(r => r.field === 'mde')).toHaveLength(6);
    });
});
