// The parts of the audience sizes that need no `vscode`: sizes from a report, the fingerprint of a plan's inputs,
// the code lens title. Unit-tested in tests/extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDataPath, dataRootsOf } from '../language/data-roots.js';
import type { Report } from '../runner/report/schema.js';
import { tokenize } from './plan-outline.js';

export interface CampaignSize {
    audience: number;
    treatment: number;
    control: number;
    /** The drawn or recorded control share (0..1); undefined without a control group. */
    controlShare?: number;
}

/** The sizes of every campaign in a report. */
export function sizesFromReport(report: Report): Map<string, CampaignSize> {
    const sizes = new Map<string, CampaignSize>();
    for (const c of report.campaigns) {
        const a = c.assignment;
        const controlShare = a.kind === 'drawn' ? a.controlShare
            : a.kind === 'recorded' ? a.split[1] / (a.split[0] + a.split[1]) : undefined;
        sizes.set(c.name, { audience: c.audience.size, treatment: c.groups.treatment.size, control: c.groups.control.size, controlShare });
    }
    return sizes;
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

export function firstLines(text: string, count = 3): string {
    return text.split(/\r?\n/).map(l => l.trim()).filter(Boolean).slice(0, count).join(' ');
}
