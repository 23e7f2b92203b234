// What plan expressions mean: their types, which source a column belongs to, and the shape of each metric.
// The validator, the editor features and the runner all read the plan through these functions.
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type {
    Aggregate, Arm, Attitude, AttitudeBy, AttitudeHalfLife, AttitudePrior, AttitudeResponse, Attribution, Audience, BestOf, Budget, Campaign,
    Channel, ChannelStep, Clv, ClvCalibration, ClvDiscount, ClvHorizon, ClvMargin, ClvModel, ClvMonetary, ClvPeriod, Column, DataSource,
    DrawnControl, Expression, FixedCost, Goal, GoalTarget, Limit, Margin, Metric, Model, NameReference, Offer, RecordedGroups, Rfm, Runs,
    Segment, Tier, Tiers, Uplift, ValueMetric
} from './generated/ast.js';
import {
    isAggregate, isAttitude, isAudience, isBestOf, isBetweenExpression, isBinaryExpression, isBooleanLiteral, isCampaign, isChannel, isClv,
    isColumn, isCustomersSource, isDataSource, isDateLiteral, isEveryone, isGoal, isInExpression, isLimit, isMargin, isMemberAccess, isMetric,
    isNameReference, isNegationExpression, isNotExpression, isNumberLiteral, isPlan, isRfm, isRfmAsOf, isRfmBins, isRfmMonetary, isSegment,
    isStringLiteral, isTier, isTiers, isUplift
} from './generated/ast.js';
import { type ClvScore, enclosingFilter, impliedColumns, isClvScore, resolveReceiver } from './mplan-scope.js';

export type { ClvScore };

/** Value types of expressions. `none` is a name that is not a value (a channel, a bare source); `unknown` follows an error. */
export type ValueType = 'number' | 'text' | 'date' | 'boolean' | 'none' | 'unknown';

/** The column (declared or implied), RFM, CLV or attitude score, or tier that a member access names. */
export type MemberTarget =
    | { kind: 'column'; source: DataSource; name: string; type: ValueType; column?: Column }
    | { kind: 'score'; rfm: Rfm; score: 'r' | 'f' | 'm' }
    /**
     * `value.alive` (P(alive), 0 to 1), `value.purchases` (expected purchases in the horizon), `value.spend` (expected
     * spend per purchase) and `value.clv` (the discounted expected margin of the horizon): numbers, as of the end of
     * the model's calibration (see clvSettings).
     */
    | { kind: 'clv'; clv: Clv; score: ClvScore }
    /**
     * `prefs.channel("sms")`: the customer's smoothed response rate, 0 to 100, to contacts whose `column` is `value`,
     * counted before the reference date like an aggregate (see timeReference). `value` is undefined when the access
     * names no value (`prefs.channel`: the column itself, as `channel best of [...] by` reads it). `column` is a column of
     * the attitude's events; whether it is one of its `by` columns is the validator's concern (attitude-score).
     */
    | { kind: 'attitude'; attitude: Attitude; column: string; value?: string }
    /** `value_tier.gold`: true for the customers in that tier (a condition, like a segment). */
    | { kind: 'tier'; tiers: Tiers; tier: Tier };

export function memberTarget(expression: AstNode | undefined): MemberTarget | undefined {
    if (!isMemberAccess(expression)) return undefined;
    const receiver = resolveReceiver(expression.receiver);
    const name = expression.member?.$refText;
    if (!receiver || !name) return undefined;
    if (isRfm(receiver)) {
        return name === 'r' || name === 'f' || name === 'm' ? { kind: 'score', rfm: receiver, score: name } : undefined;
    }
    if (isClv(receiver)) return isClvScore(name) ? { kind: 'clv', clv: receiver, score: name } : undefined;
    if (isAttitude(receiver)) {
        const source = receiver.events?.ref;
        if (!source || !sourceColumn(source, name)) return undefined;
        return { kind: 'attitude', attitude: receiver, column: name, value: expression.argument };
    }
    if (isTiers(receiver)) {
        const tier = receiver.tiers.find(t => t.name === name);
        return tier ? { kind: 'tier', tiers: receiver, tier } : undefined;
    }
    return sourceColumn(receiver, name);
}

// ------------------------------------------------------------------ aggregates: filters and windows

export { enclosingFilter };

/** The source an aggregate reads: `E` in `any(E)`, `count(E)` and `sum(E.col)` (whether or not it is an events source). */
export function aggregateSource(aggregate: Aggregate): DataSource | undefined {
    const argument = aggregate.argument;
    if (isNameReference(argument)) {
        const target = argument.target?.ref;
        return isDataSource(target) ? target : undefined;
    }
    if (isMemberAccess(argument)) {
        const receiver = resolveReceiver(argument.receiver);
        return isDataSource(receiver) ? receiver : undefined;
    }
    return undefined;
}

