// Linking: what each kind of reference resolves to, and how an unresolved one is reported.
import { describe, expect, it } from 'vitest';
import { AstUtils } from 'langium';
import type {
    Campaign, ChannelStep, Column, CustomersSource, EventsSource, Expression, Goal, MemberAccess, Metric, MetricGoalTarget, Model,
    NameReference, RecordedGroups, Rfm, RfmMonetary, Segment, ValueMetric
} from '../../src/language/generated/ast.js';
import { isMemberAccess, isNameReference } from '../../src/language/generated/ast.js';
import { memberTarget, typeOf } from '../../src/language/semantics.js';
import type { UnresolvedReferenceData } from '../../src/language/validation/document-validator.js';
import { check, describeDiagnostics, expectCode, withCode } from './helpers.js';

const declarations = (model: Model) => [...model.declarations, ...model.plans.flatMap(p => p.declarations)];
function find<T>(model: Model, name: string): T {
    const found = declarations(model).find(d => d.name === name);
    expect(found, `declaration ${name}`).toBeDefined();
    return found as T;
}
/** The member accesses of an expression, keyed by their text (`orders.amount`). */
function members(expression: Expression): Map<string, MemberAccess> {
    const result = new Map<string, MemberAccess>();
    for (const node of AstUtils.streamAst(expression)) {
        if (isMemberAccess(node) && isNameReference(node.receiver)) result.set(`${node.receiver.target.$refText}.${node.member.$refText}`, node);
    }
    return result;
}

const SOURCES = `plan "p" {
  objective retention
  customers shoppers from "c.csv" key customer_id {
    region: text
    spend: number
    cohort: text
  }
  events orders from "o.csv" customer customer_id time ordered_at {
    amount: number
  }
  rfm value from orders {
    monetary amount
  }
`;

describe('members after a dot', () => {
    it('resolve to the declared columns of the source', async () => {
        const result = await check(`${SOURCES}  segment s = shoppers.region = "north" and shoppers.spend > 10\n  metric m = sum(orders.amount)\n}`);
        expect(describeDiagnostics(result.diagnostics.filter(d => d.severity === 1))).toBe('');
        const shoppers = find<CustomersSource>(result.model, 'shoppers');
        const orders = find<EventsSource>(result.model, 'orders');
        const s = members(find<Segment>(result.model, 's').condition);
        expect(s.get('shoppers.region')!.member.ref).toBe(shoppers.columns[0]);
        expect(s.get('shoppers.spend')!.member.ref).toBe(shoppers.columns[1]);
        const m = members(find<Metric>(result.model, 'm').definition);
        expect(m.get('orders.amount')!.member.ref).toBe(orders.columns[0]);
        expect((m.get('orders.amount')!.receiver as NameReference).target.ref).toBe(orders);
    });

    it('resolve the implied key, customer and time columns to their source, typed text and date', async () => {
        const result = await check(`${SOURCES}  segment s = shoppers.customer_id = "c1"\n  metric last = max(orders.ordered_at)\n  metric who = count(orders.customer_id)\n}`);
        expect(describeDiagnostics(result.diagnostics.filter(d => d.severity === 1))).toBe('');
        const shoppers = find<CustomersSource>(result.model, 'shoppers');
        const orders = find<EventsSource>(result.model, 'orders');
        const key = members(find<Segment>(result.model, 's').condition).get('shoppers.customer_id')!;
        expect(key.member.ref).toBe(shoppers);
        expect(typeOf(key)).toBe('text');
        const time = members(find<Metric>(result.model, 'last').definition).get('orders.ordered_at')!;
        expect(time.member.ref).toBe(orders);
        expect(memberTarget(time)).toMatchObject({ kind: 'column', name: 'ordered_at', type: 'date' });
        const customer = members(find<Metric>(result.model, 'who').definition).get('orders.customer_id')!;
        expect(memberTarget(customer)).toMatchObject({ kind: 'column', name: 'customer_id', type: 'text' });
    });

    it('prefer a declared column over the implied one of the same name', async () => {
        const result = await check('customers c from "c.csv" key id {\n  id: number\n}\nsegment s = c.id > 5\n');
        const column = find<CustomersSource>(result.model, 'c').columns[0];
        const access = members(find<Segment>(result.model, 's').condition).get('c.id')!;
        expect(access.member.ref).toBe(column);
        expect(typeOf(access)).toBe('number');
        expect(withCode(result, 'type-mismatch')).toEqual([]);
    });

    it('resolve r, f and m to the RFM model, typed number', async () => {
        const result = await check(`${SOURCES}  segment s = value.r <= 2 and value.f >= 4 and value.m >= 4\n}`);
        const rfm = find<Rfm>(result.model, 'value');
        const accesses = members(find<Segment>(result.model, 's').condition);
        for (const score of ['r', 'f', 'm']) {
            const access = accesses.get(`value.${score}`)!;
            expect(access.member.ref).toBe(rfm);
            expect(memberTarget(access)).toMatchObject({ kind: 'score', score });
            expect(typeOf(access)).toBe('number');
        }
        expect(describeDiagnostics(result.diagnostics)).toBe('');
    });

    it('report a score other than r, f and m as unresolved, suggesting the closest', async () => {
        const result = await check(`${SOURCES}  segment s = value.x >= 2\n}`);
        expectCode(result, 'unresolved-reference', 'error', 'value.x', "Unknown column or score 'x'");
    });

    it('do not see the columns of another source', async () => {
        const result = await check(`${SOURCES}  segment s = shoppers.amount > 2\n}`);
        expectCode(result, 'unresolved-reference', 'error', 'shoppers.amount', "Unknown column or score 'amount'.");
    });

    it('do not exist after a segment, a metric or a channel', async () => {
        const result = await check(`${SOURCES}  segment t = everyone\n  segment s = t.region = "x"\n}`);
        expectCode(result, 'unresolved-reference', 'error', 't.region', "Unknown column or score 'region'");
    });
});

