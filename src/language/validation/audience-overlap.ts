// Can two audiences share a customer? We prove they cannot only in the plain cases a reader sees at a glance:
// a segment and its negation, a boolean column and its negation, two different tiers of one tiers declaration (or a
// tier and its negation), or ranges, values and excluded values (`!=`, `not in`) on the same column or score that do
// not meet. Anything else may overlap. A comparison with a missing value is false, so `x != "a"` and `x not in [...]`
// hold only for customers that have a value. CLV scores are fixed as of their calibration's end; attitude scores, like
// aggregates, are counted before each campaign's start.
import type { Expression, Segment, Tiers } from '../generated/ast.js';
import {
    isBetweenExpression, isBinaryExpression, isBooleanLiteral, isDateLiteral, isInExpression, isMemberAccess, isNameReference,
    isNotExpression, isNumberLiteral, isRfm, isSegment, isStringLiteral
} from '../generated/ast.js';
import { containsAggregate, memberTarget, modelsRead, parseDate, rfmSettings } from '../semantics.js';

type AtomShape =
    | { kind: 'segment'; name: string; negated: boolean }
    /** In tier `tier` of the tiers declaration `key` (negated: not in it). */
    | { kind: 'tier'; key: string; tier: string; negated: boolean }
    | { kind: 'range'; key: string; low: number; lowInclusive: boolean; high: number; highInclusive: boolean }
    | { kind: 'values'; key: string; values: Literal[] }
    | { kind: 'excluded'; key: string; values: Literal[] };

type Literal = string | number | boolean;

export type Atom = AtomShape;

/**
 * The facts an audience states in a conjunction; compute once per campaign, then compare pairs with `disjoint`.
 * `scoredAs` names the date the campaign's RFM scores are computed as of (its start) for models without `as of`:
 * the same score on two dates is two different facts (a customer's `value.r` can change between two launches).
 */
export function audienceAtoms(audience: Expression | undefined, scoredAs = '', floating: FloatingConditions = new Map()): Atom[] | undefined {
    return audience ? conjunction(audience, 0, scoredAs, floating) : undefined;
}

/**
 * Whether a segment's or tier's condition means something else at each campaign's start, per condition: pass one map
 * to the `audienceAtoms` of all campaigns of a plan, so each segment is looked through once, not once per campaign.
 */
export type FloatingConditions = Map<Expression | undefined, boolean>;

/** Whether two audiences (as atoms) provably share no customer. */
export function disjoint(a: Atom[] | undefined, b: Atom[] | undefined): boolean {
    if (!a || !b || a.length === 0 || b.length === 0) return false;
    return contradictory([...a, ...b]);
}

const MAX_SEGMENT_DEPTH = 8;

function conjunction(expression: Expression | undefined, depth: number, scoredAs: string, floating: FloatingConditions): Atom[] {
    if (!expression || depth > MAX_SEGMENT_DEPTH) return [];
    const keyOf = (e: Expression | undefined) => scoreKey(e, scoredAs);
    if (isBinaryExpression(expression) && expression.operator === 'and') {
        return [...conjunction(expression.left, depth, scoredAs, floating), ...conjunction(expression.right, depth, scoredAs, floating)];
    }
    if (isNotExpression(expression) && isNameReference(expression.operand) && isSegment(expression.operand.target?.ref)) {
        return [{ kind: 'segment', name: segmentKey(expression.operand.target.ref, scoredAs, floating), negated: true }];
    }
    const tier = memberTarget(isNotExpression(expression) ? expression.operand : expression);
    if (tier?.kind === 'tier') {
        const negated = isNotExpression(expression);
        const atom: Atom = { kind: 'tier', key: tiersKey(tier.tiers, scoredAs, floating), tier: tier.tier.name, negated };
        // A customer in a tier meets its condition (and more: no tier above it matched, which is not stated here).
        return negated || tier.tier.otherwise ? [atom] : [atom, ...conjunction(tier.tier.condition, depth + 1, scoredAs, floating)];
    }
    // A column on its own in a condition is a boolean one (the validator sees to that): true, or (negated) not true.
    const column = keyOf(expression);
    if (column !== undefined) return [{ kind: 'values', key: column, values: [true] }];
    const negatedColumn = isNotExpression(expression) ? keyOf(expression.operand) : undefined;
    if (negatedColumn !== undefined) return [{ kind: 'excluded', key: negatedColumn, values: [true] }];
    if (isNameReference(expression) && isSegment(expression.target?.ref)) {
        const segment = expression.target.ref;
        return [{ kind: 'segment', name: segmentKey(segment, scoredAs, floating), negated: false }, ...conjunction(segment.condition, depth + 1, scoredAs, floating)];
    }
    if (isBinaryExpression(expression)) {
        let operator: string = expression.operator;
        let [subject, literal] = [expression.left, expression.right];
        if (!isMemberAccess(subject)) {
            [subject, literal] = [literal, subject];
            operator = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[operator] ?? operator;
        }
        const key = keyOf(subject);
        const value = literalValue(literal);
        if (key === undefined || value === undefined) return [];
        if (operator === '=') return [{ kind: 'values', key, values: [value] }];
        if (operator === '!=') return [{ kind: 'excluded', key, values: [value] }];
        if (typeof value !== 'number') return [];
        switch (operator) {
            case '<': return [range(key, -Infinity, false, value, false)];
            case '<=': return [range(key, -Infinity, false, value, true)];
            case '>': return [range(key, value, false, Infinity, false)];
            case '>=': return [range(key, value, true, Infinity, false)];
            default: return [];
        }
    }
    if (isBetweenExpression(expression)) {
        const key = keyOf(expression.operand);
        const low = literalValue(expression.low);
        const high = literalValue(expression.high);
        if (key === undefined || typeof low !== 'number' || typeof high !== 'number') return [];
        return [range(key, low, true, high, true)];
    }
    if (isInExpression(expression)) {
        const key = keyOf(expression.operand);
        const values = expression.values.map(literalValue);
        if (key === undefined || values.some(v => v === undefined)) return [];
        return [{ kind: expression.negated ? 'excluded' : 'values', key, values: values as Literal[] }];
    }
    return [];
}

