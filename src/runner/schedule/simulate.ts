// The day-by-day contact schedule of one campaign, given its customers in their scheduling order: which day each
// treatment customer gets each step (channel capacity permitting, conditional steps skipped when the metric already
// happened), and the exposure date of every customer, control included. Pure: the session feeds it rows from the
// engine and loads the result back (see schedule-campaigns.ts).
//
// The rules (documented in the README, "Capacity and schedule"):
// - A step is due `after N days` from the start of `runs`; when capacity pushed a customer's earlier step later, the
//   later step keeps its distance from it (due = max(start + N, previous step's day + the difference of delays)).
// - Each day, each channel takes its pending contacts in (due day, scheduling order) up to its capacity left on that
//   day (campaigns declared earlier took theirs first). A contact is never pushed beyond the last day of `runs` (or
//   its own due day, if that is later): what does not fit is not made and not charged, and the customer's later steps
//   are not made either (intention to treat: the customer stays in their group).
// - A conditional step (`unless METRIC`) is decided on the morning of its day: the customer is skipped when the metric
//   happened from their exposure up to the day before. A skipped contact takes no capacity and costs nothing.
// - Exposure: a treatment customer's first step day (a first step that did not fit: the last day it could have had). A
//   control customer takes the exposure of the treatment customer just before them in the scheduling order (the first
//   treatment customer's, for control customers before every treatment customer), so both groups' windows are alike.

export interface ScheduleStep {
    channel: string;
    delayDays: number;
    /** `unless METRIC`: the customer is skipped when `happened(customer, from, to)` is true. */
    conditional: boolean;
    /** `channel best of [...]`: the channels the step may use, in the order listed (each customer's: channelOf). */
    options?: string[];
}

export interface ScheduleInput {
    start: number;
    end: number;
    /** Steps per arm, in arm order. */
    arms: ScheduleStep[][];
    /** Contacts a day each channel takes (all campaigns together); a channel not listed has no limit. */
    capacities: ReadonlyMap<string, number>;
    /** Per customer in scheduling order: the arm index, or -1 for control. */
    armOf: Int32Array;
    /** Whether the metric of a conditional step (its declared index) happened for the customer at this position on a day in [from, to). */
    happened?: (position: number, from: number, to: number, step: number) => boolean;
    /** The channel of a `best of` step (its declared index) for the customer at this position: one of its options. */
    channelOf?: (position: number, step: number) => string;
}

/** Contacts already taken per channel and day, shared by the campaigns in declaration order. */
export type ChannelUsage = Map<string, Map<number, number>>;

export const NOT_CONTACTED = -1;

export interface ScheduleResult {
    /** Per customer in scheduling order: the exposure day. */
    exposure: Int32Array;
    /**
     * Per customer and step of their arm: the contact day, or NOT_CONTACTED (skipped by its condition, or did not
     * fit). Step s of the customer at position p is at [p * maxSteps + s].
     */
    contactDays: Int32Array;
    maxSteps: number;
    /** Contacts made, per arm, channel and day (rows in arm, step-channel first appearance and day order). */
    contacts: Array<{ arm: number; channel: string; day: number; contacts: number }>;
    /** Contacts per arm and step (indexes as declared). */
    stepContacts: number[][];
    /** Contacts per arm and step, by the channel that made them (a `best of` step's options; others: the step's channel). */
    stepChannels: Array<Array<Map<string, number>>>;
    /** Contacts that did not fit before the end of `runs`, per channel. */
    overflow: Map<string, number>;
    /** Conditional contacts skipped because the metric had happened, per arm and step. */
    skipped: number[][];
}

interface Pending {
    position: number;
    step: number;
    due: number;
}

