// The shape of `mplan audience PLAN --sizes-json`: each campaign's groups, arms and contact schedule, known once the
// groups are drawn and the contacts scheduled, before any metric is evaluated. The zod schema is the source of truth:
// the runner checks its output against it, the editor parses the command's output with it, and
// schema/sizes.schema.json is generated from it (a test keeps the two in step).
import { z } from 'zod';

export const SIZES_SCHEMA_VERSION = 1;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('An ISO date, YYYY-MM-DD.');
const count = z.number().int().nonnegative();

export const ChannelScheduleSchema = z.object({
    channel: z.string(),
    first: isoDate.describe('The first day with a contact on this channel.'),
    last: isoDate.describe('The last day with a contact on this channel.'),
    days: count.describe('Days with contacts.'),
    peak: count.describe('The most contacts on one day.'),
    contacts: count.describe('Contacts on this channel over the whole schedule, every arm together.')
});

export const CampaignSizesSchema = z.object({
    name: z.string(),
    line: z.number().int().describe('The line of the campaign in the plan file (1-based).'),
    audience: count.describe('Customers matching the audience condition, before earlier overlapping campaigns take theirs (recorded groups: customers with either label).'),
    treatment: count.describe('Customers in the treatment group (every arm together).'),
    control: count.describe('Customers in the control group.'),
    controlShare: z.number().nullable().describe('The drawn control share, or the control part of the declared split of recorded groups, as a fraction; null without a control group.'),
    arms: z.array(z.object({ name: z.string(), size: count }))
        .describe('Each arm and its treatment customers, in declaration order; a campaign without arms has one, named after the campaign.'),
    schedule: z.array(ChannelScheduleSchema)
        .describe('The contact schedule per channel (channel capacity shared by every campaign in declaration order).'),
    contactCost: z.number().describe('Scheduled contacts × each step\'s cost per contact, over every arm and step.'),
    plannedCost: z.number().describe('The cost planned before launch, which `mplan audience` checks against the budget: contactCost plus the fixed cost (the offer\'s cost depends on responses, unknown before launch).'),
    budget: z.number().nullable()
});

export const SizesSchema = z.object({
    schemaVersion: z.literal(SIZES_SCHEMA_VERSION),
    asOf: isoDate.describe('The evaluation date: RFM scores of models without `as of`, and conditions of scheduled steps, are as of it.'),
    campaigns: z.array(CampaignSizesSchema)
}).describe('mplan audience sizes (mplan audience PLAN --sizes-json)');

export type Sizes = z.infer<typeof SizesSchema>;
export type CampaignSizes = z.infer<typeof CampaignSizesSchema>;
export type ChannelSchedule = z.infer<typeof ChannelScheduleSchema>;

/** The JSON Schema of `mplan audience --sizes-json`, as committed in schema/sizes.schema.json. */
export function sizesJsonSchema(): object {
    const { $schema, ...schema } = z.toJSONSchema(SizesSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
    return { $schema, $id: 'https://mplan.dev/schema/sizes.schema.json', title: 'mplan audience sizes', ...schema };
}
