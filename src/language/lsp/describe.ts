// Human-readable descriptions of what a name stands for. Hover shows them in full; completion and the outline use
// the one-line `detail`. Everything is read through semantics.ts, so the editor says what the runner will compute.
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type { Aggregate, Arm, Attitude, Campaign, Channel, ChannelStep, Clv, DataSource, MemberAccess, Metric, Rfm, Tier, Tiers } from '../generated/ast.js';
import {
    isArm, isAttitude, isBestOf, isCampaign, isChannel, isClv, isCustomersSource, isDataSource, isEventsSource, isMetric, isRfm, isSegment, isTier, isTiers
} from '../generated/ast.js';
import { type ClvScore, impliedColumns } from '../mplan-scope.js';
import type { AggregateShape, MetricShape, TimeReference } from '../semantics.js';
import {
    CLV_MODEL_LABELS, DEFAULT_ATTRIBUTION_DAYS, DEFAULT_RFM_BINS, aggregateShape, attitudeSettings, bestOf, campaignArms, campaignMargin,
    campaignSettings, clvSettings, memberTarget, metricShape, rfmSettings, sourceColumn, sourceOrigin, timeReference, typeOf
} from '../semantics.js';
import type { NamedNode, PlanSymbol } from './symbol-at.js';

/** Declarations longer than this many lines are shown cut short in a hover. */
const MAX_SNIPPET_LINES = 15;

const SCORE_MEANING = {
    r: 'recency: how recently the customer last bought (higher = more recent)',
    f: 'frequency: how often the customer bought (higher = more often)',
    m: 'monetary: how much the customer spent (higher = more)'
} as const;

/** What each CLV score is, in a few words (the detail of a completion). */
const CLV_SCORE_MEANING: Record<ClvScore, string> = {
    alive: 'P(alive), a probability from 0 to 1',
    purchases: 'expected purchases in the horizon',
    spend: 'expected spend per purchase',
    clv: 'discounted expected margin of the horizon'
};

export function kindLabel(node: AstNode): string {
    if (isCustomersSource(node)) return 'customers source';
    if (isEventsSource(node)) return 'events source';
    if (isRfm(node)) return 'RFM model';
    if (isClv(node)) return 'CLV model';
    if (isAttitude(node)) return 'attitude';
    if (isSegment(node)) return 'segment';
    if (isChannel(node)) return 'channel';
    if (isMetric(node)) return 'metric';
    if (isCampaign(node)) return 'campaign';
    if (isArm(node)) return 'arm';
    if (isTiers(node)) return 'tiers';
    if (isTier(node)) return 'tier';
    return node.$type;
}

/** "the sum of `orders.amount`", "the number of `orders` events where `sku = "x"`", ... */
export function aggregateText(aggregate: AggregateShape): string {
    const source = aggregate.source.name;
    const filter = aggregate.filter?.$cstNode ? ` where \`${aggregate.filter.$cstNode.text.replace(/\s+/g, ' ')}\`` : '';
    const over = filter ? ` over the \`${source}\` events${filter}` : '';
    switch (aggregate.function) {
        case 'any': return `1 when the customer has any \`${source}\` event${filter}, else 0`;
        case 'count': return `the number of \`${source}\` events${filter}`;
        case 'sum': return `the sum of \`${source}.${aggregate.column}\`${over}`;
        case 'mean': return `the mean of \`${source}.${aggregate.column}\`${over}`;
        case 'min': return `the smallest \`${source}.${aggregate.column}\`${over}`;
        case 'max': return `the largest \`${source}.${aggregate.column}\`${over}`;
    }
}

/**
 * Which events an aggregate counts, in plain words: "orders in the 90 days before the campaign starts (2027-05-01)",
 * "responses before the reference date (...), the last 365 days of them", "redemptions in the attribution window".
 */
export function timeReferenceText(aggregate: Aggregate): string | undefined {
    const reference = timeReference(aggregate);
    const shape = aggregateShape(aggregate);
    return reference ? referenceText(reference, shape?.source.name ?? 'events', aggregate.within) : undefined;
}

