// Can a condition hold for anyone? A small prover for the tiers check: it proves a conjunction of conditions
// unsatisfiable in the plain cases a reader sees at a glance, and otherwise says "maybe".
//
// A condition becomes a formula over tests of one value each (`usage.r >= 4`, `district in ["a", "b"]`, a boolean
// column alone), tiers (`value_tier.gold`) and opaque conditions (anything else, known only by its text: the same text
// twice is the same condition). Segments stand for their definitions. A comparison with a missing value is false, so a
// test holds only for customers that have a value, and its negation also holds for those that have none. RFM scores
// are whole numbers from 1 to the model's bins; booleans are true or false. The formula is expanded into a disjunction
// of conjunctions (given up beyond MAX_TERMS), and each conjunction is checked value by value.
import type { AstNode } from 'langium';
import { AstUtils } from 'langium';
import type { Expression } from '../generated/ast.js';
import {
    isAggregate, isBetweenExpression, isBinaryExpression, isBooleanLiteral, isDateLiteral, isEveryone, isInExpression, isMemberAccess,
    isNameReference, isNotExpression, isNumberLiteral, isSegment, isStringLiteral
} from '../generated/ast.js';
import { DEFAULT_RFM_BINS, memberTarget, parseDate, rfmSettings, typeOf } from '../semantics.js';

type Literal = string | number | boolean;

type ValueSet =
    | { kind: 'range'; low: number; lowInclusive: boolean; high: number; highInclusive: boolean }
    | { kind: 'in'; values: Literal[] }
    | { kind: 'notIn'; values: Literal[] };

type Atom =
    /** The value named `key` exists and lies in `set`; `domain` lists every value it can take, when that is finite. */
    | { kind: 'test'; key: string; set: ValueSet; domain?: Literal[] }
    /** A condition the prover cannot look into, known by its text. */
    | { kind: 'opaque'; key: string }
    /** The customer is in tier `tier` of the tiers declaration `tiers`; the tiers of one declaration never overlap. */
    | { kind: 'tier'; tiers: string; tier: string };

export type Formula =
    | { kind: 'const'; value: boolean }
    | { kind: 'and' | 'or'; items: Formula[] }
    | { kind: 'not'; item: Formula }
    | { kind: 'atom'; atom: Atom };

interface Literally { atom: Atom; positive: boolean }
type Term = Literally[];

/** Beyond this many conjunctions the prover gives up (and proves nothing). */
const MAX_TERMS = 4096;
const MAX_SEGMENT_DEPTH = 8;

export const TRUE: Formula = { kind: 'const', value: true };
export const and = (...items: Formula[]): Formula => ({ kind: 'and', items });
export const not = (item: Formula): Formula => ({ kind: 'not', item });

/** The formula of a condition; undefined (nothing can be proven) when it holds an unresolved name. */
export function formulaOf(expression: Expression | undefined): Formula | undefined {
    if (!expression) return undefined;
    const unresolved = [expression, ...AstUtils.streamAst(expression)].some(n =>
        (isNameReference(n) && !n.target?.ref) || (isMemberAccess(n) && !n.member?.ref));
    return unresolved ? undefined : toFormula(expression, 0);
}

function toFormula(expression: Expression | undefined, depth: number): Formula {
    if (!expression) return opaque('?');
    if (isEveryone(expression)) return TRUE;
    if (isBooleanLiteral(expression)) return { kind: 'const', value: expression.value };
    if (isBinaryExpression(expression) && (expression.operator === 'and' || expression.operator === 'or')) {
        return { kind: expression.operator, items: [toFormula(expression.left, depth), toFormula(expression.right, depth)] };
    }
    if (isNotExpression(expression)) return not(toFormula(expression.operand, depth));
    if (isNameReference(expression) && isSegment(expression.target?.ref)) {
        const segment = expression.target.ref;
        return depth < MAX_SEGMENT_DEPTH ? toFormula(segment.condition, depth + 1) : opaque(`segment ${segment.name}`);
    }
    const member = memberTarget(expression);
    if (member?.kind === 'tier') return { kind: 'atom', atom: { kind: 'tier', tiers: member.tiers.name, tier: member.tier.name } };
    // A value alone in a condition is a boolean one: true.
    const subject = subjectOf(expression);
    if (subject) return test(subject, { kind: 'in', values: [true] });
    return comparison(expression) ?? opaque(textOf(expression));
}

