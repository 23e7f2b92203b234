// Checks of customer value and attitude: `clv` and `attitude` declarations, their scores in expressions
// (`value.alive`, `prefs.channel("sms")`), `channel best of [...] by ATTITUDE.COLUMN` steps and `uplift by EXPR`.
import { AstUtils } from 'langium';
import type { Attitude, BetweenExpression, BinaryExpression, Campaign, ChannelStep, Clv, Expression, MemberAccess } from '../generated/ast.js';
import { isClv, isEventsSource, isMemberAccess, isMetric, isNameReference, isNumberLiteral } from '../generated/ast.js';
import {
    CLV_MODELS, CLV_PERIODS, attitudeSettings, campaignSettings, clvSettings, horizonUnit, memberTarget, modelsRead, parseDate, sourceColumn,
    typeOf, type MemberTarget
} from '../semantics.js';
import { checkConditionValue } from './expression-checks.js';
import type { Report } from './report.js';
import { closestName } from './suggest.js';

const CLV_SETTING_KEYWORDS: Record<string, string> = {
    ClvModel: 'model', ClvMonetary: 'monetary', ClvPeriod: 'period', ClvCalibration: 'calibration', ClvHorizon: 'horizon',
    ClvDiscount: 'discount', ClvMargin: 'margin'
};
const ATTITUDE_SETTING_KEYWORDS: Record<string, string> = {
    AttitudeResponse: 'response', AttitudeBy: 'by', AttitudeHalfLife: 'half life', AttitudePrior: 'prior'
};

export function checkClv(clv: Clv, report: Report): void {
    const events = clv.events?.ref;
    if (events && !isEventsSource(events)) {
        report('error', 'clv-needs-events', `CLV model '${clv.name}' is fitted on purchases, one row per purchase with its time: '${clv.events.$refText}' is a customers source; name an events source.`, { node: clv, property: 'events' });
    }
    for (const [type, keyword] of Object.entries(CLV_SETTING_KEYWORDS)) {
        for (const duplicate of clv.settings.filter(s => s.$type === type).slice(1)) {
            report('error', 'duplicate-statement', `CLV model '${clv.name}' states \`${keyword}\` more than once.`, { node: duplicate });
        }
    }
    const { nodes } = clvSettings(clv);
    if (nodes.model?.model && !(CLV_MODELS as readonly string[]).includes(nodes.model.model)) {
        const suggestion = closestName(nodes.model.model, CLV_MODELS);
        report('error', 'clv-setting', `Unknown model '${nodes.model.model}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: the purchases are modelled by \`bgnbd\` (BG/NBD, the default) or \`paretonbd\` (Pareto/NBD).`, { node: nodes.model, property: 'model' });
    }
    if (nodes.monetary?.column?.ref && isEventsSource(events)) {
        const column = sourceColumn(events, nodes.monetary.column.$refText);
        if (column?.kind === 'column' && column.type !== 'number') {
            report('error', 'clv-setting', `The monetary column '${column.name}' is ${column.type}; it must be a number: the spend of each purchase.`, { node: nodes.monetary, property: 'column' });
        }
    }
    if (nodes.period?.unit && !(CLV_PERIODS as readonly string[]).includes(nodes.period.unit)) {
        const unit = horizonUnit(nodes.period.unit);
        const hint = unit ? `write \`period ${unit}\`` : 'the models count time in days, weeks or months';
        report('error', 'clv-setting', `The period is \`day\`, \`week\` (the default) or \`month\`, not '${nodes.period.unit}': ${hint}.`, { node: nodes.period, property: 'unit' });
    }
    const calibration = nodes.calibration;
    if (!calibration) {
        report('error', 'clv-calibration', `CLV model '${clv.name}' needs \`calibration START to END\`: the purchases of that period fit the model, and its scores are as of the end of it.`, { node: clv, property: 'name' });
    } else {
        const start = parseDate(calibration.start);
        const end = parseDate(calibration.end);
        if (calibration.start && start === undefined) report('error', 'invalid-date', `${calibration.start} is not a date in the calendar.`, { node: calibration, property: 'start' });
        if (calibration.end && end === undefined) report('error', 'invalid-date', `${calibration.end} is not a date in the calendar.`, { node: calibration, property: 'end' });
        if (start !== undefined && end !== undefined && end <= start) {
            const what = end === start ? 'on the day it starts' : `(${calibration.end}) before it starts (${calibration.start})`;
            report('error', 'clv-calibration', `The calibration ends ${what}: the model needs a period of purchases to learn from, START before END.`, { node: calibration });
        }
    }
    const horizon = nodes.horizon;
    if (!horizon) {
        report('error', 'clv-setting', `CLV model '${clv.name}' needs \`horizon N weeks\` (or days, or months): how far after the calibration \`${clv.name}.purchases\` and \`${clv.name}.clv\` look ahead.`, { node: clv, property: 'name' });
    } else {
        if (horizon.unit && !horizonUnit(horizon.unit)) {
            report('error', 'clv-setting', `A horizon is counted in days, weeks or months, not '${horizon.unit}'.`, { node: horizon, property: 'unit' });
        }
        if (horizon.count !== undefined && !(horizon.count > 0)) {
            report('error', 'clv-setting', `A horizon must be positive, not ${horizon.count}: it is how far after the calibration the value looks ahead.`, { node: horizon, property: 'count' });
        }
    }
    if (nodes.discount && nodes.discount.percent < 0) {
        report('error', 'clv-setting', `A discount rate cannot be negative (${nodes.discount.percent}% per year): it is what a unit of money next year is worth less than today; write 0% for none.`, { node: nodes.discount, property: 'percent' });
    }
    if (nodes.margin?.percent !== undefined && !(nodes.margin.percent > 0 && nodes.margin.percent <= 100)) {
        report('error', 'clv-setting', `A margin must be above 0% and at most 100%, not ${nodes.margin.percent}%: the share of spend that is profit.`, { node: nodes.margin, property: 'percent' });
    }
}

