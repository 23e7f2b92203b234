// `mplan diff --format markdown`, a pull-request comment: it must render as GitHub-flavoured Markdown (tables with four
// cells a row, folded <details>), escape whatever a plan says, and stay under GitHub's 65,536-character comment limit
// however many campaigns change (it folds, then counts what it cannot show).
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, removeDir, runCli } from './helpers.js';
import { formatDiffMarkdown } from '../../src/cli/diff-markdown.js';
import type { Diff } from '../../src/cli/diff-schema.js';

/** GitHub renders raw <details> and <summary>, so the parser must read HTML as GitHub does. */
const markdown = new MarkdownIt({ html: true });

/** A plan of `count` campaigns (no data: the diff of a plan alone). */
function manyCampaigns(count: number, budget: (i: number) => number, audience: (i: number) => string): string {
    const campaigns = Array.from({ length: count }, (_, i) => `  campaign c${i} {
    audience ${audience(i)}
    channel email
    runs 2027-03-01 to 2027-03-31
    control 10% seed "c${i}"
    budget ${budget(i)}
    goal "Customers of campaign ${i} come back": lift(responded) >= 2 pp by 2027-06-01
  }`);
    return `plan "Many" {
  objective retention
  customers people from "people.csv" key id {
    spend: number
    region: text
  }
  events orders from "orders.csv" customer id time at {
    amount: number
  }
  channel email cost 0.02 per contact
  metric responded = any(orders)
${campaigns.join('\n')}
}
`;
}

/** The rendered tables: per table, its rows as arrays of cell texts (header row first). */
function tables(html: string): string[][][] {
    return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(t => [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
        .map(r => [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(c => c[1])));
}

let dir: string;
beforeAll(() => {
    assertBuilt();
    dir = makeTempDir({
        'old.mplan': manyCampaigns(200, i => 1000 + i, () => 'people.spend > 100'),
        // Five settings of every campaign change: the tables would pass the limit.
        'new.mplan': manyCampaigns(200, i => 2000 + i, i => (i % 2 === 0 ? 'people.spend > 200' : 'people.spend > 100 and people.region = "north"'))
            .replace(/channel email\n/g, 'channel email after 3 days\n').replace(/runs 2027-03-01 to 2027-03-31/g, 'runs 2027-04-01 to 2027-04-30')
            .replace(/control 10%/g, 'control 15%')
    });
});
afterAll(() => removeDir(dir));

describe('mplan diff --format markdown', () => {
    it('stays under the comment limit for a plan with 200 changed campaigns, folding the tables and counting the rest', async () => {
        const result = await runCli(['diff', '--base-file', 'old.mplan', 'new.mplan', '--format', 'markdown'], dir);
        expect(result.code, result.stderr).toBe(0);
        const text = result.stdout;
        expect(text.length).toBeLessThan(65_000);
        const html = markdown.render(text);
        // Folded: the campaign tables sit inside one <details>, the notes (no data here) in another.
        expect(html).toMatch(/<details><summary>200 campaigns: the tables<\/summary>/);
        expect(html).toMatch(/<details><summary>Notes \(1\)<\/summary>/);
        const rendered = tables(html);
        const shown = rendered.length;
        const hidden = Number(/…and ([\d,]+) more campaigns not shown/.exec(text)?.[1].replace(',', '') ?? 0);
        expect(shown).toBeGreaterThan(50);
        expect(hidden).toBeGreaterThan(0);
        expect(shown + hidden).toBe(200);
        // Each campaign's table: its five changed settings, four cells a row.
        for (const table of rendered) {
            expect(table[0]).toEqual(['', '', 'before', 'after']);
            expect(table.slice(1).map(row => row[1])).toEqual(['audience', 'channels', 'runs', 'control', 'budget']);
            for (const row of table) expect(row).toHaveLength(4);
        }
        expect(rendered[0][5]).toEqual(['changed', 'budget', '<code>1000</code>', '<code>2000</code>']);
    });

    it('renders a small diff unfolded, one table per campaign, and escapes what the plan says', async () => {
        const hostile = 'Come back <script>alert(1)</script> | & `x`';
        const old = manyCampaigns(2, () => 1000, () => 'people.spend > 100');
        fs.writeFileSync(path.join(dir, 'small-old.mplan'), old);
        fs.writeFileSync(path.join(dir, 'small.mplan'), old.replace('budget 1000', 'budget 1500').replace('"Customers of campaign 1 come back"', JSON.stringify(hostile)));
        const result = await runCli(['diff', '--base-file', 'small-old.mplan', 'small.mplan', '--format', 'markdown'], dir);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout.split('\n')[0]).toMatch(/^\*\*mplan diff against small-old\.mplan: 1 plan of 1 changed, 3 changes\.\*\*$/);
        const html = markdown.render(result.stdout);
        expect(html).not.toContain('<script>');
        expect(html).not.toMatch(/<details><summary>\d+ campaigns/);
        const rendered = tables(html);
        expect(rendered).toHaveLength(2);
        expect(rendered[0].slice(1)).toEqual([['changed', 'budget', '<code>1000</code>', '<code>1500</code>']]);
        // The label is a goal's key: removed under one, added under the other, every row still four cells.
        expect(rendered[1].slice(1).map(row => [row[0], row.length])).toEqual([['added', 4], ['removed', 4]]);
        expect(rendered[1][1][1]).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | &amp;');
    });

    it('cuts the comment at any limit it is given, keeping every plan\'s title', () => {
        const plan = (name: string) => ({
            path: `${name}.mplan`, status: 'changed' as const, currency: null, evaluated: false, notes: [], deployment: [],
            changes: Array.from({ length: 50 }, (_, i) => ({ path: `campaign c${i} / budget`, kind: 'changed' as const, old: i, new: i + 1 }))
        });
        const diff: Diff = { schemaVersion: 1, base: 'main', baseCommit: null, asOf: '2027-01-01', plans: [plan('a'), plan('b')] };
        const text = formatDiffMarkdown(diff, 5_000);
        expect(text.length).toBeLessThan(5_000);
        expect(text).toContain('#### `a.mplan`');
        expect(text).toContain('#### `b.mplan`');
        expect(text).toMatch(/…and \d+ more campaigns not shown/);
    });
});