/** A test of one value: `x = 1`, `1 < x`, `x in [...]`, `x between a and b`. */
function comparison(expression: Expression): Formula | undefined {
    if (isBinaryExpression(expression)) {
        let operator: string = expression.operator;
        let subject = subjectOf(expression.left);
        let literal = literalValue(expression.right);
        if (!subject) {
            subject = subjectOf(expression.right);
            literal = literalValue(expression.left);
            operator = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[operator] ?? operator;
        }
        if (!subject || literal === undefined) return undefined;
        if (operator === '=') return test(subject, { kind: 'in', values: [literal] });
        if (operator === '!=') return test(subject, { kind: 'notIn', values: [literal] });
        if (typeof literal !== 'number') return undefined;
        switch (operator) {
            case '<': return test(subject, range(-Infinity, false, literal, false));
            case '<=': return test(subject, range(-Infinity, false, literal, true));
            case '>': return test(subject, range(literal, false, Infinity, false));
            case '>=': return test(subject, range(literal, true, Infinity, false));
            default: return undefined;
        }
    }
    if (isInExpression(expression)) {
        const subject = subjectOf(expression.operand);
        const values = expression.values.map(literalValue);
        if (!subject || values.some(v => v === undefined)) return undefined;
        return test(subject, { kind: expression.negated ? 'notIn' : 'in', values: values as Literal[] });
    }
    if (isBetweenExpression(expression)) {
        const subject = subjectOf(expression.operand);
        const low = literalValue(expression.low);
        const high = literalValue(expression.high);
        if (!subject || typeof low !== 'number' || typeof high !== 'number') return undefined;
        return test(subject, range(low, true, high, true));
    }
    return undefined;
}

interface Subject { key: string; domain?: Literal[] }

/**
 * A per-customer value the prover can compare: a customers column, an RFM, CLV or attitude score (with its value), or an
 * aggregate (by its text).
 */
function subjectOf(expression: Expression | undefined): Subject | undefined {
    const target = memberTarget(expression);
    if (target?.kind === 'clv') return { key: `${target.clv.name}.${target.score}` };
    if (target?.kind === 'attitude') return target.value === undefined ? undefined : { key: `${target.attitude.name}.${target.column}(${JSON.stringify(target.value)})` };
    if (target?.kind === 'score') {
        const bins = rfmSettings(target.rfm).bins?.count ?? DEFAULT_RFM_BINS;
        const domain = Number.isInteger(bins) && bins > 0 && bins <= 100 ? Array.from({ length: bins }, (_, i) => i + 1) : undefined;
        return { key: `${target.rfm.name}.${target.score}`, domain };
    }
    if (target?.kind === 'column') {
        return { key: `${target.source.name}.${target.name}`, domain: target.type === 'boolean' ? [true, false] : undefined };
    }
    if (isAggregate(expression)) {
        return { key: `aggregate ${textOf(expression)}`, domain: typeOf(expression) === 'boolean' ? [true, false] : undefined };
    }
    return undefined;
}

function literalValue(expression: AstNode | undefined): Literal | undefined {
    if (isNumberLiteral(expression)) return expression.percent ? expression.value / 100 : expression.value;
    if (isBooleanLiteral(expression)) return expression.value;
    if (isStringLiteral(expression)) return expression.value;
    if (isDateLiteral(expression)) return parseDate(expression.value);
    return undefined;
}

function textOf(node: AstNode): string {
    return (node.$cstNode?.text ?? node.$type).replace(/\s+/g, ' ');
}

function range(low: number, lowInclusive: boolean, high: number, highInclusive: boolean): ValueSet {
    return { kind: 'range', low, lowInclusive, high, highInclusive };
}

function test(subject: Subject, set: ValueSet): Formula {
    return { kind: 'atom', atom: { kind: 'test', key: subject.key, set, domain: subject.domain } };
}

function opaque(key: string): Formula {
    return { kind: 'atom', atom: { kind: 'opaque', key } };
}

// ------------------------------------------------------------------ proving

/** Whether the formula provably holds for no customer; false when it may hold, or when proving it would take too long. */
export function unsatisfiable(formula: Formula): boolean {
    const terms = expand(formula, true);
    return terms !== undefined && terms.length === 0;
}

/** The satisfiable conjunctions of `formula` (negated when `positive` is false); undefined beyond MAX_TERMS. */
function expand(formula: Formula, positive: boolean): Term[] | undefined {
    switch (formula.kind) {
        case 'const': return formula.value === positive ? [[]] : [];
        case 'not': return expand(formula.item, !positive);
        case 'atom': return [[{ atom: formula.atom, positive }]];
        case 'and':
        case 'or': {
            // De Morgan: a negated `and` is an `or` of the negations, and the other way round.
            const conjunctive = (formula.kind === 'and') === positive;
            const parts: Term[][] = [];
            for (const item of formula.items) {
                const terms = expand(item, positive);
                if (terms === undefined) return undefined;
                parts.push(terms);
            }
            if (!conjunctive) {
                const all = parts.flat();
                return all.length > MAX_TERMS ? undefined : all;
            }
            let product: Term[] = [[]];
            for (const terms of parts) {
                const next: Term[] = [];
                for (const left of product) {
                    for (const right of terms) {
                        const term = [...left, ...right];
                        if (consistent(term)) next.push(term);
                        if (next.length > MAX_TERMS) return undefined;
                    }
                }
                product = next;
                if (product.length === 0) return [];
            }
            return product;
        }
    }
}

