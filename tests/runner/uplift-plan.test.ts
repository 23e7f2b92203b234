// `uplift by` in a plan, end to end: MineThatData's Mens e-mail against the No e-mail control, ranked by `history`
// (a customers column), the first goal's metric `visit`. The uplift at every tenth matches an independent computation
// from the file (each group ranked by history, highest first, ties by the customer key, here the row number as text;
// the top floor(k·n) of each), as the issue asks; the report, Markdown and HTML carry it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { readCsv, runCli, sharedData, tempDir } from './helpers.js';

const dir = tempDir('mplan-uplift-plan-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let report: Report;

beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Uplift" {
  objective activation
  customers shoppers from "${path.join(sharedData, 'hillstrom.csv')}" {
    segment: text
    history: number
    visit: number
  }
  channel email cost 0.10 per contact
  metric visited = shoppers.visit
  campaign mens {
    audience everyone
    runs 2008-03-01 to 2008-03-14
    groups from shoppers.segment treatment "Mens E-Mail" control "No E-Mail"
    channel email
    uplift by shoppers.history
    goal lift(visited) >= 3 pp by 2008-04-30
  }
}
`);
    const result = await runCli(['run', 'plan.mplan', '--out', 'out', '--as-of', '2008-06-01', '--data-root', sharedData], dir);
    if (result.code !== 0) throw new Error(result.stderr);
    report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
});

describe('uplift by history on MineThatData, through mplan run', () => {
    it('gives the uplift at every tenth of an independent computation', () => {
        const rows = readCsv(path.join(sharedData, 'hillstrom.csv')).map((r, i) => ({ ...r, key: String(i + 1) }));
        const top = (segment: string, tenth: number) => {
            const group = rows.filter(r => r.segment === segment)
                .sort((a, b) => Number(b.history) - Number(a.history) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
            const n = Math.floor((tenth * group.length) / 10);
            return group.slice(0, n).reduce((s, r) => s + Number(r.visit), 0) / n;
        };
        const u = report.campaigns[0].uplift!;
        expect(u.metric).toBe('visited');
        expect(u.by).toBe('shoppers.history');
        expect(u.points).toHaveLength(10);
        u.points.forEach((p, i) => {
            const t = top('Mens E-Mail', i + 1), c = top('No E-Mail', i + 1);
            expect(p.fraction).toBeCloseTo((i + 1) / 10, 12);
            expect(p.treatment).toBeCloseTo(t, 12);
            expect(p.control).toBeCloseTo(c, 12);
            expect(p.uplift).toBeCloseTo(t - c, 12);
        });
        expect(u.qiniCoefficient).not.toBeNull();
    });

    it('shows the curve in report.md and report.html', () => {
        const u = report.campaigns[0].uplift!;
        const md = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
        const page = fs.readFileSync(path.join(dir, 'out', 'report.html'), 'utf8');
        expect(md).toContain('Uplift by `shoppers.history` (visited, every arm together against control; Qini coefficient');
        expect(md.match(/^\| (10|20|30|40|50|60|70|80|90|100)% \|/gm)).toHaveLength(10);
        expect(page).toContain('<h3>Uplift by shoppers.history</h3>');
        expect(page).toContain('aria-label="Qini curve of the ranking by shoppers.history"');
        expect(u.points[9].uplift!).toBeGreaterThan(0.07);
    });
});
