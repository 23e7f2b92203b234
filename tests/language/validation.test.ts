// Validation of plans, data sources, RFM models, expressions, channels and metrics: the rules' edges, each firing and not.
import { describe, expect, it } from 'vitest';
import { check, describeDiagnostics, expectClean, expectCode, expectNoCode, lineOf, plan, withCode } from './helpers.js';

describe('plan structure', () => {
    it('asks for an objective only in a file that has a plan', async () => {
        const shared = await check('channel email cost 0.02 per contact\nchannel sms cost 0.06 per contact\n');
        expect(describeDiagnostics(shared.diagnostics)).toBe('');
        const noObjective = await check('plan "p" {\n  owner "crm"\n}\n');
        expectCode(noObjective, 'plan-missing-objective', 'error', 1);
    });

    it('flags every plan after the first, and not the first', async () => {
        const text = 'plan "a" { objective growth }\nplan "b" { objective growth }\nplan "c" { objective growth }\n';
        const result = await check(text);
        expect(withCode(result, 'plan-multiple').map(d => d.range.start.line + 1)).toEqual([2, 3]);
    });

    it('flags a repeated objective, owner or currency on the repetition', async () => {
        const text = 'plan "p" {\n  objective growth\n  currency EUR\n  owner "a"\n  objective retention\n  currency EUR\n  owner "b"\n}\n';
        const result = await check(text);
        expect(withCode(result, 'plan-duplicate-setting').map(d => d.range.start.line + 1)).toEqual([5, 7, 6]);
        expectNoCode(result, 'plan-missing-objective');
    });

    it('wants a currency of three capital letters', async () => {
        for (const bad of ['usd', 'EURO', 'Eur', 'US']) {
            const result = await check(`plan "p" {\n  objective growth\n  currency ${bad}\n}\n`);
            expectCode(result, 'currency-code', 'warning', 3, `'${bad}'`);
        }
        for (const good of ['USD', 'EUR', 'JPY']) {
            expectNoCode(await check(`plan "p" {\n  objective growth\n  currency ${good}\n}\n`), 'currency-code');
        }
    });

    it('finds duplicate names across kinds and across the plan boundary, naming the first', async () => {
        const text = 'channel revenue cost 1 per contact\nplan "p" {\n  objective growth\n  events o from "o.csv" customer c time t { amount: number }\n  metric revenue = sum(o.amount)\n}\n';
        const result = await check(text);
        expectCode(result, 'duplicate-name', 'error', 5, "The name 'revenue' is already declared (as a channel) on line 1.");
        expect(withCode(result, 'duplicate-name')).toHaveLength(1);
    });

    it('finds a column declared twice in one source, but allows the same column in two sources', async () => {
        const text = plan('  customers extra from "x.csv" {\n    region: text\n    region: number\n  }');
        expectCode(await check(text), 'duplicate-name', 'error', lineOf(text, 'region: number'), "Column 'region' is declared twice in 'extra'.");
        expectClean(await check(plan('  customers extra from "x.csv" {\n    region: text\n  }')));
    });
});

describe('data sources', () => {
    it('accepts the file formats the runner reads, in any case, gzipped or not', async () => {
        for (const file of ['a.csv', 'a.tsv', 'a.parquet', 'a.json', 'a.jsonl', 'a.ndjson', 'A.CSV', 'a.csv.gz', 'sub/dir/a.csv']) {
            expectNoCode(await check(plan(`  customers extra from "${file}"`)), 'data-file-format');
        }
    });

    it('warns about any other file format', async () => {
        for (const file of ['a.xlsx', 'a.txt', 'a', 'csv', 'a.csv.bak']) {
            const text = plan(`  customers extra from "${file}"`);
            expectCode(await check(text), 'data-file-format', 'warning', lineOf(text, 'customers extra'));
        }
    });

    it('asks an events source for both customer and time, and a customers source for neither', async () => {
        const text = plan('  events bare from "bare.csv" {\n    amount: number\n  }\n  customers people from "p.csv"');
        const result = await check(text);
        expectCode(result, 'events-missing-customer', 'error', 'events bare');
        expectCode(result, 'events-missing-time', 'error', 'events bare');
        expect(result.diagnostics.filter(d => d.range.start.line + 1 === lineOf(text, 'customers people'))).toEqual([]);
    });

    it('wants the time column to be a date, declared or implied', async () => {
        for (const type of ['text', 'number', 'boolean']) {
            const text = plan(`  events clicks from "c.csv" customer who time at {\n    at: ${type}\n  }`);
            expectCode(await check(text), 'key-column-type', 'error', lineOf(text, `at: ${type}`), `must be a date, not ${type}`);
        }
        expectClean(await check(plan('  events clicks from "c.csv" customer who time at')));
        expectClean(await check(plan('  events clicks from "c.csv" customer who time at {\n    at: date\n  }')));
    });
});

