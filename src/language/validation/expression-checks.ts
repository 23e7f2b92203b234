// Type checks for the one expression language: conditions (segments, tiers, audiences, a `limit`'s ranking) and
// metrics (outcomes). Aggregates may stand in both; inside an aggregate's `where` only the aggregated events' own
// columns may be named (checkFilter).
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type { Aggregate, Expression, Metric, NameReference, Segment, Tiers } from '../generated/ast.js';
import {
    isAggregate, isAttitude, isBetweenExpression, isBinaryExpression, isChannel, isClv, isCustomersSource, isDataSource, isDateLiteral,
    isEventsSource, isInExpression, isMemberAccess, isMetric, isNameReference, isNegationExpression, isNotExpression, isRfm, isSegment, isTiers
} from '../generated/ast.js';
import { CLV_SCORES } from '../mplan-scope.js';
import { aggregateSource, filterColumn, memberTarget, metricShape, parseDate, typeOf, type ValueType } from '../semantics.js';
import type { Report } from './report.js';
import { checkScore, checkScoreScale } from './value-checks.js';

type Context = 'condition' | 'metric';

const ORDERED: ValueType[] = ['number', 'date'];

/** Checks a segment's or audience's condition. */
export function checkCondition(condition: Expression | undefined, report: Report): void {
    if (!condition) return;
    checkExpressionTree(condition, 'condition', report);
    const type = typeOf(condition);
    if (type !== 'boolean' && type !== 'unknown') {
        report('error', 'not-a-condition', `This must be a true/false condition, but it is a ${describeType(type)}.`, { node: condition });
    }
}

/** Checks a per-customer number that is computed from what a condition may read (a `limit`'s `by`): names and types. */
export function checkConditionValue(expression: Expression | undefined, report: Report): void {
    if (expression) checkExpressionTree(expression, 'condition', report);
}

export function checkSegment(segment: Segment, report: Report): void {
    checkCondition(segment.condition, report);
    reportConditionCycle(segment, report);
}

/** A segment or tiers declaration that depends on itself, through the segments and tiers its conditions name. */
export function reportConditionCycle(declaration: Segment | Tiers, report: Report): void {
    const cycle = findCycle<Segment | Tiers>(declaration, conditionDependencies);
    if (cycle) {
        const what = isSegment(declaration) ? 'Segment' : 'Tiers';
        report('error', 'segment-cycle', `${what} '${declaration.name}' depends on itself: ${cycle.map(s => s.name).join(' → ')}.`, { node: declaration, property: 'name' });
    }
}

/** The segments and tiers declarations a segment's or tiers declaration's conditions name directly. */
function conditionDependencies(node: AstNode): AstNode[] {
    const conditions = isSegment(node) ? [node.condition] : isTiers(node) ? node.tiers.map(t => t.condition) : [];
    const found: AstNode[] = [];
    for (const condition of conditions) {
        if (!condition) continue;
        for (const n of AstUtils.streamAst(condition)) {
            const target = isNameReference(n) ? n.target?.ref : undefined;
            if (isSegment(target) || isTiers(target)) found.push(target);
        }
    }
    return found;
}

export function checkMetric(metric: Metric, report: Report): void {
    if (!metric.definition) return;
    checkExpressionTree(metric.definition, 'metric', report);
    const cycle = findCycle(metric, node => (isMetric(node) ? referencedNames(node.definition).filter(isMetric) : []));
    if (cycle) {
        report('error', 'segment-cycle', `Metric '${metric.name}' depends on itself: ${cycle.map(m => m.name).join(' → ')}.`, { node: metric, property: 'name' });
        return;
    }
    const hasErrors = AstUtils.streamAst(metric.definition).some(n => isNameReference(n) ? !n.target?.ref : isMemberAccess(n) ? !n.member?.ref : false);
    if (!hasErrors && metricShape(metric).kind === 'invalid') {
        report('error', 'metric-form', `Metric '${metric.name}' must be a column of a customers source (people.spend), an aggregate over events (any(orders), count(orders), sum(orders.amount), mean, min, max), or a quotient of two aggregates.`, { node: metric, property: 'definition' });
    }
}

function checkExpressionTree(root: Expression, context: Context, report: Report): void {
    for (const node of AstUtils.streamAst(root)) {
        // A filter is checked with its aggregate (checkFilter): it names the events' columns, not customers' values.
        if (insideFilter(node, root)) continue;
        if (isBinaryExpression(node) || isBetweenExpression(node)) checkScoreScale(node, report);
        if (checkOperators(node, report)) continue;
        if (isAggregate(node)) checkAggregate(node, context, report);
        else if (isNameReference(node)) checkNameReference(node, context, report);
        else if (isMemberAccess(node)) checkMemberAccess(node, context, report);
    }
}