/** `events` counted up to a time reference, in plain words (see timeReferenceText). */
function referenceText(reference: TimeReference, events: string, days: number | undefined): string {
    switch (reference.kind) {
        case 'campaign': {
            const start = reference.start ? ` (${reference.start})` : '';
            if (days === undefined) return `${events} before the campaign starts${start}`;
            return days === 1 ? `${events} on the day before the campaign starts${start}` : `${events} in the ${days} days before the campaign starts${start}`;
        }
        case 'condition': {
            const last = days === undefined ? '' : days === 1 ? ', the last day of them' : `, the last ${days} days of them`;
            return `${events} before the reference date (a campaign's start for its audience, the evaluation date in the segment table)${last}`;
        }
        case 'attribution':
            return `${events} in the attribution window${days === undefined ? '' : ' (`within` does not apply in a metric)'}`;
    }
}

/** Markdown for a hover on an aggregate: what it computes per customer, and over which events. */
export function describeAggregate(aggregate: Aggregate): string {
    const text = aggregate.$cstNode?.text.replace(/\s+/g, ' ') ?? `${aggregate.function}(...)`;
    const type = typeOf(aggregate);
    const lines = [`**aggregate** \`${text}\`: ${type === 'boolean' ? 'true/false' : type} per customer`];
    const shape = aggregateShape(aggregate);
    const over = timeReferenceText(aggregate);
    if (shape) lines.push(capitalize(aggregateText(shape)) + (over ? `, counting ${over}.` : '.'));
    else if (over) lines.push(`Counting ${over}.`);
    return lines.join('\n\n');
}

/** What a metric computes per customer; `short` leaves out where the events come from. */
export function metricShapeText(metric: Metric, short = false, seen: Set<Metric> = new Set()): string {
    const shape: MetricShape = metricShape(metric);
    const window = short ? '' : ', per customer, over the events inside the attribution window';
    switch (shape.kind) {
        case 'aggregate': return aggregateText(shape.aggregate) + window;
        case 'ratio': return `(${aggregateText(shape.numerator)}) ÷ (${aggregateText(shape.denominator)})${window}`;
        case 'column': return `the customer's \`${shape.source.name}.${shape.column}\` (${shape.type})`;
        case 'alias': {
            if (seen.has(metric)) return 'a metric that refers to itself';
            seen.add(metric);
            return `same as metric \`${shape.metric.name}\`: ${metricShapeText(shape.metric, short, seen)}`;
        }
        case 'invalid': return 'not a valid metric form (a customers column, an aggregate over events, or a quotient of two aggregates)';
    }
}

/** A one-line summary, used as completion and outline detail. */
export function symbolDetail(symbol: PlanSymbol): string {
    switch (symbol.kind) {
        case 'column': {
            const column = sourceColumn(symbol.source, symbol.name);
            return `column: ${column?.kind === 'column' ? column.type : 'unknown'}`;
        }
        case 'score': return `RFM score: ${SCORE_MEANING[symbol.score].split(':')[0]}`;
        case 'clvScore': return `CLV score: ${CLV_SCORE_MEANING[symbol.score]}`;
        case 'declaration': return declarationDetail(symbol.node);
    }
}

export function declarationDetail(node: NamedNode): string {
    if (isArm(node)) return `arm of campaign ${node.$container.name}: ${armText(node)}`;
    if (isTier(node)) return `tier of ${node.$container.name}: ${tierText(node)}`;
    if (isTiers(node)) return node.description ? `tiers: ${unquote(node.description)}` : `tiers: ${node.tiers.map(t => t.name).join(', ')}`;
    if (isDataSource(node)) return `${kindLabel(node)} from ${sourceOrigin(node)}`;
    if (isRfm(node)) return `RFM model from ${node.events?.$refText ?? '?'}`;
    if (isClv(node)) return `CLV model (${CLV_MODEL_LABELS[clvSettings(node).model]}) from ${node.events?.$refText ?? '?'}`;
    if (isAttitude(node)) {
        const by = attitudeSettings(node).by;
        return `attitude from ${node.events?.$refText ?? '?'}${by.length > 0 ? ` by ${by.join(', ')}` : ''}`;
    }
    if (isSegment(node)) return node.description ? `segment: ${unquote(node.description)}` : 'segment';
    if (isChannel(node)) return channelText(node);
    if (isMetric(node)) return `metric: ${plain(metricShapeText(node, true))}`;
    if (isCampaign(node)) {
        const runs = campaignSettings(node).runs;
        return runs ? `campaign ${runs.start} to ${runs.end}` : 'campaign';
    }
    return kindLabel(node);
}