/**
 * The column a bare name inside a `where` filter names: a declared column, or an implied one (key, customer or time
 * column), which the scope resolves to its source under the column's name. Undefined for any other name.
 */
export function filterColumn(reference: NameReference): Extract<MemberTarget, { kind: 'column' }> | undefined {
    const target = reference.target?.ref;
    const name = reference.target?.$refText;
    if (isColumn(target)) return sourceColumn(target.$container, target.name) as Extract<MemberTarget, { kind: 'column' }> | undefined;
    if (!isDataSource(target) || !name) return undefined;
    const isReceiver = isMemberAccess(reference.$container) && reference.$container.receiver === reference;
    if (name === target.name && isReceiver) return undefined;
    const aggregate = enclosingFilter(reference);
    if (name !== target.name || (aggregate && aggregateSource(aggregate) === target)) {
        return sourceColumn(target, name) as Extract<MemberTarget, { kind: 'column' }> | undefined;
    }
    return undefined;
}

/**
 * Whether an expression aggregates events: directly (`count(orders) >= 2`), or, with `throughNames` (the default),
 * through the segments and tiers it names, transitively. Conditions that do are facts about a date (see `timeReference`).
 */
export function containsAggregate(expression: AstNode | undefined, throughNames = true): boolean {
    const seen = new Set<AstNode>();
    const visit = (node: AstNode | undefined): boolean => {
        if (!node || seen.has(node)) return false;
        seen.add(node);
        for (const child of [node, ...AstUtils.streamAst(node)]) {
            if (isAggregate(child)) return true;
            if (!throughNames) continue;
            if (isNameReference(child) && isSegment(child.target?.ref) && visit(child.target.ref.condition)) return true;
            const target = memberTarget(child);
            if (target?.kind === 'tier' && target.tiers.tiers.some(t => visit(t.condition))) return true;
        }
        return false;
    };
    return visit(expression);
}

/**
 * What an aggregate's events (or an attitude score's contacts) are counted up to (the reference date R: events with
 * time < R count; `within N days` keeps those at or after R − N days):
 * - `campaign`: in a campaign's audience, its `limit ... by`, its `uplift by` or a `channel best of ... by`: the
 *   campaign's start (the evaluation date when that is earlier);
 * - `condition`: in a segment or a tier: the start of the campaign whose audience reads it, or the evaluation date in
 *   the report's table of segment sizes;
 * - `attribution`: in a metric: the events in the attribution window (`within` does not apply there).
 */
export type TimeReference =
    | { kind: 'campaign'; campaign: Campaign; start?: string }
    | { kind: 'condition'; declaration: Segment | Tiers }
    | { kind: 'attribution'; metric: Metric };

/** The time reference of an aggregate, or of any node inside a condition, a campaign statement or a metric. */
export function timeReference(node: AstNode): TimeReference | undefined {
    for (let current: AstNode | undefined = node.$container; current; current = current.$container) {
        if (isAudience(current) || isLimit(current) || isUplift(current) || isBestOf(current)) {
            const campaign = AstUtils.getContainerOfType(current, isCampaign);
            return campaign ? { kind: 'campaign', campaign, start: campaignSettings(campaign).runs?.start } : undefined;
        }
        if (isSegment(current)) return { kind: 'condition', declaration: current };
        if (isTier(current)) return { kind: 'condition', declaration: current.$container };
        if (isMetric(current)) return { kind: 'attribution', metric: current };
    }
    return undefined;
}

/**
 * As of when a score is computed: a CLV score as of the end of its model's calibration, wherever it stands
 * (`calibration`); an attitude score from the contacts before its reference date, as an aggregate (see timeReference).
 * Undefined for anything else.
 */
export type ScoreReference =
    | { kind: 'calibration'; clv: Clv; start?: string; end?: string }
    | TimeReference;

export function scoreReference(access: AstNode | undefined): ScoreReference | undefined {
    const target = memberTarget(access);
    if (target?.kind === 'clv') {
        const calibration = clvSettings(target.clv).calibration;
        return { kind: 'calibration', clv: target.clv, start: calibration?.start, end: calibration?.end };
    }
    if (target?.kind === 'attitude' && access) return timeReference(access);
    return undefined;
}

// ------------------------------------------------------------------ tiers

