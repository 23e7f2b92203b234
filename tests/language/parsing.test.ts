// Parsing: every construct of the grammar, read into the expected syntax tree.
import { describe, expect, it } from 'vitest';
import type {
    Aggregate, Attribution, CurrencySetting, ObjectiveSetting, OwnerSetting, Audience, BetweenExpression, BinaryExpression, Budget, Campaign, Channel, ChannelStep, CustomersSource,
    DrawnControl, EventsSource, Expression, Goal, InExpression, MemberAccess, Metric, MetricGoalTarget, Model, NameReference,
    NotExpression, NumberLiteral, Offer, PlanGoalTarget, RecordedGroups, Rfm, RfmAsOf, RfmBins, RfmMonetary, Runs, Segment, ValueMetric
} from '../../src/language/generated/ast.js';
import { check, expectCode, parseOk, syntaxErrors } from './helpers.js';

const declarations = (model: Model) => [...model.declarations, ...model.plans.flatMap(p => p.declarations)];
function find<T>(model: Model, name: string): T {
    const found = declarations(model).find(d => d.name === name);
    expect(found, `declaration ${name}`).toBeDefined();
    return found as T;
}
/** The condition of `segment s = <expression>`, parsed on its own. */
async function condition(expression: string): Promise<Expression> {
    const model = await parseOk(`segment s = ${expression}`);
    return (model.declarations[0] as Segment).condition;
}
/** A compact rendering of an expression tree, to check precedence. */
function show(e: Expression | undefined): string {
    if (!e) return '?';
    switch (e.$type) {
        case 'BinaryExpression': { const b = e as BinaryExpression; return `(${show(b.left)} ${b.operator} ${show(b.right)})`; }
        case 'NotExpression': return `(not ${show((e as NotExpression).operand)})`;
        case 'NegationExpression': return `(- ${show((e as unknown as { operand: Expression }).operand)})`;
        case 'InExpression': { const i = e as InExpression; return `(${show(i.operand)} ${i.negated ? 'not in' : 'in'} [${i.values.map(show).join(', ')}])`; }
        case 'BetweenExpression': { const b = e as BetweenExpression; return `(${show(b.operand)} between ${show(b.low)} and ${show(b.high)})`; }
        case 'MemberAccess': { const m = e as MemberAccess; return `${show(m.receiver)}.${m.member.$refText}`; }
        case 'NameReference': return (e as NameReference).target.$refText;
        case 'NumberLiteral': { const n = e as NumberLiteral; return `${n.value}${n.percent ? '%' : ''}`; }
        case 'StringLiteral': return JSON.stringify((e as unknown as { value: string }).value);
        case 'DateLiteral': return (e as unknown as { value: string }).value;
        case 'BooleanLiteral': return String((e as unknown as { value: boolean }).value);
        case 'Everyone': return 'everyone';
        case 'Aggregate': { const a = e as Aggregate; return `${a.function}(${show(a.argument)})`; }
        default: return `<${(e as { $type: string }).$type}>`;
    }
}

describe('files and plans', () => {
    it('parses an empty file and a file of comments', async () => {
        expect((await parseOk('')).plans).toEqual([]);
        const model = await parseOk('// a line comment\n/* a block\n   comment */\n');
        expect(model.declarations).toEqual([]);
    });

    it('parses imports, a plan with every setting, and declarations outside the plan', async () => {
        const model = await parseOk(`import "shared/channels.mplan"
import "../other.mplan"
channel email cost 0.02 per contact
plan "Q4 win-back" {
  objective retention
  owner "crm-team"
  currency USD
  channel sms
}
metric m = any(e)`);
        expect(model.imports.map(i => i.path)).toEqual(['shared/channels.mplan', '../other.mplan']);
        expect(model.plans).toHaveLength(1);
        const plan = model.plans[0];
        expect(plan.name).toBe('Q4 win-back');
        expect(plan.settings.map(s => s.$type)).toEqual(['ObjectiveSetting', 'OwnerSetting', 'CurrencySetting']);
        const [objective, owner, currency] = plan.settings as [ObjectiveSetting, OwnerSetting, CurrencySetting];
        expect([objective.objective, owner.owner, currency.currency]).toEqual(['retention', 'crm-team', 'USD']);
        expect(plan.declarations.map(d => d.name)).toEqual(['sms']);
        expect(model.declarations.map(d => d.name)).toEqual(['email', 'm']);
    });

    it('accepts each objective keyword, and settings in any order among declarations', async () => {
        for (const objective of ['acquisition', 'activation', 'retention', 'growth']) {
            const model = await parseOk(`plan "p" {\n  channel a\n  objective ${objective}\n  channel b\n}`);
            expect((model.plans[0].settings[0] as ObjectiveSetting).objective).toBe(objective);
        }
        expect(await syntaxErrors('plan "p" { objective profit }')).not.toEqual([]);
    });

    it('reads strings without their quotes, with escapes resolved', async () => {
        const model = await parseOk('plan "He said \\"hi\\"" { owner "a b" }');
        expect(model.plans[0].name).toBe('He said "hi"');
        expect((model.plans[0].settings[0] as OwnerSetting).owner).toBe('a b');
    });
});