describe('RFM models', () => {
    const rfm = (settings: string, from = 'orders') => plan(`  rfm r2 from ${from} {\n${settings}\n  }`);

    it('must be computed from events', async () => {
        const text = rfm('    monetary spend', 'shoppers');
        const result = await check(text);
        expectCode(result, 'rfm-needs-events', 'error', 'rfm r2', "'shoppers' is a customers source");
        expectNoCode(result, 'rfm-monetary-type');
    });

    it('needs a monetary column of type number', async () => {
        expectCode(await check(rfm('    bins 5')), 'rfm-missing-monetary', 'error', 'rfm r2');
        for (const [column, type] of [['sku', 'text'], ['shipped', 'date'], ['customer_id', 'text'], ['ordered_at', 'date']]) {
            const text = rfm(`    monetary ${column}`);
            expectCode(await check(text), 'rfm-monetary-type', 'error', `monetary ${column}`, `is ${type}; it must be a number`);
        }
        expectClean(await check(rfm('    monetary amount')));
    });

    it('takes bins from 2 to 10, whole', async () => {
        for (const bins of ['1', '11', '2.5', '0']) {
            expectCode(await check(rfm(`    monetary amount\n    bins ${bins}`)), 'rfm-bins-range', 'error', `bins ${bins}`);
        }
        for (const bins of ['2', '5', '10']) expectClean(await check(rfm(`    monetary amount\n    bins ${bins}`)));
    });

    it('takes each setting once', async () => {
        for (const setting of ['monetary amount', 'bins 4', 'as of 2026-10-01']) {
            const text = rfm(`    monetary amount\n    bins 4\n    as of 2026-10-01\n    ${setting}`);
            const result = await check(text);
            const duplicates = withCode(result, 'duplicate-statement');
            expect(duplicates.map(d => [d.severity, d.range.start.line + 1])).toEqual([[1, lineOf(text, 'as of 2026-10-01') + 1]]);
        }
    });

    it('wants `as of` to be a calendar date', async () => {
        const text = rfm('    monetary amount\n    as of 2026-02-30');
        expectCode(await check(text), 'invalid-date', 'error', 'as of 2026-02-30');
        expectClean(await check(rfm('    monetary amount\n    as of 2024-02-29')));
    });
});

describe('types in expressions', () => {
    const segment = (condition: string) => plan(`  segment s = ${condition}`);
    const mismatch = async (condition: string, message?: string) => {
        const text = segment(condition);
        expectCode(await check(text), 'type-mismatch', 'error', 'segment s', message);
    };
    const fine = async (condition: string) => expectClean(await check(segment(condition)));

    it('compares only values of one type', async () => {
        await mismatch('shoppers.joined > 5', 'Cannot compare a date with a number.');
        await mismatch('shoppers.age = "30"', 'Cannot compare a number with a text.');
        await mismatch('shoppers.opted_in = 1', 'Cannot compare a true/false value with a number.');
        await mismatch('shoppers.joined < "2026-01-01"', 'Cannot compare a date with a text.');
        await fine('shoppers.joined > 2026-01-01');
        await fine('shoppers.age = 30 and shoppers.opted_in = true and shoppers.region != "north"');
    });

    it('orders only numbers and dates', async () => {
        for (const op of ['<', '<=', '>', '>=']) {
            await mismatch(`shoppers.region ${op} "m"`, `A text can only be compared with = and !=, not ${op}.`);
        }
        await mismatch('shoppers.opted_in < true', 'A true/false value can only be compared with = and !=, not <.');
        await fine('shoppers.region = "m" or shoppers.region != "n"');
        await fine('value.r <= 2 and value.m > 3 and shoppers.age >= 18');
    });

    it('wants true/false around and, or, not, and numbers around arithmetic', async () => {
        await mismatch('shoppers.age and loyal', "'and' needs a true/false value, but this is a number.");
        await mismatch('loyal or shoppers.region', "'or' needs a true/false value, but this is a text.");
        await mismatch('not shoppers.age', "'not' needs a true/false value, but this is a number.");
        await mismatch('shoppers.region + 1 > 2', "'+' needs a number, but this is a text.");
        await mismatch('-shoppers.joined < 2026-01-01', "'-' needs a number, but this is a date.");
        await fine('shoppers.age * 2 - 1 > shoppers.spend / 3 and not loyal');
    });

    it('checks the values of in [...] and not in [...] against the value tested', async () => {
        await mismatch('shoppers.region in ["north", 3]', 'The list holds a number, but the value tested is a text.');
        await mismatch('shoppers.age not in ["30"]', 'The list holds a text, but the value tested is a number.');
        await fine('shoppers.region in ["north", "south"] and shoppers.age not in [1, 2]');
    });

    it('takes between on numbers and dates only, with bounds of the same type', async () => {
        await mismatch('shoppers.region between "a" and "m"', "'between' needs numbers or dates, not a text.");
        await mismatch('shoppers.joined between 2026-01-01 and 5', 'Cannot compare a date with a number.');
        await fine('shoppers.joined between 2026-01-01 and 2026-03-31 and shoppers.age between 18 and 30');
    });

    it('wants dates that exist in the calendar', async () => {
        const text = segment('shoppers.joined > 2026-13-01');
        expectCode(await check(text), 'invalid-date', 'error', 'segment s', '2026-13-01 is not a date in the calendar.');
        await fine('shoppers.joined > 2028-02-29');
    });
});

