// Issue 11, the language half: customer value and attitude. `clv` models and their scores (alive, purchases, spend,
// clv), `attitude` models and their scores (`prefs.channel("sms")`), `channel best of [...] by ATTITUDE.COLUMN` and
// `uplift by EXPR`: how they parse, what their names resolve to, their types and checks (with their lines), what
// semantics.ts tells the runner about them, and how the overlap check and the tier prover read the new scores.
import { AstUtils } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Campaign, Expression, MemberAccess, Model, Segment } from '../../src/language/generated/ast.js';
import { isAttitude, isCampaign, isClv, isColumn, isMemberAccess, isSegment, isTiers } from '../../src/language/generated/ast.js';
import {
    DAYS_PER_UNIT, DEFAULT_ATTITUDE_PRIOR, allSteps, attitudeSettings, bestOf, campaignSettings, campaignUplift, clvSettings, declarationsOf,
    memberTarget, modelsRead, rfmModelsRead, scoreReference, timeReference, typeOf
} from '../../src/language/semantics.js';
import { audienceAtoms, disjoint } from '../../src/language/validation/audience-overlap.js';
import { campaign, check, describeDiagnostics, expectClean, expectCode, expectNoCode, parseOk, plan, syntaxErrors } from './helpers.js';

function find<T>(model: Model, is: (n: unknown) => n is T, name: string): T {
    const found = declarationsOf(model).find(d => is(d) && (d as { name?: string }).name === name);
    if (!found) throw new Error(`no ${name}`);
    return found as T;
}

function accesses(node: import('langium').AstNode): MemberAccess[] {
    return AstUtils.streamAst(node).filter(isMemberAccess).toArray();
}

const CONTACTS = `  events contacts from "contacts.csv" customer customer_id time sent_at {
    channel: text
    offer: text
    responded: boolean
    cost: number
  }`;

const CLV = `  clv worth from orders {
    model bgnbd
    monetary amount
    period week
    calibration 2025-01-01 to 2025-12-31
    horizon 52 weeks
    discount 10% per year
    margin 30%
  }`;

const ATTITUDE = `  attitude prefs from contacts {
    response responded
    by channel, offer
    half life 180 days
    prior 5 contacts
  }`;

/** The HEADER plan with contacts, the CLV model `worth` and the attitude `prefs`, and `body`. */
const withValue = (body: string, clv = CLV, attitude = ATTITUDE) => plan(`${CONTACTS}\n${clv}\n${attitude}\n${body}`);
/** A CLV model with the given settings (one a line). */
const clvWith = (...settings: string[]) => `  clv worth from orders {\n${settings.map(s => `    ${s}`).join('\n')}\n  }`;
const attitudeWith = (...settings: string[]) => `  attitude prefs from contacts {\n${settings.map(s => `    ${s}`).join('\n')}\n  }`;
/** A campaign with the given statements whose default channel step is replaced. */
const stepCampaign = (name: string, statements: string) => campaign(name, statements, { omit: ['channel'] });