describe('data sources', () => {
    it('parses customers sources with and without key and column block', async () => {
        const model = await parseOk(`customers a from "a.csv"
customers b from "b.csv" key id
customers c from "c.parquet" key id {
  region: text
  age: number
  joined: date
  opted_in: boolean
}
customers d from "d.csv" { }`);
        const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(n => find<CustomersSource>(model, n));
        expect(a.$type).toBe('CustomersSource');
        expect([a.path, a.key, a.columns]).toEqual(['a.csv', undefined, []]);
        expect([b.key, b.columns]).toEqual(['id', []]);
        expect(c.columns.map(col => `${col.name}:${col.type}`)).toEqual(['region:text', 'age:number', 'joined:date', 'opted_in:boolean']);
        expect(d.columns).toEqual([]);
    });

    it('parses events sources with and without customer, time and column block', async () => {
        const model = await parseOk(`events e1 from "e1.csv"
events e2 from "e2.csv" customer who
events e3 from "e3.csv" time at
events e4 from "e4.jsonl" customer who time at {
  amount: number
  sku: text
}`);
        const sources = ['e1', 'e2', 'e3', 'e4'].map(n => find<EventsSource>(model, n));
        expect(sources.map(s => s.$type)).toEqual(Array(4).fill('EventsSource'));
        expect(sources.map(s => [s.customer, s.time])).toEqual([[undefined, undefined], ['who', undefined], [undefined, 'at'], ['who', 'at']]);
        expect(sources[3].columns.map(c => c.name)).toEqual(['amount', 'sku']);
    });

    it('rejects customer and time in the wrong order, and an unknown column type', async () => {
        expect(await syntaxErrors('events e from "e.csv" time at customer who')).not.toEqual([]);
        expect(await syntaxErrors('customers c from "c.csv" { x: integer }')).not.toEqual([]);
    });
});

describe('RFM models', () => {
    it('parses monetary, as of and bins, in any order, and an empty model', async () => {
        const model = await parseOk(`rfm value from orders {
  bins 4
  monetary amount
  as of 2026-10-01
}
rfm bare from orders { }`);
        const rfm = find<Rfm>(model, 'value');
        expect(rfm.events.$refText).toBe('orders');
        expect(rfm.settings.map(s => s.$type)).toEqual(['RfmBins', 'RfmMonetary', 'RfmAsOf']);
        expect((rfm.settings[0] as RfmBins).count).toBe(4);
        expect((rfm.settings[1] as RfmMonetary).column.$refText).toBe('amount');
        expect((rfm.settings[2] as RfmAsOf).date).toBe('2026-10-01');
        expect(find<Rfm>(model, 'bare').settings).toEqual([]);
    });
});

