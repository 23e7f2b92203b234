// Issue 10, the language half: audiences chosen by behaviour. Aggregates over past events in conditions, `where`
// filters over the events' own columns, `within N days` windows, `tiers` (first match wins) and capped audiences
// (`limit N by EXPR`): how they parse, what their names resolve to, their types and checks, what semantics.ts tells
// the runner about them, and how the overlap check between campaigns reads tiers.
import { AstUtils } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Aggregate, Campaign, Metric, Model, NameReference, Segment } from '../../src/language/generated/ast.js';
import { isAggregate, isCampaign, isColumn, isDataSource, isMemberAccess, isMetric, isNameReference, isSegment, isTier, isTiers } from '../../src/language/generated/ast.js';
import {
    aggregateShape, campaignSettings, containsAggregate, declarationsOf, filterColumn, memberTarget, rfmModelsRead, tiersOf, timeReference, typeOf
} from '../../src/language/semantics.js';
import { audienceAtoms, disjoint } from '../../src/language/validation/audience-overlap.js';
import { campaign, check, describeDiagnostics, expectClean, expectCode, expectNoCode, parseOk, plan, syntaxErrors } from './helpers.js';

function find<T>(model: Model, is: (n: unknown) => n is T, name: string): T {
    const found = declarationsOf(model).find(d => is(d) && (d as { name?: string }).name === name);
    if (!found) throw new Error(`no ${name}`);
    return found as T;
}

function aggregatesOf(node: import('langium').AstNode): Aggregate[] {
    return AstUtils.streamAst(node).filter(isAggregate).toArray();
}

const TIERS = `  tiers value_tier "Value tiers" {
    gold = value.r >= 4 and value.f >= 4 and value.m >= 4
    valuable = value.m >= 4
    growth = value.r >= 3
    dormant = value.r = 2
    lost = otherwise
  }`;

describe('parsing the new forms', () => {
    it('reads where, within, tiers and limit into the AST', async () => {
        const model = await parseOk(plan(`${TIERS}
  segment fans = count(orders where sku = "music" within 365 days) >= 1
  segment spenders = sum(orders.amount within 1 day) > 300
${campaign('c', '    limit 20000 by value.m + value.f')}`));
        const fans = find(model, isSegment, 'fans');
        const [count] = aggregatesOf(fans);
        expect([count.function, count.within, count.filter?.$cstNode?.text]).toEqual(['count', 365, 'sku = "music"']);
        expect(aggregatesOf(find(model, isSegment, 'spenders'))[0].within).toBe(1);
        const tiers = find(model, isTiers, 'value_tier');
        expect(tiers.description).toBe('Value tiers');
        expect(tiers.tiers.map(t => [t.name, t.otherwise])).toEqual([['gold', false], ['valuable', false], ['growth', false], ['dormant', false], ['lost', true]]);
        const limit = campaignSettings(find(model, isCampaign, 'c')).limit!;
        expect([limit.count, limit.by?.$cstNode?.text]).toEqual([20000, 'value.m + value.f']);
    });

    it('reads limit without by, tiers without a description, and an empty tiers block', async () => {
        const model = await parseOk(plan(`  tiers t {}\n  tiers u {\n    a = everyone\n  }\n${campaign('c', '    limit 5')}`));
        expect(find(model, isTiers, 't').tiers).toEqual([]);
        expect(find(model, isTiers, 'u').description).toBeUndefined();
        expect(campaignSettings(find(model, isCampaign, 'c')).limit?.by).toBeUndefined();
    });

    it('keeps the new keywords usable as names: columns called limit, tiers, where and within', async () => {
        const text = plan(`  customers extra from "extra.csv" key customer_id {
    limit: number
    tiers: text
    where: text
    within: number
  }
  events visits from "visits.csv" customer customer_id time at {
    within: number
    limit: text
  }
  segment s = extra.limit > 3 and extra.tiers = "a" and extra.where != "x" and extra.within < 2
  segment t = count(visits where within > 1 and limit = "x") >= 1
  segment limit = extra.limit > 0
  segment u = limit`);
        const result = await check(text);
        expect(describeDiagnostics(result.diagnostics.filter(d => d.severity === 1))).toBe('');
        const t = find(result.model, isSegment, 't');
        const names = AstUtils.streamAst(t).filter(isNameReference).filter(n => isColumn(n.target?.ref)).map(n => n.target.$refText).toArray();
        expect(names).toEqual(['within', 'limit']);
    });

    it('does not take `otherwise` as a name', async () => {
        expect(await syntaxErrors(plan('  segment otherwise = everyone'))).not.toEqual([]);
    });

    it('requires days after within, and a closing parenthesis after the window', async () => {
        expect(await syntaxErrors(plan('  segment s = any(orders within 30)'))).not.toEqual([]);
        expect(await syntaxErrors(plan('  segment s = any(orders within 30 days where sku = "a")'))).not.toEqual([]);
    });
});