describe('parsing the new forms', () => {
    it('reads clv and attitude settings, scores with a value, best of and uplift into the AST', async () => {
        const model = await parseOk(withValue(`  segment texters = prefs.channel("sms") >= 60 and worth.alive < 30%
${stepCampaign('c', '    channel best of [email, sms] by prefs.channel after 3 days unless responded\n    uplift by worth.clv')}`));
        const clv = find(model, isClv, 'worth');
        expect(clv.events.$refText).toBe('orders');
        expect(clv.settings.map(s => s.$type)).toEqual(['ClvModel', 'ClvMonetary', 'ClvPeriod', 'ClvCalibration', 'ClvHorizon', 'ClvDiscount', 'ClvMargin']);
        const attitude = find(model, isAttitude, 'prefs');
        expect(attitude.settings.map(s => s.$type)).toEqual(['AttitudeResponse', 'AttitudeBy', 'AttitudeHalfLife', 'AttitudePrior']);
        const [score, alive] = accesses(find(model, isSegment, 'texters'));
        expect([score.member.$refText, score.argument, alive.member.$refText, alive.argument]).toEqual(['channel', 'sms', 'alive', undefined]);
        const c = find(model, isCampaign, 'c');
        const [step] = allSteps(c);
        expect(step.channel).toBeUndefined();
        expect(step.bestOf!.channels.map(r => r.$refText)).toEqual(['email', 'sms']);
        expect(step.bestOf!.by.$cstNode!.text).toBe('prefs.channel');
        expect([step.delay, step.unless?.$refText]).toEqual([3, 'responded']);
        expect(campaignSettings(c).uplift!.by.$cstNode!.text).toBe('worth.clv');
    });

    it('reads best of inside an arm, an empty list, and a value with escapes', async () => {
        const model = await parseOk(withValue(`  segment q = prefs.offer("20% \\"off\\"") > 1
${campaign('c', '    arm a {\n      channel best of [email, sms] by prefs.channel\n    }\n    arm b {\n      channel best of [] by prefs.channel\n    }', { omit: ['channel'] })}`));
        const steps = allSteps(find(model, isCampaign, 'c'));
        expect(steps.map(s => s.bestOf!.channels.length)).toEqual([2, 0]);
        expect(accesses(find(model, isSegment, 'q'))[0].argument).toBe('20% "off"');
    });

    it('keeps the new keywords usable as names', async () => {
        const text = plan(`  events hits from "hits.csv" customer customer_id time at {
    model: text
    period: text
    calibration: number
    horizon: number
    discount: number
    response: boolean
    half: number
    life: number
    prior: number
    contacts: number
    best: text
    uplift: number
    clv: number
    attitude: text
    week: number
    year: number
  }
  events contacts from "contacts.csv" customer customer_id time sent_at {
    channel: text
    responded: boolean
  }
  clv value2 from hits {
    monetary clv
    calibration 2025-01-01 to 2025-06-30
    horizon 26 weeks
  }
  attitude uplift from hits {
    response response
    by model, period, best, attitude
  }
  segment s = count(hits where discount > 0 and best = "x" and contacts > 1) >= 1 and uplift.best("a") > 50 and value2.clv > 3
  segment best = s`);
        const result = await check(text);
        expect(describeDiagnostics(result.diagnostics.filter(d => d.severity === 1 || d.severity === 2))).toBe('');
        expect(attitudeSettings(find(result.model, isAttitude, 'uplift')).by).toEqual(['model', 'period', 'best', 'attitude']);
    });

    it('keeps `best` a name but for the channel of a plain step, where it starts `channel best of`', async () => {
        const declared = withValue(`  channel best cost 1 per contact\n${stepCampaign('c', '    channel best of [best, email] by prefs.channel')}`);
        expectClean(await check(declared));
        expect(await syntaxErrors(withValue(`  channel best cost 1 per contact\n${stepCampaign('c', '    channel best')}`))).not.toEqual([]);
        expect(await syntaxErrors(withValue(`  channel best cost 1 per contact\n${stepCampaign('c', '    channel best after 2 days')}`))).not.toEqual([]);
    });

    it('requires a string for a value, the unit words, and brackets around best of', async () => {
        expect(await syntaxErrors(withValue('  segment s = prefs.channel(1) > 2'))).not.toEqual([]);
        expect(await syntaxErrors(withValue('  segment s = prefs.channel() > 2'))).not.toEqual([]);
        expect(await syntaxErrors(withValue(stepCampaign('c', '    channel best of email, sms by prefs.channel')))).not.toEqual([]);
        expect(await syntaxErrors(withValue('', clvWith('horizon 52')))).not.toEqual([]);
        expect(await syntaxErrors(withValue('', CLV.replace('discount 10% per year', 'discount 10%')))).not.toEqual([]);
        expect(await syntaxErrors(withValue('', CLV, attitudeWith('half life 180')))).not.toEqual([]);
    });
});

