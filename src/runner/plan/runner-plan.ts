// The plan as the runner sees it: plain records read once from the AST (sources with resolved paths, campaigns with
// dates as day numbers, goals with their units), so the SQL compiler and the evaluation never walk Langium nodes
// except for condition expressions.
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { AstUtils } from 'langium';
import type { AstNode } from 'langium';
import type { Aggregate, Attitude, Campaign, Clv, ChannelStep, CustomersSource, DataSource, EventsSource, Expression, Metric, Model, Rfm, Segment, Tiers } from '../../language/generated/ast.js';
import {
    isAggregate, isAttitude, isCampaign, isChannel, isClv, isCurrencySetting, isCustomersSource, isEventsSource, isMetric, isMetricGoalTarget, isObjectiveSetting,
    isOwnerSetting, isRfm, isSegment, isTiers
} from '../../language/generated/ast.js';
import { displayPath } from '../../language/display-path.js';
import type { AggregateShape, TableName, ValueType } from '../../language/semantics.js';
import {
    DEFAULT_ATTRIBUTION_DAYS, DEFAULT_RFM_BINS, aggregateShape, allSteps, campaignMargin, campaignSettings, declarationsOf, memberTarget, parseDate,
    recordedSplit, resolvedMetricShape, rfmSettings, lineOf, tiersOf, clvSettings, attitudeSettings, bestOf, sourceOrigin, tableName
} from '../../language/semantics.js';
import { transitiveImports } from '../../language/imports.js';
import type { LangiumDocuments } from 'langium';
import { URI } from 'vscode-uri';

export type ColumnType = 'text' | 'number' | 'date' | 'boolean';

export interface SourceColumn {
    name: string;
    type: ColumnType;
    /** The column is a key, customer or time column (typed by its role, not by a declaration). */
    role?: 'key' | 'customer' | 'time';
}

interface SourceBase {
    name: string;
    /** As written in the plan: the file's path, or a table source's text (`crm.customers`). */
    declaredPath: string;
    /**
     * Resolved against the declaring file. A table source has no file: `table "crm.customers"`, what messages and
     * reports show where a file source shows its path (never resolved, never read: everything that reads files
     * skips a source with `table`).
     */
    path: string;
    /**
     * What the engine reads: `path` with symlinks resolved, once the path is known to lie inside the data roots.
     * Empty for a table source, so that it can never name a file to read.
     */
    readPath: string;
    /** The database table a `from table` source reads instead of a file (the schema absent: the engine's default). */
    table?: TableName;
    columns: SourceColumn[];
    node: DataSource;
}

export interface CustomersSourcePlan extends SourceBase {
    kind: 'customers';
    /** Without a key column, the 1-based row number is the key. */
    key?: string;
    node: CustomersSource;
}

export interface EventsSourcePlan extends SourceBase {
    kind: 'events';
    customer?: string;
    time?: string;
    node: EventsSource;
}

export type SourcePlan = CustomersSourcePlan | EventsSourcePlan;

export interface RfmPlan {
    name: string;
    events: EventsSourcePlan;
    monetary?: string;
    /** Day number; undefined means the evaluation date. */
    asOf?: number;
    bins: number;
    node: Rfm;
}

export interface SegmentPlan {
    name: string;
    description?: string;
    node: Segment;
}

export type MetricPlan =
    | { name: string; kind: 'column'; source: CustomersSourcePlan; column: string; type: ValueType; node: Metric }
    | { name: string; kind: 'aggregate'; aggregate: AggregatePlan; node: Metric }
    | { name: string; kind: 'ratio'; numerator: AggregatePlan; denominator: AggregatePlan; node: Metric };

export interface AggregatePlan {
    function: AggregateShape['function'];
    source: EventsSourcePlan;
    column?: string;
    /** `where CONDITION`: over the source's own columns. */
    filter?: Expression;
    /** Names the filter in generated SQL names (`w0`, `w1`, ...: one per distinct filter text of a source). */
    filterKey?: string;
    /** `within N days` (conditions only). */
    withinDays?: number;
}