/** One tier of a `tiers` declaration, in order: a customer is in the first tier whose condition holds. */
export interface TierView {
    name: string;
    node: Tier;
    /** The tier's condition; undefined for `otherwise`. */
    condition?: Expression;
    /** `NAME = otherwise`: every customer no tier above takes (the last tier). */
    otherwise: boolean;
}

/** The tiers of a declaration, in order (first match wins). */
export function tiersOf(tiers: Tiers): TierView[] {
    return tiers.tiers.map(tier => ({ name: tier.name, node: tier, condition: tier.otherwise ? undefined : tier.condition, otherwise: tier.otherwise }));
}

/** A database table a source reads: the schema is absent when the text has no dot (the engine's search path). */
export interface TableName {
    schema?: string;
    name: string;
}

/**
 * A table source's text split at the last dot, each part exactly as written (`"my.db.orders"` is schema `my.db`, table
 * `orders`): schemas may hold dots, table names rarely do. Undefined when a part is empty (`".x"`, `"x."`, `""`).
 */
export function tableName(text: string): TableName | undefined {
    const dot = text.lastIndexOf('.');
    const name = text.slice(dot + 1);
    const schema = dot < 0 ? undefined : text.slice(0, dot);
    if (name === '' || schema === '') return undefined;
    return schema === undefined ? { name } : { schema, name };
}

/** Where a source's rows come from, as messages and reports say it: `table "crm.customers"`, or the path as written. */
export function sourceOrigin(source: DataSource): string {
    if (typeof source.path !== 'string') return '?';
    return source.table ? `table ${JSON.stringify(source.path)}` : source.path;
}

/** A named column of a source, declared in its block or implied by `key`, `customer` or `time`. */
export function sourceColumn(source: DataSource, name: string): MemberTarget | undefined {
    const column = source.columns.find(c => c.name === name);
    if (column) return { kind: 'column', source, name, type: column.type as ValueType, column };
    const implied = impliedColumns(source).find(i => i.name === name);
    return implied ? { kind: 'column', source, name, type: implied.type } : undefined;
}

/** The type an expression evaluates to, per customer. `any(...)` is a true/false value (a 0/1 rate when measured). */
export function typeOf(expression: AstNode | undefined, visiting: Set<AstNode> = new Set()): ValueType {
    if (!expression) return 'unknown';
    if (isNumberLiteral(expression)) return 'number';
    if (isStringLiteral(expression)) return 'text';
    if (isDateLiteral(expression)) return 'date';
    if (isBooleanLiteral(expression) || isEveryone(expression)) return 'boolean';
    if (isNotExpression(expression) || isInExpression(expression) || isBetweenExpression(expression)) return 'boolean';
    if (isNegationExpression(expression)) return 'number';
    if (isAggregate(expression)) {
        if (expression.function === 'any') return 'boolean';
        if (expression.function === 'min' || expression.function === 'max') {
            // The smallest or largest date is a date.
            const target = memberTarget(expression.argument);
            if (target?.kind === 'column' && target.type === 'date') return 'date';
        }
        return 'number';
    }
    if (isBinaryExpression(expression)) {
        switch (expression.operator) {
            case '+': case '-': case '*': case '/': return 'number';
            default: return 'boolean';
        }
    }
    if (isMemberAccess(expression)) {
        const target = memberTarget(expression);
        if (!target) return expression.member?.ref ? 'none' : 'unknown';
        if (target.kind === 'tier') return 'boolean';
        // An attitude column without a value is no number (the validator says to name one).
        if (target.kind === 'attitude') return target.value === undefined ? 'none' : 'number';
        return target.kind === 'column' ? target.type : 'number';
    }
    if (isNameReference(expression)) {
        const target = expression.target?.ref;
        if (!target) return 'unknown';
        const column = filterColumn(expression);
        if (column) return column.type;
        if (isSegment(target)) return 'boolean';
        if (isMetric(target)) {
            if (visiting.has(target)) return 'unknown';
            visiting.add(target);
            const t = typeOf(target.definition, visiting);
            visiting.delete(target);
            return t === 'boolean' ? 'boolean' : t;
        }
        return 'none';
    }
    return 'unknown';
}

/** How a metric is computed per customer. */
export type MetricShape =
    | { kind: 'column'; source: DataSource; column: string; type: ValueType }
    | { kind: 'aggregate'; aggregate: AggregateShape }
    | { kind: 'ratio'; numerator: AggregateShape; denominator: AggregateShape }
    | { kind: 'alias'; metric: Metric }
    | { kind: 'invalid' };