describe('scope', () => {
    it('resolves CLV scores to their model and attitude columns to the contacts\' columns', async () => {
        const result = await check(withValue('  segment s = worth.alive < 30% and prefs.channel("sms") >= 60 and prefs.offer("x") >= 1'));
        expectClean(result);
        const [alive, channel, offer] = accesses(find(result.model, isSegment, 's'));
        expect(isClv(alive.member.ref)).toBe(true);
        expect(isColumn(channel.member.ref) && channel.member.ref.$container.name).toBe('contacts');
        expect(isColumn(offer.member.ref) && offer.member.ref.name).toBe('offer');
    });

    it('reports unknown scores, columns and channels with the closest name', async () => {
        const result = await check(withValue(`  segment s = worth.aliv < 30% and prefs.chanel("sms") > 1
${stepCampaign('c', '    channel best of [emial, sms] by prefs.channel')}`, CLV, attitudeWith('response responded', 'by channel, ofer')));
        expectCode(result, 'unresolved-reference', 'error', 'segment s', "Unknown column or score 'aliv'. Did you mean 'alive'?");
        expectCode(result, 'unresolved-reference', 'error', 'segment s', "Unknown column or score 'chanel'. Did you mean 'channel'?");
        expectCode(result, 'unresolved-reference', 'error', 'channel best of', "Unknown channel 'emial'. Did you mean 'email'?");
        expectCode(result, 'unresolved-reference', 'error', 'by channel, ofer', "Unknown column 'ofer'. Did you mean 'offer'?");
        // One error for each: the unknown names cascade into nothing else.
        expect(result.diagnostics.filter(d => d.severity === 1)).toHaveLength(4);
    });

    it('does not report the columns of a model whose source is unknown', async () => {
        const result = await check(withValue('', CLV.replace('from orders', 'from ordrs'), ATTITUDE.replace('from contacts', 'from contcts')));
        expect(result.diagnostics.filter(d => d.code === 'unresolved-reference').map(d => d.message)).toEqual([
            "Unknown data source 'ordrs'. Did you mean 'orders'?", "Unknown data source 'contcts'. Did you mean 'contacts'?"
        ]);
    });
});

describe('types', () => {
    it('types CLV and attitude scores as numbers, an attitude column without a value as no value', async () => {
        const model = await parseOk(withValue(`  segment s = worth.alive < 30% and worth.purchases > 1 and worth.spend > 2 and worth.clv > 3 and prefs.channel("sms") >= 60
${stepCampaign('c', '    channel best of [email, sms] by prefs.channel')}`));
        expect(accesses(find(model, isSegment, 's')).map(a => `${a.member.$refText}:${typeOf(a)}`)).toEqual(['alive:number', 'purchases:number', 'spend:number', 'clv:number', 'channel:number']);
        const by = allSteps(find(model, isCampaign, 'c'))[0].bestOf!.by;
        expect(typeOf(by)).toBe('none');
        expect(memberTarget(by)).toMatchObject({ kind: 'attitude', column: 'channel', value: undefined });
        expect(memberTarget(accesses(find(model, isSegment, 's'))[4])).toMatchObject({ kind: 'attitude', column: 'channel', value: 'sms' });
        expect(memberTarget(accesses(find(model, isSegment, 's'))[0])).toMatchObject({ kind: 'clv', score: 'alive' });
    });

    it('type-checks scores in comparisons and arithmetic', async () => {
        expectClean(await check(withValue('  segment s = worth.clv * worth.alive >= 50 and prefs.channel("sms") - prefs.channel("email") > 10')));
        expectCode(await check(withValue('  segment s = worth.clv = "high"')), 'type-mismatch', 'error', 'segment s', 'Cannot compare a number with a text');
        expectCode(await check(withValue('  segment s = worth.alive')), 'not-a-condition', 'error', 'segment s', 'it is a number');
    });
});