describe('segments and expressions', () => {
    it('parses a segment with and without a description', async () => {
        const model = await parseOk('segment a "Bought often, gone quiet" = everyone\nsegment b = everyone');
        expect(find<Segment>(model, 'a').description).toBe('Bought often, gone quiet');
        expect(find<Segment>(model, 'b').description).toBeUndefined();
    });

    it('gives or the lowest precedence, then and, then not', async () => {
        expect(show(await condition('a or b and c'))).toBe('(a or (b and c))');
        expect(show(await condition('a and b or c'))).toBe('((a and b) or c)');
        expect(show(await condition('not a and b'))).toBe('((not a) and b)');
        expect(show(await condition('not not a'))).toBe('(not (not a))');
        expect(show(await condition('not (a or b)'))).toBe('(not (a or b))');
        expect(show(await condition('a and b and c'))).toBe('((a and b) and c)');
    });

    it('parses every comparison operator', async () => {
        for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
            expect(show(await condition(`p.age ${op} 30`))).toBe(`(p.age ${op} 30)`);
        }
    });

    it('binds comparisons tighter than not, and arithmetic tighter than comparisons', async () => {
        expect(show(await condition('not p.age > 30'))).toBe('(not (p.age > 30))');
        expect(show(await condition('p.a + 2 * 3 > p.b - 1 / 2'))).toBe('((p.a + (2 * 3)) > (p.b - (1 / 2)))');
        expect(show(await condition('(p.a + 2) * 3 > 0'))).toBe('(((p.a + 2) * 3) > 0)');
        expect(show(await condition('-p.a < -2'))).toBe('((- p.a) < (- 2))');
    });

    it('parses in [...], not in [...], an empty list, and between', async () => {
        expect(show(await condition('p.region in ["north", "south"]'))).toBe('(p.region in ["north", "south"])');
        expect(show(await condition('p.region not in ["north"]'))).toBe('(p.region not in ["north"])');
        expect(show(await condition('p.age in []'))).toBe('(p.age in [])');
        expect(show(await condition('p.joined between 2026-01-01 and 2026-03-31'))).toBe('(p.joined between 2026-01-01 and 2026-03-31)');
        expect(show(await condition('p.age between 18 and 30 and p.x'))).toBe('((p.age between 18 and 30) and p.x)');
        const negated = await condition('p.region not in ["north"]') as InExpression;
        expect(negated.negated).toBe(true);
        expect((await condition('p.region in ["north"]') as InExpression).negated).toBe(false);
    });

    it('parses literals: numbers, percentages, strings, dates, booleans, everyone', async () => {
        expect(show(await condition('p.share >= 12.5%'))).toBe('(p.share >= 12.5%)');
        const pct = (await condition('p.x = 5%') as BinaryExpression).right as NumberLiteral;
        expect([pct.value, pct.percent]).toEqual([5, true]);
        const plain = (await condition('p.x = 0.25') as BinaryExpression).right as NumberLiteral;
        expect([plain.value, plain.percent]).toEqual([0.25, false]);
        expect(show(await condition('p.opt = true or p.opt = false'))).toBe('((p.opt = true) or (p.opt = false))');
        expect(show(await condition('everyone'))).toBe('everyone');
        expect(show(await condition('p.d = 2026-01-31'))).toBe('(p.d = 2026-01-31)');
        expect(show(await condition('p.s = "x y"'))).toBe('(p.s = "x y")');
    });

    it('parses member access on a source and on an RFM model', async () => {
        expect(show(await condition('value.r <= 2 and value.f >= 4 and value.m >= 4'))).toBe('(((value.r <= 2) and (value.f >= 4)) and (value.m >= 4))');
    });
});

describe('channels and metrics', () => {
    it('parses a channel with no cost, cost only, capacity only, and both', async () => {
        const model = await parseOk(`channel a
channel b cost 0.80 per contact
channel c capacity 2000 per day
channel d cost 3.50 per contact capacity 400 per day`);
        expect(['a', 'b', 'c', 'd'].map(n => find<Channel>(model, n)).map(c => [c.cost, c.capacity])).toEqual([
            [undefined, undefined], [0.8, undefined], [undefined, 2000], [3.5, 400]
        ]);
        expect(await syntaxErrors('channel x capacity 2 per day cost 1 per contact')).not.toEqual([]);
        expect(await syntaxErrors('channel x cost -1 per contact'), 'a cost cannot be negative in the grammar').not.toEqual([]);
    });

    it('parses metrics of every aggregate, a ratio and a column', async () => {
        const model = await parseOk(`metric m_any = any(orders)
metric m_count = count(orders)
metric m_sum = sum(orders.amount)
metric m_mean = mean(orders.amount)
metric m_min = min(orders.amount)
metric m_max = max(orders.ordered_at)
metric m_ratio = sum(orders.amount) / count(orders)
metric m_column = people.spend`);
        const shown = declarations(model).map(d => `${d.name} = ${show((d as Metric).definition)}`);
        expect(shown).toEqual([
            'm_any = any(orders)', 'm_count = count(orders)', 'm_sum = sum(orders.amount)', 'm_mean = mean(orders.amount)',
            'm_min = min(orders.amount)', 'm_max = max(orders.ordered_at)', 'm_ratio = (sum(orders.amount) / count(orders))',
            'm_column = people.spend'
        ]);
    });
});