describe('scope of a where filter', () => {
    it('resolves a bare name to a column of the aggregated events first, declared or implied', async () => {
        // `amount` is a customers column too (spend is, here): the events' column wins inside the filter.
        const text = plan(`  customers more from "more.csv" key customer_id {
    amount: number
  }
  segment s = any(orders where amount > 5 and ordered_at >= 2026-01-01 and customer_id != "x")`);
        const result = await check(text);
        expectClean(result);
        const refs = AstUtils.streamAst(find(result.model, isSegment, 's')).filter(isNameReference).toArray().slice(1);
        const amount = refs.find(r => r.target.$refText === 'amount')!;
        expect(isColumn(amount.target.ref) && amount.target.ref.$container.name).toBe('orders');
        expect(filterColumn(amount)?.type).toBe('number');
        const orderedAt = refs.find(r => r.target.$refText === 'ordered_at')!;
        expect(isDataSource(orderedAt.target.ref) && orderedAt.target.ref.name).toBe('orders');
        expect([filterColumn(orderedAt)?.name, typeOf(orderedAt)]).toEqual(['ordered_at', 'date']);
        expect(typeOf(refs.find(r => r.target.$refText === 'customer_id'))).toBe('text');
    });

    it('resolves other names as usual (and reports them), and qualified columns of the same source', async () => {
        const result = await check(plan('  segment s = any(orders where orders.sku = "a")\n  segment t = any(orders where loyal)'));
        expectNoCode(result, 'unresolved-reference');
        const t = find(result.model, isSegment, 't');
        const loyal = AstUtils.streamAst(t).filter(isNameReference).find(r => r.target.$refText === 'loyal')!;
        expect(isSegment(loyal.target.ref)).toBe(true);
        // Only `loyal` is wrong: `orders.sku` is the filtered events' own column.
        expect(expectCode(result, 'aggregate-filter', 'error', 'segment t', /'loyal' is a segment/)).toHaveLength(1);
        expect(result.diagnostics.filter(d => d.code === 'aggregate-filter')).toHaveLength(1);
    });

    it('does not see the events\' columns outside the filter', async () => {
        const result = await check(plan('  segment s = any(orders where sku = "a") and sku = "a"'));
        expectCode(result, 'unresolved-reference', 'error', 'segment s', "Unknown name 'sku'");
    });

    it('suggests a column of the events for a misspelt name in a filter', async () => {
        const result = await check(plan('  segment s = any(orders where skv = "a")'));
        expectCode(result, 'unresolved-reference', 'error', 'segment s', "Did you mean 'sku'?");
    });
});

