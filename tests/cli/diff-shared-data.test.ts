// `mplan diff` reads the data once when both sides have the same sources, and the second side reuses the first's CLV
// fit, attitude scores and RFM tables when their definitions are the same: the figures must be those each side gets
// on its own (`mplan audience --sizes-json`), for the example whose segments read a CLV model and an attitude.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diff } from '../../src/cli/diff-schema.js';
import type { Sizes } from '../../src/runner/sizes-schema.js';
import { assertBuilt, makeTempDir, removeDir, repoRoot, runCli } from './helpers.js';
import { edit } from './diff-helpers.js';

const AS_OF = '2027-01-15';
let top: string;
let dir: string;

beforeAll(() => {
    assertBuilt();
    top = makeTempDir();
    dir = path.join(top, 'value');
    for (const folder of ['value', 'shared']) fs.cpSync(path.join(repoRoot, 'examples', folder), path.join(top, folder), { recursive: true });
});
afterAll(() => removeDir(top));

async function sizesOf(plan: string): Promise<Sizes> {
    const result = await runCli(['audience', plan, '--sizes-json', '--as-of', AS_OF], dir);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
}

describe('mplan diff on one load of the data', () => {
    it('fits the CLV model and scores the attitude once, and gives each side the sizes it has on its own', async () => {
        const plan = fs.readFileSync(path.join(dir, 'value.mplan'), 'utf8');
        let old = edit(plan, 'control 20% seed "value-2026"', 'control 10% seed "value-2026"');
        old = edit(old, 'audience recent and worth_keeping', 'audience worth_keeping');
        fs.writeFileSync(path.join(dir, 'old.mplan'), old);

        const result = await runCli(['diff', '--base-file', 'old.mplan', 'value.mplan', '--format', 'json', '--as-of', AS_OF], dir, { MPLAN_PROGRESS: '1' });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toContain('reading the data once');
        for (const step of ['fitting CLV model value', 'scoring attitude prefs']) expect(result.stderr.split(step)).toHaveLength(2);
        // The segments differ (the audience changed): the wide table is made for each side.
        expect(result.stderr.match(/flagging 3 segments/g)).toHaveLength(2);
        const diff: Diff = JSON.parse(result.stdout);
        expect(diff.plans[0].evaluated).toBe(true);

        const [before, after] = [await sizesOf('old.mplan'), await sizesOf('value.mplan')];
        const [b, a] = [before.campaigns[0], after.campaigns[0]];
        const rows = diff.plans[0].deployment;
        const row = (field: string, channel?: string) => rows.find(r => r.campaign === 'value_care' && r.arm === null && r.field === field && (r.channel ?? undefined) === channel);
        expect(a.audience).not.toBe(b.audience);
        for (const field of ['audience', 'treatment', 'control'] as const) expect(row(field)).toMatchObject({ old: b[field], new: a[field] });
        for (const step of a.schedule) {
            const before = b.schedule.find(s => s.channel === step.channel)?.contacts ?? null;
            if (before !== step.contacts) expect(row('contacts', step.channel)).toMatchObject({ old: before, new: step.contacts });
        }
    });
});