describe('campaigns', () => {
    const full = `campaign winback {
    audience at_risk and not champions
    channel mail
    channel phone after 7 days
    channel sms after 1 day
    offer "20% off the next order"
    runs 2026-11-01 to 2026-11-30
    control 10% seed "winback-2026"
    attribution 30 days
    budget 25000
    value revenue
    goal "More lapsed buyers come back": lift(responded) >= 15% by 2026-12-31
    goal total(revenue) >= 40000 by 2026-12-31
    goal roi >= 1.5 by 2026-12-31
}
campaign recorded {
    groups from visitors.segment treatment "Womens E-Mail" control "No E-Mail"
    attribution 1 day
}
campaign split {
    groups from visitors.segment treatment "A" control "B" split 3:1
}
campaign empty { }`;

    it('parses every campaign statement', async () => {
        const model = await parseOk(full);
        const c = find<Campaign>(model, 'winback');
        expect(c.statements.map(s => s.$type)).toEqual([
            'Audience', 'ChannelStep', 'ChannelStep', 'ChannelStep', 'Offer', 'Runs', 'DrawnControl', 'Attribution', 'Budget',
            'ValueMetric', 'Goal', 'Goal', 'Goal'
        ]);
        const [audience, mail, phone, sms, offer, runs, control, attribution, budget, value] = c.statements as [
            Audience, ChannelStep, ChannelStep, ChannelStep, Offer, Runs, DrawnControl, Attribution, Budget, ValueMetric
        ];
        expect(show(audience.condition)).toBe('(at_risk and (not champions))');
        expect([mail.channel.$refText, mail.delay]).toEqual(['mail', undefined]);
        expect([phone.channel.$refText, phone.delay]).toEqual(['phone', 7]);
        expect([sms.channel.$refText, sms.delay]).toEqual(['sms', 1]);
        expect(offer.text).toBe('20% off the next order');
        expect([runs.start, runs.end]).toEqual(['2026-11-01', '2026-11-30']);
        expect([control.share, control.seed]).toEqual([10, 'winback-2026']);
        expect(attribution.days).toBe(30);
        expect(budget.amount).toBe(25000);
        expect(value.metric.$refText).toBe('revenue');
    });

    it('parses recorded groups with and without a split, and an empty campaign', async () => {
        const model = await parseOk(full);
        const recorded = find<Campaign>(model, 'recorded').statements[0] as RecordedGroups;
        expect([recorded.source.$refText, recorded.column.$refText, recorded.treatment, recorded.control]).toEqual(['visitors', 'segment', 'Womens E-Mail', 'No E-Mail']);
        expect(recorded.weights).toEqual([]);
        expect((find<Campaign>(model, 'recorded').statements[1] as Attribution).days).toBe(1);
        const split = find<Campaign>(model, 'split').statements[0] as RecordedGroups;
        expect(split.weights).toEqual([3, 1]);
        expect(find<Campaign>(model, 'empty').statements).toEqual([]);
    });

    it('rejects a control without a seed and a step delay without days', async () => {
        expect(await syntaxErrors('campaign c { control 10% }')).not.toEqual([]);
        expect(await syntaxErrors('campaign c { channel email after 3 }')).not.toEqual([]);
    });
});