describe('checks of clv models', () => {
    it('suggests the model meant, and names the units that fit', async () => {
        const result = await check(withValue('', clvWith('model bgndb', 'period weeks', 'calibration 2025-01-01 to 2025-12-31', 'horizon 2 fortnights')));
        expectCode(result, 'clv-setting', 'error', 'model bgndb', "Unknown model 'bgndb' (did you mean 'bgnbd'?)");
        expectCode(result, 'clv-setting', 'error', 'period weeks', 'write `period week`');
        expectCode(result, 'clv-setting', 'error', 'horizon 2', "A horizon is counted in days, weeks or months, not 'fortnights'");
        expectCode(await check(withValue('', clvWith('period year', 'calibration 2025-01-01 to 2025-12-31', 'horizon 2 years'))), 'clv-setting', 'error', 'period year', "not 'year'");
    });

    it('accepts the other model, periods and horizon units, singular or plural', async () => {
        for (const [period, horizon] of [['day', '90 days'], ['month', '1 month'], ['week', '1 week'], ['month', '12 months']]) {
            expectClean(await check(withValue('', clvWith('model paretonbd', `period ${period}`, 'calibration 2025-01-01 to 2025-12-31', `horizon ${horizon}`))));
        }
    });

    it('requires a calibration that ends after it starts, on real dates, and a horizon', async () => {
        const missing = await check(withValue('', clvWith('monetary amount')));
        expectCode(missing, 'clv-calibration', 'error', 'clv worth', 'needs `calibration START to END`');
        expectCode(missing, 'clv-setting', 'error', 'clv worth', 'needs `horizon N weeks`');
        expectCode(await check(withValue('', clvWith('calibration 2025-01-01 to 2025-01-01', 'horizon 4 weeks'))), 'clv-calibration', 'error', 'calibration', 'ends on the day it starts');
        const invalid = await check(withValue('', clvWith('calibration 2025-02-30 to 2025-12-31', 'horizon 4 weeks')));
        expectCode(invalid, 'invalid-date', 'error', 'calibration', '2025-02-30 is not a date in the calendar');
        expectNoCode(invalid, 'clv-calibration');
    });

    it('checks horizon, discount, margin and the monetary column', async () => {
        const base = ['calibration 2025-01-01 to 2025-12-31'];
        expectCode(await check(withValue('', clvWith(...base, 'horizon -4 weeks'))), 'clv-setting', 'error', 'horizon -4', 'A horizon must be positive, not -4');
        expectCode(await check(withValue('', clvWith(...base, 'horizon 4 weeks', 'discount -1% per year'))), 'clv-setting', 'error', 'discount', 'cannot be negative');
        expectClean(await check(withValue('', clvWith(...base, 'horizon 4 weeks', 'discount 0% per year', 'margin 100%'))));
        expectCode(await check(withValue('', clvWith(...base, 'horizon 4 weeks', 'margin 0%'))), 'clv-setting', 'error', 'margin 0%', 'above 0% and at most 100%, not 0%');
        expectCode(await check(withValue('', clvWith(...base, 'horizon 4 weeks', 'monetary sku'))), 'clv-setting', 'error', 'monetary sku', "The monetary column 'sku' is text; it must be a number");
    });

    it('names a CLV model or an attitude that takes a declared name', async () => {
        const result = await check(withValue('  segment worth = everyone\n  metric prefs = any(orders)'));
        expectCode(result, 'duplicate-name', 'error', 'segment worth', "The name 'worth' is already declared (as a CLV model) on line");
        expectCode(result, 'duplicate-name', 'error', 'metric prefs', "The name 'prefs' is already declared (as an attitude) on line");
        expectCode(await check(withValue('  segment value = everyone')), 'duplicate-name', 'error', 'segment value', "The name 'value' is already declared (as an RFM model) on line");
    });

    it('reports a setting given twice', async () => {
        const result = await check(withValue('', clvWith('calibration 2025-01-01 to 2025-12-31', 'horizon 4 weeks', 'horizon 8 weeks')));
        expectCode(result, 'duplicate-statement', 'error', 'horizon 8', "CLV model 'worth' states `horizon` more than once");
        expect(clvSettings(find(result.model, isClv, 'worth')).horizon?.count).toBe(4);
    });

    it('reports spend and clv scores without monetary, but not alive and purchases', async () => {
        const text = withValue('  segment s = worth.alive < 30% and worth.purchases > 1\n  segment t = worth.spend > 5', clvWith('calibration 2025-01-01 to 2025-12-31', 'horizon 4 weeks'));
        const result = await check(text);
        expectCode(result, 'clv-monetary-missing', 'error', 'segment t', '`worth.spend` is the expected spend per purchase, which needs the spend of each purchase');
        expect(result.diagnostics.filter(d => d.code === 'clv-monetary-missing')).toHaveLength(1);
    });

    it('warns when an audience reads a model fitted on purchases from after the campaign starts', async () => {
        const late = withValue(campaign('c', '', { omit: ['audience'] }).replace('    channel email', '    audience worth.alive > 50%\n    channel email'),
            clvWith('monetary amount', 'calibration 2025-06-01 to 2026-05-01', 'horizon 4 weeks'));
        expectCode(await check(late), 'audience-after-start', 'warning', 'audience worth', "CLV model 'worth' is fitted on purchases up to 2026-05-01, on or after campaign 'c' starts (2026-05-01)");
        expectNoCode(await check(late.replace('to 2026-05-01', 'to 2026-04-30')), 'audience-after-start');
        // Through a segment, and in the ranking of a limit.
        const throughSegment = withValue(`  segment fading = worth.alive < 30%\n${campaign('c', '    limit 10 by worth.clv')}`, clvWith('monetary amount', 'calibration 2025-06-01 to 2026-06-01', 'horizon 4 weeks'));
        expectCode(await check(throughSegment), 'audience-after-start', 'warning', 'audience everyone');
    });
});