export interface AggregateShape {
    function: 'any' | 'count' | 'sum' | 'mean' | 'min' | 'max';
    source: DataSource;
    /** The aggregated column, for sum, mean, min and max. */
    column?: string;
    /**
     * `where CONDITION`: only the events for which it holds count. A condition over the source's own columns, written
     * bare (`category = "music"`, a NameReference whose `filterColumn` is the column) or qualified
     * (`responses.category`, a MemberAccess).
     */
    filter?: Expression;
    /**
     * `within N days`: only the events of the last N days before the reference date R count (time ≥ R − N days, and
     * time < R as always). Conditions only: in a metric the attribution window rules (the validator says so).
     */
    withinDays?: number;
}

export function aggregateShape(expression: Expression | undefined): AggregateShape | undefined {
    if (!isAggregate(expression)) return undefined;
    const fn = expression.function as AggregateShape['function'];
    const argument = expression.argument;
    const extra = {
        ...(expression.filter ? { filter: expression.filter } : {}),
        ...(expression.within !== undefined ? { withinDays: expression.within } : {})
    };
    if (isNameReference(argument)) {
        const source = argument.target?.ref;
        if (isDataSource(source) && (fn === 'any' || fn === 'count')) return { function: fn, source, ...extra };
        return undefined;
    }
    const target = memberTarget(argument);
    if (target?.kind === 'column') {
        if (fn === 'any' || fn === 'count') return { function: fn, source: target.source, ...extra };
        return { function: fn, source: target.source, column: target.name, ...extra };
    }
    return undefined;
}

export function metricShape(metric: Metric): MetricShape {
    const definition = metric.definition;
    const aggregate = aggregateShape(definition);
    if (aggregate) return { kind: 'aggregate', aggregate };
    if (isBinaryExpression(definition) && definition.operator === '/') {
        const numerator = aggregateShape(definition.left);
        const denominator = aggregateShape(definition.right);
        if (numerator && denominator) return { kind: 'ratio', numerator, denominator };
    }
    const target = memberTarget(definition);
    if (target?.kind === 'column' && isCustomersSource(target.source)) {
        return { kind: 'column', source: target.source, column: target.name, type: target.type };
    }
    if (isNameReference(definition) && isMetric(definition.target?.ref)) return { kind: 'alias', metric: definition.target.ref };
    return { kind: 'invalid' };
}

/** The metric's shape with aliases followed (a metric defined as another metric). */
export function resolvedMetricShape(metric: Metric): MetricShape {
    const seen = new Set<Metric>();
    let shape = metricShape(metric);
    while (shape.kind === 'alias' && !seen.has(shape.metric)) {
        seen.add(shape.metric);
        shape = metricShape(shape.metric);
    }
    return shape.kind === 'alias' ? { kind: 'invalid' } : shape;
}

/**
 * Whether a metric can be read as a rate (a share of customers), so that `pp` and targets up to 100% fit it:
 * `any(...)`, a boolean column, a number column (it may hold 0/1, like `visit`), or a mean/min/max of such values.
 */
export function isRateLike(metric: Metric): boolean {
    const shape = resolvedMetricShape(metric);
    switch (shape.kind) {
        case 'column': return shape.type === 'boolean' || shape.type === 'number';
        case 'aggregate': return !['sum', 'count'].includes(shape.aggregate.function);
        default: return false;
    }
}

/** True when the metric is certainly a 0/1 rate (any(...) or a boolean column), so targets above 100% are impossible. */
export function isCertainRate(metric: Metric): boolean {
    const shape = resolvedMetricShape(metric);
    return (shape.kind === 'aggregate' && shape.aggregate.function === 'any') || (shape.kind === 'column' && shape.type === 'boolean');
}

// ------------------------------------------------------------------ plan-level helpers

/** The 1-based line a node starts on, as messages and reports show it. */
export function lineOf(node: AstNode): number {
    return (node.$cstNode?.range.start.line ?? 0) + 1;
}

export function modelOf(node: AstNode): Model {
    let current: AstNode = node;
    while (current.$container) current = current.$container;
    return current as Model;
}

/** All declarations of a file, inside or outside its plan block. */
export function declarationsOf(model: Model) {
    return [...model.declarations, ...model.plans.flatMap(p => p.declarations)];
}