/** An aggregate in a condition (a segment, a tier, a campaign's audience or `limit ... by`), with its key (`c0`, ...). */
export interface ConditionAggregatePlan {
    key: string;
    aggregate: AggregatePlan;
}

/** A `clv` model as the runner fits it: its purchases, settings in days and fractions (see clvSettings). */
export interface ClvPlan {
    name: string;
    events: EventsSourcePlan;
    monetary?: string;
    model: 'bgnbd' | 'paretonbd';
    period: string;
    periodDays: number;
    /** Day numbers, both included. */
    calibration: { start: number; end: number };
    /** The horizon in periods (whole). */
    horizonPeriods: number;
    discountPerYear: number;
    margin: number;
    node: Clv;
}

/** An `attitude` model: its contact log, response and `by` columns, and how contacts are weighed (see attitude-scores.ts). */
export interface AttitudePlan {
    name: string;
    events: EventsSourcePlan;
    response: string;
    by: string[];
    /** Undefined: every contact weighs the same. */
    halfLifeDays?: number;
    prior: number;
    /**
     * Per `by` column, the values the plan names (in scores `prefs.channel("sms")` and as the channels of `best of`):
     * they have a score column even when no contact has them (a missing score).
     */
    named: Map<string, Set<string>>;
    node: Attitude;
}

/** A `tiers` declaration: the first tier whose condition holds takes the customer; `otherwise` the rest. */
export interface TiersPlan {
    name: string;
    description?: string;
    tiers: Array<{ name: string; condition?: Expression; otherwise: boolean }>;
    node: Tiers;
}

export interface StepPlan {
    channel: string;
    delayDays: number;
    /** Cost per contact; 0 when the channel states none. */
    cost: number;
    /** The channel's `capacity N per day` (shared by every campaign using the channel). */
    capacity?: number;
    /** `unless METRIC`: the metric's name. */
    unless?: string;
    /**
     * `channel best of [A, B, ...] by ATTITUDE.COLUMN`: each treatment customer's channel is the option whose name
     * scores highest for them, as of the campaign's start (ties: the option listed first). `channel`, `cost` and
     * `capacity` above are the first option's.
     */
    bestOf?: { attitude: string; column: string; options: ChannelOption[] };
}

/** A channel a step may use: its name, cost per contact and daily capacity. */
export interface ChannelOption {
    channel: string;
    cost: number;
    capacity?: number;
}

/** The channels a step may use: its `best of` options, or its one channel. */
export function stepChannels(step: StepPlan): ChannelOption[] {
    return step.bestOf?.options ?? [step];
}

export interface GoalPlan {
    label: string;
    kind: 'lift' | 'total' | 'mean' | 'roi' | 'cost';
    metric?: string;
    operator: '>=' | '<=';
    target: number;
    unit?: '%' | 'pp';
    deadline?: number;
    /** 1-based line of the goal in the plan file, so reports can link back to it. */
    line: number;
    /** `for ARM`: the arm judged (undefined: every arm, or the whole campaign for `cost`). */
    arm?: string;
    /** `for ARM vs ARM`: the baseline arm (undefined: control). */
    versus?: string;
}

/** One arm of a campaign; a campaign without arms has one, named after the campaign. */
export interface ArmPlan {
    name: string;
    /** Recorded groups: the value of the group column that marks the arm. */
    label?: string;
    /** Drawn groups: the arm's relative weight in the treatment group (its declared share, or 1 each). */
    weight: number;
    steps: StepPlan[];
}

/** What an offer costs: `amount` per unit of `metric` (an any, count or number column metric). */
export interface OfferCostPlan {
    amount: number;
    metric: string;
}

export type AssignmentPlan =
    | { kind: 'drawn'; sharePercent: number; seed: string }
    | {
        kind: 'recorded'; source: CustomersSourcePlan; column: string; treatment: string; control: string; treatmentWeight: number; controlWeight: number;
        /** The split as written: [treatment, control] without arms, [control, arm 1, ...] with arms. */
        split: number[];
        /** The arms' labels and weights, in arm order (without arms: the treatment label and weight). */
        labels: string[];
        armWeights: number[];
    }
    | { kind: 'none' };