/** Markdown for a hover: what the symbol is, how it is defined, and its declaration. */
export function describeSymbol(symbol: PlanSymbol): string {
    switch (symbol.kind) {
        case 'column': return describeColumn(symbol.source, symbol.name);
        case 'score': return describeScore(symbol.rfm, symbol.score);
        case 'clvScore': return describeClvScore(symbol.clv, symbol.score);
        case 'declaration': return describeDeclaration(symbol.node);
    }
}

export function describeColumn(source: DataSource, name: string): string {
    const column = sourceColumn(source, name);
    const type = column?.kind === 'column' ? column.type : 'unknown';
    const lines = [`**column** \`${source.name}.${name}\`: ${type}`];
    const roles: string[] = [];
    if (isCustomersSource(source) && source.key === name) roles.push('the key that identifies each customer');
    if (isEventsSource(source) && source.customer === name) roles.push('the customer each event belongs to');
    if (isEventsSource(source) && source.time === name) roles.push('when each event happened');
    if (roles.length > 0) lines.push(`It is ${roles.join(', and ')}.`);
    if (impliedColumns(source).some(i => i.name === name)) lines.push('Implied: named by the source but not declared in its block.');
    lines.push(isEventsSource(source)
        ? `Of the events source \`${source.name}\` (many rows per customer), so metrics aggregate it${type === 'number' ? `, as in \`sum(${source.name}.${name})\`` : ''}.`
        : `Of the customers source \`${source.name}\` (one row per customer).`);
    return lines.join('\n\n');
}

export function describeScore(rfm: Rfm, score: 'r' | 'f' | 'm'): string {
    const bins = rfmSettings(rfm).bins?.count ?? DEFAULT_RFM_BINS;
    return [
        `**RFM score** \`${rfm.name}.${score}\`: number`,
        `${capitalize(SCORE_MEANING[score])}, scored 1 to ${bins} over the events of \`${rfm.events?.$refText ?? '?'}\`.`
    ].join('\n\n');
}

/** `the end of calibration, 1997-09-30, from purchases 1997-01-01 to 1997-09-30 (BG/NBD)` */
function calibrationText(clv: Clv, models: string): string {
    const calibration = clvSettings(clv).calibration;
    const events = clv.events?.$refText ?? 'events';
    return calibration
        ? `the end of calibration, ${calibration.end}, from ${events} ${calibration.start} to ${calibration.end} (${models})`
        : `the end of calibration (not stated yet), from ${events} (${models})`;
}

/** A horizon in words: `the 52 weeks`, `the month`. */
function horizonText(clv: Clv): string {
    const horizon = clvSettings(clv).horizon;
    if (!horizon) return 'the horizon (not stated yet)';
    return horizon.count === 1 ? `the ${horizon.unit}` : `the ${horizon.count} ${horizon.unit}s`;
}

