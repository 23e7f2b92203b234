// Every diagnostic code in diagnostic-codes.ts, once firing (with its severity, on its line) and once not firing on a
// corrected variant of the same text. The file-system codes (file-unreadable, import-not-found, data-file-missing,
// data-path-outside-root)
// need real files and are covered in files.test.ts; the meta tests below keep this table and the code list in step.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/language/validation/diagnostic-codes.js';
import type { Result, Severity } from './helpers.js';
import { HEADER, campaign, check, describeDiagnostics, expectClean, expectCode, expectNoCode, lineOf, plan } from './helpers.js';

interface Case {
    severity: Severity;
    /** Text that must produce the code. */
    bad: string;
    /** The line it must be reported on: a substring of that line, or [substring, a line above it to search from]. */
    line: string | [string, string];
    /** The same text, corrected: the code must not fire, and no other error or warning either. */
    good: string;
    /** Other codes the bad text may also produce (a knock-on of the same mistake). */
    also?: string[];
    /** The document's URI, where the code depends on it. */
    uri?: string;
    message?: RegExp;
}

const goal = (text: string) => `    goal ${text}`;
const fixedAsOf = (date: string, text: string) => text.replace('    monetary amount\n  }', `    monetary amount\n    as of ${date}\n  }`);
/** An arm block with one step (or the steps given). */
const arm = (header: string, steps = '      channel email') => `    arm ${header} {\n${steps}\n    }`;
const arms = (...headers: string[]) => headers.map(h => arm(h)).join('\n');
const recorded = (groups: string, ...headers: string[]) => plan(campaign('c', `    ${groups}\n${arms(...headers)}`, { omit: ['channel', 'control'] }));
const withArms = (extra: string, ...headers: string[]) => plan(campaign('c', `${arms(...headers)}${extra ? '\n' + extra : ''}`, { omit: ['channel'] }));
const withoutRevenue = (text: string) => text.replace('metric revenue = sum(orders.amount)', 'metric rev = sum(orders.amount)');
/** Past contacts, a CLV model `worth` over the orders and an attitude `prefs` over the contacts, with the settings given. */
const CONTACTS = '  events contacts from "contacts.csv" customer customer_id time sent_at {\n    channel: text\n    offer: text\n    responded: boolean\n    cost: number\n  }';
const CLV_SETTINGS = ['monetary amount', 'calibration 2025-01-01 to 2025-12-31', 'horizon 52 weeks'];
const ATTITUDE_SETTINGS = ['response responded', 'by channel, offer'];
const value = (body: string, options: { clv?: string[]; clvFrom?: string; attitude?: string[]; attitudeFrom?: string } = {}) => plan([
    CONTACTS,
    `  clv worth from ${options.clvFrom ?? 'orders'} {\n${(options.clv ?? CLV_SETTINGS).map(l => `    ${l}`).join('\n')}\n  }`,
    `  attitude prefs from ${options.attitudeFrom ?? 'contacts'} {\n${(options.attitude ?? ATTITUDE_SETTINGS).map(l => `    ${l}`).join('\n')}\n  }`,
    body
].filter(Boolean).join('\n'));