describe('plain names', () => {
    it('link segments to segments, declared before or after', async () => {
        const result = await check(`${SOURCES}  segment both = early and late\n  segment early = value.r <= 2\n  segment late = not early\n}`);
        expect(describeDiagnostics(result.diagnostics)).toBe('');
        const names = AstUtils.streamAst(find<Segment>(result.model, 'both').condition).filter(isNameReference).toArray();
        expect(names.map(n => n.target.ref)).toEqual([find(result.model, 'early'), find(result.model, 'late')]);
    });

    it('link channel steps, value metrics, goal metrics and the events of an RFM model', async () => {
        const result = await check(`${SOURCES}  channel email cost 1 per contact
  metric revenue = sum(orders.amount)
  campaign c {
    audience everyone
    channel email
    value revenue
    goal total(revenue) >= 10 by 2026-12-31
  }
}`);
        const c = find<Campaign>(result.model, 'c');
        expect((c.statements[1] as ChannelStep).channel.ref).toBe(find(result.model, 'email'));
        expect((c.statements[2] as ValueMetric).metric.ref).toBe(find(result.model, 'revenue'));
        expect(((c.statements[3] as Goal).target as MetricGoalTarget).metric.ref).toBe(find(result.model, 'revenue'));
        expect(find<Rfm>(result.model, 'value').events.ref).toBe(find(result.model, 'orders'));
    });

    it('link `groups from source.column` to the column, declared or implied', async () => {
        const result = await check(`${SOURCES}  campaign c {\n    groups from shoppers.cohort treatment "t" control "c"\n  }\n  campaign d {\n    groups from shoppers.customer_id treatment "t" control "c"\n  }\n}`);
        const shoppers = find<CustomersSource>(result.model, 'shoppers');
        const c = find<Campaign>(result.model, 'c').statements[0] as RecordedGroups;
        expect(c.source.ref).toBe(shoppers);
        expect(c.column.ref).toBe(shoppers.columns[2]);
        const d = find<Campaign>(result.model, 'd').statements[0] as RecordedGroups;
        expect(d.column.ref).toBe(shoppers);
        expect(withCode(result, 'unresolved-reference')).toEqual([]);
    });

    it('report an unknown recorded-groups column with a suggestion', async () => {
        const result = await check(`${SOURCES}  campaign c {\n    groups from shoppers.cohrt treatment "t" control "c"\n  }\n}`);
        expectCode(result, 'unresolved-reference', 'error', 'groups from', "Unknown column or score 'cohrt'. Did you mean 'cohort'?");
    });

    it('link `monetary column` to a column of the RFM model\'s source', async () => {
        const result = await check(`${SOURCES}}`);
        const monetary = find<Rfm>(result.model, 'value').settings[0] as RfmMonetary;
        expect(monetary.column.ref).toBe(find<EventsSource>(result.model, 'orders').columns[0] as Column);
        const wrong = await check(`${SOURCES}  rfm other from orders {\n    monetary spend\n  }\n}`);
        expectCode(wrong, 'unresolved-reference', 'error', 'monetary spend', "Unknown column or score 'spend'");
    });

    it('see declarations outside the plan block from inside it', async () => {
        const result = await check(`channel email cost 1 per contact
segment outside = everyone
plan "p" {
  objective growth
  segment inside = everyone
  campaign c {
    audience outside
    channel email
    runs 2026-01-01 to 2026-01-31
  }
}`);
        expect(describeDiagnostics(result.diagnostics)).toBe('');
    });

    it('see declarations inside the plan block from outside it: a file is one namespace', async () => {
        const result = await check(`segment outside = inside
plan "p" {
  objective growth
  segment inside = everyone
}`);
        expect(describeDiagnostics(result.diagnostics)).toBe('');
        const outside = find<Segment>(result.model, 'outside');
        expect((outside.condition as NameReference).target.ref).toBe(find<Segment>(result.model, 'inside'));
    });

    it('do not see declarations of other documents that are not imported', async () => {
        await check('channel shared_channel cost 1 per contact\n', { uri: 'memory:///ws/shared.mplan' });
        const result = await check('campaign c {\n  channel shared_channel\n}\n', { uri: 'memory:///ws/plan.mplan' });
        expectCode(result, 'unresolved-reference', 'error', 'channel shared_channel', "Unknown channel 'shared_channel'");
    });
});