/** Type checks of operators and literals, the same everywhere; true when `node` is one of those. */
function checkOperators(node: AstNode, report: Report): boolean {
    if (isBinaryExpression(node)) checkBinary(node, report);
    else if (isNotExpression(node)) expectType(node.operand, 'boolean', 'not', report);
    else if (isNegationExpression(node)) expectType(node.operand, 'number', '-', report);
    else if (isInExpression(node)) checkIn(node, report);
    else if (isBetweenExpression(node)) checkBetween(node, report);
    else if (isDateLiteral(node)) {
        if (parseDate(node.value) === undefined) report('error', 'invalid-date', `${node.value} is not a date in the calendar.`, { node });
    } else return false;
    return true;
}

/** Whether `node` lies in the `where` filter of an aggregate inside `root` (`root` itself may not be that aggregate's filter). */
function insideFilter(node: AstNode, root: AstNode): boolean {
    let child = node;
    for (let current = node.$container; current && child !== root; child = current, current = current.$container) {
        if (isAggregate(current) && current.filter === child) return true;
    }
    return false;
}

function checkBinary(node: import('../generated/ast.js').BinaryExpression, report: Report): void {
    const left = typeOf(node.left);
    const right = typeOf(node.right);
    if (left === 'unknown' || right === 'unknown' || left === 'none' || right === 'none') return;
    switch (node.operator) {
        case 'and':
        case 'or':
            expectType(node.left, 'boolean', node.operator, report);
            expectType(node.right, 'boolean', node.operator, report);
            return;
        case '+': case '-': case '*': case '/':
            expectType(node.left, 'number', node.operator, report);
            expectType(node.right, 'number', node.operator, report);
            return;
        default:
            if (left !== right) {
                report('error', 'type-mismatch', `Cannot compare a ${describeType(left)} with a ${describeType(right)}.`, { node });
            } else if (node.operator !== '=' && node.operator !== '!=' && !ORDERED.includes(left)) {
                report('error', 'type-mismatch', `A ${describeType(left)} can only be compared with = and !=, not ${node.operator}.`, { node, property: 'operator' });
            }
    }
}

function checkIn(node: import('../generated/ast.js').InExpression, report: Report): void {
    const operand = typeOf(node.operand);
    if (operand === 'unknown' || operand === 'none') return;
    for (const value of node.values) {
        const type = typeOf(value);
        if (type !== operand && type !== 'unknown') {
            report('error', 'type-mismatch', `The list holds a ${describeType(type)}, but the value tested is a ${describeType(operand)}.`, { node: value });
        }
    }
}

function checkBetween(node: import('../generated/ast.js').BetweenExpression, report: Report): void {
    const operand = typeOf(node.operand);
    if (operand === 'unknown' || operand === 'none') return;
    if (!ORDERED.includes(operand)) {
        report('error', 'type-mismatch', `'between' needs numbers or dates, not a ${describeType(operand)}.`, { node });
        return;
    }
    for (const bound of [node.low, node.high]) {
        const type = typeOf(bound);
        if (type !== operand && type !== 'unknown') {
            report('error', 'type-mismatch', `Cannot compare a ${describeType(operand)} with a ${describeType(type)}.`, { node: bound });
        }
    }
}

function checkAggregate(node: Aggregate, context: Context, report: Report): void {
    checkArgument(node, report);
    if (node.within !== undefined) {
        if (context === 'metric') {
            report('error', 'window-in-metric', `A metric counts the events in each campaign's attribution window, so \`within ${node.within} days\` does not apply here: remove it (set the window with \`attribution N days\` in the campaign).`, { node, property: 'within' });
        } else if (!Number.isInteger(node.within) || node.within < 1) {
            report('error', 'aggregate-window', `\`within\` keeps the last N days before the reference date; N is a whole number of days, at least 1, not ${node.within}.`, { node, property: 'within' });
        }
    }
    if (node.filter) checkFilter(node, node.filter, report);
}

/**
 * A `where` filter: a true/false condition on the columns of the aggregated events, bare (`category = "music"`) or
 * qualified (`responses.category`). Anything else it names is the error aggregate-filter.
 */