describe('types and checks of aggregates in conditions', () => {
    it('types aggregates: any is true/false, min/max of a date is a date, the rest numbers', async () => {
        const result = await check(plan('  segment s = max(orders.shipped) > 2026-01-01 and min(orders.amount within 30 days) < 5 and any(orders) and count(orders) = 2'));
        expectClean(result);
        const types = aggregatesOf(find(result.model, isSegment, 's')).map(a => `${a.function}:${typeOf(a)}`);
        expect(types).toEqual(['max:date', 'min:number', 'any:boolean', 'count:number']);
        expectCode(await check(plan('  segment s = max(orders.shipped) > 5')), 'type-mismatch', 'error', 'segment s', 'Cannot compare a date with a number');
    });

    it('type-checks a filter like any condition, with every operator', async () => {
        expectClean(await check(plan('  segment s = count(orders where sku in ["a", "b"] and amount between 1 and 10 and not (amount * 2 > 15) and shipped != 2026-01-01) >= 2')));
        expectCode(await check(plan('  segment s = any(orders where sku > 3)')), 'type-mismatch', 'error', 'segment s', 'Cannot compare a text with a number');
        expectCode(await check(plan('  segment s = any(orders where amount + 1)')), 'not-a-condition', 'error', 'segment s', /A `where` filter must be a true\/false condition on the columns of 'orders', but it is a number/);
        expectCode(await check(plan('  segment s = any(orders where shipped > 2026-02-30)')), 'invalid-date', 'error', 'segment s');
    });

    const filterErrors: Array<[string, RegExp]> = [
        ['value.r > 2', /'value\.r' is an RFM score/],
        ['shoppers.age > 30', /'shoppers\.age' is a column of another source, 'shoppers'/],
        ['loyal', /'loyal' is a segment/],
        ['t.a', /'t\.a' is a tier/],
        ['count(orders) > 1', /an aggregate \(count\(\.\.\.\)\) cannot stand in it/],
        ['orders', /'orders' is a data source, not one of its columns/],
        ['responded', /'responded' is a metric/]
    ];
    for (const [filter, message] of filterErrors) {
        it(`rejects ${filter} in a filter with aggregate-filter, on its line`, async () => {
            const result = await check(plan(`  tiers t {\n    a = everyone\n    b = otherwise\n  }\n  segment ok = loyal\n  segment s =\n    any(orders where ${filter})`));
            const found = expectCode(result, 'aggregate-filter', 'error', 'any(orders where', message);
            expect(found).toHaveLength(1);
            expect(found[0].message).toMatch(/Name the columns of 'orders'/);
        });
    }

    it('checks within: a positive whole number of days, and none in a metric', async () => {
        expectCode(await check(plan('  segment s = any(orders within 2.5 days)')), 'aggregate-window', 'error', 'segment s', 'not 2.5');
        expectClean(await check(plan('  segment s = any(orders within 1 day) and count(orders where sku = "a" within 3650 days) > 1')));
        const metric = await check(plan('  metric m = any(orders within 0 days)'));
        expectCode(metric, 'window-in-metric', 'error', 'metric m', 'within 0 days');
        expectNoCode(metric, 'aggregate-window');
    });

    it('allows where in a metric, with the same shape as without', async () => {
        const result = await check(plan('  metric came = any(orders where sku = "tse-2027")\n  metric big = sum(orders.amount where amount > 100) / count(orders where amount > 100)'));
        expectClean(result);
        const came = find(result.model, isMetric, 'came');
        const shape = aggregateShape(came.definition)!;
        expect([shape.function, shape.source.name, shape.filter?.$cstNode?.text, shape.withinDays]).toEqual(['any', 'orders', 'sku = "tse-2027"', undefined]);
    });

    it('still keeps metrics out of conditions, pointing at the aggregate to write instead', async () => {
        expectCode(await check(plan('  segment s = responded')), 'not-a-value', 'error', 'segment s', /write the aggregate itself \(any\(orders\)\)/);
    });
});

