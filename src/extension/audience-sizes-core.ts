// The parts of the audience sizes that need no `vscode`: sizes from a report or from `mplan audience --sizes-json`, the
// fingerprint of a plan's inputs, the code lens titles. Unit-tested in tests/extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDataPath, dataRootsOf } from '../language/data-roots.js';
import type { Report } from '../runner/report/schema.js';
import type { ChannelSummary } from '../runner/report/schedule-summary.js';
import { channelSummaryText, scheduleByChannel } from '../runner/report/schedule-summary.js';
import type { Sizes } from '../runner/sizes-schema.js';
import type { OutlineCampaign } from './plan-outline.js';
import { tokenize } from './plan-outline.js';

export interface CampaignSize {
    audience: number;
    treatment: number;
    control: number;
    /** The drawn or recorded control share (0..1); undefined without a control group. */
    controlShare?: number;
    /** Each arm's treatment customers, in declaration order (a campaign without arms: one, named after it). */
    arms: Array<{ name: string; size: number }>;
    /** The contact schedule per channel. */
    channels: ChannelSummary[];
}

/** The sizes of every campaign in a report (one just written by an evaluation). */
export function sizesFromReport(report: Report): Map<string, CampaignSize> {
    const sizes = new Map<string, CampaignSize>();
    for (const c of report.campaigns) {
        const a = c.assignment;
        // A recorded split is [treatment, control] without arms, [control, arm 1, ...] with arms.
        const controlShare = a.kind === 'drawn' ? a.controlShare
            : a.kind === 'recorded' ? (a.treatment === null ? a.split[0] : a.split[1]) / a.split.reduce((x, y) => x + y, 0) : undefined;
        sizes.set(c.name, {
            audience: c.audience.size, treatment: c.groups.treatment.size, control: c.groups.control.size, controlShare,
            arms: c.arms.map(arm => ({ name: arm.name, size: arm.size })),
            channels: scheduleByChannel(c.schedule)
        });
    }
    return sizes;
}

/** The sizes of every campaign in the output of `mplan audience --sizes-json`. */
export function sizesFromJson(sizes: Sizes): Map<string, CampaignSize> {
    return new Map(sizes.campaigns.map(c => [c.name, {
        audience: c.audience, treatment: c.treatment, control: c.control, controlShare: c.controlShare ?? undefined,
        arms: c.arms.map(arm => ({ name: arm.name, size: arm.size })),
        channels: c.schedule.map(s => ({ ...s }))
    }]));
}

/**
 * The plan file and the files its text names (`from "..."`, `import "..."`), with their modification times. Files
 * outside the plan's root and `extraRoots` are not looked at: the run refuses them, and a plan must not probe them.
 */
export function inputFingerprint(planFile: string, text: string, extraRoots: readonly string[] = []): { key: string; latest: number } {
    const roots = dataRootsOf(planFile, extraRoots);
    const tokens = tokenize(text);
    const files = new Set<string>([planFile]);
    const dataFiles = new Set<string>();
    for (let i = 0; i + 1 < tokens.length; i++) {
        if ((tokens[i].text === 'from' || tokens[i].text === 'import') && tokens[i + 1].kind === 'string') {
            const file = path.resolve(path.dirname(planFile), tokens[i + 1].text.slice(1, -1));
            files.add(file);
            if (tokens[i].text === 'from') dataFiles.add(file);
        }
    }
    let latest = 0;
    const parts = [...files].sort().map(file => {
        if (dataFiles.has(file) && !checkDataPath(file, roots).inside) return `${file}:outside`;
        try {
            const stat = fs.statSync(file);
            latest = Math.max(latest, stat.mtimeMs);
            return `${file}:${stat.size}:${stat.mtimeMs}`;
        } catch {
            return `${file}:missing`;
        }
    });
    return { key: parts.join('|'), latest };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "Audience 349 · control 10% (43)". */
export function sizeTitle(size: CampaignSize): string {
    const share = size.controlShare === undefined ? 'no control group' : `control ${Math.round(size.controlShare * 100)}% (${integer.format(size.control)})`;
    return `Audience ${integer.format(size.audience)} · ${share}`;
}

/** "Arm mail: 4,050 customers". */
export function armTitle(arm: { name: string; size: number }): string {
    return `Arm ${arm.name}: ${integer.format(arm.size)} ${arm.size === 1 ? 'customer' : 'customers'}`;
}

/** "phone: 1,002 contacts from 2026-10-01 to 2026-10-03 (last contact), at most 400 a day". */
export function channelTooltip(s: ChannelSummary): string {
    const contacts = `${integer.format(s.contacts)} ${s.contacts === 1 ? 'contact' : 'contacts'}`;
    return s.days === 1
        ? `${s.channel}: ${contacts} on ${s.first}`
        : `${s.channel}: ${contacts} on ${s.days} days from ${s.first} to ${s.last} (last contact), at most ${integer.format(s.peak)} a day`;
}

/** One size lens: where it goes (0-based line and character of a keyword) and what it says. */
export interface SizeLens {
    line: number;
    character: number;
    /** The keyword's length, for the lens's range. */
    length: number;
    title: string;
    tooltip: string;
}

/**
 * The size lenses of one campaign: on its line the audience and control, then one per channel of its schedule
 * ("phone: 3 days at 2,000/day, last 2027-03-10"); on each `arm NAME` line the arm's size. `fromReport` marks figures of the last report.
 */
export function sizeLenses(campaign: OutlineCampaign, size: CampaignSize, fromReport = false): SizeLens[] {
    const from = fromReport ? ' (from the last report)' : '';
    const lenses: SizeLens[] = [{
        line: campaign.line, character: campaign.character, length: 'campaign'.length, title: sizeTitle(size),
        tooltip: `${integer.format(size.treatment)} in the treatment group, ${integer.format(size.control)} in the control group${from}`
    }];
    for (const channel of size.channels) {
        lenses.push({ line: campaign.line, character: campaign.character, length: 'campaign'.length, title: channelSummaryText(channel), tooltip: channelTooltip(channel) + from });
    }
    for (const arm of campaign.arms) {
        const known = size.arms.find(a => a.name === arm.name);
        if (!known) continue;
        const share = size.treatment > 0 ? `, ${Math.round((known.size / size.treatment) * 100)}% of the treatment group` : '';
        lenses.push({ line: arm.line, character: arm.character, length: 'arm'.length, title: armTitle(known), tooltip: `${integer.format(known.size)} treatment customers in arm ${arm.name}${share}${from}` });
    }
    return lenses;
}

/**
 * The first lines of the CLI's stderr that say something, for a message: not the progress lines (`  0.2s  reading...`,
 * printed before a failure such as an unreachable engine).
 */
export function firstLines(text: string, count = 3): string {
    return text.split(/\r?\n/).map(l => l.trim()).filter(l => l && !/^\d+(\.\d+)?s\s/.test(l)).slice(0, count).join(' ');
}