function checkFilter(aggregate: Aggregate, filter: Expression, report: Report): void {
    const source = aggregateSource(aggregate);
    // An argument that is no events source is the error aggregate-argument already.
    if (!isEventsSource(source)) return;
    const own = `the columns of '${source.name}'`;
    const reject = (node: AstNode, what: string) => {
        report('error', 'aggregate-filter', `\`where\` keeps the ${source.name} events whose own columns meet a condition; ${what}. Name ${own} (as in ${example(source)}), and combine other conditions outside the aggregate.`, { node });
    };
    for (const node of AstUtils.streamAst(filter)) {
        if (insideAggregateWithin(node, filter)) continue;
        if (checkOperators(node, report)) continue;
        if (isAggregate(node)) {
            reject(node, `an aggregate (${node.function}(...)) cannot stand in it`);
        } else if (isMemberAccess(node) && node.argument !== undefined) {
            // `orders.sku("x")`: a value in parentheses belongs to attitude scores, which the filter rejects by their name.
            const target = memberTarget(node);
            if (target && target.kind !== 'attitude') checkScore(node, target, report);
        } else if (isNameReference(node)) {
            const target = node.target?.ref;
            if (!target || filterColumn(node)) continue;
            const container = node.$container;
            const receiverOf = isMemberAccess(container) && container.receiver === node ? container : undefined;
            if (receiverOf && target === source) continue;
            const written = receiverOf ? `${node.target.$refText}.${receiverOf.member?.$refText ?? ''}` : node.target.$refText;
            reject(receiverOf ?? node, `'${written}' is ${describeTarget(target, Boolean(receiverOf))}`);
        }
    }
    const type = typeOf(filter);
    // A name that is not a value (a bare source) is aggregate-filter's error already.
    if (type !== 'boolean' && type !== 'unknown' && type !== 'none') {
        report('error', 'not-a-condition', `A \`where\` filter must be a true/false condition on ${own}, but it is a ${describeType(type)}.`, { node: filter });
    }
}

/** Whether `node` lies inside an aggregate nested in `root` (the aggregate itself is reported, not its insides). */
function insideAggregateWithin(node: AstNode, root: AstNode): boolean {
    let child = node;
    for (let current = node.$container; current && child !== root; child = current, current = current.$container) {
        if (isAggregate(current)) return true;
    }
    return false;
}

function describeTarget(target: AstNode, qualified: boolean): string {
    if (isDataSource(target)) return qualified ? `a column of another source, '${target.name}'` : `a data source, not one of its columns`;
    if (isRfm(target)) return 'an RFM score, a fact about the customer rather than about each event';
    if (isClv(target)) return 'a CLV score, a fact about the customer rather than about each event';
    if (isAttitude(target)) return 'an attitude score, a fact about the customer rather than about each event';
    if (isTiers(target)) return 'a tier, a fact about the customer rather than about each event';
    if (isSegment(target)) return 'a segment, a fact about the customer rather than about each event';
    if (isMetric(target)) return 'a metric';
    if (isChannel(target)) return 'a channel';
    return 'not a column of these events';
}

function example(source: import('../generated/ast.js').DataSource): string {
    const column = source.columns.find(c => c.type === 'text') ?? source.columns[0];
    if (!column) return `${source.name}.COLUMN`;
    return column.type === 'text' ? `${column.name} = "..."` : column.type === 'number' ? `${column.name} > 0` : `${source.name}.${column.name}`;
}

function checkArgument(node: Aggregate, report: Report): void {
    const argument = node.argument;
    if (isNameReference(argument)) {
        const target = argument.target?.ref;
        if (!target) return;
        if (node.function === 'any' || node.function === 'count') {
            if (!isEventsSource(target)) {
                report('error', 'aggregate-argument', `${node.function}(...) counts the events of an events source; '${argument.target.$refText}' is not one.`, { node: argument });
            }
        } else {
            report('error', 'aggregate-argument', `${node.function}(...) needs a number column of an events source, such as ${node.function}(orders.amount).`, { node: argument });
        }
        return;
    }
    const target = memberTarget(argument);
    if (!target) {
        if (argument && !AstUtils.streamAst(argument).some(n => isMemberAccess(n) && !n.member?.ref)) {
            report('error', 'aggregate-argument', `${node.function}(...) takes an events source or one of its columns.`, { node: argument });
        }
        return;
    }
    if (target.kind !== 'column' || !isEventsSource(target.source)) {
        report('error', 'aggregate-argument', `${node.function}(...) aggregates the events of an events source; this is not a column of one.`, { node: argument! });
        return;
    }
    if ((node.function === 'sum' || node.function === 'mean') && target.type !== 'number') {
        report('error', 'aggregate-argument', `${node.function}(...) needs a number column; '${target.name}' is ${target.type}.`, { node: argument! });
    } else if ((node.function === 'min' || node.function === 'max') && target.type !== 'number' && target.type !== 'date') {
        report('error', 'aggregate-argument', `${node.function}(...) needs a number or date column; '${target.name}' is ${target.type}.`, { node: argument! });
    }
}