describe('tiers', () => {
    it('validates the value tiers of the normative example clean, and a tier is a condition like a segment', async () => {
        const result = await check(plan(`${TIERS}
  segment not_lost = not value_tier.lost
${campaign('c', '', { omit: ['audience'] })}`.replace('    channel email', '    audience value_tier.gold or value_tier.valuable\n    channel email')));
        expectClean(result);
        const segment = find(result.model, isSegment, 'not_lost');
        const access = AstUtils.streamAst(segment).find(isMemberAccess)!;
        const target = memberTarget(access);
        expect(target?.kind === 'tier' && [target.tiers.name, target.tier.name]).toEqual(['value_tier', 'lost']);
        expect(typeOf(access)).toBe('boolean');
        expect(isTier(access.member.ref)).toBe(true);
    });

    it('gives tiersOf in order, otherwise last, and the models a tier reads', async () => {
        const model = await parseOk(plan(`${TIERS}\n  segment g = value_tier.gold`));
        const views = tiersOf(find(model, isTiers, 'value_tier'));
        expect(views.map(v => `${v.name}${v.otherwise ? ' (otherwise)' : ''}:${v.condition?.$cstNode?.text ?? ''}`)).toEqual([
            'gold:value.r >= 4 and value.f >= 4 and value.m >= 4', 'valuable:value.m >= 4', 'growth:value.r >= 3', 'dormant:value.r = 2', 'lost (otherwise):'
        ]);
        expect([...rfmModelsRead(find(model, isSegment, 'g').condition)].map(r => r.name)).toEqual(['value']);
    });

    it('reports a duplicate tier, a misplaced otherwise, tiers without otherwise, and unknown tiers', async () => {
        const text = plan('  tiers t {\n    a = loyal\n    rest = otherwise\n    a = value.r >= 2\n  }\n  segment s = t.b');
        const result = await check(text);
        expectCode(result, 'duplicate-name', 'error', 'a = value.r', "Tiers 't' already has a tier named 'a' (line");
        expectCode(result, 'tier-otherwise-not-last', 'error', 'rest = otherwise', "make 'rest' the last tier");
        expectCode(result, 'unresolved-reference', 'error', 'segment s', "Unknown column or score 'b'");
        expectCode(await check(plan('  tiers t {\n    a = loyal\n  }')), 'tiers-no-otherwise', 'warning', 'tiers t', 'rest = otherwise');
    });

    it('checks tier conditions as conditions: types, names, and everything a segment may use', async () => {
        const result = await check(plan('  tiers t {\n    a = shoppers.age\n    b = revenue > 3\n    c = count(orders where sku = "a" within 90 days) >= 2 and loyal and shoppers.opted_in\n    d = otherwise\n  }'));
        expectCode(result, 'not-a-condition', 'error', 'a = shoppers.age');
        expectCode(result, 'not-a-value', 'error', 'b = revenue', "'revenue' is a metric");
        expect(describeDiagnostics(result.diagnostics.filter(d => d.range.start.line + 1 === result.text.split('\n').findIndex(l => l.includes('c = count')) + 1))).toBe('');
    });

    it('reports a tiers declaration used without a tier, a tier in a metric, and cycles through tiers and segments', async () => {
        const result = await check(plan('  tiers t {\n    a = s\n    b = otherwise\n  }\n  segment s = t.b\n  segment u = t\n  metric m = t.a'));
        expectCode(result, 'segment-cycle', 'error', 'tiers t', "Tiers 't' depends on itself: t → s → t");
        expectCode(result, 'segment-cycle', 'error', 'segment s', "Segment 's' depends on itself: s → t → s");
        expectCode(result, 'not-a-value', 'error', 'segment u', "'t' is a tiers declaration; name one of its tiers, such as t.a");
        expectCode(result, 'not-a-value', 'error', 'metric m', "'t.a' is a tier");
    });

    it('reports duplicate declarations across tiers and segments', async () => {
        expectCode(await check(plan('  segment t = everyone\n  tiers t {\n    a = everyone\n    b = otherwise\n  }')), 'duplicate-name', 'error', 'tiers t', "'t' is already declared (as a segment)");
    });
});

