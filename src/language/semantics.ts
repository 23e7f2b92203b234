// What plan expressions mean: their types, which source a column belongs to, and the shape of each metric.
// The validator, the editor features and the runner all read the plan through these functions.
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type { Attribution, Audience, Budget, Campaign, ChannelStep, Column, DataSource, DrawnControl, Expression, Goal, Metric, Model, Offer, RecordedGroups, Rfm, Runs, ValueMetric } from './generated/ast.js';
import {
    isAggregate, isBetweenExpression, isBinaryExpression, isBooleanLiteral, isCustomersSource, isDataSource, isDateLiteral,
    isEveryone, isInExpression, isMemberAccess, isMetric, isNameReference, isNegationExpression, isNotExpression,
    isNumberLiteral, isRfm, isRfmAsOf, isRfmBins, isRfmMonetary, isSegment, isStringLiteral
} from './generated/ast.js';
import { impliedColumns, resolveReceiver } from './mplan-scope.js';

/** Value types of expressions. `none` is a name that is not a value (a channel, a bare source); `unknown` follows an error. */
export type ValueType = 'number' | 'text' | 'date' | 'boolean' | 'none' | 'unknown';

/** The column (declared or implied) or RFM score that a member access names. */
export type MemberTarget =
    | { kind: 'column'; source: DataSource; name: string; type: ValueType; column?: Column }
    | { kind: 'score'; rfm: Rfm; score: 'r' | 'f' | 'm' };

export function memberTarget(expression: AstNode | undefined): MemberTarget | undefined {
    if (!isMemberAccess(expression)) return undefined;
    const receiver = resolveReceiver(expression.receiver);
    const name = expression.member?.$refText;
    if (!receiver || !name) return undefined;
    if (isRfm(receiver)) {
        return name === 'r' || name === 'f' || name === 'm' ? { kind: 'score', rfm: receiver, score: name } : undefined;
    }
    return sourceColumn(receiver, name);
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
    if (isAggregate(expression)) return expression.function === 'any' ? 'boolean' : 'number';
    if (isBinaryExpression(expression)) {
        switch (expression.operator) {
            case '+': case '-': case '*': case '/': return 'number';
            default: return 'boolean';
        }
    }
    if (isMemberAccess(expression)) {
        const target = memberTarget(expression);
        if (!target) return expression.member?.ref ? 'none' : 'unknown';
        return target.kind === 'score' ? 'number' : target.type;
    }
    if (isNameReference(expression)) {
        const target = expression.target?.ref;
        if (!target) return 'unknown';
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
}

export function aggregateShape(expression: Expression | undefined): AggregateShape | undefined {
    if (!isAggregate(expression)) return undefined;
    const fn = expression.function as AggregateShape['function'];
    const argument = expression.argument;
    if (isNameReference(argument)) {
        const source = argument.target?.ref;
        if (isDataSource(source) && (fn === 'any' || fn === 'count')) return { function: fn, source };
        return undefined;
    }
    const target = memberTarget(argument);
    if (target?.kind === 'column') {
        if (fn === 'any' || fn === 'count') return { function: fn, source: target.source };
        return { function: fn, source: target.source, column: target.name };
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
        steps: statements.filter(s => s.$type === 'ChannelStep') as ChannelStep[],
        goals: statements.filter(s => s.$type === 'Goal') as Goal[]
    };
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
 * The RFM models a condition reads, directly (`value.r`) or through the segments it names (transitively). Audiences
 * that read a model without `as of` are scored as of their campaign's start: these are the models that decides.
 */
export function rfmModelsRead(expression: Expression | undefined): Set<Rfm> {
    const models = new Set<Rfm>();
    const seen = new Set<AstNode>();
    const visit = (node: AstNode | undefined) => {
        if (!node || seen.has(node)) return;
        seen.add(node);
        for (const child of [node, ...AstUtils.streamAst(node)]) {
            const target = memberTarget(child);
            if (target?.kind === 'score') models.add(target.rfm);
            if (isNameReference(child) && isSegment(child.target?.ref)) visit(child.target.ref.condition);
        }
    };
    visit(expression);
    return models;
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
