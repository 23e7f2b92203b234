// Completion: keywords, names in scope, columns after `source.`, scores after an RFM model, metrics inside lift(...),
// and names filtered by where they can stand.
import { describe, expect, it } from 'vitest';
import type { CompletionItem } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver';
import { Mplan, PLAN, parse } from './helpers.js';

/** Completes at the `|` in `snippet`, which replaces the marked statement line of the fixture's campaign. */
async function completeIn(text: string): Promise<CompletionItem[]> {
    const offset = text.indexOf('|');
    const document = await parse(text.slice(0, offset) + text.slice(offset + 1));
    const list = await Mplan.lsp.CompletionProvider!.getCompletion(document, {
        textDocument: { uri: document.textDocument.uri },
        position: document.textDocument.positionAt(offset)
    });
    return list?.items ?? [];
}

/** The fixture with `line` added as the campaign's last statement. */
function inCampaign(line: string): string {
    return PLAN.replace('    goal total(revenue) >= 40000 by 2026-12-31\n', `    goal total(revenue) >= 40000 by 2026-12-31\n    ${line}\n`);
}

/** The fixture with `line` added as a declaration after the metrics. */
function inPlan(line: string): string {
    return PLAN.replace('  campaign winback {', `  ${line}\n\n  campaign winback {`);
}

const labels = (items: CompletionItem[]) => items.map(i => i.label).sort();

describe('completion', () => {
    it('proposes the top-level keywords in an empty file', async () => {
        expect(labels(await completeIn('|'))).toEqual(['attitude', 'campaign', 'channel', 'clv', 'customers', 'events', 'import', 'metric', 'plan', 'rfm', 'segment', 'tiers'].sort());
    });

    it('proposes plan settings and declarations inside a plan block', async () => {
        const items = labels(await completeIn('plan "x" {\n  |\n}'));
        expect(items).toEqual(expect.arrayContaining(['objective', 'owner', 'currency', 'customers', 'events', 'segment', 'metric', 'campaign']));
    });

    it('proposes the objectives after `objective`', async () => {
        expect(labels(await completeIn('plan "x" {\n  objective |\n}'))).toEqual(['acquisition', 'activation', 'growth', 'retention']);
    });

    it('proposes the column types after `:`', async () => {
        expect(labels(await completeIn('customers c from "c.csv" {\n  a: |\n}'))).toEqual(['boolean', 'date', 'number', 'text']);
    });

    it('proposes campaign statements inside a campaign', async () => {
        const items = labels(await completeIn(inCampaign('|')));
        expect(items).toEqual(expect.arrayContaining(['audience', 'channel', 'runs', 'control', 'groups', 'attribution', 'budget', 'value', 'goal', 'offer']));
    });

    it('proposes the goal targets after `goal`', async () => {
        expect(labels(await completeIn(inCampaign('goal |')))).toEqual(['cost', 'lift', 'mean', 'roi', 'total']);
    });

    it('proposes the declared and implied columns of a source after `source.`', async () => {
        const items = await completeIn(inPlan('segment s = shoppers.|'));
        expect(labels(items)).toEqual(['age', 'customer_id', 'region', 'segment']);
        const age = items.find(i => i.label === 'age')!;
        expect(age.kind).toBe(CompletionItemKind.Field);
        expect(age.detail).toBe('column: number');
        const key = items.find(i => i.label === 'customer_id')!;
        expect(key.detail).toBe('column: text');
    });

    it('filters columns by the typed prefix', async () => {
        expect(labels(await completeIn(inPlan('segment s = shoppers.re|')))).toEqual(['region']);
    });

    it('proposes the columns of an events source inside an aggregate', async () => {
        expect(labels(await completeIn(inPlan('metric m = sum(orders.|')))).toEqual(['amount', 'customer_id', 'ordered_at']);
    });

    it('proposes r, f and m after an RFM model, even one named with a keyword', async () => {
        const items = await completeIn(inPlan('segment s = value.|'));
        expect(labels(items)).toEqual(['f', 'm', 'r']);
        expect(items.find(i => i.label === 'r')!.detail).toBe('RFM score: recency');
        expect(items.find(i => i.label === 'r')!.kind).toBe(CompletionItemKind.Property);
    });

    it('proposes metric names inside lift(, total( and mean(', async () => {
        for (const kind of ['lift', 'total', 'mean']) {
            const items = await completeIn(inCampaign(`goal ${kind}(|`));
            expect(labels(items), kind).toEqual(['order_value', 'responded', 'revenue']);
            expect(items.every(i => i.kind === CompletionItemKind.Function)).toBe(true);
        }
        const revenue = (await completeIn(inCampaign('goal lift(re|'))).find(i => i.label === 'revenue')!;
        expect(revenue.detail).toBe('metric: the sum of orders.amount');
        expect(JSON.stringify(revenue.documentation)).toContain('sum(orders.amount)');
    });

    it('proposes only metrics after `value` and only channels (or `best of`) in a channel step', async () => {
        expect(labels(await completeIn(inCampaign('value |')))).toEqual(['order_value', 'responded', 'revenue']);
        const channels = await completeIn(inCampaign('channel |'));
        expect(labels(channels)).toEqual(['best', 'mail', 'phone']);
        expect(channels.find(i => i.label === 'mail')!.kind).toBe(CompletionItemKind.EnumMember);
        expect(channels.find(i => i.label === 'best')!.kind).toBe(CompletionItemKind.Keyword);
    });

    it('proposes customers sources, RFM models, segments and aggregates in an audience, but no metrics, channels or bare events sources', async () => {
        const items = labels(await completeIn(inCampaign('audience |')));
        expect(items).toEqual(expect.arrayContaining(['shoppers', 'value', 'at_risk', 'north', 'everyone', 'not', 'sum', 'any', 'count']));
        for (const wrong of ['revenue', 'mail', 'orders']) expect(items, wrong).not.toContain(wrong);
    });

    it('proposes sources and other metrics in a metric, but not the metric itself, segments or channels', async () => {
        const items = labels(await completeIn(inPlan('metric spend = |')));
        expect(items).toEqual(expect.arrayContaining(['shoppers', 'orders', 'revenue', 'sum', 'any']));
        for (const wrong of ['spend', 'at_risk', 'mail', 'value']) expect(items, wrong).not.toContain(wrong);
    });

    it('proposes only events sources as the argument of an aggregate', async () => {
        expect(labels(await completeIn(inPlan('metric m = count(|')))).toEqual(['orders']);
        // After the closing parenthesis, the next declaration may start.
        expect(labels(await completeIn(inPlan('metric m = count(orders) |')))).toEqual(expect.arrayContaining(['campaign', 'metric', 'segment']));
    });

    it('proposes the source of recorded groups and then its columns', async () => {
        expect(labels(await completeIn(inCampaign('groups from |')))).toEqual(['orders', 'shoppers']);
        expect(labels(await completeIn(inCampaign('groups from shoppers.|')))).toEqual(['age', 'customer_id', 'region', 'segment']);
    });

    it('proposes the columns of the events source after `monetary`', async () => {
        const text = PLAN.replace('    monetary amount\n', '    monetary |\n');
        expect(labels(await completeIn(text))).toEqual(['amount', 'customer_id', 'ordered_at']);
    });
});