describe('tier-unreachable: what the prover can show, and where it says nothing', () => {
    const reachable = async (tiers: string[]) => {
        const result = await check(plan(`  tiers t {\n${tiers.map(t => `    ${t}`).join('\n')}\n    rest = otherwise\n  }`));
        expect(describeDiagnostics(result.diagnostics.filter(d => d.code !== 'tier-unreachable' && (d.severity === 1 || d.severity === 2)))).toBe('');
        return withLines(result);
    };
    const withLines = (result: Awaited<ReturnType<typeof check>>) =>
        result.diagnostics.filter(d => d.code === 'tier-unreachable').map(d => `${result.text.split('\n')[d.range.start.line].trim().split(' ')[0]}: ${d.message}`);

    it('says nothing about the normative value tiers', async () => {
        expect(await reachable(['gold = value.r >= 4 and value.f >= 4 and value.m >= 4', 'valuable = value.m >= 4', 'growth = value.r >= 3', 'dormant = value.r = 2'])).toEqual([]);
    });

    it('finds a tier covered by one tier above, naming it', async () => {
        const found = await reachable(['high = value.m >= 4', 'top = value.m = 5 and value.f >= 2']);
        expect(found).toEqual(["top: Tier 'top' can never match: tier 'high' above it already takes every customer it selects, and the first tier that matches wins. Reorder the tiers or narrow the ones above."]);
    });

    it('finds a tier covered by several tiers together, over the whole scores 1..bins', async () => {
        const found = await reachable(['recent = value.r >= 3', 'old = value.r <= 2', 'any_score = value.r >= 1']);
        expect(found).toEqual([expect.stringMatching(/^any_score: .*the tiers above it \('recent', 'old'\) already take every customer/)]);
        // Between 2 and 3 there is no whole score: 2.5 is no customer's.
        expect(await reachable(['a = value.f >= 3', 'b = value.f <= 2', 'c = value.f between 2.2 and 2.8'])).toHaveLength(1);
    });

    it('finds a condition that holds for nobody, segments stood for their definitions, booleans and values', async () => {
        expect(await reachable(['never = value.m > 4 and value.m < 2'])).toEqual(["never: Tier 'never' can never match: its condition holds for no customer."]);
        const text = [`  segment north = shoppers.region = "north"`];
        const result = await check(plan(`${text.join('\n')}\n  tiers t {\n    n = north\n    also_n = shoppers.region in ["north"] and shoppers.age > 3\n    yes = shoppers.opted_in\n    no = not shoppers.opted_in\n    again = shoppers.opted_in = true\n    rest = otherwise\n  }`));
        expect(withLines(result).map(l => l.split(':')[0])).toEqual(['also_n', 'again']);
        // The same aggregate on both sides of a comparison: its text is its identity.
        expect(await reachable(['some = count(orders within 30 days) >= 1', 'none = count(orders within 30 days) < 1', 'rest2 = count(orders within 30 days) = 0'])).toHaveLength(1);
    });

    it('says nothing where a missing value could still match, or where it cannot tell', async () => {
        // Customers without scores are in neither of the first two tiers, so `not` tiers still match them.
        expect(await reachable(['a = value.r >= 3', 'b = value.r < 3', 'c = not (value.r = 1)'])).toEqual([]);
        expect(await reachable(['a = shoppers.age > 30', 'b = shoppers.age + 1 > 40'])).toEqual([]);
        expect(await reachable(['a = any(orders)', 'b = count(orders) >= 1'])).toEqual([]);
        expect(await reachable(['a = shoppers.region != "north"', 'b = shoppers.region = "south"', 'c = shoppers.region = "north"'])).toHaveLength(1);
    });

    it('leaves tiers below a misplaced otherwise to tier-otherwise-not-last', async () => {
        const result = await check(plan('  tiers t {\n    a = everyone\n    rest = otherwise\n    b = value.r >= 4\n  }'));
        expectNoCode(result, 'tier-unreachable');
        expectCode(result, 'tier-otherwise-not-last', 'error', 'rest = otherwise');
    });
});