export function checkAttitude(attitude: Attitude, report: Report): void {
    const events = attitude.events?.ref;
    if (events && !isEventsSource(events)) {
        report('error', 'attitude-needs-events', `Attitude '${attitude.name}' is learnt from past contacts, one row per contact with its time: '${attitude.events.$refText}' is a customers source; name an events source.`, { node: attitude, property: 'events' });
    }
    for (const [type, keyword] of Object.entries(ATTITUDE_SETTING_KEYWORDS)) {
        for (const duplicate of attitude.settings.filter(s => s.$type === type).slice(1)) {
            report('error', 'duplicate-statement', `Attitude '${attitude.name}' states \`${keyword}\` more than once.`, { node: duplicate });
        }
    }
    const { nodes } = attitudeSettings(attitude);
    const columnOf = (name: string) => (isEventsSource(events) ? sourceColumn(events, name) : undefined);
    if (!nodes.response) {
        report('error', 'attitude-response', `Attitude '${attitude.name}' needs \`response COLUMN\`: the boolean column of '${attitude.events?.$refText ?? 'its events'}' that marks a contact the customer responded to.`, { node: attitude, property: 'name' });
    } else if (nodes.response.column?.ref) {
        const column = columnOf(nodes.response.column.$refText);
        if (column?.kind === 'column' && column.type !== 'boolean') {
            report('error', 'attitude-response', `The response column '${column.name}' is ${column.type}; it must be a boolean column (true when the customer responded to the contact).`, { node: nodes.response, property: 'column' });
        }
    }
    if (!nodes.by) {
        report('error', 'attitude-by', `Attitude '${attitude.name}' needs \`by COLUMN, ...\`: the text columns of '${attitude.events?.$refText ?? 'its events'}' whose values get a score each (a channel, an offer).`, { node: attitude, property: 'name' });
    } else {
        const seen = new Set<string>();
        nodes.by.columns.forEach((reference, index) => {
            const name = reference.$refText;
            if (seen.has(name)) {
                report('error', 'attitude-by', `'${name}' is listed twice in \`by\`.`, { node: nodes.by!, property: 'columns', index });
                return;
            }
            seen.add(name);
            const column = reference.ref ? columnOf(name) : undefined;
            if (column?.kind === 'column' && column.type !== 'text') {
                report('error', 'attitude-by', `'${name}' is ${column.type}; an attitude scores each value of a text column (a channel, an offer), so \`by\` names text columns.`, { node: nodes.by!, property: 'columns', index });
            }
        });
    }
    if (nodes.halfLife?.days !== undefined && !(nodes.halfLife.days > 0)) {
        report('error', 'attitude-setting', `A half life is a positive number of days (the age at which a contact weighs half), not ${nodes.halfLife.days}.`, { node: nodes.halfLife, property: 'days' });
    }
    if (nodes.prior?.contacts !== undefined && !(nodes.prior.contacts > 0)) {
        report('error', 'attitude-setting', `A prior is a positive number of contacts (the pull toward the population's rate, which scores a customer never contacted), not ${nodes.prior.contacts}.`, { node: nodes.prior, property: 'contacts' });
    }
}

