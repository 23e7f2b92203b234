// The shape of report.json. The zod schema is the source of truth: the runner validates each report against it
// before writing, and schema/report.schema.json is generated from it (a test keeps the two in step).
import { z } from 'zod';

/**
 * 2: goals gain `reason`; `pValue` is the goal's own one-sided test of its target, `adjustedPValue` its Holm adjustment
 * over the campaign's lift goals; `mean` goals have an interval; campaigns gain `roiInterval`; relative intervals use
 * Welch–Satterthwaite t instead of z; ratio metrics t instead of z.
 */
export const REPORT_SCHEMA_VERSION = 2;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('An ISO date, YYYY-MM-DD.');
const interval = z.tuple([z.number(), z.number()]).nullable().describe('A 95% confidence interval [low, high]; null when it cannot be computed.');
const nullableNumber = z.number().nullable();

export const GoalStatus = z.enum(['met', 'not-met', 'inconclusive', 'pending']);

export const MetricResultSchema = z.object({
    name: z.string(),
    kind: z.enum(['column', 'aggregate', 'ratio']),
    definition: z.string().describe('The metric as written in the plan.'),
    treatment: nullableNumber.describe('Treatment mean (ratio metrics: sum of numerator over sum of denominator).'),
    control: nullableNumber.describe('Control mean; null without a control group.'),
    treatmentCount: z.number().int().describe('Treatment customers with a value (mean/min/max leave out customers without events).'),
    controlCount: z.number().int(),
    treatmentTotal: nullableNumber.describe('Sum of the metric over the treatment group.'),
    absoluteLift: nullableNumber,
    relativeLift: nullableNumber.describe('(treatment − control) / control, as a fraction.'),
    ci95: interval.describe('95% interval of the absolute lift: Welch t (ratio metrics: delta-method variances, Welch–Satterthwaite df).'),
    relativeCi95: interval.describe('95% interval of the relative lift (delta method, Welch–Satterthwaite df), as fractions; null when the control mean is not clearly above 0.'),
    pValue: nullableNumber.describe('Two-sided p-value of "no difference".'),
    df: nullableNumber.describe('Welch–Satterthwaite degrees of freedom.'),
    controlVariance: nullableNumber.describe('Per-customer variance in the control group (ratio metrics: delta-method equivalent).'),
    costPerIncrement: nullableNumber.describe("Cost per incremental response: cost ÷ (absolute lift × group size), with the campaign's cost in campaigns[].metrics, the arm's in arms[].metrics, in comparisons[].metrics what arm A costs beyond arm B for A's customers (cost_A − cost_B × n_A / n_B); null for a metric that does not add up over customers (a ratio, mean, min or max), a lift not above 0 or not measured, or no cost.")
});

export const GoalResultSchema = z.object({
    label: z.string(),
    line: z.number().int().describe('The line of the goal in the plan file (1-based).'),
    kind: z.enum(['lift', 'total', 'mean', 'roi', 'cost']),
    metric: z.string().nullable(),
    operator: z.enum(['>=', '<=']),
    target: z.number(),
    unit: z.enum(['%', 'pp']).nullable(),
    deadline: isoDate.nullable(),
    status: GoalStatus,
    reason: z.string().describe('One sentence that explains the verdict, or why none can be given.'),
    final: z.boolean().describe('True when the evaluation date is past the deadline.'),
    value: nullableNumber.describe("The point value in the goal's unit (lift goals: the lift estimate)."),
    interval: interval.describe("Lift, mean and roi goals: the 95% interval in the goal's unit."),
    pValue: nullableNumber.describe("Lift and mean goals: the one-sided p-value of the goal's own test (H0: the target is not reached)."),
    adjustedPValue: nullableNumber.describe("Lift goals: pValue Holm-adjusted over the campaign's lift goals; met when below 0.025."),
    mde: nullableNumber.describe("Lift goals: minimum detectable effect at 80% power and 5% significance, in the goal's unit."),
    underpowered: z.boolean().describe('The target is below the minimum detectable effect: the test cannot tell.'),
    arm: z.string().nullable().describe('The arm judged (a campaign without arms: the campaign name); null for a campaign-wide cost goal of a campaign with arms.'),
    baseline: z.string().nullable().describe('What the arm is compared with: "control", or another arm (`for A vs B`); null when the goal compares nothing (cost).')
});