export interface CampaignPlan {
    name: string;
    audience?: Expression;
    /** Campaign-level steps (empty when the campaign has arms). */
    steps: StepPlan[];
    /** The arms in order; without declared arms, one named after the campaign with the campaign's steps. */
    arms: ArmPlan[];
    /** Whether the campaign declares arms. */
    hasArms: boolean;
    offer?: string;
    /** `offer "..." cost AMOUNT per METRIC`: AMOUNT for each unit of METRIC in the treatment group. */
    offerCost?: OfferCostPlan;
    /** `fixed cost AMOUNT`: the campaign's, whatever its size (not an arm's). */
    fixedCost?: number;
    /** The margin that applies (the campaign's, else the plan's), as a fraction; undefined: ROI on the value itself. */
    margin?: number;
    start: number;
    end: number;
    /** `uplift by EXPR`: the per-customer number the uplift curve ranks by (as of the campaign's start). */
    uplift?: Expression;
    /** `limit N [by EXPR]`: the audience capped at the N members with the highest EXPR. */
    limit?: { count: number; by?: Expression };
    assignment: AssignmentPlan;
    attributionDays: number;
    budget?: number;
    valueMetric?: string;
    goals: GoalPlan[];
    node: Campaign;
}

export interface RunnerPlan {
    name: string;
    file: string;
    objective?: string;
    owner?: string;
    currency?: string;
    sources: SourcePlan[];
    /** The first customers source: it defines who the customers are. */
    universe: CustomersSourcePlan;
    rfms: RfmPlan[];
    segments: SegmentPlan[];
    tiers: TiersPlan[];
    clvs: ClvPlan[];
    attitudes: AttitudePlan[];
    metrics: MetricPlan[];
    campaigns: CampaignPlan[];
    /** Aggregates in conditions, one per distinct aggregate (same function, source, column, filter and window). */
    conditionAggregates: ConditionAggregatePlan[];
    /** The condition aggregate an Aggregate node of a condition stands for. */
    conditionAggregateOf: Map<Aggregate, ConditionAggregatePlan>;
    /**
     * The plan's value metric, for the value of each tier: the first campaign's `value` metric, else the metric named
     * `revenue`, when it adds up over customers (an any, count or sum aggregate, or a number customers column). Its
     * per-customer value over every event before the evaluation date is an aggregate of the history.
     */
    tierValue?: { metric: string; aggregate?: ConditionAggregatePlan; column?: { source: string; name: string } };
}

/** A plan the runner cannot execute even though it parsed (the validator should have said so). */
export class PlanError extends Error {}

