// Hover: keywords explain themselves; names show what they stand for (a metric's shape, a column's type and source,
// an RFM score's meaning, a segment's definition).
import { describe, expect, it } from 'vitest';
import { expectHover } from 'langium/test';
import { Mplan, PLAN, parse, positionOf, textDocumentId } from './helpers.js';

async function hoverAt(text: string, needle: string, nth = 0, delta = 1): Promise<string | undefined> {
    const document = await parse(text);
    const hover = await Mplan.lsp.HoverProvider!.getHoverContent(document, { textDocument: textDocumentId(document), position: positionOf(document, needle, nth, delta) });
    const contents = hover?.contents as { value?: string } | undefined;
    return contents?.value;
}

describe('hover on keywords', () => {
    const cases: Array<[string, number, RegExp]> = [
        ['objective', 0, /acquisition \| activation \| retention \| growth/],
        ['customers shoppers', 0, /one row per customer/],
        ['events orders', 0, /many rows/],
        ['rfm', 0, /recency .*frequency .*monetary/],
        ['segment at_risk', 0, /named group of customers/],
        ['channel mail cost', 0, /a way to contact customers/],
        ['metric responded', 0, /outcome measured per customer/],
        ['campaign', 0, /who is contacted/],
        ['audience', 0, /customers the campaign targets/],
        ['control 10%', 0, /holds out N% of the audience/],
        ['attribution', 0, /default 30/],
        ['goal "Lapsed', 0, /SMART goal/],
        ['lift(', 0, /treatment .*control/],
        ['total(', 0, /summed over the treatment group/],
        [' by 2026', 0, /deadline/],
        // On an aggregate's function, the aggregate itself with the events it counts.
        ['any(', 0, /1 when the customer has any `orders` event, else 0, counting orders in the attribution window/]
    ];
    for (const [needle, nth, expected] of cases) {
        it(`explains '${needle.trim().split(/[ (]/)[0]}'`, async () => {
            const delta = needle.startsWith(' ') ? 2 : 1;
            expect(await hoverAt(PLAN, needle, nth, delta)).toMatch(expected);
        });
    }

    it('gives a campaign step `channel` its own meaning', async () => {
        expect(await hoverAt(PLAN, '    channel phone after', 0, 5)).toMatch(/contact step of the campaign/);
    });

    it('explains roi, cost, mean, pp, everyone and the % of a drawn control', async () => {
        const text = PLAN.replace('    attribution 30 days\n', '    attribution 30 days\n    goal roi >= 1.5 by 2026-12-31\n    goal cost <= 900 by 2026-12-31\n    goal mean(responded) >= 3 pp by 2026-12-31\n')
            .replace('audience at_risk and not north', 'audience everyone');
        expect(await hoverAt(text, 'roi >=')).toMatch(/return on investment/);
        expect(await hoverAt(text, 'cost <=')).toMatch(/total cost/);
        expect(await hoverAt(text, 'mean(responded)')).toMatch(/mean in the treatment group/);
        expect(await hoverAt(text, 'pp by')).toMatch(/percentage points/);
        expect(await hoverAt(text, 'everyone')).toMatch(/all customers/);
        expect(await hoverAt(text, '10%', 0, 2)).toMatch(/share of the audience held out/);
    });

    it('works with langium/test expectHover', async () => {
        await expectHover(Mplan)({ text: 'plan "x" {\n  obj<|>ective growth\n}', index: 0, hover: /what the plan is for/ });
    });
});

describe('hover on names', () => {
    it('shows a metric\'s shape and definition', async () => {
        const hover = await hoverAt(PLAN, 'lift(responded)', 0, 6);
        expect(hover).toContain('**metric** `responded`');
        expect(hover).toContain('1 when the customer has any `orders` event, else 0');
        expect(hover).toContain('metric responded = any(orders)');
        expect(await hoverAt(PLAN, 'total(revenue)', 0, 7)).toContain('The sum of `orders.amount`');
        expect(await hoverAt(PLAN, 'metric order_value', 0, 8)).toMatch(/\(the sum of `orders.amount`\) ÷ \(the number of `orders` events\)/);
    });

    it('shows a column\'s type and source after a dot', async () => {
        const hover = await hoverAt(PLAN, 'shoppers.region', 0, 10);
        expect(hover).toContain('**column** `shoppers.region`: text');
        expect(hover).toContain('customers source `shoppers`');
        expect(await hoverAt(PLAN, 'shoppers.age', 0, 10)).toContain('`shoppers.age`: number');
    });

    it('shows an implied key column, at its use and at the `key` property', async () => {
        const text = PLAN.replace('segment north = shoppers.region = "north"', 'segment north = shoppers.customer_id = "north"');
        const atUse = await hoverAt(text, 'shoppers.customer_id', 0, 10);
        expect(atUse).toContain('**column** `shoppers.customer_id`: text');
        expect(atUse).toContain('the key that identifies each customer');
        expect(atUse).toContain('Implied');
        expect(await hoverAt(text, 'key customer_id', 0, 5)).toContain('`shoppers.customer_id`: text');
        expect(await hoverAt(text, 'time ordered_at', 0, 6)).toContain('`orders.ordered_at`: date');
    });

    it('shows a column named with a keyword as a column', async () => {
        const text = PLAN.replace('segment north = shoppers.region = "north"', 'segment north = shoppers.segment = "north"');
        expect(await hoverAt(text, 'shoppers.segment', 0, 10)).toContain('**column** `shoppers.segment`: text');
    });

    it('shows what an RFM score means, and the model it belongs to', async () => {
        const score = await hoverAt(PLAN, 'value.r', 0, 6);
        expect(score).toContain('**RFM score** `value.r`');
        expect(score).toMatch(/recency.*scored 1 to 5/i);
        expect(await hoverAt(PLAN, 'value.f', 0, 6)).toMatch(/frequency/i);
        const model = await hoverAt(PLAN, 'value.r', 0, 1);
        expect(model).toContain('**RFM model** `value`');
        expect(model).toContain('monetary column `amount`');
    });

    it('shows a segment with its description and condition', async () => {
        const hover = await hoverAt(PLAN, 'audience at_risk', 0, 10);
        expect(hover).toContain('**segment** `at_risk`');
        expect(hover).toContain('Bought often, gone quiet');
        expect(hover).toContain('value.r <= 2 and value.f >= 4');
    });

    it('shows a channel with its cost and capacity, and a source with its columns', async () => {
        expect(await hoverAt(PLAN, 'channel phone after', 0, 9)).toMatch(/cost 3\.5 per contact, capacity 2000 per day/);
        const source = await hoverAt(PLAN, 'any(orders)', 0, 5);
        expect(source).toContain('**events source** `orders`');
        expect(source).toContain('amount: number, customer_id: text (implied), ordered_at: date (implied)');
    });

    it('shows a declaration when hovering its own name', async () => {
        expect(await hoverAt(PLAN, 'metric revenue', 0, 8)).toContain('**metric** `revenue`');
        expect(await hoverAt(PLAN, 'campaign winback', 0, 10)).toMatch(/\*\*campaign\*\* `winback`[\s\S]*Runs 2026-11-01 to 2026-11-30/);
    });

    it('shows nothing on an unresolved name, a string or a number', async () => {
        const text = PLAN.replace('lift(responded)', 'lift(respondd)');
        expect(await hoverAt(text, 'respondd', 0, 2)).toBeUndefined();
        expect(await hoverAt(PLAN, '"data/customers.csv"', 0, 3)).toBeUndefined();
        expect(await hoverAt(PLAN, '40000', 0, 2)).toBeUndefined();
    });
});
