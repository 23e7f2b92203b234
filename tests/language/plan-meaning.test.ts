// Plans compared by meaning (src/language/plan-meaning.ts, plan-compare.ts), as `mplan diff` compares them: layout,
// comments, the order of declarations and statements and spelled-out defaults make no change; every setting that
// does is one change with its old and new value, at a stable path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/language/generated/ast.js';
import { createMplanServices } from '../../src/language/mplan-module.js';
import { canonicalText, planMeaning } from '../../src/language/plan-meaning.js';
import { comparePlans } from '../../src/language/plan-compare.js';

const services = createMplanServices(EmptyFileSystem);
const parse = parseHelper<Model>(services.Mplan);
let counter = 0;

async function meaning(text: string, expectValid = true) {
    const document = await parse(text, { documentUri: `memory:///meaning/doc${++counter}.mplan`, validation: true });
    const errors = (document.diagnostics ?? []).filter(d => d.severity === 1);
    if (expectValid) expect(errors.map(e => e.message)).toEqual([]);
    return planMeaning(document, services.shared.workspace.LangiumDocuments);
}

const shared = path.resolve(__dirname, '../../../shared');
const SPEC_FILES = ['spec', 'spec-next'].flatMap(folder => fs.readdirSync(path.join(shared, folder)).filter(f => f.endsWith('.mplan')).map(f => path.join(shared, folder, f)));

async function changes(before: string, after: string) {
    return comparePlans(await meaning(before), await meaning(after));
}

const PLAN = `plan "Win-back" {
  objective retention
  currency USD
  customers shoppers from "customers.csv" key id {
    region: text
    spend: number
    opt_in: boolean
  }
  events orders from "orders.csv" customer id time at {
    amount: number
  }
  rfm value from orders {
    monetary amount
  }
  segment at_risk "Gone quiet" = value.r <= 2 and value.f >= 3
  segment reachable = shoppers.opt_in
  tiers band {
    high = shoppers.spend >= 500
    rest = otherwise
  }
  channel email cost 0.02 per contact
  channel mail cost 0.80 per contact
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  campaign winback {
    audience at_risk and reachable
    channel email
    channel mail after 7 days
    runs 2026-09-01 to 2026-09-30
    control 20% seed "wb"
    budget 2500
    goal "Come back": lift(responded) >= 10% by 2026-11-15
    goal lift(responded) >= 3 pp by 2026-11-15
    goal roi >= 1.5 by 2026-11-15
  }
  campaign thanks {
    audience band.high
    runs 2026-10-01 to 2026-10-14
    control 10% seed "th"
    arm letter {
      channel mail
    }
    arm note {
      channel email
    }
    goal lift(revenue) >= 5% by 2026-12-01
  }
}
`;

/** The same plan, reformatted, commented, reordered, with defaults spelled out and numbers written otherwise. */
const SAME = `// The same plan, laid out differently.
plan "Win-back" {
  currency USD
  objective retention

  metric revenue = sum( orders.amount )
  metric responded = any(orders)   // a rate

  campaign thanks {
    goal lift(revenue) >= 5.0 % by 2026-12-01
    control 10% seed "th"
    runs 2026-10-01 to 2026-10-14
    audience band.high
    arm letter share 50% { channel mail }
    arm note share 50% { channel email after 0 days }
    attribution 30 days
  }

  campaign winback {
    budget 2500.00
    goal roi >= 1.5 by 2026-11-15
    goal lift(responded) >= 3 pp by 2026-11-15
    goal "Come back" : lift(responded) >= 10% by 2026-11-15
    audience   at_risk
               and reachable
    channel email
    channel mail after 7 days
    control 20% seed "wb"
    runs 2026-09-01 to 2026-09-30
    value revenue
  }

  channel mail cost 0.8 per contact
  channel email cost 0.020 per contact
  tiers band { high = shoppers.spend >= 500  rest = otherwise }
  segment reachable = shoppers.opt_in
  segment at_risk "Gone quiet" = value.r<=2 and value.f>=3
  rfm value from orders { bins 5 monetary amount }
  events orders from "orders.csv" customer id time at { amount: number }
  customers shoppers from "customers.csv" key id { opt_in: boolean  spend: number  region: text }
}
`;