export function describeClvScore(clv: Clv, score: ClvScore): string {
    const settings = clvSettings(clv);
    const model = CLV_MODEL_LABELS[settings.model];
    const withSpend = `${model} and Gamma-Gamma`;
    const monetary = settings.nodes.monetary?.column?.$refText;
    const needsMonetary = monetary === undefined && (score === 'spend' || score === 'clv')
        ? `\n\nNeeds \`monetary COLUMN\` in CLV model \`${clv.name}\`: without it there is no spend to score.` : '';
    const title = `**CLV score** \`${clv.name}.${score}\`: number${score === 'alive' ? ', a probability from 0 to 1' : ''}`;
    let text: string;
    switch (score) {
        case 'alive':
            text = `P(alive) at ${calibrationText(clv, model)}: the probability that the customer still buys. Compare it with a percentage (\`${clv.name}.alive < 30%\`).`;
            break;
        case 'purchases':
            text = `The expected number of purchases in ${horizonText(clv)} after ${calibrationText(clv, model)}.`;
            break;
        case 'spend':
            text = `The expected spend per purchase${monetary ? ` (\`${monetary}\`)` : ''}, as of ${calibrationText(clv, withSpend)}.`;
            break;
        case 'clv': {
            const margin = `${Math.round(settings.margin * 1e6) / 1e4}%${settings.marginFrom === 'plan' ? ', the plan\'s' : settings.marginFrom === 'default' ? ', no margin stated' : ''}`;
            const discount = settings.discountPerYear > 0 ? `, discounted at ${Math.round(settings.discountPerYear * 1e6) / 1e4}% per year to that day` : ', undiscounted';
            text = `The expected margin (${margin}) of the purchases in ${horizonText(clv)} after ${calibrationText(clv, withSpend)}${discount}.`;
            break;
        }
    }
    return `${title}\n\n${text}${needsMonetary}`;
}

/**
 * Markdown for a hover on an attitude score (`prefs.channel("sms")`, or `prefs.channel` in `channel best of ... by`):
 * what it scores, from which contacts, and how they are weighed.
 */
export function describeAttitudeScore(access: MemberAccess): string | undefined {
    const target = memberTarget(access);
    if (target?.kind !== 'attitude') return undefined;
    const attitude = target.attitude;
    const settings = attitudeSettings(attitude);
    const events = attitude.events?.$refText ?? 'contacts';
    const reference = timeReference(access);
    const from = reference ? referenceText(reference, events, undefined) : `${events}`;
    const weighed = settings.halfLifeDays !== undefined ? `a contact ${settings.halfLifeDays} days old weighing half as much` : 'every contact weighing the same';
    const how = `${settings.response ?? 'responses'} per contact, ${weighed}, pulled toward the population's rate by ${settings.prior} contacts' worth`;
    const step = AstUtils.getContainerOfType(access, isBestOf);
    if (target.value === undefined) {
        const channels = step ? step.channels.map(c => c.$refText).join(', ') : undefined;
        const title = `**attitude column** \`${attitude.name}.${target.column}\`: a score from 0 to 100 for each value of \`${target.column}\``;
        const chooses = channels ? `Each treatment customer is contacted through whichever of ${channels} scores highest, ties going to the first listed. A score is the smoothed response rate to that ${target.column} from ${from}: ${how}.` : `The smoothed response rate to each value of ${target.column} from ${from}: ${how}.`;
        return `${title}\n\n${chooses}`;
    }
    const title = `**attitude score** \`${attitude.name}.${target.column}(${JSON.stringify(target.value)})\`: number, 0 to 100`;
    return `${title}\n\nThe smoothed response rate to ${target.column} ${JSON.stringify(target.value)} from ${from}: ${how}.`;
}

export function describeDeclaration(node: NamedNode): string {
    const lines = [`**${kindLabel(node)}** \`${node.name}\``];
    if (isMetric(node)) lines.push(capitalize(metricShapeText(node)) + '.');
    if (isSegment(node) && node.description) lines.push(unquote(node.description));
    if (isChannel(node)) lines.push(capitalize(channelText(node)) + '.');
    if (isDataSource(node)) lines.push(sourceText(node));
    if (isRfm(node)) lines.push(rfmText(node));
    if (isClv(node)) lines.push(clvText(node));
    if (isAttitude(node)) lines.push(attitudeText(node));
    if (isCampaign(node)) lines.push(campaignText(node));
    if (isArm(node)) lines.push(`An arm of campaign \`${node.$container.name}\`: ${armText(node)}.`);
    if (isTiers(node)) lines.push(tiersText(node));
    if (isTier(node)) lines.push(tierMeaning(node));
    const snippet = snippetOf(node);
    if (snippet) lines.push('```mplan\n' + snippet + '\n```');
    return lines.join('\n\n');
}