describe('unresolved references', () => {
    it('name what was expected and suggest the closest name in scope', async () => {
        const result = await check(`${SOURCES}  channel email cost 1 per contact
  metric revenue = sum(orders.amount)
  segment s = shopers.region = "x"
  rfm r2 from ordrs {
    monetary amount
  }
  campaign c {
    channel emal
    value revenu
    goal lift(revnue) >= 5% by 2026-12-31
  }
}`);
        expectCode(result, 'unresolved-reference', 'error', 'shopers.region', "Unknown name 'shopers'. Did you mean 'shoppers'?");
        expectCode(result, 'unresolved-reference', 'error', 'rfm r2', "Unknown data source 'ordrs'. Did you mean 'orders'?");
        expectCode(result, 'unresolved-reference', 'error', 'channel emal', "Unknown channel 'emal'. Did you mean 'email'?");
        expectCode(result, 'unresolved-reference', 'error', 'value revenu', "Unknown metric 'revenu'. Did you mean 'revenue'?");
        const [goal] = expectCode(result, 'unresolved-reference', 'error', 'goal lift', "Unknown metric 'revnue'. Did you mean 'revenue'?");
        expect(goal.data as UnresolvedReferenceData).toEqual({ code: 'unresolved-reference', refText: 'revnue', suggestion: 'revenue', expectedType: 'Metric' });
    });

    it('report a typo in a source once, not again for the column after it', async () => {
        const result = await check(`${SOURCES}  segment s = shopers.region = "x" and shoppers.regon.x = 1
  rfm r2 from ordrs {
    monetary amount
  }
  campaign c {
    groups from shopers.cohort treatment "t" control "c"
  }
}`);
        const unresolved = withCode(result, 'unresolved-reference').map(d => d.message);
        expect(unresolved).toEqual([
            "Unknown name 'shopers'. Did you mean 'shoppers'?",
            "Unknown column or score 'regon'. Did you mean 'region'?",
            "Unknown data source 'ordrs'. Did you mean 'orders'?",
            "Unknown data source 'shopers'. Did you mean 'shoppers'?"
        ]);
    });

    it('suggest nothing when no name is close', async () => {
        const result = await check(`${SOURCES}  metric revenue = sum(orders.amount)\n  campaign c {\n    goal lift(unknown_metric) >= 5% by 2026-12-31\n  }\n}`);
        const [d] = expectCode(result, 'unresolved-reference', 'error', 'goal lift', "Unknown metric 'unknown_metric'.");
        expect(d.message).not.toContain('Did you mean');
        expect((d.data as UnresolvedReferenceData).suggestion).toBeUndefined();
    });

    it('mark the name itself: the range covers the unresolved text', async () => {
        const text = `${SOURCES}  segment s = shopers.region = "x"\n}`;
        const result = await check(text);
        const [d] = withCode(result, 'unresolved-reference');
        const line = text.split('\n')[d.range.start.line];
        expect(line.slice(d.range.start.character, d.range.end.character)).toBe('shopers');
    });

    it('suggest only names of the expected kind', async () => {
        // `sales` is the name of a channel, but a goal needs a metric: the suggestion is the metric `sale`.
        const result = await check(`${SOURCES}  channel sales cost 1 per contact\n  metric sale = count(orders)\n  campaign c {\n    goal total(sales) >= 5 by 2026-12-31\n  }\n}`);
        expectCode(result, 'unresolved-reference', 'error', 'goal total', "Unknown metric 'sales'. Did you mean 'sale'?");
    });
});