/** Reads the runner's view of a built, valid plan document (and the files it imports). */
export function readRunnerPlan(document: LangiumDocument<Model>, documents: LangiumDocuments): RunnerPlan {
    const model = document.parseResult.value;
    const plan = model.plans[0];
    const imported = [...transitiveImports(document, documents)].map(uri => documents.getDocument(URI.parse(uri))).filter(d => d !== undefined);
    const declarations = [...declarationsOf(model), ...imported.flatMap(d => declarationsOf(d!.parseResult.value as Model))];
    refuseUnevaluated(declarationsOf(model).filter(isCampaign));

    const sourceByNode = new Map<DataSource, SourcePlan>();
    const sources: SourcePlan[] = [];
    for (const d of declarations) {
        if (isCustomersSource(d) || isEventsSource(d)) {
            const source = sourcePlan(d);
            sourceByNode.set(d, source);
            sources.push(source);
        }
    }
    const universe = sources.find((s): s is CustomersSourcePlan => s.kind === 'customers');
    if (!universe) throw new PlanError('The plan declares no `customers` source, so there is nobody to evaluate.');
    const eventsOf = (node: DataSource | undefined, what: string): EventsSourcePlan => {
        const source = node && sourceByNode.get(node);
        if (!source || source.kind !== 'events') throw new PlanError(`${what} needs an events source.`);
        return source;
    };
    const customersOf = (node: DataSource | undefined, what: string): CustomersSourcePlan => {
        const source = node && sourceByNode.get(node);
        if (!source || source.kind !== 'customers') throw new PlanError(`${what} needs a customers source.`);
        return source;
    };

    const rfms: RfmPlan[] = declarations.filter(isRfm).map(rfm => {
        const settings = rfmSettings(rfm);
        const asOf = settings.asOf ? parseDate(settings.asOf.date) : undefined;
        return {
            name: rfm.name,
            events: eventsOf(rfm.events?.ref, `RFM model '${rfm.name}'`),
            monetary: settings.monetary?.column?.$refText,
            asOf,
            bins: settings.bins?.count ?? DEFAULT_RFM_BINS,
            node: rfm
        };
    });

    const segments: SegmentPlan[] = declarations.filter(isSegment).map(s => ({ name: s.name, description: s.description, node: s }));

    // Filters are named per source and text, so that one filter written twice is computed once.
    const filterKeys = new Map<string, string>();
    const aggregatePlan = (shape: AggregateShape, what: string): AggregatePlan => {
        const source = eventsOf(shape.source, what);
        const plan: AggregatePlan = { function: shape.function, source, column: shape.column };
        if (shape.filter) {
            const text = `${source.name}|${normalizedText(shape.filter)}`;
            if (!filterKeys.has(text)) filterKeys.set(text, `w${filterKeys.size}`);
            plan.filter = shape.filter;
            plan.filterKey = filterKeys.get(text);
        }
        if (shape.withinDays !== undefined) plan.withinDays = shape.withinDays;
        return plan;
    };
    const metrics: MetricPlan[] = [];
    for (const m of declarations.filter(isMetric)) {
        const shape = resolvedMetricShape(m);
        const what = `Metric '${m.name}'`;
        switch (shape.kind) {
            case 'column':
                metrics.push({ name: m.name, kind: 'column', source: customersOf(shape.source, what), column: shape.column, type: shape.type, node: m });
                break;
            case 'aggregate':
                metrics.push({ name: m.name, kind: 'aggregate', aggregate: aggregatePlan(shape.aggregate, what), node: m });
                break;
            case 'ratio':
                metrics.push({ name: m.name, kind: 'ratio', numerator: aggregatePlan(shape.numerator, what), denominator: aggregatePlan(shape.denominator, what), node: m });
                break;
            default:
                throw new PlanError(`${what} is not a column, an aggregate over events, or a quotient of two aggregates.`);
        }
    }

    const clvs: ClvPlan[] = declarations.filter(isClv).map(clv => {
        const c = clvSettings(clv);
        if (!c.calibration) throw new PlanError(`CLV model '${clv.name}' needs \`calibration DATE to DATE\`.`);
        return {
            name: clv.name,
            events: eventsOf(clv.events?.ref, `CLV model '${clv.name}'`),
            monetary: c.monetary,
            model: c.model,
            period: c.period,
            periodDays: c.periodDays,
            calibration: { start: c.calibration.startDay, end: c.calibration.endDay },
            horizonPeriods: Math.round(c.horizon?.periods ?? 0),
            discountPerYear: c.discountPerYear,
            margin: c.margin,
            node: clv
        };
    });

    const attitudes: AttitudePlan[] = declarations.filter(isAttitude).map(attitude => {
        const a = attitudeSettings(attitude);
        if (!a.response || a.by.length === 0) throw new PlanError(`Attitude '${attitude.name}' needs \`response COLUMN\` and \`by COLUMN, ...\`.`);
        return {
            name: attitude.name,
            events: eventsOf(a.source, `Attitude '${attitude.name}'`),
            response: a.response,
            by: a.by,
            halfLifeDays: a.halfLifeDays,
            prior: a.prior,
            named: new Map(a.by.map(column => [column, new Set<string>()])),
            node: attitude
        };
    });
    const name = (attitude: Attitude, column: string, value: string) => attitudes.find(a => a.node === attitude)?.named.get(column)?.add(value);
    for (const declaration of declarations) {
        for (const node of AstUtils.streamAst(declaration)) {
            const target = memberTarget(node);
            if (target?.kind === 'attitude' && target.value !== undefined) name(target.attitude, target.column, target.value);
        }
        if (isCampaign(declaration)) {
            for (const step of allSteps(declaration)) {
                const view = bestOf(step);
                if (view?.attitude && view.column) for (const channel of view.channels) name(view.attitude, view.column, channel.name);
            }
        }
    }

    const tiers: TiersPlan[] = declarations.filter(isTiers).map(t => ({
        name: t.name,
        description: t.description,
        tiers: tiersOf(t).map(tier => ({ name: tier.name, condition: tier.condition, otherwise: tier.otherwise })),
        node: t
    }));

    // Campaigns of the plan file itself, in declaration order (the order decides overlaps).
    const campaigns = declarationsOf(model).filter(isCampaign).map(c => campaignPlan(c, customersOf));

    // Aggregates in conditions: segments, tiers, audiences and `limit ... by`, one plan per distinct aggregate.
    const conditionAggregates: ConditionAggregatePlan[] = [];
    const conditionAggregateOf = new Map<Aggregate, ConditionAggregatePlan>();
    const conditions: Array<Expression | undefined> = [
        ...segments.map(s => s.node.condition),
        ...tiers.flatMap(t => t.tiers.map(tier => tier.condition)),
        ...campaigns.flatMap(c => [c.audience, c.limit?.by, c.uplift])
    ];
    for (const condition of conditions) {
        if (!condition) continue;
        for (const node of [condition, ...AstUtils.streamAst(condition)]) {
            if (!isAggregate(node) || conditionAggregateOf.has(node) || AstUtils.getContainerOfType(node.$container, isAggregate)) continue;
            const shape = aggregateShape(node);
            if (!shape) throw new PlanError(`${displayPath(AstUtils.getDocument(node).uri.fsPath)}:${lineOf(node)}: this aggregate reads no events column.`);
            const aggregate = aggregatePlan(shape, 'An aggregate in a condition');
            let entry = conditionAggregates.find(c => sameAggregate(c.aggregate, aggregate));
            if (!entry) {
                entry = { key: `c${conditionAggregates.length}`, aggregate };
                conditionAggregates.push(entry);
            }
            conditionAggregateOf.set(node, entry);
        }
    }

    // The value of each tier: the plan's value metric over each customer's whole history before the evaluation date.
    let tierValue: RunnerPlan['tierValue'];
    const valueName = campaigns.find(c => c.valueMetric)?.valueMetric ?? (metrics.some(m => m.name === 'revenue') ? 'revenue' : undefined);
    const valueMetric = tiers.length > 0 ? metrics.find(m => m.name === valueName) : undefined;
    if (valueMetric?.kind === 'aggregate' && ['any', 'count', 'sum'].includes(valueMetric.aggregate.function)) {
        const aggregate = valueMetric.aggregate;
        let entry = conditionAggregates.find(c => sameAggregate(c.aggregate, aggregate));
        if (!entry) conditionAggregates.push(entry = { key: `c${conditionAggregates.length}`, aggregate });
        tierValue = { metric: valueMetric.name, aggregate: entry };
    } else if (valueMetric?.kind === 'column' && valueMetric.type === 'number') {
        tierValue = { metric: valueMetric.name, column: { source: valueMetric.source.name, name: valueMetric.column } };
    }

    return {
        name: plan?.name ?? path.basename(document.uri.fsPath),
        file: document.uri.fsPath,
        objective: plan?.settings.find(isObjectiveSetting)?.objective,
        owner: plan?.settings.find(isOwnerSetting)?.owner,
        currency: plan?.settings.find(isCurrencySetting)?.currency,
        sources,
        universe,
        rfms,
        segments,
        tiers,
        clvs,
        attitudes,
        metrics,
        campaigns,
        conditionAggregates,
        conditionAggregateOf,
        tierValue
    };
}