const CASES: Record<string, Case> = {
    'syntax-error': {
        severity: 'error',
        bad: plan('  segmnt s = everyone'),
        line: 'segmnt s',
        good: plan('  segment s = everyone')
    },
    'unresolved-reference': {
        severity: 'error',
        bad: plan('  segment s = shoppers.regoin = "north"'),
        line: 'shoppers.regoin',
        good: plan('  segment s = shoppers.region = "north"'),
        message: /Unknown column or score 'regoin'\. Did you mean 'region'\?/
    },
    'import-self': {
        severity: 'error',
        bad: `import "self.mplan"\n${plan('')}`,
        line: 'import "self.mplan"',
        good: `import "./other/../self2.mplan"\n${plan('')}`,
        uri: 'memory:///imports/self.mplan'
    },
    'plan-missing-objective': {
        severity: 'error',
        bad: plan('').replace('  objective retention\n', ''),
        line: 'plan "Test"',
        good: plan('')
    },
    'plan-multiple': {
        severity: 'error',
        bad: `${plan('')}plan "Second" {\n  objective growth\n}\n`,
        line: 'plan "Second"',
        good: plan('')
    },
    'plan-duplicate-setting': {
        severity: 'error',
        bad: plan('  owner "crm"\n  owner "growth"'),
        line: 'owner "growth"',
        good: plan('  owner "crm"')
    },
    'currency-code': {
        severity: 'warning',
        bad: plan('  currency usd'),
        line: 'currency usd',
        good: plan('  currency USD')
    },
    'duplicate-name': {
        severity: 'error',
        bad: plan('  segment loyal = everyone'),
        line: 'segment loyal = everyone',
        good: plan('  segment everybody = everyone'),
        message: /'loyal' is already declared \(as a segment\) on line \d+/
    },
    'duplicate-statement': {
        severity: 'error',
        bad: plan(campaign('c', '    budget 100\n    budget 200')),
        line: 'budget 200',
        good: plan(campaign('c', '    budget 100'))
    },
    'data-file-format': {
        severity: 'warning',
        bad: plan('  customers extra from "extra.xlsx"'),
        line: 'extra.xlsx',
        good: plan('  customers extra from "extra.parquet"')
    },
    'table-name': {
        severity: 'error',
        bad: plan('  events clicks from table "web." customer who time clicked_at'),
        line: 'events clicks',
        good: plan('  events clicks from table "web.clicks" customer who time clicked_at'),
        message: /'web\.' is not a table name/
    },
    'table-missing-key': {
        severity: 'error',
        bad: plan('  customers accounts from table "crm.accounts" {\n    tier: text\n  }'),
        line: 'customers accounts',
        good: plan('  customers accounts from table "crm.accounts" key customer_id {\n    tier: text\n  }'),
        message: /Customers source 'accounts' reads a table, so it needs `key COLUMN`/
    },
    'events-missing-customer': {
        severity: 'error',
        bad: plan('  events clicks from "clicks.csv" time clicked_at'),
        line: 'events clicks',
        good: plan('  events clicks from "clicks.csv" customer who time clicked_at')
    },
    'events-missing-time': {
        severity: 'error',
        bad: plan('  events clicks from "clicks.csv" customer who'),
        line: 'events clicks',
        good: plan('  events clicks from "clicks.csv" customer who time clicked_at')
    },
    'key-column-type': {
        severity: 'error',
        bad: plan('  events clicks from "clicks.csv" customer who time clicked_at {\n    clicked_at: text\n  }'),
        line: 'clicked_at: text',
        good: plan('  events clicks from "clicks.csv" customer who time clicked_at {\n    clicked_at: date\n  }')
    },
    'rfm-needs-events': {
        severity: 'error',
        bad: plan('  rfm people_rfm from shoppers {\n    monetary spend\n  }'),
        line: 'rfm people_rfm',
        good: plan('  rfm people_rfm from orders {\n    monetary amount\n  }')
    },
    'rfm-missing-monetary': {
        severity: 'error',
        bad: plan('  rfm r2 from orders {\n    bins 4\n  }'),
        line: 'rfm r2',
        good: plan('  rfm r2 from orders {\n    monetary amount\n    bins 4\n  }')
    },
    'rfm-monetary-type': {
        severity: 'error',
        bad: plan('  rfm r2 from orders {\n    monetary sku\n  }'),
        line: 'monetary sku',
        good: plan('  rfm r2 from orders {\n    monetary amount\n  }')
    },
    'rfm-bins-range': {
        severity: 'error',
        bad: plan('  rfm r2 from orders {\n    monetary amount\n    bins 11\n  }'),
        line: 'bins 11',
        good: plan('  rfm r2 from orders {\n    monetary amount\n    bins 10\n  }')
    },
    'type-mismatch': {
        severity: 'error',
        bad: plan('  segment s = shoppers.joined > 5'),
        line: 'shoppers.joined > 5',
        good: plan('  segment s = shoppers.joined > 2025-01-01'),
        message: /Cannot compare a date with a number/
    },
    'not-a-condition': {
        severity: 'error',
        bad: plan('  segment s = shoppers.age'),
        line: 'segment s',
        good: plan('  segment s = shoppers.age > 30')
    },
    'not-a-value': {
        severity: 'error',
        bad: plan('  segment s = loyal and email'),
        line: 'segment s',
        good: plan('  segment s = loyal and value.r > 1')
    },
    'events-outside-aggregate': {
        severity: 'error',
        bad: plan('  segment s = orders.amount > 5'),
        line: 'segment s',
        good: plan('  segment s = shoppers.spend > 5')
    },
    'aggregate-argument': {
        severity: 'error',
        bad: plan('  metric m = sum(orders.sku)'),
        line: 'metric m',
        good: plan('  metric m = sum(orders.amount)'),
        message: /'sku' is text/
    },
    'aggregate-filter': {
        severity: 'error',
        bad: plan('  segment s = count(orders where sku = "a" and shoppers.age > 30) >= 1'),
        line: 'segment s',
        good: plan('  segment s = count(orders where sku = "a") >= 1 and shoppers.age > 30'),
        message: /'shoppers\.age' is a column of another source/
    },
    'aggregate-window': {
        severity: 'error',
        bad: plan('  segment s = any(orders within 0 days)'),
        line: 'segment s',
        good: plan('  segment s = any(orders within 1 day)'),
        message: /at least 1, not 0/
    },
    'window-in-metric': {
        severity: 'error',
        bad: plan('  metric m = count(orders where sku = "a" within 30 days)'),
        line: 'metric m',
        good: plan('  metric m = count(orders where sku = "a")'),
        message: /attribution window/
    },
    'tier-otherwise-not-last': {
        severity: 'error',
        bad: plan('  tiers t {\n    rest = otherwise\n    gold = value.m >= 4\n  }'),
        line: 'rest = otherwise',
        good: plan('  tiers t {\n    gold = value.m >= 4\n    rest = otherwise\n  }'),
        message: /the tiers below it \('gold'\) would never match/
    },
    'tiers-no-otherwise': {
        severity: 'warning',
        bad: plan('  tiers t {\n    gold = value.m >= 4\n  }'),
        line: 'tiers t',
        good: plan('  tiers t {\n    gold = value.m >= 4\n    rest = otherwise\n  }')
    },
    'tier-unreachable': {
        severity: 'warning',
        bad: plan('  tiers t {\n    valuable = value.m >= 3\n    gold = value.m >= 4 and value.f >= 4\n    rest = otherwise\n  }'),
        line: 'gold = ',
        good: plan('  tiers t {\n    gold = value.m >= 4 and value.f >= 4\n    valuable = value.m >= 3\n    rest = otherwise\n  }'),
        message: /tier 'valuable' above it already takes every customer it selects/
    },
    'segment-cycle': {
        severity: 'error',
        bad: plan('  segment a = b\n  segment b = a'),
        line: 'segment a',
        good: plan('  segment a = loyal\n  segment b = a')
    },
    'channel-cost': {
        severity: 'error',
        bad: plan('  channel fax cost 1 per contact capacity 0 per day'),
        line: 'channel fax',
        good: plan('  channel fax cost 1 per contact capacity 10 per day')
    },
    'channel-no-cost': {
        severity: 'warning',
        bad: plan(`  channel free\n${campaign('c', '    channel free\n' + goal('lift(responded) >= 5% by 2026-07-31'))}`),
        line: ['channel free', 'campaign c'],
        good: plan(`  channel free cost 0 per contact\n${campaign('c', '    channel free\n' + goal('lift(responded) >= 5% by 2026-07-31'))}`)
    },
    'metric-form': {
        severity: 'error',
        bad: plan('  metric m = shoppers.age + 1'),
        line: 'metric m',
        good: plan('  metric m = shoppers.age')
    },
    'campaign-missing-audience': {
        severity: 'error',
        bad: plan(campaign('c', '', { omit: ['audience'] })),
        line: 'campaign c',
        good: plan(campaign('c', ''))
    },
    'campaign-missing-runs': {
        severity: 'error',
        bad: plan(campaign('c', '', { omit: ['runs'] })),
        line: 'campaign c',
        good: plan(campaign('c', ''))
    },
    'campaign-no-channel': {
        severity: 'warning',
        bad: plan(campaign('c', '', { omit: ['channel'] })),
        line: 'campaign c',
        good: plan(campaign('c', ''))
    },
    'campaign-name-reserved': {
        severity: 'error',
        bad: plan(campaign('segments', '')),
        line: 'campaign segments',
        good: plan(campaign('segment_mail', ''))
    },
    'runs-reversed': {
        severity: 'error',
        bad: plan(campaign('c', '    runs 2026-05-31 to 2026-05-01', { omit: ['runs'] })),
        line: 'runs 2026-05-31',
        good: plan(campaign('c', '    runs 2026-05-01 to 2026-05-01', { omit: ['runs'] }))
    },
    'invalid-date': {
        severity: 'error',
        bad: plan(campaign('c', '    runs 2026-02-01 to 2026-02-30', { omit: ['runs'] })),
        line: 'runs 2026-02-01',
        good: plan(campaign('c', '    runs 2026-02-01 to 2026-02-28', { omit: ['runs'] }))
    },
    'control-share-range': {
        severity: 'error',
        bad: plan(campaign('c', '    control 51% seed "c"', { omit: ['control'] })),
        line: 'control 51%',
        good: plan(campaign('c', '    control 50% seed "c"', { omit: ['control'] }))
    },
    'control-conflict': {
        severity: 'error',
        bad: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"')),
        line: 'groups from',
        good: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"', { omit: ['control'] }))
    },
    'groups-source': {
        severity: 'error',
        bad: plan(campaign('c', '    groups from orders.sku treatment "t" control "c"', { omit: ['control'] })),
        line: 'groups from',
        good: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"', { omit: ['control'] }))
    },
    'groups-same-label': {
        severity: 'error',
        bad: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "t"', { omit: ['control'] })),
        line: 'groups from',
        good: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"', { omit: ['control'] }))
    },
    'groups-split': {
        severity: 'error',
        bad: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c" split 0:1', { omit: ['control'] })),
        line: 'groups from',
        good: plan(campaign('c', '    groups from shoppers.cohort treatment "t" control "c" split 1:1', { omit: ['control'] }))
    },
    'step-after-end': {
        severity: 'warning',
        bad: plan(campaign('c', '    channel sms after 31 days')),
        line: 'channel sms after',
        good: plan(campaign('c', '    channel sms after 30 days'))
    },
    'attribution-range': {
        severity: 'error',
        bad: plan(campaign('c', '    attribution 0 days')),
        line: 'attribution 0',
        good: plan(campaign('c', '    attribution 1 day'))
    },
    'limit-count': {
        severity: 'error',
        bad: plan(campaign('c', '    limit 2.5 by value.m')),
        line: 'limit 2.5',
        good: plan(campaign('c', '    limit 2 by value.m'))
    },
    'limit-by': {
        severity: 'error',
        bad: plan(campaign('c', '    limit 100 by value.m >= 4')),
        line: 'limit 100',
        good: plan(campaign('c', '    limit 100 by value.m + count(orders within 90 days)')),
        message: /this is a true\/false condition/
    },
    'limit-with-groups': {
        severity: 'error',
        bad: plan(campaign('c', '    groups from shoppers.cohort treatment "a" control "b"\n    limit 100', { omit: ['control'] })),
        line: 'limit 100',
        good: plan(campaign('c', '    groups from shoppers.cohort treatment "a" control "b"', { omit: ['control'] }))
    },
    'budget-range': {
        severity: 'error',
        bad: plan(campaign('c', '    budget 0')),
        line: 'budget 0',
        good: plan(campaign('c', '    budget 1'))
    },
    'campaign-overlap': {
        severity: 'warning',
        bad: plan(`${campaign('a', '')}\n${campaign('b', '')}`),
        line: 'campaign b',
        good: plan(`${campaign('a', '')}\n${campaign('b', '    runs 2026-06-01 to 2026-06-30', { omit: ['runs'] })}`)
    },
    'value-not-additive': {
        severity: 'error',
        bad: plan(campaign('c', `    value basket\n${goal('roi >= 1 by 2026-07-31')}`)),
        line: 'value basket',
        good: plan(campaign('c', `    value revenue\n${goal('roi >= 1 by 2026-07-31')}`)),
        message: /basket is a ratio of two aggregates, which does not add up over customers/
    },
    'audience-after-start': {
        severity: 'warning',
        bad: fixedAsOf('2026-05-15', plan(campaign('c', '    audience loyal', { omit: ['audience'] }))),
        line: 'audience loyal',
        good: fixedAsOf('2026-05-01', plan(campaign('c', '    audience loyal', { omit: ['audience'] }))),
        message: /scored as of 2026-05-15, after campaign 'c' starts \(2026-05-01\)/
    },
    'roi-needs-value': {
        severity: 'error',
        bad: withoutRevenue(plan(campaign('c', goal('roi >= 1 by 2026-07-31')))),
        line: 'goal roi',
        good: withoutRevenue(plan(campaign('c', `    value rev\n${goal('roi >= 1 by 2026-07-31')}`)))
    },
    'goal-no-deadline': {
        severity: 'error',
        bad: plan(campaign('c', goal('lift(responded) >= 5%'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(responded) >= 5% by 2026-07-31')))
    },
    'goal-deadline-before-start': {
        severity: 'error',
        bad: plan(campaign('c', goal('lift(responded) >= 5% by 2026-04-30'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(responded) >= 5% by 2026-07-31')))
    },
    'goal-deadline-before-outcome': {
        severity: 'warning',
        bad: plan(campaign('c', goal('lift(responded) >= 5% by 2026-05-30'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(responded) >= 5% by 2026-05-31')))
    },
    'goal-lift-without-control': {
        severity: 'error',
        bad: plan(campaign('c', goal('lift(responded) >= 5% by 2026-07-31'), { omit: ['control'] })),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(responded) >= 5% by 2026-07-31')))
    },
    'goal-unit-mismatch': {
        severity: 'error',
        bad: plan(campaign('c', goal('lift(revenue) >= 2 pp by 2026-07-31'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(revenue) >= 2% by 2026-07-31')))
    },
    'goal-lift-unit': {
        severity: 'error',
        bad: plan(campaign('c', goal('lift(responded) >= 2 by 2026-07-31'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(responded) >= 2 pp by 2026-07-31')))
    },
    'goal-implausible': {
        severity: 'warning',
        bad: plan(campaign('c', goal('lift(revenue) >= 301% by 2026-07-31'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(revenue) >= 300% by 2026-07-31')))
    },
    'campaign-steps-and-arms': {
        severity: 'error',
        bad: plan(campaign('c', arms('a', 'b'))),
        line: ['    channel email', 'campaign c'],
        good: withArms('', 'a', 'b')
    },
    'arm-share-range': {
        severity: 'error',
        bad: withArms('', 'a share 0%', 'b share 100%'),
        line: 'arm a share 0%',
        good: withArms('', 'a share 50%', 'b share 50%')
    },
    'arm-share-sum': {
        severity: 'error',
        bad: withArms('', 'a share 60%', 'b share 50%'),
        line: 'arm b share 50%',
        good: withArms('', 'a share 60%', 'b share 40%')
    },
    'arms-without-groups': {
        severity: 'error',
        bad: plan(campaign('c', arms('a', 'b'), { omit: ['channel', 'control'] })),
        line: 'arm a',
        good: withArms('', 'a', 'b')
    },
    'arm-label-missing': {
        severity: 'error',
        bad: recorded('groups from shoppers.cohort control "c" split 2:1:1', 'a label "x"', 'b'),
        line: 'arm b',
        good: recorded('groups from shoppers.cohort control "c" split 2:1:1', 'a label "x"', 'b label "y"')
    },
    'arm-setting-unused': {
        severity: 'warning',
        bad: withArms('', 'a label "x"', 'b'),
        line: 'arm a',
        good: withArms('', 'a', 'b')
    },
    'groups-form': {
        severity: 'error',
        bad: recorded('groups from shoppers.cohort treatment "t" control "c"', 'a label "x"', 'b label "y"'),
        line: 'groups from',
        good: recorded('groups from shoppers.cohort control "c"', 'a label "x"', 'b label "y"')
    },
    'goal-for-without-arms': {
        severity: 'error',
        bad: plan(campaign('c', goal('lift(responded) for a >= 5% by 2026-07-31'))),
        line: 'goal lift',
        good: plan(campaign('c', goal('lift(responded) >= 5% by 2026-07-31')))
    },
    'goal-vs': {
        severity: 'error',
        bad: withArms(goal('lift(responded) for a vs a >= 5% by 2026-07-31'), 'a', 'b'),
        line: 'goal lift',
        good: withArms(goal('lift(responded) for a vs b >= 5% by 2026-07-31'), 'a', 'b')
    },
    'unless-metric': {
        severity: 'error',
        bad: plan(campaign('c', '    channel email unless revenue', { omit: ['channel'] })),
        line: 'channel email unless',
        good: plan(campaign('c', '    channel email unless responded', { omit: ['channel'] }))
    },
    'offer-cost-metric': {
        severity: 'error',
        bad: plan(campaign('c', '    offer "10% off" cost 5 per revenue')),
        line: 'offer "10% off"',
        good: plan(campaign('c', '    offer "10% off" cost 5 per orders_n'))
    },
    'margin-range': {
        severity: 'error',
        bad: plan(campaign('c', '    margin 120%')),
        line: 'margin 120%',
        good: plan(campaign('c', '    margin 35%'))
    },
    'clv-needs-events': {
        severity: 'error',
        bad: value('', { clvFrom: 'shoppers', clv: ['monetary spend', 'calibration 2025-01-01 to 2025-12-31', 'horizon 52 weeks'] }),
        line: 'clv worth',
        good: value(''),
        message: /'shoppers' is a customers source/
    },
    'clv-calibration': {
        severity: 'error',
        bad: value('', { clv: ['monetary amount', 'calibration 2025-12-31 to 2025-01-01', 'horizon 52 weeks'] }),
        line: 'calibration 2025-12-31',
        good: value(''),
        message: /The calibration ends \(2025-01-01\) before it starts \(2025-12-31\)/
    },
    'clv-setting': {
        severity: 'error',
        bad: value('', { clv: ['monetary amount', 'calibration 2025-01-01 to 2025-12-31', 'horizon 0 weeks'] }),
        line: 'horizon 0',
        good: value(''),
        message: /A horizon must be positive, not 0/
    },
    'clv-monetary-missing': {
        severity: 'error',
        bad: value('  segment rich = worth.clv > 100', { clv: ['calibration 2025-01-01 to 2025-12-31', 'horizon 52 weeks'] }),
        line: 'segment rich',
        good: value('  segment rich = worth.clv > 100'),
        message: /add `monetary COLUMN` to CLV model 'worth'/
    },
    'attitude-needs-events': {
        severity: 'error',
        bad: value('', { attitudeFrom: 'shoppers', attitude: ['response opted_in', 'by region'] }),
        line: 'attitude prefs',
        good: value(''),
        message: /'shoppers' is a customers source/
    },
    'attitude-response': {
        severity: 'error',
        bad: value('', { attitude: ['response offer', 'by channel'] }),
        line: 'response offer',
        good: value('', { attitude: ['response responded', 'by channel'] }),
        message: /The response column 'offer' is text; it must be a boolean column/
    },
    'attitude-by': {
        severity: 'error',
        bad: value('', { attitude: ['response responded', 'by channel, cost'] }),
        line: 'by channel, cost',
        good: value('', { attitude: ['response responded', 'by channel, offer'] }),
        message: /'cost' is number; an attitude scores each value of a text column/
    },
    'attitude-setting': {
        severity: 'error',
        bad: value('', { attitude: [...ATTITUDE_SETTINGS, 'half life 0 days'] }),
        line: 'half life',
        good: value('', { attitude: [...ATTITUDE_SETTINGS, 'half life 180 days'] })
    },
    'attitude-score': {
        severity: 'error',
        bad: value('  segment texters = prefs.channel >= 60'),
        line: 'segment texters',
        good: value('  segment texters = prefs.channel("sms") >= 60'),
        message: /name the value, as in prefs\.channel\("\.\.\."\)/
    },
    'score-scale': {
        severity: 'warning',
        bad: value('  segment fading = worth.alive < 30'),
        line: 'segment fading',
        good: value('  segment fading = worth.alive < 30%'),
        message: /a probability from 0 to 1, so it never reaches 30/
    },
    'best-of-channels': {
        severity: 'error',
        bad: value(campaign('c', '    channel best of [email] by prefs.channel', { omit: ['channel'] })),
        line: 'channel best of',
        good: value(campaign('c', '    channel best of [email, sms] by prefs.channel', { omit: ['channel'] })),
        message: /at least two channels; this lists one channel \('email'\)/
    },
    'best-of-by': {
        severity: 'error',
        bad: value(campaign('c', '    channel best of [email, sms] by prefs.channel("sms")', { omit: ['channel'] })),
        line: 'channel best of',
        good: value(campaign('c', '    channel best of [email, sms] by prefs.channel', { omit: ['channel'] })),
        message: /names the column without a value: by prefs\.channel/
    },
    'uplift-without-control': {
        severity: 'error',
        bad: value(campaign('c', '    uplift by worth.clv', { omit: ['control'] })),
        line: 'uplift by',
        good: value(campaign('c', '    uplift by worth.clv'))
    },
    'uplift-by': {
        severity: 'error',
        bad: value(campaign('c', '    uplift by worth.alive < 30%')),
        line: 'uplift by',
        good: value(campaign('c', '    uplift by worth.clv * worth.alive')),
        message: /this is a true\/false condition/
    },
    'goal-not-relevant': {
        severity: 'info',
        bad: plan(campaign('c', goal('cost <= 500 by 2026-07-31'))),
        line: 'goal cost',
        good: plan(campaign('c', `${goal('cost <= 500 by 2026-07-31')}\n${goal('lift(responded) >= 5% by 2026-07-31')}`))
    }
};

/** Codes that need real files on disk; files.test.ts produces each of them. */
const COVERED_IN_FILES_TEST = ['file-unreadable', 'file-empty', 'import-not-found', 'data-file-missing', 'data-path-outside-root'];
/** Codes of `mplan check --schema`, against a database's tables; tests/engines/schema-check.test.ts produces each of them. */
const COVERED_IN_SCHEMA_TEST = ['table-not-found', 'table-column-missing', 'table-column-type'];

describe('every diagnostic code fires on a mistake and not on its correction', () => {
    for (const [code, c] of Object.entries(CASES)) {
        describe(code, () => {
            it(`fires as ${c.severity} on the expected line`, async () => {
                const result = await check(c.bad, { uri: c.uri });
                const [needle, from] = Array.isArray(c.line) ? c.line : [c.line, undefined];
                expectCode(result, code, c.severity, lineOf(c.bad, needle, from), c.message);
                const allowed = new Set([code, ...(c.also ?? [])]);
                const others = result.diagnostics.filter(d => (d.severity === 1 || d.severity === 2) && !allowed.has(String(d.code)));
                expect(describeDiagnostics(others), 'no other errors or warnings').toBe('');
            });
            it('does not fire on the corrected text', async () => {
                const uri = c.uri?.replace(/\.mplan$/, '-good.mplan');
                const result: Result = await check(c.good, { uri });
                expectNoCode(result, code);
                expectClean(result);
            });
        });
    }
});

describe('the list of diagnostic codes', () => {
    it('is covered: each code is in the table above, or produced in files.test.ts or schema-check.test.ts', () => {
        const covered = [...Object.keys(CASES), ...COVERED_IN_FILES_TEST, ...COVERED_IN_SCHEMA_TEST].sort();
        expect(covered).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
    });

    it('has a description for every code', () => {
        for (const [code, description] of Object.entries(DIAGNOSTIC_CODES)) {
            expect(code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
            expect(description.length, code).toBeGreaterThan(10);
        }
    });

    it('holds every code the validator and the loader report', () => {
        const dir = path.resolve(__dirname, '../../src/language');
        const files = [
            ...fs.readdirSync(path.join(dir, 'validation')).map(f => path.join(dir, 'validation', f)),
            path.join(dir, 'load-documents.ts')
        ].filter(f => f.endsWith('.ts') && !f.endsWith('diagnostic-codes.ts'));
        const used = new Set<string>();
        for (const file of files) {
            const text = fs.readFileSync(file, 'utf8');
            // report('error', 'code', ...) and the codes assigned directly (`code: 'x'`, `d.code = 'x'`, `? 'x' : 'y'`).
            for (const m of text.matchAll(/report\(\s*'(?:error|warning|info|hint)',\s*'([a-z-]+)'/g)) used.add(m[1]);
            for (const m of text.matchAll(/code(?:\s*[:=]\s*|\s*=\s*[^;]*\?\s*)'([a-z-]+)'(?:\s*:\s*'([a-z-]+)')?/g)) {
                used.add(m[1]);
                if (m[2]) used.add(m[2]);
            }
        }
        expect(used.size).toBeGreaterThan(40);
        const unknown = [...used].filter(c => !(c in DIAGNOSTIC_CODES));
        expect(unknown).toEqual([]);
    });

    it('HEADER on its own validates without any diagnostic', async () => {
        const result = await check(`${HEADER}}\n`);
        expect(describeDiagnostics(result.diagnostics)).toBe('');
    });
});