describe('checks of attitudes', () => {
    it('requires response and by, and checks their columns\' types', async () => {
        const empty = await check(withValue('', CLV, '  attitude prefs from contacts {}'));
        expectCode(empty, 'attitude-response', 'error', 'attitude prefs', 'needs `response COLUMN`');
        expectCode(empty, 'attitude-by', 'error', 'attitude prefs', 'needs `by COLUMN, ...`');
        const wrong = await check(withValue('', CLV, attitudeWith('response cost', 'by responded, channel, channel')));
        expectCode(wrong, 'attitude-response', 'error', 'response cost', "The response column 'cost' is number");
        expectCode(wrong, 'attitude-by', 'error', 'by responded', "'responded' is boolean");
        expectCode(wrong, 'attitude-by', 'error', 'by responded', "'channel' is listed twice in `by`");
    });

    it('scores implied text columns too (the customer column)', async () => {
        expectClean(await check(withValue('  segment s = prefs.customer_id("42") > 1', CLV, attitudeWith('response responded', 'by customer_id'))));
    });

    it('checks half life and prior, and settings given twice', async () => {
        const result = await check(withValue('', CLV, attitudeWith('response responded', 'by channel', 'half life 0 days', 'prior 0 contacts', 'prior 3 contacts')));
        expectCode(result, 'attitude-setting', 'error', 'half life', 'A half life is a positive number of days');
        expectCode(result, 'attitude-setting', 'error', 'prior 0', 'A prior is a positive number of contacts');
        expectCode(result, 'duplicate-statement', 'error', 'prior 3', "Attitude 'prefs' states `prior` more than once");
        expectClean(await check(withValue('', CLV, attitudeWith('response responded', 'by channel', 'half life 1 day', 'prior 1 contact'))));
    });

    it('holds scores to the by columns, with a value, and values to attitudes', async () => {
        const result = await check(withValue(`  segment a = prefs.cost("x") > 1
  segment b = prefs.channel > 1
  segment c = worth.alive("x") > 10%
  segment d = shoppers.age("x") > 3`));
        expectCode(result, 'attitude-score', 'error', 'segment a', "Attitude 'prefs' scores the values of 'channel', 'offer' (its `by`); 'cost' is not one of them");
        expectCode(result, 'attitude-score', 'error', 'segment b', '`prefs.channel` holds a score for each value of \'channel\': name the value');
        expectCode(result, 'attitude-score', 'error', 'segment c', '`worth.alive` takes no value in parentheses');
        expectCode(result, 'attitude-score', 'error', 'segment d', '`shoppers.age` takes no value in parentheses');
        // One error each, nothing cascading from it (a score without its value is no number to compare).
        expect(result.diagnostics.filter(d => d.severity === 1)).toHaveLength(4);        const inFilter = await check(withValue('  segment e = any(orders where orders.sku("x") = "a")'));
        expectCode(inFilter, 'attitude-score', 'error', 'segment e', '`orders.sku` takes no value in parentheses');
        expect(inFilter.diagnostics.filter(d => d.severity === 1)).toHaveLength(1);
    });

    it('names the models and scores where a bare model stands, and keeps scores out of filters and metrics', async () => {
        const result = await check(withValue(`  segment a = worth and prefs
  segment b = any(orders where worth.alive > 10%) and any(contacts where prefs.channel("sms") > 1)
  metric m = worth.clv`));
        expectCode(result, 'not-a-value', 'error', 'segment a', "'worth' is a CLV model; use one of its scores: worth.alive, worth.purchases, worth.spend, worth.clv");
        expectCode(result, 'not-a-value', 'error', 'segment a', "'prefs' is an attitude; use one of its scores, such as prefs.COLUMN(\"value\")");
        expectCode(result, 'aggregate-filter', 'error', 'segment b', "'worth.alive' is a CLV score, a fact about the customer");
        expectCode(result, 'aggregate-filter', 'error', 'segment b', "'prefs.channel' is an attitude score, a fact about the customer");
        expectCode(result, 'metric-form', 'error', 'metric m');
    });

    it('warns about scores compared on the other scale', async () => {
        const result = await check(withValue('  segment a = worth.alive > 1.5 or 20 < worth.alive or worth.alive between 10 and 20%\n  segment b = prefs.channel("sms") >= 60% or prefs.channel("sms") between 0.2 and 50%'));
        const lines = result.diagnostics.filter(d => d.code === 'score-scale').map(d => `${d.severity}:${d.message.split(':')[0]}`);
        expect(lines).toEqual([
            '2:`worth.alive` is a probability from 0 to 1, so it never reaches 1.5',
            '2:`worth.alive` is a probability from 0 to 1, so it never reaches 20',
            '2:`worth.alive` is a probability from 0 to 1, so it never reaches 10',
            '2:`prefs.channel("sms")` is a score from 0 to 100, and 60% is 0.6',
            '2:`prefs.channel("sms")` is a score from 0 to 100, and 50% is 0.5'
        ]);
        expectClean(await check(withValue('  segment a = worth.alive > 0.5 and worth.alive < 90% and worth.clv > 500 and prefs.channel("sms") between 20 and 80')));
    });
});