function sourcePlan(node: CustomersSource | EventsSource): SourcePlan {
    const file = AstUtils.getDocument(node).uri.fsPath;
    const columns: SourceColumn[] = node.columns.map(c => ({ name: c.name, type: c.type as ColumnType }));
    const withRole = (name: string | undefined, role: SourceColumn['role'], type: ColumnType) => {
        if (!name) return;
        const existing = columns.find(c => c.name === name);
        if (existing) existing.role = role;
        else columns.push({ name, type, role });
    };
    const base = { name: node.name, ...origin(node, file), columns };
    if (isCustomersSource(node)) {
        withRole(node.key, 'key', 'text');
        return { ...base, kind: 'customers', key: node.key, node };
    }
    withRole(node.customer, 'customer', 'text');
    withRole(node.time, 'time', 'date');
    return { ...base, kind: 'events', customer: node.customer, time: node.time, node };
}

/** A file source's paths, or a table source's table (validation has refused a table name with an empty part). */
function origin(node: DataSource, file: string): Pick<SourceBase, 'declaredPath' | 'path' | 'readPath' | 'table'> {
    if (node.table) {
        const table = tableName(node.path);
        if (!table) throw new PlanError(`Source '${node.name}' names no table: '${node.path}'.`);
        return { declaredPath: node.path, path: sourceOrigin(node), readPath: '', table };
    }
    const resolved = path.resolve(path.dirname(file), node.path);
    return { declaredPath: node.path, path: resolved, readPath: resolved };
}