/**
 * A score in an expression: CLV scores that need `monetary`, attitude scores that name a value of one of their `by`
 * columns, and values named on anything but an attitude. True when it reported something.
 */
export function checkScore(node: MemberAccess, target: MemberTarget, report: Report): boolean {
    const written = `${node.receiver?.$cstNode?.text ?? '?'}.${node.member?.$refText ?? ''}`;
    if (node.argument !== undefined && target.kind !== 'attitude') {
        report('error', 'attitude-score', `\`${written}\` takes no value in parentheses: only an attitude score names the value it scores, as in prefs.channel("sms").`, { node, property: 'argument' });
        return true;
    }
    if (target.kind === 'clv' && (target.score === 'spend' || target.score === 'clv') && !clvSettings(target.clv).nodes.monetary) {
        const what = target.score === 'spend' ? 'the expected spend per purchase' : 'the value of the purchases ahead';
        report('error', 'clv-monetary-missing', `\`${written}\` is ${what}, which needs the spend of each purchase: add \`monetary COLUMN\` to CLV model '${target.clv.name}'.`, { node });
        return true;
    }
    if (target.kind === 'attitude') return checkAttitudeColumn(node, target, report) || checkAttitudeValue(node, target, report);
    return false;
}

/** An attitude column that is not one of the attitude's `by` columns (attitude-score). */
function checkAttitudeColumn(node: MemberAccess, target: Extract<MemberTarget, { kind: 'attitude' }>, report: Report): boolean {
    const by = attitudeSettings(target.attitude).by;
    if (by.includes(target.column)) return false;
    const which = by.length > 0 ? `the values of ${by.map(c => `'${c}'`).join(', ')} (its \`by\`)` : 'no column yet (it has no `by`)';
    report('error', 'attitude-score', `Attitude '${target.attitude.name}' scores ${which}; '${target.column}' is not one of them: add it to \`by\`, or name one of those.`, { node, property: 'member' });
    return true;
}

function checkAttitudeValue(node: MemberAccess, target: Extract<MemberTarget, { kind: 'attitude' }>, report: Report): boolean {
    if (target.value !== undefined) return false;
    report('error', 'attitude-score', `\`${target.attitude.name}.${target.column}\` holds a score for each value of '${target.column}': name the value, as in ${target.attitude.name}.${target.column}("...").`, { node });
    return true;
}

/**
 * A comparison of a score with a number on the wrong scale: P(alive) runs from 0 to 1 (compare it with 30%), an
 * attitude score from 0 to 100 (compare it with 60, not 60%).
 */
export function checkScoreScale(node: BinaryExpression | BetweenExpression, report: Report): void {
    const pairs: Array<[Expression | undefined, Expression | undefined]> = node.$type === 'BinaryExpression'
        ? [[node.left, node.right], [node.right, node.left]]
        : [[node.operand, node.low], [node.operand, node.high]];
    for (const [score, literal] of pairs) {
        const target = memberTarget(score);
        if (!isNumberLiteral(literal) || !target) continue;
        const text = score?.$cstNode?.text ?? '';
        if (target.kind === 'clv' && target.score === 'alive' && !literal.percent && literal.value > 1) {
            report('warning', 'score-scale', `\`${text}\` is a probability from 0 to 1, so it never reaches ${literal.value}: write ${literal.value}% for a percentage.`, { node: literal });
        } else if (target.kind === 'attitude' && literal.percent) {
            report('warning', 'score-scale', `\`${text}\` is a score from 0 to 100, and ${literal.value}% is ${literal.value / 100}: write ${literal.value} (without %).`, { node: literal });
        }
    }
}