export function campaignSettings(campaign: Campaign) {
    const statements = campaign.statements;
    const first = <T>(type: string) => statements.find(s => s.$type === type) as T | undefined;
    return {
        audience: first<Audience>('Audience'),
        runs: first<Runs>('Runs'),
        control: first<DrawnControl>('DrawnControl'),
        groups: first<RecordedGroups>('RecordedGroups'),
        attribution: first<Attribution>('Attribution'),
        budget: first<Budget>('Budget'),
        value: first<ValueMetric>('ValueMetric'),
        offer: first<Offer>('Offer'),
        /** `fixed cost AMOUNT`: a cost whatever the audience size. */
        fixedCost: first<FixedCost>('FixedCost'),
        /** The campaign's own `margin N%` (see `campaignMargin` for the one that applies). */
        margin: first<Margin>('Margin'),
        /** `limit N [by EXPR]`: the audience capped at the N members with the highest EXPR (see `Limit`). */
        limit: first<Limit>('Limit'),
        /** `uplift by EXPR`: how well a per-customer number ranks who responds to the campaign (see `campaignUplift`). */
        uplift: first<Uplift>('Uplift'),
        /** Campaign-level channel steps (empty when the campaign has arms: see `campaignArms`). */
        steps: statements.filter(s => s.$type === 'ChannelStep') as ChannelStep[],
        /** The declared arms, in order (empty without arms). */
        arms: statements.filter(s => s.$type === 'Arm') as Arm[],
        goals: statements.filter(s => s.$type === 'Goal') as Goal[]
    };
}

// ------------------------------------------------------------------ arms

/**
 * One arm of a campaign as the runner treats it. A campaign without `arm` blocks is one implicit arm named after the
 * campaign, holding the campaign-level steps (share 100%, no label).
 */
export interface ArmView {
    name: string;
    /** The `arm` block; undefined for the implicit arm of a campaign without arms. */
    node?: Arm;
    steps: ChannelStep[];
    /** Percent of the treatment group (drawn groups): as stated, or an equal part when no arm states one. */
    sharePercent: number;
    /** The recorded group label (`label "..."`, or `treatment "..."` for the implicit arm). */
    label?: string;
}

/** The campaign's arms, declared or implicit. Arms' shares are all stated or all equal (the validator sees to it). */
export function campaignArms(campaign: Campaign): ArmView[] {
    const settings = campaignSettings(campaign);
    if (settings.arms.length === 0) {
        return [{ name: campaign.name, steps: settings.steps, sharePercent: 100, label: settings.groups?.treatment }];
    }
    const allShares = settings.arms.every(a => a.share !== undefined);
    return settings.arms.map(arm => ({
        name: arm.name,
        node: arm,
        steps: arm.steps,
        sharePercent: allShares ? arm.share! : 100 / settings.arms.length,
        label: arm.label
    }));
}

/** Every channel step of the campaign, campaign-level and in its arms (for schedules and deadlines). */
export function allSteps(campaign: Campaign): ChannelStep[] {
    const settings = campaignSettings(campaign);
    return [...settings.steps, ...settings.arms.flatMap(a => a.steps)];
}

/**
 * The declared weights of recorded groups, named: `control` and one per arm (in arm order; the implicit arm of a
 * campaign without arms is named after the campaign). 1 each when the plan states no `split`. Undefined when the number
 * of terms does not fit (the error `groups-split`).
 */
export function recordedSplit(campaign: Campaign): { control: number; arms: Array<{ name: string; weight: number }> } | undefined {
    const settings = campaignSettings(campaign);
    const groups = settings.groups;
    if (!groups) return undefined;
    const arms = campaignArms(campaign);
    const weights = groups.weights;
    if (weights.length === 0) return { control: 1, arms: arms.map(a => ({ name: a.name, weight: 1 })) };
    if (weights.length !== arms.length + 1) return undefined;
    // The old form (`treatment "A" control "B" split T:C`) states treatment first; the form with arms, control first.
    if (settings.arms.length === 0) return { control: weights[1], arms: [{ name: arms[0].name, weight: weights[0] }] };
    return { control: weights[0], arms: arms.map((a, i) => ({ name: a.name, weight: weights[i + 1] })) };
}

/** The arms a goal names: `for ARM` and `vs ARM` (both undefined without `for`: one verdict per arm). */
export function goalArms(goal: Goal | GoalTarget): { arm?: Arm; versus?: Arm } {
    const target = isGoal(goal) ? goal.target : goal;
    return { arm: target?.arm?.ref, versus: target?.versus?.ref };
}

/** The margin (percent) that applies to a campaign: its own `margin`, else the plan's; undefined when neither states one. */
export function campaignMargin(campaign: Campaign): number | undefined {
    const own = campaignSettings(campaign).margin;
    if (own) return own.percent;
    const plan = campaign.$container;
    return isPlan(plan) ? plan.settings.find(isMargin)?.percent : undefined;
}

