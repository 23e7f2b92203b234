// Segment and audience conditions, compiled to SQL over the wide customers table. Names become quoted identifiers
// and literals escaped literals: nothing from the plan is pasted into SQL as it is.
// Every comparison with a missing value is false (not SQL's unknown), so `not (value.r <= 2)` holds for a customer
// without RFM scores, as the plan reads.
import type { AstNode } from 'langium';
import type { Aggregate, Expression, Tier, Tiers } from '../../language/generated/ast.js';
import {
    isAggregate, isBetweenExpression, isBinaryExpression, isBooleanLiteral, isDateLiteral, isEveryone, isInExpression,
    isMemberAccess, isMetric, isNameReference, isNegationExpression, isNotExpression, isNumberLiteral, isSegment, isStringLiteral,
    isCustomersSource
} from '../../language/generated/ast.js';
import { filterColumn, memberTarget, parseDate } from '../../language/semantics.js';
import type { SqlDialect } from './dialect.js';
import { wideColumn } from './names.js';
import { PlanError } from '../plan/runner-plan.js';

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** What a condition reads beyond the wide table's own columns. */
export interface ConditionContext {
    /**
     * An aggregate of a condition: the wide column holding its per-customer value as of the condition's reference date
     * (see plan/history.ts). Without it, an aggregate in a condition is an error.
     */
    history?: (aggregate: Aggregate) => string;
    /** A column of an events source, inside an aggregate's `where`: its SQL over the events relation (undefined: not one). */
    eventColumn?: (source: string, column: string) => string | undefined;
    /** Whether the wide table's tier columns (as of the evaluation date) may be read; otherwise tiers are inlined. */
    tierFlags?: boolean;
    /** The day attitude scores are read as of (their wide columns, see attitude-scores.ts); without it, they are an error. */
    attitudeReference?: string;
}

export class ConditionCompiler {
    private readonly inlining = new Set<AstNode>();

    /**
     * @param alias the SQL alias of the wide customers table
     * @param segmentFlags whether that table has the segment flags yet: a segment is then its flag, not its definition
     * @param scoring which scoring of an RFM model its scores come from (a campaign's own, as of its start)
     */
    constructor(private readonly d: SqlDialect, private readonly alias: string, private readonly segmentFlags = false,
        private readonly scoring: (rfm: string) => string = rfm => rfm, private readonly context: ConditionContext = {}) {}

    /** A condition: SQL that is TRUE or FALSE, never NULL. */
    condition(expression: Expression | undefined): string {
        if (!expression) return 'TRUE';
        return this.boolean(expression);
    }

    /** TRUE or FALSE, never NULL: AND, OR and NOT of two-valued operands are two-valued themselves. */
    private boolean(e: Expression): string {
        if (isBinaryExpression(e) && (e.operator === 'and' || e.operator === 'or')) {
            return `(${this.boolean(e.left)} ${e.operator.toUpperCase()} ${this.boolean(e.right)})`;
        }
        if (isNotExpression(e)) return `(NOT ${this.boolean(e.operand)})`;
        // Comparisons are two-valued already (see value), and so are segment flags.
        if ((isBinaryExpression(e) && COMPARISONS.has(e.operator)) || (isInExpression(e) && e.values.length > 0) || isBetweenExpression(e)) return this.value(e);
        if (this.segmentFlags && isNameReference(e) && isSegment(e.target?.ref)) return this.value(e);
        // Anything else that is true/false (a boolean column or literal, a metric) is made two-valued here.
        return `COALESCE(${this.value(e)}, FALSE)`;
    }