describe('checks of best of and uplift', () => {
    it('accepts best of in a campaign and in arms, with after and unless, and warns about a listed channel without cost', async () => {
        expectClean(await check(withValue(stepCampaign('c', '    channel best of [email, sms] by prefs.channel\n    channel best of [sms, email] by prefs.channel after 7 days unless responded'))));
        expectClean(await check(withValue(campaign('c', '    arm a {\n      channel best of [email, sms] by prefs.channel\n    }\n    arm b {\n      channel email\n    }', { omit: ['channel'] }))));
        const free = await check(withValue(`  channel letter\n${stepCampaign('c', '    channel best of [email, letter, letter] by prefs.channel')}`));
        expect(free.diagnostics.filter(d => d.code === 'channel-no-cost')).toHaveLength(1);
        expectCode(free, 'channel-no-cost', 'warning', 'channel best of', "Channel 'letter' has no cost");
        expectCode(free, 'best-of-channels', 'error', 'channel best of', "'letter' is listed twice in `best of`");
    });

    it('needs two channels, and an attitude column of the attitude\'s by', async () => {
        expectCode(await check(withValue(stepCampaign('c', '    channel best of [] by prefs.channel'))), 'best-of-channels', 'error', 'channel best of', 'this lists no channel');
        expectCode(await check(withValue(stepCampaign('c', '    channel best of [email, sms] by worth.clv'))), 'best-of-by', 'error', 'channel best of', '`worth.clv` is not one');
        expectCode(await check(withValue(stepCampaign('c', '    channel best of [email, sms] by shoppers.region'))), 'best-of-by', 'error', 'channel best of', '`shoppers.region` is not one');
        expectCode(await check(withValue(stepCampaign('c', '    channel best of [email, sms] by prefs'))), 'best-of-by', 'error', 'channel best of');
        const notInBy = await check(withValue(stepCampaign('c', '    channel best of [email, sms] by prefs.cost')));
        expectCode(notInBy, 'attitude-score', 'error', 'channel best of', "'cost' is not one of them");
        expectNoCode(notInBy, 'best-of-by');
    });

    it('checks uplift: a number, a control group (drawn or recorded), once', async () => {
        expectClean(await check(withValue(campaign('c', '    uplift by worth.clv + count(orders within 90 days) - shoppers.age'))));
        expectClean(await check(withValue(campaign('c', '    groups from shoppers.cohort treatment "t" control "c"\n    uplift by prefs.channel("email")', { omit: ['control'] }))));
        expectCode(await check(withValue(campaign('c', '    uplift by shoppers.region'))), 'uplift-by', 'error', 'uplift by', 'this is a text');
        const metric = await check(withValue(campaign('c', '    uplift by revenue')));
        expectCode(metric, 'not-a-value', 'error', 'uplift by', "'revenue' is a metric");
        expectNoCode(metric, 'uplift-by');
        expectCode(await check(withValue(campaign('c', '    uplift by worth.clv\n    uplift by worth.alive'))), 'duplicate-statement', 'error', 'uplift by worth.alive', 'states `uplift` more than once');
        expectCode(await check(withValue(campaign('c', '    uplift by prefs.channel'))), 'attitude-score', 'error', 'uplift by');
    });
});