/**
 * What a per-customer metric can be used as in `unless` and in an offer's `cost ... per`: a count per customer
 * (`any`, `count`), or a customers column of the given types. Undefined when it is none of these (with why).
 */
export function perCustomerCountProblem(metric: Metric, columnTypes: ValueType[]): string | undefined {
    const shape = resolvedMetricShape(metric);
    switch (shape.kind) {
        case 'aggregate':
            return shape.aggregate.function === 'any' || shape.aggregate.function === 'count' ? undefined : `a ${shape.aggregate.function} of events`;
        case 'column':
            return columnTypes.includes(shape.type) ? undefined : `a ${shape.type} column`;
        case 'ratio': return 'a ratio of two aggregates';
        default: return undefined;
    }
}

/** The attribution window in days when the campaign states none. */
export const DEFAULT_ATTRIBUTION_DAYS = 30;
/** RFM bins when the model states none. */
export const DEFAULT_RFM_BINS = 5;

export function rfmSettings(rfm: Rfm) {
    return {
        monetary: rfm.settings.find(isRfmMonetary),
        asOf: rfm.settings.find(isRfmAsOf),
        bins: rfm.settings.find(isRfmBins)
    };
}

/**
 * The RFM models a condition reads, directly (`value.r`) or through the segments and tiers it names (transitively).
 * Audiences that read a model without `as of` are scored as of their campaign's start: these are the models that
 * decides. A tier reads the models of every tier of its declaration (first match wins: the tiers above decide too).
 */
export function rfmModelsRead(expression: Expression | undefined): Set<Rfm> {
    return new Set([...modelsRead(expression)].filter(isRfm));
}

/**
 * The RFM, CLV and attitude models whose scores a condition (or a per-customer number) reads, directly or through the
 * segments and tiers it names, transitively, as rfmModelsRead.
 */
export function modelsRead(expression: Expression | undefined): Set<Rfm | Clv | Attitude> {
    const models = new Set<Rfm | Clv | Attitude>();
    const seen = new Set<AstNode>();
    const visit = (node: AstNode | undefined) => {
        if (!node || seen.has(node)) return;
        seen.add(node);
        for (const child of [node, ...AstUtils.streamAst(node)]) {
            const target = memberTarget(child);
            if (target?.kind === 'score') models.add(target.rfm);
            if (target?.kind === 'clv') models.add(target.clv);
            if (target?.kind === 'attitude') models.add(target.attitude);
            if (target?.kind === 'tier') for (const tier of target.tiers.tiers) visit(tier.condition);
            if (isNameReference(child) && isSegment(child.target?.ref)) visit(child.target.ref.condition);
        }
    };
    visit(expression);
    return models;
}

// ------------------------------------------------------------------ customer value (CLV)

/** The CLV models mplan knows: BG/NBD (the default) and Pareto/NBD for the purchases. */
export const CLV_MODELS = ['bgnbd', 'paretonbd'] as const;
export type ClvModelName = typeof CLV_MODELS[number];
export const DEFAULT_CLV_MODEL: ClvModelName = 'bgnbd';
/** The readable names of the models, for hover and reports. */
export const CLV_MODEL_LABELS: Record<ClvModelName, string> = { bgnbd: 'BG/NBD', paretonbd: 'Pareto/NBD' };

/** The time units of a CLV's `period`; `week` by default. */
export const CLV_PERIODS = ['day', 'week', 'month'] as const;
export type ClvPeriodUnit = typeof CLV_PERIODS[number];
export const DEFAULT_CLV_PERIOD: ClvPeriodUnit = 'week';
/** Days per unit: a month is the average month of the Gregorian calendar, 365.25 / 12 = 30.4375 days. */
export const DAYS_PER_UNIT: Record<ClvPeriodUnit, number> = { day: 1, week: 7, month: 365.25 / 12 };
/** Days in the year that `discount N% per year` refers to. */
export const DAYS_PER_YEAR = 365.25;

/** A horizon's unit, singular or plural (`horizon 52 weeks`, `horizon 1 month`), as the period unit it counts. */
export function horizonUnit(unit: string | undefined): ClvPeriodUnit | undefined {
    const singular = unit?.endsWith('s') ? unit.slice(0, -1) : unit;
    return (CLV_PERIODS as readonly string[]).includes(singular ?? '') ? singular as ClvPeriodUnit : undefined;
}