describe('goals', () => {
    async function goal(text: string): Promise<Goal> {
        const model = await parseOk(`campaign c {\n  goal ${text}\n}`);
        return (model.declarations[0] as Campaign).statements[0] as Goal;
    }

    it('parses each metric target kind with each unit', async () => {
        for (const kind of ['lift', 'total', 'mean'] as const) {
            for (const [unitText, unit] of [['%', '%'], [' pp', 'pp'], ['', undefined]] as const) {
                const g = await goal(`${kind}(m) >= 12.5${unitText} by 2026-12-31`);
                const target = g.target as MetricGoalTarget;
                expect([target.$type, target.kind, target.metric.$refText, target.operator, target.value, target.unit]).toEqual(['MetricGoalTarget', kind, 'm', '>=', 12.5, unit]);
                expect(g.deadline).toBe('2026-12-31');
            }
        }
    });

    it('parses roi and cost targets, with and without %', async () => {
        for (const kind of ['roi', 'cost'] as const) {
            const plain = (await goal(`${kind} <= 1.5 by 2026-12-31`)).target as PlanGoalTarget;
            expect([plain.$type, plain.kind, plain.operator, plain.value, plain.unit]).toEqual(['PlanGoalTarget', kind, '<=', 1.5, undefined]);
            const percent = (await goal(`${kind} >= 150%`)).target as PlanGoalTarget;
            expect([percent.value, percent.unit]).toEqual([150, '%']);
        }
        expect(await syntaxErrors('campaign c { goal roi >= 2 pp }'), 'pp is for metric targets only').not.toEqual([]);
    });

    it('parses a label, a missing deadline, and a negative target', async () => {
        const labelled = await goal('"Fewer churners": lift(churned) <= -5% by 2027-01-31');
        expect(labelled.label).toBe('Fewer churners');
        const target = labelled.target as MetricGoalTarget;
        expect([target.operator, target.value, target.unit]).toEqual(['<=', -5, '%']);
        const open = await goal('total(revenue) >= 100');
        expect([open.label, open.deadline]).toEqual([undefined, undefined]);
        expect(((await goal('roi >= -0.5')).target as PlanGoalTarget).value).toBe(-0.5);
    });

    it('rejects a goal operator other than >= and <=', async () => {
        expect(await syntaxErrors('campaign c { goal lift(m) > 5% }')).not.toEqual([]);
        expect(await syntaxErrors('campaign c { goal lift(m) = 5% }')).not.toEqual([]);
    });
});

describe('keywords used as names', () => {
    it('accepts columns named channel, segment, value, key, time, customer, total, control', async () => {
        const model = await parseOk(`customers visitors from "v.csv" key key {
  channel: text
  segment: text
  value: number
  time: date
  customer: text
  total: number
  control: text
}
segment s = visitors.channel = "web" and visitors.segment = "a" and visitors.value > 1 and visitors.total > 0`);
        expect(find<CustomersSource>(model, 'visitors').columns.map(c => c.name)).toEqual(['channel', 'segment', 'value', 'time', 'customer', 'total', 'control']);
        expect(find<CustomersSource>(model, 'visitors').key).toBe('key');
        expect(show(find<Segment>(model, 's').condition)).toBe('((((visitors.channel = "web") and (visitors.segment = "a")) and (visitors.value > 1)) and (visitors.total > 0))');
    });

    it('accepts an RFM model named value, and `value METRIC` in a campaign next to it', async () => {
        const model = await parseOk(`rfm value from orders { monetary amount }
segment top = value.r >= 4
campaign c {
  audience top and value.m > 2
  value revenue
}`);
        expect(find<Rfm>(model, 'value').name).toBe('value');
        const c = find<Campaign>(model, 'c');
        expect(c.statements.map(s => s.$type)).toEqual(['Audience', 'ValueMetric']);
        expect(show((c.statements[0] as Audience).condition)).toBe('(top and (value.m > 2))');
    });

    it('accepts other keywords as declaration names', async () => {
        const model = await parseOk(`events events from "e.csv" customer customer time time
channel campaign cost 1 per contact
metric total = count(events)
segment groups = everyone
campaign goal { channel campaign }`);
        expect(declarations(model).map(d => `${d.$type}:${d.name}`)).toEqual([
            'EventsSource:events', 'Channel:campaign', 'Metric:total', 'Segment:groups', 'Campaign:goal'
        ]);
        expect(await syntaxErrors('segment everyone = everyone'), '`everyone` is reserved').not.toEqual([]);
    });
});

describe('syntax errors', () => {
    it('reports a misspelt keyword as syntax-error on its line', async () => {
        const text = 'plan "p" {\n  objective growth\n  segmnt s = everyone\n}';
        const result = await check(text);
        expectCode(result, 'syntax-error', 'error', 3);
    });

    it('reports a missing closing brace', async () => {
        const text = 'plan "p" {\n  objective growth\n  campaign c {\n    audience everyone\n}';
        const result = await check(text);
        expect(result.diagnostics.filter(d => d.code === 'syntax-error').length).toBeGreaterThan(0);
    });

    it('reports a character outside the language as syntax-error, naming the character', async () => {
        const result = await check('segment s = everyone\nsegment t = everyone @\n');
        expectCode(result, 'syntax-error', 'error', 2, "Unexpected character: '@'");
    });

    it('rejects an invalid date shape and an unterminated string', async () => {
        expect(await syntaxErrors('campaign c { runs 2026-1-01 to 2026-01-31 }')).not.toEqual([]);
        expect(await syntaxErrors('plan "unterminated { }')).not.toEqual([]);
    });
});