describe('what semantics.ts tells the runner', () => {
    it('gives a CLV model\'s settings with units and rates', async () => {
        const model = await parseOk(withValue(''));
        const s = clvSettings(find(model, isClv, 'worth'));
        expect([s.model, s.monetary, s.period, s.periodDays, s.margin, s.marginFrom]).toEqual(['bgnbd', 'amount', 'week', 7, 0.3, 'clv']);
        expect(s.calibration).toEqual({ start: '2025-01-01', end: '2025-12-31', startDay: 20089, endDay: 20453 });
        expect(s.horizon).toEqual({ count: 52, unit: 'week', days: 364, periods: 52 });
        expect(s.discountPerYear).toBe(0.1);
        expect(s.discountPerPeriod).toBeCloseTo(Math.pow(1.1, 7 / 365) - 1, 15);
        // Twelve months are a year of 365.25 days; in weeks, 52.18.
        expect(DAYS_PER_UNIT.month * 12).toBe(365.25);
    });

    it('applies the defaults: bgnbd, weeks, no discount, the plan\'s margin or 100%', async () => {
        const bare = clvWith('calibration 2025-01-01 to 2025-12-31', 'horizon 6 months');
        const s = clvSettings(find(await parseOk(withValue('', bare)), isClv, 'worth'));
        expect([s.model, s.monetary, s.period, s.discountPerYear, s.discountPerPeriod, s.margin, s.marginFrom]).toEqual(['bgnbd', undefined, 'week', 0, 0, 1, 'default']);
        expect(s.horizon!.days).toBe(6 * 365.25 / 12);
        expect(s.horizon!.periods).toBeCloseTo(6 * 365.25 / 12 / 7, 12);
        const inPlan = clvSettings(find(await parseOk(withValue('  margin 40%', bare)), isClv, 'worth'));
        expect([inPlan.margin, inPlan.marginFrom]).toEqual([0.4, 'plan']);
        const daily = clvSettings(find(await parseOk(withValue('', clvWith('period day', 'model paretonbd', 'calibration 2025-01-01 to 2025-01-10', 'horizon 2 weeks'))), isClv, 'worth'));
        expect([daily.model, daily.periodDays, daily.calibration!.endDay - daily.calibration!.startDay, daily.horizon!.periods]).toEqual(['paretonbd', 1, 9, 14]);
    });

    it('gives an attitude\'s settings, with the default prior and no half life', async () => {
        const model = await parseOk(withValue('', CLV, attitudeWith('response responded', 'by offer, channel')));
        const s = attitudeSettings(find(model, isAttitude, 'prefs'));
        expect([s.source?.name, s.response, s.by, s.halfLifeDays, s.prior]).toEqual(['contacts', 'responded', ['offer', 'channel'], undefined, DEFAULT_ATTITUDE_PRIOR]);
        expect(DEFAULT_ATTITUDE_PRIOR).toBe(5);
        const full = attitudeSettings(find(await parseOk(withValue('')), isAttitude, 'prefs'));
        expect([full.halfLifeDays, full.prior]).toEqual([180, 5]);
    });

    it('gives a best-of step\'s channels and attitude column, and a campaign\'s uplift', async () => {
        const model = await parseOk(withValue(`${stepCampaign('c', '    channel best of [sms, email] by prefs.channel\n    uplift by worth.clv')}
${stepCampaign('d', '    channel email\n    channel best of [sms, email] by worth.clv')}`));
        const [step] = allSteps(find(model, isCampaign, 'c'));
        const view = bestOf(step)!;
        expect([view.channels.map(c => c.name), view.attitude?.name, view.column]).toEqual([['sms', 'email'], 'prefs', 'channel']);
        expect(campaignUplift(find(model, isCampaign, 'c'))?.$cstNode?.text).toBe('worth.clv');
        const [plain, wrong] = allSteps(find(model, isCampaign, 'd'));
        expect(bestOf(plain)).toBeUndefined();
        expect([bestOf(wrong)!.attitude, bestOf(wrong)!.column, bestOf(wrong)!.by?.$cstNode?.text]).toEqual([undefined, undefined, 'worth.clv']);
        expect(campaignUplift(find(model, isCampaign, 'd'))).toBeUndefined();
    });

    it('says as of when each score is computed', async () => {
        const model = await parseOk(withValue(`  segment texters = prefs.channel("sms") >= 60 and worth.alive < 30%
  tiers t {
    keen = prefs.offer("x") > 50
    rest = otherwise
  }
${stepCampaign('c', '    audience prefs.channel("email") > 1\n    channel best of [sms, email] by prefs.channel\n    limit 10 by prefs.offer("y")\n    uplift by prefs.channel("sms") + worth.clv').replace('    audience everyone\n', '')}`));
        const describeRef = (access: MemberAccess) => {
            const r = scoreReference(access)!;
            switch (r.kind) {
                case 'calibration': return `calibration ${r.clv.name} ${r.start} ${r.end}`;
                case 'campaign': return `campaign ${r.campaign.name} ${r.start}`;
                case 'condition': return `condition ${r.declaration.name}`;
                case 'attribution': return `attribution ${r.metric.name}`;
            }
        };
        expect(accesses(find(model, isSegment, 'texters')).map(describeRef)).toEqual(['condition texters', 'calibration worth 2025-01-01 2025-12-31']);
        expect(accesses(find(model, isTiers, 't')).map(describeRef)).toEqual(['condition t']);
        expect(accesses(find(model, isCampaign, 'c')).map(describeRef)).toEqual(Array(4).fill('campaign c 2026-05-01').concat(['calibration worth 2025-01-01 2025-12-31']));
        expect(timeReference(allSteps(find(model, isCampaign, 'c'))[0].bestOf!.by)).toMatchObject({ kind: 'campaign' });
        expect(scoreReference(undefined)).toBeUndefined();
    });

    it('lists the models a condition reads, through segments and tiers', async () => {
        const model = await parseOk(withValue(`  segment fading = worth.alive < 30%
  tiers t {
    keen = prefs.offer("x") > 50 and value.r > 2
    rest = otherwise
  }
  segment both = fading and t.rest`));
        const both = find(model, isSegment, 'both') as Segment;
        expect([...modelsRead(both.condition)].map(m => `${m.$type} ${m.name}`).sort()).toEqual(['Attitude prefs', 'Clv worth', 'Rfm value']);
        expect([...rfmModelsRead(both.condition)].map(m => m.name)).toEqual(['value']);
    });
});

