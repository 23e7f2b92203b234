// The shape of `mplan diff --format json`: per plan, what its text means differently (changes) and what that does to
// the deployment (sizes, contacts, planned cost, MDE). The zod schema is the source of truth: the command checks its
// output against it, and schema/diff.schema.json is generated from it (a test keeps the two in step).
import { z } from 'zod';

export const DIFF_SCHEMA_VERSION = 1;

const setting = z.union([z.string(), z.number()]);
const changeValue = z.union([setting, z.record(z.string(), setting), z.null()])
    .describe('A setting\'s value, or a whole entity\'s settings (added or removed); null on the side where it is absent.');

export const ChangeSchema = z.object({
    path: z.string().describe('The entity and the setting: `campaign winback / control`, `campaign winback / goal "Come back" / deadline`, `channel email / cost per contact`; an entity alone when it was added or removed.'),
    kind: z.enum(['added', 'removed', 'changed']),
    old: changeValue,
    new: changeValue
});

export const DEPLOYMENT_FIELDS = ['audience', 'treatment', 'control', 'contacts', 'days', 'cost', 'mde'] as const;

export const DeploymentChangeSchema = z.object({
    campaign: z.string(),
    arm: z.string().nullable().describe('The arm (`treatment` of an arm, or the arm an MDE judges), or null for the whole campaign.'),
    field: z.enum(DEPLOYMENT_FIELDS).describe('audience, treatment and control: customers; contacts: planned contacts on `channel`; days: days with contacts on `channel` (capacity); cost: the planned cost (contacts and fixed cost, as `mplan audience` checks it); mde: the minimum detectable effect of `goal` in its unit, as `mplan run` reports it.'),
    old: z.number().nullable().describe('Null when the campaign (or arm, channel, goal) is not in the base, or the figure cannot be computed there.'),
    new: z.number().nullable(),
    channel: z.string().optional(),
    goal: z.string().optional().describe('The goal\'s key, as in `changes` paths.'),
    unit: z.enum(['%', 'pp']).nullable().optional().describe('The MDE\'s unit: the goal\'s (null: the metric\'s own unit).'),
    budget: z.number().nullable().optional().describe('With `cost`: the budget on the new side (the old side\'s when the campaign was removed).')
});

export const PlanDiffSchema = z.object({
    path: z.string().describe('The plan file, relative to the working folder.'),
    status: z.enum(['added', 'removed', 'changed', 'unchanged']).describe('added: not in the base; removed: not in the working copy; unchanged: the same meaning.'),
    changes: z.array(ChangeSchema).describe('Empty when both sides mean the same plan.'),
    deployment: z.array(DeploymentChangeSchema).describe('The figures that differ, both sides evaluated on the working copy\'s data; empty when not evaluated (see notes).'),
    currency: z.string().nullable().describe('The plan\'s currency (the new side\'s, else the base\'s), for costs.'),
    evaluated: z.boolean().describe('Whether the deployment was evaluated on both sides (with the data at hand).'),
    notes: z.array(z.string()).describe('What was not evaluated and why: no data, a plan the runner cannot evaluate, MDEs left out where the data holds no outcomes yet.')
});

export const DiffSchema = z.object({
    schemaVersion: z.literal(DIFF_SCHEMA_VERSION),
    base: z.string().describe('What the working copy was compared with: a revision as given (or the default\'s description), or the --base-file.'),
    baseCommit: z.string().nullable().describe('The base\'s commit; null with --base-file.'),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('The evaluation date of the deployment figures.'),
    plans: z.array(PlanDiffSchema)
}).describe('mplan diff (mplan diff --format json)');

export type Diff = z.infer<typeof DiffSchema>;
export type PlanDiff = z.infer<typeof PlanDiffSchema>;
export type DeploymentChange = z.infer<typeof DeploymentChangeSchema>;
export type Change = z.infer<typeof ChangeSchema>;

/** The JSON Schema of `mplan diff --format json`, as committed in schema/diff.schema.json. */
export function diffJsonSchema(): object {
    const { $schema, ...schema } = z.toJSONSchema(DiffSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
    return { $schema, $id: 'https://mplan.dev/schema/diff.schema.json', title: 'mplan diff', ...schema };
}