/**
 * A CLV model's settings as the runner uses them, defaults applied:
 * - `model`: `bgnbd` (default) or `paretonbd`, the model of the purchase process; spend per purchase is Gamma-Gamma.
 * - `monetary`: the number column of the events holding the spend of each purchase; without it there are no `spend`
 *   and `clv` scores (the validator's clv-monetary-missing).
 * - `period`: the models' time unit (`week` by default), `periodDays` days long (day 1, week 7, month 30.4375): the fit
 *   counts recency, the customer's age and the horizon in periods.
 * - `calibration`: the purchases of the days `startDay` to `endDay` (days since 1970-01-01, both included) fit the
 *   model; every score is as of the calibration's end (a customer's age T and recency are counted to `endDay`), whatever
 *   the campaign or the evaluation date.
 * - `horizon`: the span after the calibration's end that `purchases` and `clv` look ahead, `days` long (days 1, weeks
 *   7, months 30.4375 days each), `periods` periods.
 * - `discountPerYear`: the yearly discount rate as a fraction (10% → 0.10; 0 by default); `discountPerPeriod` the same
 *   rate per period, (1 + yearly)^(periodDays / 365) − 1 (as the issue fixes it). Value expected in period k of the horizon (k = 1, 2, ...)
 *   is divided by (1 + discountPerPeriod)^k: discounted to the end of calibration.
 * - `margin`: the share of spend that is profit, as a fraction: the model's own `margin N%`, else the plan's `margin`,
 *   else 1 (100%).
 * Values of settings the validator rejects fall back to their defaults (a valid plan never has them).
 */
export interface ClvSettings {
    model: ClvModelName;
    monetary?: string;
    period: ClvPeriodUnit;
    periodDays: number;
    calibration?: { start: string; end: string; startDay: number; endDay: number };
    horizon?: { count: number; unit: ClvPeriodUnit; days: number; periods: number };
    discountPerYear: number;
    discountPerPeriod: number;
    margin: number;
    /** Where the margin comes from. */
    marginFrom: 'clv' | 'plan' | 'default';
    /** The settings as written (the first of each kind). */
    nodes: {
        model?: ClvModel; monetary?: ClvMonetary; period?: ClvPeriod; calibration?: ClvCalibration; horizon?: ClvHorizon;
        discount?: ClvDiscount; margin?: ClvMargin;
    };
}

export function clvSettings(clv: Clv): ClvSettings {
    const first = <T>(type: string) => clv.settings.find(s => s.$type === type) as T | undefined;
    const nodes: ClvSettings['nodes'] = {
        model: first<ClvModel>('ClvModel'), monetary: first<ClvMonetary>('ClvMonetary'), period: first<ClvPeriod>('ClvPeriod'),
        calibration: first<ClvCalibration>('ClvCalibration'), horizon: first<ClvHorizon>('ClvHorizon'), discount: first<ClvDiscount>('ClvDiscount'),
        margin: first<ClvMargin>('ClvMargin')
    };
    const model = (CLV_MODELS as readonly string[]).includes(nodes.model?.model ?? '') ? nodes.model!.model as ClvModelName : DEFAULT_CLV_MODEL;
    const period = (CLV_PERIODS as readonly string[]).includes(nodes.period?.unit ?? '') ? nodes.period!.unit as ClvPeriodUnit : DEFAULT_CLV_PERIOD;
    const periodDays = DAYS_PER_UNIT[period];
    const startDay = parseDate(nodes.calibration?.start);
    const endDay = parseDate(nodes.calibration?.end);
    const calibration = nodes.calibration && startDay !== undefined && endDay !== undefined
        ? { start: nodes.calibration.start, end: nodes.calibration.end, startDay, endDay }
        : undefined;
    const unit = horizonUnit(nodes.horizon?.unit);
    const horizon = nodes.horizon && unit
        ? { count: nodes.horizon.count, unit, days: nodes.horizon.count * DAYS_PER_UNIT[unit], periods: nodes.horizon.count * DAYS_PER_UNIT[unit] / periodDays }
        : undefined;
    const discountPerYear = nodes.discount && nodes.discount.percent >= 0 ? nodes.discount.percent / 100 : 0;
    const plan = clv.$container;
    const planMargin = isPlan(plan) ? plan.settings.find(isMargin)?.percent : undefined;
    const [margin, marginFrom] = nodes.margin ? [nodes.margin.percent / 100, 'clv' as const]
        : planMargin !== undefined ? [planMargin / 100, 'plan' as const] : [1, 'default' as const];
    return {
        model,
        monetary: nodes.monetary?.column?.$refText,
        period,
        periodDays,
        calibration,
        horizon,
        discountPerYear,
        // As the issue fixes it: (1 + d)^(days per period / 365) − 1 (the numerics' perPeriodDiscountRate).
        discountPerPeriod: Math.expm1((periodDays / 365) * Math.log1p(discountPerYear)),
        margin,
        marginFrom,
        nodes
    };
}