describe('capped audiences: limit N by EXPR', () => {
    it('takes a per-customer number: a column, a score, an aggregate, arithmetic of those', async () => {
        for (const by of ['shoppers.spend', 'value.m + value.f', 'sum(orders.amount within 90 days)', 'count(orders where sku = "a") * 2 - shoppers.age', '']) {
            const result = await check(plan(campaign('c', `    limit 500${by ? ` by ${by}` : ''}`)));
            expectClean(result);
            expect(campaignSettings(find(result.model, isCampaign, 'c')).limit?.count).toBe(500);
        }
    });

    it('rejects a condition, a text and a date to rank by, a metric, and a second limit', async () => {
        expectCode(await check(plan(campaign('c', '    limit 5 by loyal'))), 'limit-by', 'error', 'limit 5', 'this is a true/false condition');
        expectCode(await check(plan(campaign('c', '    limit 5 by shoppers.region'))), 'limit-by', 'error', 'limit 5', 'this is a text');
        expectCode(await check(plan(campaign('c', '    limit 5 by max(orders.shipped)'))), 'limit-by', 'error', 'limit 5', 'this is a date');
        const metric = await check(plan(campaign('c', '    limit 5 by revenue')));
        expectCode(metric, 'not-a-value', 'error', 'limit 5', "'revenue' is a metric");
        expectNoCode(metric, 'limit-by');
        expectCode(await check(plan(campaign('c', '    limit 5\n    limit 6'))), 'duplicate-statement', 'error', 'limit 6', 'states `limit` more than once');
        expectCode(await check(plan(campaign('c', '    limit -5'))), 'syntax-error', 'error', 'limit -5');
        expectCode(await check(plan(campaign('c', '    limit 0'))), 'limit-count', 'error', 'limit 0', 'not 0');
    });

    it('warns when the ranking reads a model scored after the campaign starts', async () => {
        const text = plan(campaign('c', '    limit 5 by value.m')).replace('    monetary amount\n  }', '    monetary amount\n    as of 2026-06-01\n  }');
        expectCode(await check(text), 'audience-after-start', 'warning', 'audience everyone', "RFM model 'value' is scored as of 2026-06-01");
    });
});

describe('what semantics.ts tells the runner', () => {
    it('gives the aggregate shape with its filter and window, and whether an expression aggregates', async () => {
        const model = await parseOk(plan(`  segment fans = count(orders where sku = "music" within 365 days) >= 1
  segment fan_or_loyal = fans or loyal
${TIERS.replace('valuable = value.m >= 4', 'valuable = sum(orders.amount within 90 days) >= 300')}
  segment tiered = value_tier.gold`));
        const fans = find(model, isSegment, 'fans');
        const shape = aggregateShape(aggregatesOf(fans)[0])!;
        expect([shape.function, shape.source.name, shape.column, shape.filter?.$cstNode?.text, shape.withinDays]).toEqual(['count', 'orders', undefined, 'sku = "music"', 365]);
        expect(aggregateShape(aggregatesOf(find(model, isTiers, 'value_tier'))[0])).toMatchObject({ function: 'sum', column: 'amount', withinDays: 90 });
        expect(containsAggregate(fans.condition)).toBe(true);
        expect(containsAggregate(find(model, isSegment, 'fan_or_loyal').condition)).toBe(true);
        expect(containsAggregate(find(model, isSegment, 'fan_or_loyal').condition, false)).toBe(false);
        expect(containsAggregate(find(model, isSegment, 'tiered').condition)).toBe(true);
        expect(containsAggregate(find(model, isSegment, 'loyal').condition)).toBe(false);
    });

    it('says what each aggregate\'s events are counted up to', async () => {
        const model = await parseOk(plan(`  segment fans = any(orders within 30 days)
  tiers t {
    a = count(orders) > 2
    b = otherwise
  }
  metric came = any(orders where sku = "x")
${campaign('c', '    limit 10 by sum(orders.amount)').replace('audience everyone', 'audience count(orders) > 1')}`));
        const kinds = (node: import('langium').AstNode) => aggregatesOf(node).map(a => {
            const reference = timeReference(a)!;
            return reference.kind === 'campaign' ? `campaign ${reference.campaign.name} ${reference.start}` : reference.kind === 'condition' ? `condition ${reference.declaration.name}` : `attribution ${reference.metric.name}`;
        });
        expect(kinds(find(model, isSegment, 'fans'))).toEqual(['condition fans']);
        expect(kinds(find(model, isTiers, 't'))).toEqual(['condition t']);
        expect(kinds(find(model, isMetric, 'came'))).toEqual(['attribution came']);
        expect(kinds(find(model, isCampaign, 'c'))).toEqual(['campaign c 2026-05-01', 'campaign c 2026-05-01']);
    });
});

