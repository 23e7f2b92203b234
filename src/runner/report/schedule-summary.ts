// A campaign's schedule summed up per channel: the days it contacts on, the busiest day and the total. For the
// reports and the editor's code lenses ("phone: 3 days at 2,000/day").
export interface ScheduleEntry {
    arm: string;
    channel: string;
    date: string;
    contacts: number;
}

export interface ChannelSummary {
    channel: string;
    first: string;
    last: string;
    /** Days with contacts. */
    days: number;
    /** The most contacts on one day. */
    peak: number;
    contacts: number;
}

export function scheduleByChannel(schedule: readonly ScheduleEntry[]): ChannelSummary[] {
    const byChannel = new Map<string, Map<string, number>>();
    for (const row of schedule) {
        const days = byChannel.get(row.channel) ?? new Map<string, number>();
        byChannel.set(row.channel, days);
        days.set(row.date, (days.get(row.date) ?? 0) + row.contacts);
    }
    return [...byChannel].map(([channel, days]) => {
        const dates = [...days.keys()].sort();
        const counts = [...days.values()];
        return { channel, first: dates[0], last: dates[dates.length - 1], days: dates.length, peak: Math.max(...counts), contacts: counts.reduce((a, b) => a + b, 0) };
    });
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "phone: 3 days at 2,000/day, last 2027-03-10" (or "mail: 2027-03-01" for one day). */
export function channelSummaryText(s: ChannelSummary): string {
    return s.days === 1 ? `${s.channel}: ${s.first}` : `${s.channel}: ${s.days} days at ${integer.format(s.peak)}/day, last ${s.last}`;
}