export const ArmResultSchema = z.object({
    name: z.string().describe('The arm (a campaign without arms: one arm named after the campaign).'),
    label: z.string().nullable().describe('Recorded groups: the value of the group column that marks the arm.'),
    share: nullableNumber.describe("Drawn groups: the arm's part of the treatment group, as a fraction."),
    size: z.number().int(),
    metrics: z.array(MetricResultSchema).describe('Every metric, this arm (treatment fields) against control.'),
    cost: z.number().describe("The arm's contacts × each of its steps' channel cost, plus its offer cost (the campaign's fixed cost is not an arm's)."),
    offerCost: nullableNumber.describe("The offer's cost per unit × the arm's units of the offer's metric; 0 without an offer cost; null while the metric is not measured (not in cost then)."),
    roi: nullableNumber.describe("The arm's (incremental value × margin − cost) / cost."),
    roiInterval: interval
});

export const ComparisonResultSchema = z.object({
    arm: z.string(),
    baseline: z.string(),
    metrics: z.array(MetricResultSchema).describe('Every metric, the arm (treatment fields) against the baseline arm (control fields).')
});

export const CampaignResultSchema = z.object({
    name: z.string(),
    line: z.number().int().describe('The line of the campaign in the plan file (1-based).'),
    status: z.enum(['pending', 'running', 'complete']),
    runs: z.object({ start: isoDate, end: isoDate }),
    exposure: isoDate.describe('The first exposure: the campaign\'s first contact. Each customer is exposed at their own first scheduled contact (control: that of the treatment customer before them in the scheduling order).'),
    lastExposure: isoDate.describe('The last customer\'s exposure (the same as exposure unless capacity, conditional steps or arms spread the first contacts).'),
    window: z.object({ start: isoDate, end: isoDate, days: z.number().int(), measuredUntil: isoDate })
        .describe('Attribution windows for event metrics: each customer\'s [exposure, exposure + days); start is the first exposure, end the last window\'s end; measuredUntil is where the evaluation date cuts them.'),
    assignment: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('drawn'), controlShare: z.number(), seed: z.string(), hash: z.string() }),
        z.object({
            kind: z.literal('recorded'), source: z.string(), column: z.string(),
            treatment: z.string().nullable().describe('The treatment label; null with arms (each arm has its label).'),
            control: z.string(),
            split: z.array(z.number()).describe('The declared split as written: [treatment, control] without arms, [control, arm 1, ...] with arms.')
        }),
        z.object({ kind: z.literal('none') })
    ]),
    audience: z.object({
        size: z.number().int().describe('Customers matching the audience condition (recorded groups: with either label); with `limit`, the audience after the cap.'),
        beforeLimit: z.number().int().describe('With `limit`: the customers the cap chose from (the audience less what earlier campaigns took); otherwise the same as size.'),
        limit: z.number().int().nullable().describe('The `limit N` of the campaign, or null.'),
        cutoff: nullableNumber.describe('With `limit N by EXPR`: the lowest EXPR admitted (as of the campaign\'s start); null otherwise.'),
        excluded: z.array(z.object({ campaign: z.string(), customers: z.number().int() })).describe('Audience members that earlier overlapping campaigns took.')
    }),
    groups: z.object({ treatment: z.object({ size: z.number().int() }), control: z.object({ size: z.number().int() }) })
        .describe('With arms, treatment is every arm together.'),
    srm: z.object({ expectedControlShare: z.number(), chiSquare: z.number(), pValue: z.number(), ok: z.boolean(), df: z.number().int().describe('Groups minus 1.') }).nullable(),
    metrics: z.array(MetricResultSchema).describe('Treatment (with arms: every arm pooled) against control.'),
    arms: z.array(ArmResultSchema),
    comparisons: z.array(ComparisonResultSchema).describe('One per `for A vs B` pair the goals use.'),
    goals: z.array(GoalResultSchema),
    steps: z.array(z.object({
        channel: z.string(),
        via: z.string().nullable().describe('A `best of` step: its text (`best of [email, sms, phone] by prefs.channel`); the step has one row per channel listed.'),
        date: isoDate, costPerContact: z.number(), contacts: z.number().int(), cost: z.number()
    })).describe('Per arm and step (and, for a `best of` step, per channel): the step\'s due date (start of runs + its delay) and the contacts actually made (capacity and conditions permitting).'),
    uplift: z.object({
        by: z.string().describe('The ranking expression as written.'),
        metric: z.string().describe("The campaign's first goal metric (per customer)."),
        points: z.array(z.object({
            fraction: z.number(),
            treatment: nullableNumber.describe("The metric's mean in the top fraction of treatment (every arm together), ranked by `by`."),
            control: nullableNumber,
            uplift: nullableNumber.describe('treatment − control.'),
            qini: nullableNumber.describe('The Qini curve of the pooled ranking after its top fraction: Y_t − Y_c · N_t / N_c.')
        })),
        qiniCoefficient: nullableNumber.describe("scikit-uplift's qini_auc_score (negative_effect=True): 1 for the perfect ranking, about 0 for a random one.")
    }).nullable().describe('`uplift by EXPR`: how well EXPR ranks who responds because of the campaign; null without it.'),
    schedule: z.array(z.object({ arm: z.string(), channel: z.string(), date: isoDate, contacts: z.number().int() }))
        .describe('Contacts per arm, channel and day, as scheduled (at most the channel\'s capacity a day, over every campaign).'),
    cost: z.number().describe('The contacts made × each step’s channel cost (over every arm) + offer cost + fixed cost.'),
    fixedCost: z.number().describe('`fixed cost`: the campaign’s, whatever its size; 0 without.'),
    offerCost: nullableNumber.describe("The offer's cost per unit × the treatment group's units of the offer's metric (every arm); 0 without an offer cost; null while the metric is not measured (not in cost then)."),
    margin: nullableNumber.describe("The margin ROI counts the value metric's increment at, as a fraction (the campaign's, else the plan's); null: ROI on the value itself."),
    budget: nullableNumber,
    overBudget: z.boolean(),
    valueMetric: z.string().nullable(),
    incrementalValue: nullableNumber.describe('(treatment mean − control mean) × treatment size, of the value metric (before the margin).'),
    roi: nullableNumber.describe('(incremental value × margin − cost) / cost; margin 1 when none is declared.'),
    roiInterval: interval.describe("The ROI's 95% interval: the value metric's lift interval mapped through the same line (the cost is fixed)."),
    warnings: z.array(z.string())
});