/** `usage.r >= 4 and usage.f >= 4`, or `otherwise` */
function tierText(tier: Tier): string {
    return tier.otherwise ? 'otherwise' : (tier.condition?.$cstNode?.text.replace(/\s+/g, ' ') ?? '?');
}

function tiersText(tiers: Tiers): string {
    const description = tiers.description ? `${unquote(tiers.description)}. ` : '';
    const names = tiers.tiers.map(t => `\`${tiers.name}.${t.name}\``).join(', ');
    const rest = tiers.tiers.some(t => t.otherwise) ? '' : ' Customers no tier matches are in none.';
    return `${description}Each customer is in the first tier whose condition holds: ${names || 'no tiers yet'}.${rest}`;
}

function tierMeaning(tier: Tier): string {
    const tiers = tier.$container;
    const index = tiers.tiers.indexOf(tier);
    const above = tiers.tiers.slice(0, index).map(t => `\`${t.name}\``);
    const condition = tier.otherwise ? 'every customer' : `the customers for whom \`${tierText(tier)}\` holds`;
    const first = above.length > 0 ? ` and no tier above it (${above.join(', ')}) matches` : '';
    return `A tier of \`${tiers.name}\`: ${condition}${tier.otherwise ? ' whom no tier above it takes' : first}. \`${tiers.name}.${tier.name}\` is a condition, like a segment.`;
}

function channelText(channel: Channel): string {
    const parts = [channel.cost !== undefined ? `cost ${channel.cost} per contact` : 'no cost stated'];
    if (channel.capacity !== undefined) parts.push(`capacity ${channel.capacity} per day`);
    return `channel: ${parts.join(', ')}`;
}

function sourceText(source: DataSource): string {
    const columns = [
        ...source.columns.map(c => `${c.name}: ${c.type}`),
        ...impliedColumns(source).map(i => `${i.name}: ${i.type} (implied)`)
    ];
    const kind = isEventsSource(source) ? 'Many rows per customer' : 'One row per customer';
    return `${kind}, read from ${sourceOrigin(source)}. Columns: ${columns.length > 0 ? columns.join(', ') : 'none declared'}.`;
}

function rfmText(rfm: Rfm): string {
    const settings = rfmSettings(rfm);
    const bins = settings.bins?.count ?? DEFAULT_RFM_BINS;
    const parts = [`Scores \`${rfm.name}.r\`, \`${rfm.name}.f\` and \`${rfm.name}.m\` from 1 to ${bins}, computed from \`${rfm.events?.$refText ?? '?'}\``];
    if (settings.monetary) parts.push(`monetary column \`${settings.monetary.column?.$refText}\``);
    if (settings.asOf) parts.push(`as of ${settings.asOf.date}`);
    return parts.join('; ') + '.';
}

function clvText(clv: Clv): string {
    const settings = clvSettings(clv);
    const scores = settings.nodes.monetary ? ['alive', 'purchases', 'spend', 'clv'] : ['alive', 'purchases'];
    const parts = [`Scores ${scores.map(s => `\`${clv.name}.${s}\``).join(', ')} as of ${calibrationText(clv, CLV_MODEL_LABELS[settings.model] + (settings.nodes.monetary ? ' and Gamma-Gamma' : ''))}`];
    parts.push(`period ${settings.period}`);
    parts.push(`horizon ${horizonText(clv).replace(/^the /, '')}`);
    if (settings.nodes.monetary) parts.push(`spend per purchase \`${settings.monetary}\``);
    parts.push(settings.discountPerYear > 0 ? `discount ${Math.round(settings.discountPerYear * 1e6) / 1e4}% per year` : 'no discount');
    parts.push(`margin ${Math.round(settings.margin * 1e6) / 1e4}%${settings.marginFrom === 'plan' ? ' (the plan\'s)' : settings.marginFrom === 'default' ? ' (none stated)' : ''}`);
    return parts.join('; ') + '.';
}