/** `channel best of [A, B, ...] by ATTITUDE.COLUMN`: two channels or more, each once, chosen by an attitude column. */
export function checkBestOf(step: ChannelStep, report: Report): void {
    const node = step.bestOf;
    if (!node) return;
    const seen = new Set<string>();
    node.channels.forEach((reference, index) => {
        const name = reference.$refText;
        if (seen.has(name)) report('error', 'best-of-channels', `'${name}' is listed twice in \`best of\`.`, { node, property: 'channels', index });
        seen.add(name);
    });
    if (seen.size < 2) {
        const only = seen.size === 1 ? ` one channel ('${[...seen][0]}'): write \`channel ${[...seen][0]}\` instead, or list another` : ' no channel: list them';
        report('error', 'best-of-channels', `\`best of\` contacts each customer through the best of at least two channels; this lists${only}.`, { node, property: 'channels' });
    }
    const by = node.by;
    if (!by || AstUtils.streamAst(by).some(n => (isNameReference(n) && !n.target?.ref) || (isMemberAccess(n) && !n.member?.ref)) || (isNameReference(by) && !by.target?.ref)) return;
    const target = memberTarget(by);
    if (target?.kind === 'attitude') {
        if (target.value !== undefined) {
            report('error', 'best-of-by', `\`best of ... by\` compares each listed channel's score of an attitude column, so it names the column without a value: by ${target.attitude.name}.${target.column}.`, { node: by });
        } else {
            checkAttitudeColumn(by as MemberAccess, target, report);
        }
        return;
    }
    report('error', 'best-of-by', `\`best of ... by\` names an attitude column whose values are the plan's channel names, as in \`by prefs.channel\` (with \`attitude prefs from contacts { ... by channel }\`); \`${by.$cstNode?.text ?? ''}\` is not one.`, { node: by });
}

/** `uplift by EXPR`: a per-customer number, in a campaign with a control group. */
export function checkUplift(campaign: Campaign, report: Report): void {
    const settings = campaignSettings(campaign);
    const uplift = settings.uplift;
    if (!uplift) return;
    if (!settings.control && !settings.groups) {
        report('error', 'uplift-without-control', `\`uplift by\` shows how well a number ranks the customers who respond because of the campaign, which takes a control group to tell: add \`control N% seed "..."\` or \`groups from SOURCE.COLUMN ...\` to campaign '${campaign.name}'.`, { node: uplift });
    }
    if (uplift.by) {
        checkConditionValue(uplift.by, report);
        const type = typeOf(uplift.by);
        const namesMetric = AstUtils.streamAst(uplift.by).some(n => isNameReference(n) && isMetric(n.target?.ref));
        if (type !== 'number' && type !== 'unknown' && type !== 'none' && !namesMetric) {
            const what = type === 'boolean' ? 'a true/false condition' : `a ${type}`;
            report('error', 'uplift-by', `\`uplift by\` ranks customers by a per-customer number known before the campaign starts (a column, a score, an aggregate, or arithmetic of those, as in \`uplift by value.clv\`); this is ${what}.`, { node: uplift, property: 'by' });
        }
    }
}

/**
 * CLV models an audience (or its `limit ... by`) reads whose calibration ends on or after the campaign starts: its
 * scores would be fitted on purchases the campaign caused.
 */
export function checkClvBeforeStart(campaign: Campaign, report: Report): void {
    const settings = campaignSettings(campaign);
    const start = parseDate(settings.runs?.start);
    if (!settings.audience || start === undefined) return;
    for (const model of new Set([...modelsRead(settings.audience.condition), ...modelsRead(settings.limit?.by)])) {
        if (!isClv(model)) continue;
        const calibration = clvSettings(model).calibration;
        if (calibration && calibration.endDay >= start) {
            report('warning', 'audience-after-start',
                `CLV model '${model.name}' is fitted on purchases up to ${calibration.end}, on or after campaign '${campaign.name}' starts (${settings.runs!.start}), so its audience would be chosen with data from after the launch, including purchases the campaign caused. End the calibration before ${settings.runs!.start}.`,
                { node: settings.audience });
        }
    }
}