describe('overlap between campaigns, with tiers', () => {
    const campaigns = (a: string, b: string, tiers = TIERS) => plan(`${tiers}\n${campaign('a', '', { omit: ['audience'] }).replace('    channel email', `    audience ${a}\n    channel email`)}\n${campaign('b', '', { omit: ['audience'] }).replace('    channel email', `    audience ${b}\n    channel email`)}`);
    const fixed = (text: string) => text.replace('    monetary amount\n  }', '    monetary amount\n    as of 2026-04-01\n  }');

    it('never overlaps two different tiers of one declaration, nor a tier and its negation', async () => {
        expectNoCode(await check(fixed(campaigns('value_tier.gold', 'value_tier.lost'))), 'campaign-overlap');
        expectNoCode(await check(fixed(campaigns('value_tier.gold and loyal', 'not value_tier.gold'))), 'campaign-overlap');
        expectCode(await check(fixed(campaigns('value_tier.gold', 'value_tier.gold'))), 'campaign-overlap', 'warning', 'campaign b');
        expectCode(await check(fixed(campaigns('value_tier.gold', 'not value_tier.lost'))), 'campaign-overlap', 'warning', 'campaign b');
    });

    it('reads a tier\'s condition as a fact about its customers', async () => {
        // gold implies value.m >= 4, which no customer with value.m <= 2 has.
        expectNoCode(await check(fixed(campaigns('value_tier.gold', 'value.m <= 2'))), 'campaign-overlap');
    });

    it('proves nothing from tiers or segments read at two different starts when they float (scores without as of, aggregates)', async () => {
        const model = (await parseOk(campaigns('value_tier.gold', 'value_tier.lost'))) as Model;
        const [a, b] = declarationsOf(model).filter(isCampaign) as Campaign[];
        const atoms = (c: Campaign, start: string) => audienceAtoms(campaignSettings(c).audience?.condition, start);
        expect(disjoint(atoms(a, '2026-05-01'), atoms(b, '2026-05-01'))).toBe(true);
        expect(disjoint(atoms(a, '2026-05-01'), atoms(b, '2026-06-01'))).toBe(false);
        const fans = (await parseOk(plan(`  segment fans = any(orders within 30 days)\n  segment x = fans\n  segment y = not fans`)));
        const x = find(fans, isSegment, 'x') as Segment;
        const y = find(fans, isSegment, 'y') as Segment;
        expect(disjoint(audienceAtoms(x.condition, '2026-05-01'), audienceAtoms(y.condition, '2026-05-01'))).toBe(true);
        expect(disjoint(audienceAtoms(x.condition, '2026-05-01'), audienceAtoms(y.condition, '2026-06-01'))).toBe(false);
    });
});

describe('names inside a where filter resolve to columns even when they spell a source or a metric elsewhere', () => {
    it('prefers the column', async () => {
        const result = await check(plan(`  events hits from "hits.csv" customer customer_id time at {
    revenue: number
  }
  segment s = any(hits where revenue > 3)`));
        expectClean(result);
        const ref = AstUtils.streamAst(find(result.model, isSegment, 's')).filter(isNameReference).find(r => r.target.$refText === 'revenue') as NameReference;
        expect(isColumn(ref.target.ref)).toBe(true);
        expect(isMetric(ref.target.ref)).toBe(false);
    });

    it('is checked per aggregate in a metric as well', async () => {
        const result = await check(plan('  metric m = count(orders where loyal)'));
        expectCode(result, 'aggregate-filter', 'error', 'metric m', "'loyal' is a segment");
        expectNoCode(result, 'not-a-value');
        const metric = find(result.model, isMetric, 'm') as Metric;
        expect(aggregateShape(metric.definition)?.filter?.$cstNode?.text).toBe('loyal');
    });
});