function checkNameReference(node: NameReference, context: Context, report: Report): void {
    const target = node.target?.ref;
    if (!target) return;
    const container = node.$container;
    const isReceiver = isMemberAccess(container) && container.receiver === node;
    const isAggregated = isAggregate(container) && container.argument === node;
    if (isChannel(target)) {
        report('error', 'not-a-value', `'${target.name}' is a channel, not a value.`, { node });
    } else if (isRfm(target) && !isReceiver) {
        report('error', 'not-a-value', `'${target.name}' is an RFM model; use one of its scores: ${target.name}.r, ${target.name}.f or ${target.name}.m.`, { node });
    } else if (isClv(target) && !isReceiver) {
        report('error', 'not-a-value', `'${target.name}' is a CLV model; use one of its scores: ${CLV_SCORES.map(s => `${target.name}.${s}`).join(', ')}.`, { node });
    } else if (isAttitude(target) && !isReceiver) {
        report('error', 'not-a-value', `'${target.name}' is an attitude; use one of its scores, such as ${target.name}.COLUMN("value").`, { node });
    } else if (isDataSource(target) && !isReceiver && !isAggregated) {
        report('error', 'not-a-value', `'${target.name}' is a data source; name one of its columns, such as ${target.name}.${target.columns[0]?.name ?? 'column'}.`, { node });
    } else if (isTiers(target) && !isReceiver) {
        const first = target.tiers[0]?.name ?? 'TIER';
        report('error', 'not-a-value', `'${target.name}' is a tiers declaration; name one of its tiers, such as ${target.name}.${first}.`, { node });
    } else if (isMetric(target) && context === 'condition') {
        const definition = target.definition?.$cstNode?.text;
        const instead = definition && isAggregate(target.definition) ? ` To select on past events, write the aggregate itself (${definition}), counted before the reference date.` : '';
        report('error', 'not-a-value', `'${target.name}' is a metric (an outcome measured after contact); segments and audiences select on customer columns, RFM scores, aggregates over past events, segments and tiers.${instead}`, { node });
    } else if (isSegment(target) && context === 'metric') {
        report('error', 'not-a-value', `'${target.name}' is a segment; a metric measures an outcome (a column or an aggregate over events).`, { node });
    }
}

function checkMemberAccess(node: import('../generated/ast.js').MemberAccess, context: Context, report: Report): void {
    if (!node.member?.ref) return;
    const target = memberTarget(node);
    if (!target) {
        report('error', 'not-a-value', 'Only a data source, an RFM, CLV or attitude model, or a tiers declaration has members after a dot.', { node });
        return;
    }
    if (checkScore(node, target, report)) return;
    if (target.kind === 'tier') {
        if (context === 'metric') {
            report('error', 'not-a-value', `'${target.tiers.name}.${target.tier.name}' is a tier (a group of customers, like a segment); a metric measures an outcome (a column or an aggregate over events).`, { node });
        }
        return;
    }
    if (target.kind === 'column' && isEventsSource(target.source)) {
        const aggregated = isAggregate(node.$container) && node.$container.argument === node;
        if (!aggregated) {
            report('error', 'events-outside-aggregate', `'${target.source.name}' holds many events per customer; aggregate its column, as in sum(${target.source.name}.${target.name}) or max(${target.source.name}.${target.name}).`, { node });
        }
    } else if (target.kind === 'column' && !isCustomersSource(target.source)) {
        report('error', 'not-a-value', `'${target.name}' is not a customer column.`, { node });
    }
}

function expectType(node: Expression | undefined, expected: ValueType, operator: string, report: Report): void {
    const type = typeOf(node);
    if (node && type !== expected && type !== 'unknown' && type !== 'none') {
        report('error', 'type-mismatch', `'${operator}' needs a ${describeType(expected)}, but this is a ${describeType(type)}.`, { node });
    }
}

function describeType(type: ValueType): string {
    switch (type) {
        case 'boolean': return 'true/false value';
        case 'none': return 'name that is not a value';
        case 'unknown': return 'value of unknown type';
        default: return type;
    }
}

/** The declarations an expression names directly. */
function referencedNames(expression: Expression | undefined): AstNode[] {
    if (!expression) return [];
    return AstUtils.streamAst(expression).filter(isNameReference).map(r => r.target?.ref).nonNullable().toArray();
}

/** A path from `start` back to itself along `next`, if any. */
function findCycle<T extends AstNode & { name: string }>(start: T, next: (node: AstNode) => AstNode[]): T[] | undefined {
    const path: T[] = [start];
    const visited = new Set<AstNode>();
    const visit = (node: AstNode): boolean => {
        for (const successor of next(node)) {
            if (successor === start) {
                path.push(start);
                return true;
            }
            if (visited.has(successor)) continue;
            visited.add(successor);
            path.push(successor as T);
            if (visit(successor)) return true;
            path.pop();
        }
        return false;
    };
    return visit(start) ? path : undefined;
}