function attitudeText(attitude: Attitude): string {
    const settings = attitudeSettings(attitude);
    const events = attitude.events?.$refText ?? '?';
    const scores = settings.by.map(c => `\`${attitude.name}.${c}("...")\``).join(', ') || 'none yet (no `by`)';
    const weighed = settings.halfLifeDays !== undefined ? `half life ${settings.halfLifeDays} days` : 'no half life (every contact weighs the same)';
    return `Each customer's smoothed response rate (${settings.response ?? '?'}), 0 to 100, per value of each \`by\` column, from the ${events} before the reference date: ${scores}; ${weighed}; prior ${settings.prior} contacts.`;
}

/** `mail, phone after 7 days unless booked`, `best of email, sms by prefs.channel` */
function stepsText(steps: ChannelStep[]): string {
    if (steps.length === 0) return 'no channel step';
    return steps.map(s => [s.bestOf ? bestOfText(s) : s.channel?.$refText, s.delay !== undefined ? `after ${s.delay} days` : '', s.unless ? `unless ${s.unless.$refText}` : ''].filter(Boolean).join(' ')).join(', ');
}

/** `50% of the treatment group; channels mail, phone after 7 days` */
function armText(arm: Arm): string {
    const view = campaignArms(arm.$container).find(a => a.node === arm);
    const parts: string[] = [];
    if (campaignSettings(arm.$container).groups) parts.push(arm.label !== undefined ? `recorded as "${arm.label}"` : 'no label');
    else if (view) parts.push(`${Math.round(view.sharePercent * 100) / 100}% of the treatment group${arm.share === undefined ? ' (equal shares)' : ''}`);
    parts.push(`channels ${stepsText(arm.steps)}`);
    return parts.join('; ');
}

function bestOfText(step: ChannelStep): string {
    const view = bestOf(step)!;
    return `best of ${view.node.channels.map(c => c.$refText).join(', ')} by ${view.by?.$cstNode?.text.replace(/\s+/g, ' ') ?? '?'}`;
}

function campaignText(campaign: Campaign): string {
    const settings = campaignSettings(campaign);
    const parts: string[] = [];
    if (settings.runs) parts.push(`Runs ${settings.runs.start} to ${settings.runs.end}`);
    if (settings.arms.length > 0) parts.push(`arms ${settings.arms.map(a => a.name).join(', ')}`);
    else if (settings.steps.length > 0) parts.push(`channels ${stepsText(settings.steps)}`);
    if (settings.control) parts.push(`drawn control ${settings.control.share}%`);
    if (settings.groups) parts.push('recorded groups');
    parts.push(`attribution ${settings.attribution?.days ?? DEFAULT_ATTRIBUTION_DAYS} days`);
    if (settings.fixedCost) parts.push(`fixed cost ${settings.fixedCost.amount}`);
    if (settings.uplift) parts.push(`uplift by ${settings.uplift.by?.$cstNode?.text.replace(/\s+/g, ' ') ?? '?'}`);
    if (settings.limit) parts.push(`capped at ${settings.limit.count}${settings.limit.by?.$cstNode ? ` by ${settings.limit.by.$cstNode.text.replace(/\s+/g, ' ')}` : ''}`);
    const margin = campaignMargin(campaign);
    if (margin !== undefined) parts.push(`margin ${margin}%`);
    parts.push(`${settings.goals.length} goal${settings.goals.length === 1 ? '' : 's'}`);
    return parts.join('; ') + '.';
}

/** The declaration as written, dedented to its first line and cut to a few lines. */
function snippetOf(node: AstNode): string | undefined {
    const cst = node.$cstNode;
    if (!cst?.text) return undefined;
    const column = cst.range.start.character;
    const lines = cst.text.split(/\r?\n/).map((line, i) => (i === 0 ? line : line.replace(new RegExp(`^[ \\t]{0,${column}}`), '')));
    return lines.length > MAX_SNIPPET_LINES ? [...lines.slice(0, MAX_SNIPPET_LINES), '…'].join('\n') : lines.join('\n');
}

export function unquote(text: string): string {
    return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

function capitalize(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Markdown code spans read badly in a one-line detail. */
function plain(text: string): string {
    return text.replace(/`/g, '');
}