const CumulativeRowSchema = z.object({
    period: z.number().describe('Periods from the calibration end to the end of `until` (whole, except the last row when the holdout ends within a period).'),
    until: isoDate.describe('The last day counted (included).'),
    actual: z.number().int().describe('Repeat purchase days (same-day purchases one) of the customers fitted, from the day after the calibration end through `until`.'),
    expected: z.number().describe('Σ E[X(t) | x, t_x, T] over the customers fitted, t = period: the purchases the model expects of them over the same span.')
});

export const ClvResultSchema = z.object({
    name: z.string(),
    model: z.enum(['bgnbd', 'paretonbd']),
    period: z.string(),
    calibration: z.object({ start: isoDate, end: isoDate }).describe('Both days included.'),
    customers: z.number().int().describe('Customers fitted: those with a purchase in the calibration period.'),
    parameters: z.record(z.string(), z.number()).describe('{ r, alpha, a, b } (bgnbd) or { r, alpha, s, beta } (paretonbd), maximum likelihood.'),
    standardErrors: z.record(z.string(), z.number()).nullable().describe('Same keys; null when the Hessian is singular or not positive definite.'),
    logLikelihood: nullableNumber,
    converged: z.boolean(),
    problem: z.string().nullable().describe('Why the fit is not to be trusted (no convergence, a parameter at a bound, an unusable Hessian).'),
    spend: z.object({
        p: z.number(), q: z.number(), v: z.number(), customers: z.number().int(),
        standardErrors: z.record(z.string(), z.number()).nullable(), converged: z.boolean(), problem: z.string().nullable()
    }).nullable().describe('The Gamma-Gamma spend model, on customers with a repeat purchase (mean of their repeat purchase days); null without `monetary`.'),
    holdout: z.array(z.object({
        purchases: z.string().describe('Repeat purchases in the calibration period (the last row: that many or more).'),
        customers: z.number().int(),
        actual: z.number().describe('Their repeat purchase days after calibration, up to holdoutUntil.'),
        expected: z.number().describe('What the model expects for them over the same span.')
    })).describe('Calibration/holdout check: empty when the evaluation date leaves no day after calibration.'),
    holdoutUntil: isoDate,
    holdoutPeriods: z.number(),
    calibrationCumulative: z.array(CumulativeRowSchema.extend({
        period: z.number().describe('Periods from the calibration start to the end of `until` (the last row may be a partial period ending on the calibration end).'),
        actual: z.number().int().describe('Repeat purchase days (days with a purchase after the first; same-day purchases one) of the customers fitted, from the calibration start through `until`.'),
        expected: z.number().describe('Σ E[X(t)] over the customers whose first purchase is on or before `until`, t the periods from it to the end of `until`: what the model expects of customers first buying on those days.')
    })).describe('The cumulative chart of the papers, calibration part: one row per period of the calibration; empty without a usable fit.'),
    holdoutCumulative: z.array(CumulativeRowSchema).describe('The cumulative chart after calibration: one row per whole period from the day after the calibration end, and a last partial period ending on holdoutUntil (its totals are the holdout table\'s); empty without a usable fit or a day after calibration.')
});