describe('plans compared by meaning', () => {
    it('finds no change between a plan and the same plan reformatted, reordered and with its defaults spelled out', async () => {
        expect(SAME).not.toBe(PLAN);
        expect(await changes(PLAN, SAME)).toEqual([]);
        expect(await changes(SAME, PLAN)).toEqual([]);
    });

    it('gives a change of audience, control share, budget and a goal\'s deadline as exactly those four changes', async () => {
        const after = PLAN
            .replace('audience at_risk and reachable', 'audience at_risk')
            .replace('control 20% seed "wb"', 'control 5% seed "wb"')
            .replace('budget 2500', 'budget 1000')
            .replace('goal roi >= 1.5 by 2026-11-15', 'goal roi >= 1.5 by 2026-12-15');
        expect(await changes(PLAN, after)).toEqual([
            { path: 'campaign winback / audience', kind: 'changed', old: 'at_risk and reachable', new: 'at_risk' },
            { path: 'campaign winback / control', kind: 'changed', old: '20%', new: '5%' },
            { path: 'campaign winback / budget', kind: 'changed', old: 2500, new: 1000 },
            { path: 'campaign winback / goal roi / deadline', kind: 'changed', old: '2026-11-15', new: '2026-12-15' }
        ]);
    });

    it('gives a source read from a table instead of a file, or from another table, as a change of the source', async () => {
        const table = PLAN.replace('customers shoppers from "customers.csv" key id', 'customers shoppers from table "crm.customers" key id');
        expect(await changes(PLAN, table)).toEqual([
            { path: 'source shoppers / table', kind: 'added', old: null, new: 'crm.customers' },
            { path: 'source shoppers / file', kind: 'removed', old: 'customers.csv', new: null }
        ]);
        // Case is part of a table's name.
        expect(await changes(table, table.replace('"crm.customers"', '"CRM.customers"'))).toEqual([
            { path: 'source shoppers / table', kind: 'changed', old: 'crm.customers', new: 'CRM.customers' }
        ]);
        // A file whose path spells the table's name is still a different source.
        expect(await changes(table, table.replace('from table "crm.customers"', 'from "crm.customers"'))).toHaveLength(2);
    });

    it('keys goals by label, else by what they judge: a new target is a change of the goal, not a goal removed and another added', async () => {
        const after = PLAN
            .replace('goal lift(responded) >= 3 pp', 'goal lift(responded) >= 4 pp')
            .replace('goal "Come back": lift(responded) >= 10%', 'goal "Come back": lift(responded) >= 12%');
        expect(await changes(PLAN, after)).toEqual([
            { path: 'campaign winback / goal "Come back" / target', kind: 'changed', old: 'lift(responded) >= 10%', new: 'lift(responded) >= 12%' },
            { path: 'campaign winback / goal lift(responded) / target', kind: 'changed', old: 'lift(responded) >= 3 pp', new: 'lift(responded) >= 4 pp' }
        ]);
        // Two unlabelled goals on the same metric are told apart by their operator.
        const twice = PLAN.replace('goal roi >= 1.5 by 2026-11-15', 'goal roi >= 1.5 by 2026-11-15\n    goal lift(responded) <= 20 pp by 2026-11-15');
        const paths = (await meaning(twice)).entities.map(e => e.path).filter(p => p.startsWith('campaign winback / goal lift'));
        expect(paths).toEqual(['campaign winback / goal lift(responded) >=', 'campaign winback / goal lift(responded) <=']);
    });

    it('lists declarations, arms and settings added and removed with their values, and the order of tiers and steps as changes', async () => {
        const after = PLAN
            .replace('  segment reachable = shoppers.opt_in\n', '  segment reachable = shoppers.opt_in\n  segment big = shoppers.spend > 1000\n')
            .replace('  channel mail cost 0.80 per contact\n', '')
            .replace('    channel mail after 7 days\n', '')
            .replace('    arm note {\n      channel email\n    }\n', '    arm call {\n      channel email after 2 days\n    }\n')
            .replace('    high = shoppers.spend >= 500\n    rest = otherwise', '    low = shoppers.spend < 50\n    high = shoppers.spend >= 500\n    rest = otherwise')
            .replace('    budget 2500\n', '    budget 2500\n    fixed cost 300\n')
            .replace('      channel mail\n', '      channel email\n');
        const found = await changes(PLAN, after.replace(/channel mail/g, 'channel email'));
        expect(found).toEqual([
            { path: 'segment big', kind: 'added', old: null, new: { condition: 'shoppers.spend > 1000' } },
            { path: 'tiers band / order', kind: 'changed', old: 'high, rest', new: 'low, high, rest' },
            { path: 'tiers band / tier low', kind: 'added', old: null, new: { condition: 'shoppers.spend < 50' } },
            { path: 'campaign winback / channels', kind: 'changed', old: 'email, mail after 7 days', new: 'email' },
            { path: 'campaign winback / fixed cost', kind: 'added', old: null, new: 300 },
            { path: 'campaign thanks / arm letter / channels', kind: 'changed', old: 'mail', new: 'email' },
            { path: 'campaign thanks / arm call', kind: 'added', old: null, new: { share: '50%', channels: 'email after 2 days' } },
            { path: 'channel mail', kind: 'removed', old: { 'cost per contact': 0.8 }, new: null },
            { path: 'campaign thanks / arm note', kind: 'removed', old: { share: '50%', channels: 'email' }, new: null }
        ]);
    });

    it('writes expressions with the formatter\'s spacing whatever their layout', async () => {
        const m = await meaning(PLAN.replace('value.r <= 2 and value.f >= 3', '( value.r<=2 )  and\n value.f >= -1 + 4'));
        const atRisk = m.entities.find(e => e.path === 'segment at_risk')!;
        expect(atRisk.fields).toContainEqual(['condition', '(value.r <= 2) and value.f >= -1 + 4']);
        const goals = m.entities.filter(e => e.path.startsWith('campaign winback / goal')).map(e => Object.fromEntries(e.fields).target);
        expect(goals).toEqual(['lift(responded) >= 10%', 'lift(responded) >= 3 pp', 'roi >= 1.5']);
        expect(canonicalText(undefined)).toBeUndefined();
    });

    it('reads every normative example (arms, behaviour, customer value and attitude) and finds no change in it re-indented', async () => {
        expect(SPEC_FILES.length).toBeGreaterThanOrEqual(6);
        for (const file of SPEC_FILES) {
            const text = fs.readFileSync(file, 'utf8');
            // Another indentation, blank lines between all lines, trailing spaces: the same tokens.
            const relaid = text.split('\n').map(line => `      ${line.trim()}   `).join('\n\n');
            const [a, b] = [await meaning(text, false), await meaning(relaid, false)];
            expect(a.entities.length, file).toBeGreaterThan(5);
            expect(comparePlans(a, b), file).toEqual([]);
        }
    });

    it('normalizes what the settings helpers normalize: CLV units and defaults, attitude half lives', async () => {
        const value = fs.readFileSync(path.join(shared, 'spec-next/value.mplan'), 'utf8');
        const clv = /horizon (\d+) (week|month|day)s?/.exec(value);
        expect(clv, 'value.mplan states a CLV horizon').not.toBeNull();
        const singular = value.replace(clv![0], `horizon ${clv![1]} ${clv![2]}`);
        const plural = value.replace(clv![0], `horizon ${clv![1]} ${clv![2]}s`);
        expect(comparePlans(await meaning(singular, false), await meaning(plural, false))).toEqual([]);
        const longer = value.replace(clv![0], `horizon ${Number(clv![1]) + 1} ${clv![2]}s`);
        const changed = comparePlans(await meaning(value, false), await meaning(longer, false));
        expect(changed).toHaveLength(1);
        expect(changed[0]).toMatchObject({ kind: 'changed', new: `${Number(clv![1]) + 1} ${clv![2]}s` });
        expect(changed[0].path).toMatch(/^clv \w+ \/ horizon$/);
    });
});
