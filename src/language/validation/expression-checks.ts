// Type checks for the one expression language: conditions (segments, audiences) and metrics (outcomes).
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type { Expression, Metric, Segment } from '../generated/ast.js';
import {
    isAggregate, isBetweenExpression, isBinaryExpression, isChannel, isCustomersSource, isDataSource, isDateLiteral, isEventsSource,
    isInExpression, isMemberAccess, isMetric, isNameReference, isNegationExpression, isNotExpression, isRfm, isSegment
} from '../generated/ast.js';
import { memberTarget, metricShape, parseDate, typeOf, type ValueType } from '../semantics.js';
import type { Report } from './report.js';

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

export function checkSegment(segment: Segment, report: Report): void {
    checkCondition(segment.condition, report);
    const cycle = findCycle(segment, node => (isSegment(node) ? referencedNames(node.condition).filter(isSegment) : []));
    if (cycle) {
        report('error', 'segment-cycle', `Segment '${segment.name}' depends on itself: ${cycle.map(s => s.name).join(' → ')}.`, { node: segment, property: 'name' });
    }
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
        if (isBinaryExpression(node)) checkBinary(node, report);
        else if (isNotExpression(node)) expectType(node.operand, 'boolean', 'not', report);
        else if (isNegationExpression(node)) expectType(node.operand, 'number', '-', report);
        else if (isInExpression(node)) checkIn(node, report);
        else if (isBetweenExpression(node)) checkBetween(node, report);
        else if (isAggregate(node)) checkAggregate(node, context, report);
        else if (isNameReference(node)) checkNameReference(node, context, report);
        else if (isMemberAccess(node)) checkMemberAccess(node, report);
        else if (isDateLiteral(node) && parseDate(node.value) === undefined) {
            report('error', 'invalid-date', `${node.value} is not a date in the calendar.`, { node });
        }
    }
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

function checkAggregate(node: import('../generated/ast.js').Aggregate, context: Context, report: Report): void {
    if (context === 'condition') {
        report('error', 'aggregate-in-condition', `${node.function}(...) aggregates events after contact; segments and audiences select on customer columns, RFM scores and other segments.`, { node });
        return;
    }
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

function checkNameReference(node: import('../generated/ast.js').NameReference, context: Context, report: Report): void {
    const target = node.target?.ref;
    if (!target) return;
    const container = node.$container;
    const isReceiver = isMemberAccess(container) && container.receiver === node;
    const isAggregated = isAggregate(container) && container.argument === node;
    if (isChannel(target)) {
        report('error', 'not-a-value', `'${target.name}' is a channel, not a value.`, { node });
    } else if (isRfm(target) && !isReceiver) {
        report('error', 'not-a-value', `'${target.name}' is an RFM model; use one of its scores: ${target.name}.r, ${target.name}.f or ${target.name}.m.`, { node });
    } else if (isDataSource(target) && !isReceiver && !isAggregated) {
        report('error', 'not-a-value', `'${target.name}' is a data source; name one of its columns, such as ${target.name}.${target.columns[0]?.name ?? 'column'}.`, { node });
    } else if (isMetric(target) && context === 'condition') {
        report('error', 'not-a-value', `'${target.name}' is a metric (an outcome measured after contact); segments and audiences select on customer columns, RFM scores and segments.`, { node });
    } else if (isSegment(target) && context === 'metric') {
        report('error', 'not-a-value', `'${target.name}' is a segment; a metric measures an outcome (a column or an aggregate over events).`, { node });
    }
}

function checkMemberAccess(node: import('../generated/ast.js').MemberAccess, report: Report): void {
    if (!node.member?.ref) return;
    const target = memberTarget(node);
    if (!target) {
        report('error', 'not-a-value', 'Only a data source or an RFM model has members after a dot.', { node });
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