function campaignPlan(campaign: Campaign, customersOf: (node: DataSource | undefined, what: string) => CustomersSourcePlan): CampaignPlan {
    const s = campaignSettings(campaign);
    const what = `Campaign '${campaign.name}'`;
    const start = parseDate(s.runs?.start);
    const end = parseDate(s.runs?.end);
    if (start === undefined || end === undefined) throw new PlanError(`${what} needs \`runs DATE to DATE\`.`);
    let assignment: AssignmentPlan = { kind: 'none' };
    if (s.control) {
        assignment = { kind: 'drawn', sharePercent: s.control.share, seed: s.control.seed };
    } else if (s.groups) {
        const g = s.groups;
        const split = recordedSplit(campaign);
        const armNodes = s.arms;
        assignment = {
            kind: 'recorded',
            source: customersOf(g.source?.ref, `The groups of ${what.toLowerCase()}`),
            column: g.column.$refText,
            treatment: g.treatment ?? '',
            control: g.control,
            // `split T:C` (treatment first in this form, which is the only one the runner reads yet).
            treatmentWeight: g.weights[0] ?? 1,
            controlWeight: g.weights[1] ?? 1,
            split: g.weights.length > 0 ? [...g.weights] : Array.from({ length: Math.max(armNodes.length, 1) + 1 }, () => 1),
            labels: armNodes.length > 0 ? armNodes.map(a => a.label ?? '') : [g.treatment ?? ''],
            armWeights: split ? split.arms.map(a => a.weight) : armNodes.map(() => 1)
        };
        if (armNodes.length > 0) {
            assignment.treatmentWeight = assignment.armWeights.reduce((a, b) => a + b, 0);
            assignment.controlWeight = split?.control ?? 1;
        }
    }
    const stepPlan = (step: ChannelStep): StepPlan => {
        const option = (channel: AstNode | undefined, name: string): ChannelOption =>
            ({ channel: name, cost: isChannel(channel) ? channel.cost ?? 0 : 0, capacity: isChannel(channel) ? channel.capacity : undefined });
        const view = bestOf(step);
        if (view) {
            if (!view.attitude || !view.column || view.channels.length === 0) throw new PlanError(`${what}: \`channel best of\` needs an attitude column after \`by\` (\`by prefs.channel\`).`);
            const options = view.channels.map(c => option(c, c.name));
            return { ...options[0], delayDays: step.delay ?? 0, unless: step.unless?.$refText, bestOf: { attitude: view.attitude.name, column: view.column, options } };
        }
        return { ...option(step.channel?.ref, step.channel?.$refText ?? ''), delayDays: step.delay ?? 0, unless: step.unless?.$refText };
    };
    const steps: StepPlan[] = s.steps.map(stepPlan);
    const allShares = s.arms.length > 0 && s.arms.every(a => a.share !== undefined);
    const arms: ArmPlan[] = s.arms.length === 0
        ? [{ name: campaign.name, label: s.groups?.treatment, weight: 1, steps }]
        : s.arms.map(arm => ({ name: arm.name, label: arm.label, weight: allShares ? arm.share! : 1, steps: arm.steps.map(stepPlan) }));
    const margin = campaignMargin(campaign);
    const goals: GoalPlan[] = s.goals.map(goal => {
        const t = goal.target;
        const metric = isMetricGoalTarget(t) ? t.metric?.$refText : undefined;
        const arm = t.arm?.$refText;
        const versus = arm !== undefined ? t.versus?.$refText : undefined;
        return {
            label: goal.label ?? goalText(t.kind, metric, t.operator, t.value, t.unit, arm, versus),
            arm,
            versus,
            kind: t.kind,
            metric,
            operator: t.operator as '>=' | '<=',
            target: t.value,
            unit: t.unit,
            deadline: parseDate(goal.deadline),
            line: lineOf(goal)
        };
    });
    return {
        name: campaign.name,
        audience: s.audience?.condition,
        steps,
        arms,
        hasArms: s.arms.length > 0,
        offer: s.offer?.text,
        offerCost: s.offer?.cost !== undefined && s.offer.per ? { amount: s.offer.cost, metric: s.offer.per.$refText } : undefined,
        fixedCost: s.fixedCost?.amount,
        margin: margin === undefined ? undefined : margin / 100,
        start,
        end,
        limit: s.limit ? { count: s.limit.count, by: s.limit.by } : undefined,
        uplift: s.uplift?.by,
        assignment,
        attributionDays: s.attribution?.days ?? DEFAULT_ATTRIBUTION_DAYS,
        budget: s.budget?.amount,
        valueMetric: s.value?.metric?.$refText,
        goals,
        node: campaign
    };
}