function range(key: string, low: number, lowInclusive: boolean, high: number, highInclusive: boolean): Atom {
    return { kind: 'range', key, low, lowInclusive, high, highInclusive };
}

function scoreKey(expression: Expression | undefined, scoredAs: string): string | undefined {
    if (!isMemberAccess(expression) || !isNameReference(expression.receiver)) return undefined;
    const receiver = expression.receiver.target?.ref;
    const target = memberTarget(expression);
    // An attitude score is one number per value (`prefs.channel("sms")`), counted before each campaign's start.
    if (target?.kind === 'attitude') {
        return target.value === undefined ? undefined : `${target.attitude.name}.${target.column}(${JSON.stringify(target.value)})@${scoredAs}`;
    }
    const floating = isRfm(receiver) && !rfmSettings(receiver).asOf;
    return `${expression.receiver.target?.$refText}.${expression.member?.$refText}${floating ? '@' + scoredAs : ''}`;
}

/**
 * A segment that reads an RFM model without `as of` or an attitude, or aggregates events (all counted before each
 * campaign's start), means something else at each campaign's start.
 */
function segmentKey(segment: Segment, scoredAs: string, floating: FloatingConditions): string {
    return floats(segment.condition, floating) ? `${segment.name}@${scoredAs}` : segment.name;
}

/** Tiers likewise: a customer's tier can change between two launches when a tier reads such facts. */
function tiersKey(tiers: Tiers, scoredAs: string, floating: FloatingConditions): string {
    return tiers.tiers.some(t => floats(t.condition, floating)) ? `${tiers.name}@${scoredAs}` : tiers.name;
}

function floats(condition: Expression | undefined, floating: FloatingConditions): boolean {
    let result = floating.get(condition);
    if (result === undefined) floating.set(condition, result = floatsAlways(condition));
    return result;
}

function floatsAlways(condition: Expression | undefined): boolean {
    return [...modelsRead(condition)].some(model => (isRfm(model) && !rfmSettings(model).asOf) || model.$type === 'Attitude') || containsAggregate(condition);
}

function literalValue(expression: Expression | undefined): Literal | undefined {
    if (isNumberLiteral(expression)) return expression.percent ? expression.value / 100 : expression.value;
    if (isBooleanLiteral(expression)) return expression.value;
    if (isStringLiteral(expression)) return expression.value;
    if (isDateLiteral(expression)) return parseDate(expression.value);
    return undefined;
}

function contradictory(atoms: Atom[]): boolean {
    const segments = new Map<string, boolean>();
    for (const atom of atoms) {
        if (atom.kind !== 'segment') continue;
        if (segments.has(atom.name) && segments.get(atom.name) !== atom.negated) return true;
        segments.set(atom.name, atom.negated);
    }
    // Two different tiers of one declaration never overlap: a customer is in the first tier that matches.
    const tiers = atoms.filter((a): a is Extract<Atom, { kind: 'tier' }> => a.kind === 'tier');
    for (const a of tiers) {
        for (const b of tiers) {
            if (a.key !== b.key) continue;
            if (!a.negated && !b.negated && a.tier !== b.tier) return true;
            if (a.tier === b.tier && a.negated !== b.negated) return true;
        }
    }
    const keys = new Set(atoms.filter(a => a.kind !== 'segment' && a.kind !== 'tier').map(a => (a as { key: string }).key));
    for (const key of keys) {
        let low = -Infinity, lowInclusive = false, high = Infinity, highInclusive = false;
        let allowed: Literal[] | undefined;
        const excluded: Literal[] = [];
        for (const atom of atoms) {
            if (atom.kind === 'range' && atom.key === key) {
                if (atom.low > low || (atom.low === low && !atom.lowInclusive)) [low, lowInclusive] = [atom.low, atom.lowInclusive];
                if (atom.high < high || (atom.high === high && !atom.highInclusive)) [high, highInclusive] = [atom.high, atom.highInclusive];
            } else if (atom.kind === 'values' && atom.key === key) {
                allowed = allowed ? allowed.filter(v => atom.values.includes(v)) : [...atom.values];
            } else if (atom.kind === 'excluded' && atom.key === key) {
                excluded.push(...atom.values);
            }
        }
        if (low > high || (low === high && !(lowInclusive && highInclusive))) return true;
        // A range of one point is that value.
        if (low === high && excluded.includes(low)) return true;
        if (allowed) {
            const possible = allowed.filter(v => !excluded.includes(v) &&
                (typeof v !== 'number' || ((v > low || (v === low && lowInclusive)) && (v < high || (v === high && highInclusive)))));
            if (possible.length === 0) return true;
        }
    }
    return false;
}
