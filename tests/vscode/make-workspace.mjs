// Makes the test workspace: a copy of examples/ in which retention/winback.mplan has lost the deadline of its ROI
// goal (`goal roi >= 1.5 by 2026-11-15` → `goal roi >= 1.5`), plus retention/arms.mplan (a campaign with two arms
// and a call at the phone channel's capacity, for the size code lenses), and the evaluation date is fixed in the
// workspace settings so the verdicts do not depend on the day the tests run. The workspace is a git repository with
// all of that committed, after which retention/summer.mplan changes its campaign nudge (a wider audience, a larger
// control group): what "mplan: Compare with Base" and the diff lenses show.
//   node tests/vscode/make-workspace.mjs DIR   (prints the 1-based line of the goal without a deadline)
import { execFileSync } from 'node:child_process';
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

/** A plan committed as it is, then changed by changeSummerPlan: nudge changes, letters (disjoint audiences) does not. */
export const SUMMER_PLAN = `// Summer reactivation (added by tests/vscode/make-workspace.mjs): committed, then changed, for "Compare with Base".
import "../shared/channels.mplan"

plan "Summer reactivation" {
  objective retention
  currency USD

  customers shoppers from "data/customers.csv" key customer_id {
    region: text
  }

  events orders from "data/orders.csv" customer customer_id time ordered_at {
    amount: number
  }

  metric responded = any(orders)

  campaign nudge {
    audience shoppers.region = "west"
    channel mail
    runs 2026-06-01 to 2026-06-30
    control 10% seed "nudge-2026"
    attribution 30 days
    budget 5000

    goal lift(responded) >= 2 pp by 2026-08-31
  }

  campaign letters {
    audience shoppers.region = "east"
    channel email
    runs 2026-06-01 to 2026-06-30
    control 20% seed "letters-2026"
    attribution 30 days

    goal lift(responded) >= 2 pp by 2026-08-31
  }
}
`;

/** The working copy's change: nudge reaches every region but the east (letters' audience), with a 30% control group. */
export function changeSummerPlan(text) {
    const changed = text.replace('audience shoppers.region = "west"', 'audience shoppers.region != "east"').replace('control 10% seed "nudge-2026"', 'control 30% seed "nudge-2026"');
    if (changed === text) throw new Error('changeSummerPlan: nothing to change');
    return changed;
}

/** `git init` and one commit of everything in DIR, by a test author (no global git configuration needed). */
export function commitAll(dir, message = 'base') {
    const git = (...args) => execFileSync('git', ['-c', 'user.name=mplan tests', '-c', 'user.email=tests@mplan.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', message);
}

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
    const summer = path.join(dir, 'retention', 'summer.mplan');
    fs.writeFileSync(summer, SUMMER_PLAN);
    commitAll(dir);
    fs.writeFileSync(summer, changeSummerPlan(SUMMER_PLAN));
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
