// Makes the test workspace: a copy of examples/ in which retention/winback.mplan has lost the deadline of its ROI
// goal (`goal roi >= 1.5 by 2026-11-15` → `goal roi >= 1.5`), plus retention/arms.mplan (a campaign with two arms
// and a call at the phone channel's capacity, for the size code lenses), and the evaluation date is fixed in the
// workspace settings so the verdicts do not depend on the day the tests run.
//   node tests/vscode/make-workspace.mjs DIR   (prints the 1-based line of the goal without a deadline)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A plan with arms on the win-back example's data; the phone channel (shared/channels.mplan) takes 400 calls a day. */
export const ARMS_PLAN = `// Arms (added by tests/vscode/make-workspace.mjs): a letter against a letter and a call, for the size code lenses.
import "../shared/channels.mplan"

plan "Spring arms" {
  objective growth
  currency USD

  customers shoppers from "data/customers.csv" key customer_id {
    region: text
  }

  events orders from "data/orders.csv" customer customer_id time ordered_at {
    amount: number
  }

  metric responded = any(orders)

  campaign spring {
    audience shoppers.region = "west"
    runs 2027-03-01 to 2027-03-31
    control 10% seed "spring-2027"
    attribution 30 days

    arm letter share 50% {
      channel mail
    }

    arm letter_call share 50% {
      channel mail
      channel phone after 7 days
    }

    goal lift(responded) for letter_call >= 2 pp by 2027-06-30
  }
}
`;

export function makeWorkspace(dir) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of ['retention', 'activation', 'shared']) {
        fs.cpSync(path.join(root, 'examples', entry), path.join(dir, entry), { recursive: true });
    }
    const plan = path.join(dir, 'retention', 'winback.mplan');
    const text = fs.readFileSync(plan, 'utf8');
    const pattern = /^(\s*goal roi >= 1\.5) by \d{4}-\d{2}-\d{2}[ \t]*$/m;
    const match = pattern.exec(text);
    if (!match) throw new Error(`${plan}: no line "goal roi >= 1.5 by DATE" to take the deadline from; update tests/vscode/make-workspace.mjs`);
    fs.writeFileSync(plan, text.replace(pattern, '$1'));
    const line = text.slice(0, match.index).split('\n').length;
    fs.writeFileSync(path.join(dir, 'retention', 'arms.mplan'), ARMS_PLAN);
    fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'mplan.run.asOf': '2026-12-01' }, null, 2) + '\n');
    return { plan, line };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const dir = process.argv[2];
    if (!dir) {
        console.error('usage: node tests/vscode/make-workspace.mjs DIR');
        process.exit(64);
    }
    console.log(makeWorkspace(path.resolve(dir)).line);
}