export const AttitudeResultSchema = z.object({
    name: z.string(),
    source: z.string(),
    asOf: isoDate.describe('The reference date: contacts before it count, and ages are measured to it (the evaluation date).'),
    halfLifeDays: nullableNumber.describe('null: every contact weighs the same.'),
    prior: z.number().describe('k, in contacts.'),
    by: z.array(z.object({
        column: z.string(),
        values: z.array(z.object({
            value: z.string(),
            rate: z.number().describe("p_v: the population's weighted response rate, Σ w·y / Σ w over every customer's contacts with the value."),
            contacts: z.number().int().describe('Contacts with the value and a recorded response before asOf.'),
            customers: z.number().int().describe('Customers with such a contact (the others score 100·rate).'),
            mean: nullableNumber.describe("The mean score over the plan's customers."),
            quantiles: z.object({ p10: nullableNumber, p25: nullableNumber, p50: nullableNumber, p75: nullableNumber, p90: nullableNumber })
                .describe('Score quantiles over the plan\'s customers (linear interpolation).'),
            histogram: z.array(z.number().int()).length(10).describe('Customers by score: [0, 10), [10, 20), ..., [90, 100].')
        }))
    }))
});

export const RfmResultSchema = z.object({
    name: z.string(),
    source: z.string(),
    asOf: isoDate,
    bins: z.number().int(),
    scored: z.number().int().describe('Customers with at least one event before as of.'),
    unscored: z.number().int(),
    cuts: z.object({ r: z.array(z.number()).nullable(), f: z.array(z.number()).nullable(), m: z.array(z.number()).nullable() })
        .describe('Inner cut points at 1/N ... (N−1)/N: recency in days, frequency, monetary.'),
    grid: z.array(z.object({ r: z.number().int(), f: z.number().int(), customers: z.number().int(), value: nullableNumber }))
        .describe('Customers and monetary value per recency × frequency score.'),
    m: z.array(z.object({ score: z.number().int().nullable(), customers: z.number().int() }))
});

export const ReportSchema = z.object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    tool: z.object({ name: z.literal('mplan'), version: z.string(), engine: z.string().optional().describe('The engine the plan ran on: duckdb (embedded), postgres, ... Never its URL.') }),
    plan: z.object({ name: z.string(), file: z.string().describe('The plan file, relative to the folder mplan ran in.'), objective: z.string().nullable(), owner: z.string().nullable(), currency: z.string().nullable() }),
    asOf: isoDate,
    customers: z.object({ source: z.string(), size: z.number().int() }),
    sources: z.array(z.object({ name: z.string(), kind: z.enum(['customers', 'events']), path: z.string(), rows: z.number().int() })),
    segments: z.array(z.object({ name: z.string(), description: z.string().nullable(), size: z.number().int(), share: z.number() }))
        .describe('Segment sizes as of the evaluation date (aggregates count the events before it).'),
    tiers: z.array(z.object({
        name: z.string(),
        description: z.string().nullable(),
        valueMetric: z.string().nullable().describe("The plan's value metric (the first campaign's `value`, else `revenue`), when it adds up over customers."),
        tiers: z.array(z.object({
            name: z.string(), size: z.number().int(), share: z.number(),
            value: nullableNumber.describe("The tier's customers' value metric over all their events before the evaluation date (a column: its sum).")
        })),
        uncovered: z.number().int().describe('Customers in no tier (only without `otherwise`).')
    })).describe('Each `tiers` declaration as of the evaluation date: the customers of each tier (first match wins).'),
    rfm: z.array(RfmResultSchema),
    clv: z.array(ClvResultSchema).describe('Each `clv` model fitted, with its holdout check.'),
    attitude: z.array(AttitudeResultSchema).describe('Each `attitude` as of the evaluation date: per `by` column, every value seen, its population rate and the distribution of scores.'),
    campaigns: z.array(CampaignResultSchema),
    warnings: z.array(z.string())
}).describe('mplan evaluation report');

export type Report = z.infer<typeof ReportSchema>;
export type CampaignResult = z.infer<typeof CampaignResultSchema>;
export type MetricResult = z.infer<typeof MetricResultSchema>;
export type GoalResult = z.infer<typeof GoalResultSchema>;
export type ArmResult = z.infer<typeof ArmResultSchema>;
export type RfmResult = z.infer<typeof RfmResultSchema>;
export type ClvResult = z.infer<typeof ClvResultSchema>;
export type AttitudeResult = z.infer<typeof AttitudeResultSchema>;

/** The JSON Schema of report.json, as committed in schema/report.schema.json. */
export function reportJsonSchema(): object {
    const { $schema, ...schema } = z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
    return { $schema, $id: 'https://mplan.dev/schema/report.schema.json', title: 'mplan report', ...schema };
}