    /** A value: number, text, date or boolean; NULL when missing. */
    value(e: Expression): string {
        const d = this.d;
        if (isNumberLiteral(e)) return d.number(e.percent ? e.value / 100 : e.value);
        if (isStringLiteral(e)) return d.string(e.value);
        if (isBooleanLiteral(e)) return e.value ? 'TRUE' : 'FALSE';
        if (isEveryone(e)) return 'TRUE';
        if (isDateLiteral(e)) {
            const day = parseDate(e.value);
            if (day === undefined) throw new PlanError(`${e.value} is not a date in the calendar.`);
            return d.date(day);
        }
        if (isNegationExpression(e)) return `(- ${this.value(e.operand)})`;
        if (isNotExpression(e) || (isBinaryExpression(e) && (e.operator === 'and' || e.operator === 'or'))) return this.boolean(e);
        if (isBinaryExpression(e)) {
            const left = this.value(e.left);
            const right = this.value(e.right);
            if (COMPARISONS.has(e.operator)) return `COALESCE((${left} ${e.operator === '!=' ? '<>' : e.operator} ${right}), FALSE)`;
            if (e.operator === '/') return `(${left} / NULLIF(${right}, 0))`;
            return `(${left} ${e.operator} ${right})`;
        }
        if (isInExpression(e)) {
            const operand = this.value(e.operand);
            if (e.values.length === 0) return e.negated ? `(${operand} IS NOT NULL)` : 'FALSE';
            const list = e.values.map(v => this.value(v)).join(', ');
            return `COALESCE((${operand} ${e.negated ? 'NOT IN' : 'IN'} (${list})), FALSE)`;
        }
        if (isBetweenExpression(e)) {
            return `COALESCE((${this.value(e.operand)} BETWEEN ${this.value(e.low)} AND ${this.value(e.high)}), FALSE)`;
        }
        if (isNameReference(e) && this.context.eventColumn) {
            const column = filterColumn(e);
            const sql = column && this.context.eventColumn(column.source.name, column.name);
            if (sql) return sql;
        }
        if (isMemberAccess(e)) {
            const target = memberTarget(e);
            if (target?.kind === 'column' && !isCustomersSource(target.source) && this.context.eventColumn) {
                const sql = this.context.eventColumn(target.source.name, target.name);
                if (sql) return sql;
            }
            if (target?.kind === 'tier') return this.tier(target.tiers, target.tier);
            if (target?.kind === 'score') return this.column(wideColumn.score(this.scoring(target.rfm.name), target.score));
            if (target?.kind === 'clv') return this.column(wideColumn.clv(target.clv.name, target.score));
            if (target?.kind === 'attitude' && target.value !== undefined && this.context.attitudeReference) {
                return this.column(wideColumn.attitude(target.attitude.name, target.column, target.value, this.context.attitudeReference));
            }
            if (target?.kind === 'column' && isCustomersSource(target.source)) return this.column(wideColumn.column(target.source.name, target.name));
            throw new PlanError(`'${e.member?.$refText}' is not a customer column or an RFM score; events columns belong inside aggregates in metrics.`);
        }
        if (isNameReference(e)) {
            const target = e.target?.ref;
            if (isSegment(target)) return this.segmentFlags ? this.column(wideColumn.segment(target.name)) : this.inline(target, target.condition, true);
            if (isMetric(target)) return this.inline(target, target.definition, false);
            throw new PlanError(`'${e.target?.$refText}' is not a value.`);
        }
        if (isAggregate(e)) {
            if (!this.context.history) throw new PlanError('An aggregate cannot be read here (an aggregate inside another\'s `where`).');
            const column = this.column(this.context.history(e));
            // No events (no row): no response and nothing summed is 0; a mean, minimum or maximum of nothing is missing.
            switch (e.function) {
                case 'any': return `(COALESCE(${column}, 0) > 0)`;
                case 'count': case 'sum': return `COALESCE(${column}, 0)`;
                default: return column;
            }
        }
        throw new PlanError(`Unsupported expression (${(e as AstNode).$type}).`);
    }

    /** A customer is in a tier when its condition holds and no earlier tier's does (`otherwise`: when none does). */
    private tier(tiers: Tiers, tier: Tier): string {
        if (this.context.tierFlags) return `COALESCE((${this.column(wideColumn.tier(tiers.name))} = ${this.d.string(tier.name)}), FALSE)`;
        if (this.inlining.has(tiers)) throw new PlanError(`Tiers '${tiers.name}' refer to themselves.`);
        this.inlining.add(tiers);
        try {
            const index = tiers.tiers.indexOf(tier);
            const earlier = tiers.tiers.slice(0, index).filter(t => !t.otherwise).map(t => `(NOT ${this.condition(t.condition)})`);
            const own = tier.otherwise ? [] : [this.condition(tier.condition)];
            const parts = [...earlier, ...own];
            return parts.length > 0 ? `(${parts.join(' AND ')})` : 'TRUE';
        } finally {
            this.inlining.delete(tiers);
        }
    }

    private column(name: string): string {
        return `${this.alias}.${this.d.ident(name)}`;
    }

    /** Segments and metrics used in a condition stand for their definitions. */
    private inline(node: AstNode, definition: Expression, asCondition: boolean): string {
        if (this.inlining.has(node)) throw new PlanError(`'${(node as { name?: string }).name}' refers to itself.`);
        this.inlining.add(node);
        try {
            return asCondition ? `(${this.condition(definition)})` : `(${this.value(definition)})`;
        } finally {
            this.inlining.delete(node);
        }
    }
}