describe('conditions', () => {
    it('wants a segment or an audience to be true/false', async () => {
        for (const condition of ['shoppers.age', 'shoppers.region', 'shoppers.age + 1', '"yes"', '5%']) {
            expectCode(await check(plan(`  segment s = ${condition}`)), 'not-a-condition', 'error', 'segment s');
        }
        const text = plan('  campaign c {\n    audience shoppers.spend\n    channel email\n    runs 2026-05-01 to 2026-05-31\n  }');
        expectCode(await check(text), 'not-a-condition', 'error', 'audience shoppers.spend');
        for (const condition of ['everyone', 'true', 'shoppers.opted_in', 'loyal', 'not loyal', '(loyal)']) {
            expectClean(await check(plan(`  segment s = ${condition}`)));
        }
    });

    it('allows aggregates over past events in segments and audiences (issue 10), compared like any number', async () => {
        expectClean(await check(plan('  segment s = sum(orders.amount) > 100')));
        expectClean(await check(plan('  campaign c {\n    audience any(orders) and count(orders) <= 3\n    channel email\n    runs 2026-05-01 to 2026-05-31\n  }')));
        expectCode(await check(plan('  segment s = count(orders) > "many"')), 'type-mismatch', 'error', 'segment s', 'Cannot compare a number with a text');
        expectCode(await check(plan('  segment s = sum(orders.amount)')), 'not-a-condition', 'error', 'segment s');
    });

    it('keeps events columns out of conditions, even inside arithmetic', async () => {
        const text = plan('  segment s = orders.amount * 2 > 10');
        const result = await check(text);
        expectCode(result, 'events-outside-aggregate', 'error', 'segment s', "aggregate its column, as in sum(orders.amount)");
    });

    it('finds cycles among segments, however long', async () => {
        const self = await check(plan('  segment a = a and loyal'));
        expectCode(self, 'segment-cycle', 'error', 'segment a', "Segment 'a' depends on itself: a → a.");
        const text = plan('  segment a = b\n  segment b = not c\n  segment c = a or loyal');
        const long = await check(text);
        expect(withCode(long, 'segment-cycle').map(d => d.range.start.line + 1)).toEqual([lineOf(text, 'segment a'), lineOf(text, 'segment b'), lineOf(text, 'segment c')]);
        expectCode(long, 'segment-cycle', 'error', 'segment a', 'a → b → c → a');
        expectClean(await check(plan('  segment a = b and c\n  segment b = c\n  segment c = loyal')));
    });
});