/** Whether some customer may meet every literal of the conjunction. */
function consistent(term: Term): boolean {
    const opaque = new Map<string, boolean>();
    const tiers = new Map<string, { in?: string; notIn: Set<string> }>();
    const tests = new Map<string, { positive: Array<Extract<Atom, { kind: 'test' }>>; negative: Array<Extract<Atom, { kind: 'test' }>> }>();
    for (const { atom, positive } of term) {
        if (atom.kind === 'opaque') {
            if (opaque.has(atom.key) && opaque.get(atom.key) !== positive) return false;
            opaque.set(atom.key, positive);
        } else if (atom.kind === 'tier') {
            const state = tiers.get(atom.tiers) ?? { notIn: new Set<string>() };
            if (positive) {
                if ((state.in !== undefined && state.in !== atom.tier) || state.notIn.has(atom.tier)) return false;
                state.in = atom.tier;
            } else {
                if (state.in === atom.tier) return false;
                state.notIn.add(atom.tier);
            }
            tiers.set(atom.tiers, state);
        } else {
            const state = tests.get(atom.key) ?? { positive: [], negative: [] };
            (positive ? state.positive : state.negative).push(atom);
            tests.set(atom.key, state);
        }
    }
    for (const { positive, negative } of tests.values()) {
        // Without a positive test the value may be missing, which every negated test allows.
        if (positive.length > 0 && !someValue(positive, negative)) return false;
    }
    return true;
}

/** Whether a value exists that lies in every positive set and in none of the negative ones. */
function someValue(positive: Array<Extract<Atom, { kind: 'test' }>>, negative: Array<Extract<Atom, { kind: 'test' }>>): boolean {
    const holds = (v: Literal) => positive.every(a => member(v, a.set)) && negative.every(a => !member(v, a.set));
    // Finitely many candidates: the domain, a list the value must be in, or a list a negated `not in` puts it in.
    const lists = [
        ...[...positive, ...negative].filter(a => a.domain).map(a => a.domain!),
        ...positive.filter(a => a.set.kind === 'in').map(a => (a.set as { values: Literal[] }).values),
        ...negative.filter(a => a.set.kind === 'notIn').map(a => (a.set as { values: Literal[] }).values)
    ];
    if (lists.length > 0) return lists[0].some(holds);
    // Otherwise the value is a number (or text) in the intersection of the positive ranges, outside the negated ranges,
    // and other than finitely many excluded values: it exists when an interval of more than one point is left.
    let intervals: Array<{ low: number; lowInclusive: boolean; high: number; highInclusive: boolean }> = [{ low: -Infinity, lowInclusive: false, high: Infinity, highInclusive: false }];
    for (const a of positive) if (a.set.kind === 'range') intervals = intervals.flatMap(i => intersect(i, a.set as Extract<ValueSet, { kind: 'range' }>));
    for (const a of negative) if (a.set.kind === 'range') intervals = intervals.flatMap(i => subtract(i, a.set as Extract<ValueSet, { kind: 'range' }>));
    return intervals.some(i => i.low < i.high || (i.low === i.high && holds(i.low)));
}

type Interval = { low: number; lowInclusive: boolean; high: number; highInclusive: boolean };

function intersect(a: Interval, b: Interval): Interval[] {
    const [low, lowInclusive] = a.low > b.low ? [a.low, a.lowInclusive] : b.low > a.low ? [b.low, b.lowInclusive] : [a.low, a.lowInclusive && b.lowInclusive];
    const [high, highInclusive] = a.high < b.high ? [a.high, a.highInclusive] : b.high < a.high ? [b.high, b.highInclusive] : [a.high, a.highInclusive && b.highInclusive];
    return empty(low, lowInclusive, high, highInclusive) ? [] : [{ low, lowInclusive, high, highInclusive }];
}

function subtract(a: Interval, b: Interval): Interval[] {
    const below = intersect(a, { low: -Infinity, lowInclusive: false, high: b.low, highInclusive: !b.lowInclusive });
    const above = intersect(a, { low: b.high, lowInclusive: !b.highInclusive, high: Infinity, highInclusive: false });
    return [...below, ...above];
}

function empty(low: number, lowInclusive: boolean, high: number, highInclusive: boolean): boolean {
    return low > high || (low === high && !(lowInclusive && highInclusive));
}

function member(value: Literal, set: ValueSet): boolean {
    switch (set.kind) {
        case 'in': return set.values.includes(value);
        case 'notIn': return !set.values.includes(value);
        case 'range':
            return typeof value === 'number'
                && (value > set.low || (value === set.low && set.lowInclusive))
                && (value < set.high || (value === set.high && set.highInclusive));
    }
}