describe('overlap between campaigns and the tier prover, with the new scores', () => {
    const two = (a: string, b: string, startB = '2026-05-01') => withValue(`${campaign('a', '', { omit: ['audience'] }).replace('    channel email', `    audience ${a}\n    channel email`)}
${campaign('b', '', { omit: ['audience', 'runs'] }).replace('    channel email', `    audience ${b}\n    channel email\n    runs ${startB} to 2026-05-31`)}`);

    it('proves CLV score ranges disjoint whatever the starts: the scores are fixed at the end of calibration', async () => {
        expectNoCode(await check(two('worth.alive < 30%', 'worth.alive >= 30%')), 'campaign-overlap');
        expectNoCode(await check(two('worth.alive < 30%', 'worth.alive >= 30%', '2026-05-15')), 'campaign-overlap');
        expectCode(await check(two('worth.alive < 30%', 'worth.clv >= 30')), 'campaign-overlap', 'warning', 'campaign b');
    });

    it('proves attitude scores disjoint on one start only, and per value', async () => {
        expectNoCode(await check(two('prefs.channel("sms") >= 60', 'prefs.channel("sms") < 60')), 'campaign-overlap');
        expectCode(await check(two('prefs.channel("sms") >= 60', 'prefs.channel("sms") < 60', '2026-05-15')), 'campaign-overlap', 'warning', 'campaign b');
        expectCode(await check(two('prefs.channel("sms") >= 60', 'prefs.channel("email") < 60')), 'campaign-overlap', 'warning', 'campaign b');
        const model = await parseOk(withValue('  segment keen = prefs.channel("sms") >= 60\n  segment x = keen\n  segment y = not keen'));
        const [x, y] = ['x', 'y'].map(n => find(model, isSegment, n).condition as Expression);
        expect(disjoint(audienceAtoms(x, '2026-05-01'), audienceAtoms(y, '2026-05-01'))).toBe(true);
        expect(disjoint(audienceAtoms(x, '2026-05-01'), audienceAtoms(y, '2026-06-01'))).toBe(false);
    });

    it('finds tiers the tiers above take, on CLV and attitude scores', async () => {
        const result = await check(withValue(`  tiers t {
    likely = worth.alive >= 50%
    maybe = worth.alive >= 60%
    keen = prefs.channel("sms") > 80
    keener = prefs.channel("sms") > 90 and prefs.channel("email") > 1
    other = prefs.channel("email") > 90
    rest = otherwise
  }`));
        expectCode(result, 'tier-unreachable', 'warning', 'maybe =', "tier 'likely' above it already takes");
        expectCode(result, 'tier-unreachable', 'warning', 'keener =', "tier 'keen' above it already takes");
        expect(result.diagnostics.filter(d => d.code === 'tier-unreachable')).toHaveLength(2);
    });
});

describe('a campaign without the new statements reads as before', () => {
    it('has no uplift and no best-of step', async () => {
        const model = await parseOk(plan(campaign('c', '')));
        const c = find(model, isCampaign, 'c') as Campaign;
        expect(campaignSettings(c).uplift).toBeUndefined();
        expect(allSteps(c).map(s => [s.channel?.$refText, s.bestOf])).toEqual([['email', undefined]]);
    });
});
