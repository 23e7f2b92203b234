// With arms, each arm is its own comparison against control: an arm with fewer than 30 customers with a value gets
// the small-group warning even when every arm together has enough.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { evaluateFile, tempDir } from './helpers.js';

const root = tempDir('mplan-arms-small-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('warns about the small arm by name, and not about the pooled groups', async () => {
    const rows: string[] = [];
    const add = (label: string, n: number) => { for (let i = 0; i < n; i++) rows.push(`${label}${i},${label},${(i * 7) % 5}`); };
    add('C', 40);
    add('A', 40);
    add('B', 12);
    fs.writeFileSync(path.join(root, 'people.csv'), 'id,grp,spent\n' + rows.join('\n') + '\n');
    fs.writeFileSync(path.join(root, 'plan.mplan'), `plan "Small arm" {
  objective growth
  customers people from "people.csv" key id {
    grp: text
    spent: number
  }
  channel mail cost 1 per contact
  metric spent = people.spent
  campaign test {
    audience everyone
    runs 2026-01-01 to 2026-01-10
    groups from people.grp control "C"
    arm big label "A" {
      channel mail
    }
    arm small label "B" {
      channel mail
    }
    goal lift(spent) >= 1 pp by 2026-03-01
  }
}
`);
    const report = await evaluateFile(path.join(root, 'plan.mplan'), '2026-04-01');
    const warnings = report.campaigns[0].warnings;
    expect(report.campaigns[0].arms.map(a => a.size)).toEqual([40, 12]);
    expect(warnings).toContain('Metric spent: arm small has 12 customers with a value (fewer than 30): intervals from so few values are unreliable.');
    expect(warnings.join(' ')).not.toMatch(/arm big has/);
    expect(warnings.join(' ')).not.toMatch(/the (treatment|control) group has/);
});
