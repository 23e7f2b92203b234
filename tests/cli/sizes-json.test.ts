// `mplan audience PLAN --sizes-json`, the built command: one JSON document on stdout that its schema accepts, no file
// written anywhere, the usual exit codes and messages for plans with errors and usage mistakes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SizesSchema } from '../../src/runner/sizes-schema.js';
import { assertBuilt, makeTempDir, removeDir, runCli, UNRESOLVED_PLAN } from './helpers.js';

const PLAN = `plan "Arms" {
  objective growth
  customers people from "people.csv" key id {
    spend: number
  }
  channel mail cost 0.50 per contact
  channel phone cost 3 per contact capacity 4 per day
  metric spend = people.spend
  campaign spring {
    audience everyone
    runs 2026-05-01 to 2026-05-31
    control 20% seed "spring"
    arm letter {
      channel mail
    }
    arm call {
      channel phone after 2 days
    }
    goal lift(spend) for call >= 10% by 2026-07-01
  }
}
`;

const PEOPLE = 'id,spend\n' + Array.from({ length: 40 }, (_, i) => `${i + 1},${(i * 7) % 50}`).join('\n') + '\n';

/** Every file and folder under a folder, relative to it. */
function listing(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

let dir: string;
beforeAll(() => {
    assertBuilt();
    dir = makeTempDir({ 'plan.mplan': PLAN, 'people.csv': PEOPLE, 'broken.mplan': UNRESOLVED_PLAN });
});
afterAll(() => removeDir(dir));

describe('mplan audience --sizes-json', () => {
    it('prints the sizes as JSON that its schema accepts, writes no file, and exits 0', async () => {
        const before = listing(dir);
        const result = await runCli(['audience', 'plan.mplan', '--sizes-json', '--as-of', '2026-04-01'], dir);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        const parsed = SizesSchema.safeParse(JSON.parse(result.stdout));
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        const sizes = parsed.data!;
        expect(sizes.asOf).toBe('2026-04-01');
        const [spring] = sizes.campaigns;
        expect(spring.name).toBe('spring');
        expect(spring.line).toBe(PLAN.split('\n').indexOf('  campaign spring {') + 1);
        expect(spring.audience).toBe(40);
        expect(spring.control + spring.arms[0].size + spring.arms[1].size).toBe(40);
        expect(spring.arms.map(a => a.name)).toEqual(['letter', 'call']);
        // 4 calls a day from 2026-05-03.
        const calls = spring.arms[1].size;
        expect(calls).toBeGreaterThan(4);
        expect(spring.schedule.find(s => s.channel === 'phone')).toEqual({
            channel: 'phone', first: '2026-05-03', last: `2026-05-${String(3 + Math.ceil(calls / 4) - 1).padStart(2, '0')}`,
            days: Math.ceil(calls / 4), peak: 4, contacts: calls
        });
        expect(spring.contactCost).toBe(0.5 * spring.arms[0].size + 3 * calls);
        expect(spring.plannedCost).toBe(spring.contactCost);
        expect(spring.budget).toBeNull();
        expect(listing(dir)).toEqual(before);
    });

    it('gives one campaign with --campaign, and refuses --out (it writes nothing) and an unknown campaign with exit 2', async () => {
        const one = await runCli(['audience', 'plan.mplan', '--sizes-json', '--campaign', 'spring'], dir);
        expect(one.code, one.stderr).toBe(0);
        expect(JSON.parse(one.stdout).campaigns.map((c: { name: string }) => c.name)).toEqual(['spring']);
        const out = await runCli(['audience', 'plan.mplan', '--sizes-json', '--out', 'sizes'], dir);
        expect(out.code).toBe(2);
        expect(out.stderr).toMatch(/--sizes-json writes no file/);
        expect(fs.existsSync(path.join(dir, 'sizes'))).toBe(false);
        const unknown = await runCli(['audience', 'plan.mplan', '--sizes-json', '--campaign', 'autumn'], dir);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toContain("the plan has no campaign 'autumn' (campaigns: spring)");
        expect(unknown.stdout).toBe('');
    });

    it('refuses a plan with errors: exit 1, its diagnostics and what to do on stderr, nothing on stdout, no stack', async () => {
        const before = listing(dir);
        const result = await runCli(['audience', 'broken.mplan', '--sizes-json'], dir);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^broken\.mplan:13:\d+: error: .*spending/m);
        expect(result.stderr).toContain('mplan audience: the plan has errors; fix them first (mplan check broken.mplan).');
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(listing(dir)).toEqual(before);
    });

    it('refuses missing data with exit 1 and says nothing was written', async () => {
        const missing = makeTempDir({ 'plan.mplan': PLAN });
        try {
            const result = await runCli(['audience', 'plan.mplan', '--sizes-json'], missing);
            expect(result.code).toBe(1);
            expect(result.stdout).toBe('');
            expect(result.stderr).toMatch(/people\.csv/);
            expect(listing(missing)).toEqual(['plan.mplan']);
        } finally {
            removeDir(missing);
        }
    });
});