/**
 * Forms the language accepts but the runner does not evaluate (arms without a control group, recorded groups without
 * a treatment label and without arms; the checker reports both): a run must stop on them rather than compute a report
 * that silently ignores them.
 */
function refuseUnevaluated(campaigns: Campaign[]): void {
    const refuse = (node: AstNode, construct: string, where: string) => {
        const file = displayPath(AstUtils.getDocument(node).uri.fsPath);
        throw new PlanError(`${file}:${lineOf(node)}: ${construct} (${where}) is not evaluated by the runner yet; remove it to run this plan.`);
    };
    for (const campaign of campaigns) {
        const where = `campaign '${campaign.name}'`;
        const s = campaignSettings(campaign);
        if (s.arms.length > 0 && !s.control && !s.groups) refuse(s.arms[0], '`arm` without `control N% seed` or `groups from`', where);
        if (s.groups && s.groups.treatment === undefined && s.arms.length === 0) refuse(s.groups, '`groups` without `treatment`', where);
    }
}

/** A goal without a label is named by its own text: `lift(responded) >= 15%`. */
export function goalText(kind: string, metric: string | undefined, operator: string, value: number, unit?: string, arm?: string, versus?: string): string {
    const subject = (metric ? `${kind}(${metric})` : kind) + (arm ? ` for ${arm}${versus ? ` vs ${versus}` : ''}` : '');
    const spacer = unit === 'pp' ? ' ' : '';
    return `${subject} ${operator} ${value}${unit ? spacer + unit : ''}`;
}

/** An expression's text with runs of white space (and comments) made one space: the same filter written twice. */
function normalizedText(node: AstNode): string {
    return (node.$cstNode?.text ?? '').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
}

function sameAggregate(a: AggregatePlan, b: AggregatePlan): boolean {
    return a.function === b.function && a.source.name === b.source.name && a.column === b.column && a.filterKey === b.filterKey && a.withinDays === b.withinDays;
}