// ------------------------------------------------------------------ attitude

/** An attitude's `prior` when it states none: the pull of 5 contacts' worth of the population's rate. */
export const DEFAULT_ATTITUDE_PRIOR = 5;

/**
 * An attitude model's settings as the runner uses them:
 * - `source`: the events source of past contacts (one row per contact, with its time);
 * - `response`: its boolean column that marks a response;
 * - `by`: its text columns; each customer gets one score per value of each (`prefs.channel("sms")`);
 * - `halfLifeDays`: a contact this many days older than the reference date weighs half as much (weight
 *   0.5^(age in days / half life)); undefined: every contact weighs the same;
 * - `prior`: the strength, in contacts, of the pull toward the population's rate for the value (5 by default).
 * A score is 100 × (weighted responses + prior × population rate) / (weighted contacts + prior), over the contacts
 * before the reference date (see timeReference): a customer never contacted with a value gets the population's rate.
 */
export interface AttitudeSettings {
    source?: DataSource;
    response?: string;
    by: string[];
    halfLifeDays?: number;
    prior: number;
    nodes: { response?: AttitudeResponse; by?: AttitudeBy; halfLife?: AttitudeHalfLife; prior?: AttitudePrior };
}

export function attitudeSettings(attitude: Attitude): AttitudeSettings {
    const first = <T>(type: string) => attitude.settings.find(s => s.$type === type) as T | undefined;
    const nodes: AttitudeSettings['nodes'] = {
        response: first<AttitudeResponse>('AttitudeResponse'), by: first<AttitudeBy>('AttitudeBy'),
        halfLife: first<AttitudeHalfLife>('AttitudeHalfLife'), prior: first<AttitudePrior>('AttitudePrior')
    };
    const source = attitude.events?.ref;
    return {
        source: isDataSource(source) ? source : undefined,
        response: nodes.response?.column?.$refText,
        by: nodes.by ? [...new Set(nodes.by.columns.map(c => c.$refText).filter(n => n.length > 0))] : [],
        halfLifeDays: nodes.halfLife?.days,
        prior: nodes.prior?.contacts ?? DEFAULT_ATTITUDE_PRIOR,
        nodes
    };
}

// ------------------------------------------------------------------ best of, uplift

/**
 * A `channel best of [A, B, ...] by ATTITUDE.COLUMN` step: each treatment customer is contacted once, through the listed
 * channel whose name has the highest score `ATTITUDE.COLUMN("A")` (scored before the campaign's start, as its
 * audience); ties go to the channel listed first. `channels` are the resolved channels in the order listed; `attitude`
 * and `column` are undefined when `by` is not an attitude column (the validator's best-of-by).
 */
export interface BestOfView {
    node: BestOf;
    channels: Channel[];
    by?: Expression;
    attitude?: Attitude;
    column?: string;
}

export function bestOf(step: ChannelStep): BestOfView | undefined {
    const node = step.bestOf;
    if (!node) return undefined;
    const channels = node.channels.map(c => c.ref).filter(isChannel);
    const target = memberTarget(node.by);
    return target?.kind === 'attitude' && target.value === undefined
        ? { node, channels, by: node.by, attitude: target.attitude, column: target.column }
        : { node, channels, by: node.by };
}

/**
 * A campaign's `uplift by EXPR`: the per-customer number (computed before the campaign's start, like a `limit ... by`)
 * by which the runner ranks the campaign's customers to show how well it finds those who respond because of the
 * campaign. Undefined without `uplift`.
 */
export function campaignUplift(campaign: Campaign): Expression | undefined {
    return campaignSettings(campaign).uplift?.by;
}

// ------------------------------------------------------------------ dates

/** Parses an ISO date (YYYY-MM-DD) to days since 1970-01-01, or undefined when the calendar has no such day. */
export function parseDate(text: string | undefined): number | undefined {
    if (!text) return undefined;
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) return undefined;
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const time = Date.UTC(y, m - 1, d);
    const date = new Date(time);
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
    return Math.round(time / 86_400_000);
}

/** The largest day count JavaScript dates can hold (±100,000,000 days around 1970). */
const MAX_DATE_DAYS = 100_000_000;

export function formatDate(days: number): string {
    if (!Number.isFinite(days) || Math.abs(days) > MAX_DATE_DAYS) return 'a date beyond the calendar';
    const text = new Date(Math.round(days) * 86_400_000).toISOString();
    return /^\d{4}-/.test(text) ? text.slice(0, 10) : 'a date beyond year 9999';
}