export function simulateSchedule(input: ScheduleInput, usage: ChannelUsage): ScheduleResult {
    const n = input.armOf.length;
    // Steps in delay order within each arm (stable), with their declared index kept for the report.
    const ordered = input.arms.map(steps => steps.map((step, index) => ({ ...step, index })).sort((a, b) => a.delayDays - b.delayDays));
    const maxSteps = Math.max(0, ...input.arms.map(steps => steps.length));
    const exposure = new Int32Array(n);
    const contactDays = new Int32Array(n * maxSteps).fill(NOT_CONTACTED);
    const stepContacts = input.arms.map(steps => steps.map(() => 0));
    const stepChannels = input.arms.map(steps => steps.map(() => new Map<string, number>()));
    // A customer's channel for a step: the step's own, or their pick among a `best of` step's options.
    const channelFor = (position: number, step: ScheduleStep & { index: number }) => (step.options && input.channelOf ? input.channelOf(position, step.index) : step.channel);
    const skipped = input.arms.map(steps => steps.map(() => 0));
    const overflow = new Map<string, number>();
    const perDay = new Map<string, number>();
    const exposed = new Uint8Array(n);

    const firstDue = ordered.map(steps => (steps.length > 0 ? input.start + steps[0].delayDays : input.start));
    const campaignFirst = Math.min(...firstDue.length > 0 ? firstDue : [input.start]);
    // One queue per channel, in (due, position) order.
    const queues = new Map<string, Queue>();
    const queueOf = (channel: string) => {
        let q = queues.get(channel);
        if (!q) queues.set(channel, (q = new Queue()));
        return q;
    };
    for (let p = 0; p < n; p++) {
        const arm = input.armOf[p];
        if (arm < 0) continue;
        const steps = ordered[arm];
        if (steps.length === 0) {
            exposure[p] = campaignFirst;
            exposed[p] = 1;
            continue;
        }
        queueOf(channelFor(p, steps[0])).push({ position: p, step: 0, due: firstDue[arm] });
    }

    const channels = () => [...queues.entries()].filter(([, q]) => q.size > 0);
    let day = Math.min(...[...queues.values()].map(q => q.peek()?.due ?? Infinity));
    while (Number.isFinite(day)) {
        // Same-day steps (a delay difference of 0) join a queue while the day is processed: go round until quiet.
        let progress = true;
        while (progress) {
            progress = false;
            for (const [channel, queue] of channels()) {
                const channelUsage = usage.get(channel) ?? new Map<number, number>();
                usage.set(channel, channelUsage);
                const capacity = input.capacities.get(channel);
                while (queue.size > 0 && queue.peek()!.due <= day) {
                    const item = queue.peek()!;
                    const arm = input.armOf[item.position];
                    const step = ordered[arm][item.step];
                    if (day > Math.max(input.end, item.due)) {
                        // Did not fit: not made, nor any later step of this customer.
                        queue.pop();
                        overflow.set(channel, (overflow.get(channel) ?? 0) + 1);
                        if (item.step === 0) {
                            exposure[item.position] = Math.max(input.end, item.due);
                            exposed[item.position] = 1;
                        }
                        progress = true;
                        continue;
                    }
                    const used = channelUsage.get(day) ?? 0;
                    if (capacity !== undefined && used >= capacity) break;
                    queue.pop();
                    progress = true;
                    if (item.step === 0) {
                        exposure[item.position] = day;
                        exposed[item.position] = 1;
                    }
                    const from = exposure[item.position];
                    if (step.conditional && input.happened?.(item.position, from, day, step.index)) {
                        skipped[arm][step.index]++;
                    } else {
                        channelUsage.set(day, used + 1);
                        contactDays[item.position * maxSteps + step.index] = day;
                        stepContacts[arm][step.index]++;
                        const byChannel = stepChannels[arm][step.index];
                        byChannel.set(channel, (byChannel.get(channel) ?? 0) + 1);
                        const key = `${arm}\u0000${channel}\u0000${day}`;
                        perDay.set(key, (perDay.get(key) ?? 0) + 1);
                    }
                    const next = ordered[arm][item.step + 1];
                    if (next) {
                        const due = Math.max(input.start + next.delayDays, day + next.delayDays - step.delayDays);
                        queueOf(channelFor(item.position, next)).push({ position: item.position, step: item.step + 1, due });
                    }
                }
            }
        }
        // The next day something is due or still waiting for capacity.
        const next = Math.min(...[...queues.values()].map(q => q.peek()?.due ?? Infinity));
        day = Number.isFinite(next) ? Math.max(day + 1, next) : Infinity;
    }

    // Control customers: the exposure of the treatment customer before them in the order (or the first one's).
    let previous = -1;
    let firstTreatment = -1;
    for (let p = 0; p < n; p++) if (input.armOf[p] >= 0) { firstTreatment = p; break; }
    for (let p = 0; p < n; p++) {
        if (input.armOf[p] >= 0) {
            previous = p;
            continue;
        }
        exposure[p] = previous >= 0 ? exposure[previous] : firstTreatment >= 0 ? exposure[firstTreatment] : campaignFirst;
    }

    const contacts = [...perDay.entries()].map(([key, count]) => {
        const [arm, channel, day] = key.split('\u0000');
        return { arm: Number(arm), channel, day: Number(day), contacts: count };
    }).sort((a, b) => a.arm - b.arm || channelRank(input.arms[a.arm], a.channel) - channelRank(input.arms[b.arm], b.channel) || a.day - b.day);
    return { exposure, contactDays, maxSteps, contacts, stepContacts, stepChannels, overflow, skipped };
}

/** A channel's place among an arm's steps (a `best of` step's options in the order listed). */
function channelRank(steps: ScheduleStep[], channel: string): number {
    return steps.flatMap(s => s.options ?? [s.channel]).indexOf(channel);
}

/** A binary heap of pending contacts by (due, position). */
class Queue {
    private readonly items: Pending[] = [];

    get size(): number {
        return this.items.length;
    }

    peek(): Pending | undefined {
        return this.items[0];
    }

    push(item: Pending): void {
        const items = this.items;
        items.push(item);
        let i = items.length - 1;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (!before(items[i], items[parent])) break;
            [items[i], items[parent]] = [items[parent], items[i]];
            i = parent;
        }
    }

    pop(): Pending | undefined {
        const items = this.items;
        const top = items[0];
        const last = items.pop();
        if (items.length > 0 && last) {
            items[0] = last;
            let i = 0;
            for (;;) {
                const l = 2 * i + 1, r = l + 1;
                let m = i;
                if (l < items.length && before(items[l], items[m])) m = l;
                if (r < items.length && before(items[r], items[m])) m = r;
                if (m === i) break;
                [items[i], items[m]] = [items[m], items[i]];
                i = m;
            }
        }
        return top;
    }
}

function before(a: Pending, b: Pending): boolean {
    return a.due < b.due || (a.due === b.due && a.position < b.position);
}