describe('names that are not values', () => {
    const cases: Array<[string, string]> = [
        ['  segment s = loyal and email', "'email' is a channel, not a value."],
        ['  segment s = value > 2', "'value' is an RFM model; use one of its scores: value.r, value.f or value.m."],
        ['  segment s = shoppers = 2', "'shoppers' is a data source; name one of its columns, such as shoppers.region."],
        ['  segment s = revenue > 100', "'revenue' is a metric (an outcome measured after contact)"],
        ['  metric m = loyal', "'loyal' is a segment; a metric measures an outcome"],
        ['  metric m = email', "'email' is a channel, not a value."]
    ];
    for (const [declaration, message] of cases) {
        it(`reports ${declaration.trim()}`, async () => {
            const text = plan(declaration);
            expectCode(await check(text), 'not-a-value', 'error', declaration.trim(), message);
        });
    }

    it('accepts sources as aggregate arguments and RFM models before a dot', async () => {
        expectClean(await check(plan('  metric m = count(orders)\n  segment s = value.r > 2')));
    });
});

describe('aggregates', () => {
    const metric = (definition: string) => plan(`  metric m = ${definition}`);
    const bad = async (definition: string, message: string) => {
        expectCode(await check(metric(definition)), 'aggregate-argument', 'error', 'metric m', message);
    };

    it('count and any take an events source or one of its columns', async () => {
        await bad('count(shoppers)', "count(...) counts the events of an events source; 'shoppers' is not one.");
        await bad('any(email)', "any(...) counts the events of an events source; 'email' is not one.");
        await bad('any(5)', 'any(...) takes an events source or one of its columns.');
        await bad('count(shoppers.region)', 'this is not a column of one');
        for (const definition of ['any(orders)', 'count(orders)', 'count(orders.sku)', 'any(orders.amount)']) {
            expectClean(await check(metric(definition)));
        }
    });

    it('sum and mean take a number column of events; min and max a number or date column', async () => {
        await bad('sum(orders.sku)', "sum(...) needs a number column; 'sku' is text.");
        await bad('mean(orders.shipped)', "mean(...) needs a number column; 'shipped' is date.");
        await bad('min(orders.sku)', "min(...) needs a number or date column; 'sku' is text.");
        await bad('max(orders.customer_id)', "max(...) needs a number or date column; 'customer_id' is text.");
        await bad('sum(orders)', 'sum(...) needs a number column of an events source, such as sum(orders.amount).');
        await bad('mean(shoppers.spend)', 'this is not a column of one');
        for (const definition of ['sum(orders.amount)', 'mean(orders.amount)', 'min(orders.shipped)', 'max(orders.ordered_at)']) {
            expectClean(await check(metric(definition)));
        }
    });

    it('says nothing more about an argument that does not resolve', async () => {
        const result = await check(metric('sum(orders.amout)'));
        expect(result.diagnostics.map(d => d.code)).toEqual(['unresolved-reference']);
    });
});

describe('metrics', () => {
    it('must be a column, an aggregate or a quotient of two aggregates', async () => {
        for (const definition of ['5', 'shoppers.age + 1', 'sum(orders.amount) - count(orders)', 'sum(orders.amount) / 2', 'shoppers.age > 30']) {
            expectCode(await check(plan(`  metric m = ${definition}`)), 'metric-form', 'error', 'metric m');
        }
        for (const definition of ['shoppers.age', 'shoppers.opted_in', 'count(orders)', 'sum(orders.amount) / count(orders)', 'revenue', '(sum(orders.amount))']) {
            const result = await check(plan(`  metric m = ${definition}`));
            expectNoCode(result, 'metric-form');
            expectClean(result);
        }
    });

    it('finds a metric defined through itself', async () => {
        const text = plan('  metric m1 = m2\n  metric m2 = m1');
        const result = await check(text);
        expectCode(result, 'segment-cycle', 'error', 'metric m1', "Metric 'm1' depends on itself: m1 → m2 → m1.");
        expectCode(result, 'segment-cycle', 'error', 'metric m2');
        expectNoCode(result, 'metric-form');
    });

    it('says nothing about the form of a metric whose names do not resolve', async () => {
        const result = await check(plan('  metric m = revenu + 1'));
        expectCode(result, 'unresolved-reference', 'error', 'metric m', "Did you mean 'revenue'?");
        expectNoCode(result, 'metric-form');
    });
});

describe('channels', () => {
    it('wants a positive whole capacity, and accepts a zero cost', async () => {
        for (const capacity of ['0', '2.5']) {
            const text = plan(`  channel fax cost 1 per contact capacity ${capacity} per day`);
            expectCode(await check(text), 'channel-cost', 'error', 'channel fax', 'A capacity must be a positive whole number');
        }
        expectClean(await check(plan('  channel fax cost 0 per contact capacity 1 per day')));
        expectClean(await check(plan('  channel fax')));
    });
});
