// Generated names never collide with each other or with the plan's names (defect 12): a customers source named
// `segment` with a column `vip` beside a segment `vip`, columns called like the runner's own (__key, __row, __k, __t),
// and the name functions injective across kinds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/runner/report/schema.js';
import { eventsColumn, generatedName, sourceColumn, wideColumn } from '../../src/runner/sql/names.js';
import { evaluateFile, readCsv, repoRoot, runCli, tempDir } from './helpers.js';

const dir = tempDir('mplan-names-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// 100 customers: 10 are VIPs by the column, customers 1..30 spent over 100 (the segment `vip`).
const N = 100;
const customers = Array.from({ length: N }, (_, i) => ({
    id: `c${i + 1}`,
    spend: i < 30 ? 150 + i : 50 + (i % 40),
    vip: i < 5 || i >= 95,
    key: `k${(i * 7) % 13}`,
    row: i % 3
}));
// Events with columns named like the runner's internal ones.
const orders = customers.flatMap((c, i) => Array.from({ length: i % 4 }, (_, j) => ({ id: c.id, at: `2026-10-0${1 + j}`, k: i + j, t: 2 * j + 1 })));

// Defect 12 as reported: the segment `vip` read the column `segment.vip` (5 customers) instead of its condition (30).
const plan = `plan "Names" {
  objective retention
  customers segment from "customers.csv" key id {
    spend: number
    vip: boolean
  }
  segment vip = segment.spend > 100
  segment flagged = segment.vip
}
`;

// The runner's own column names, as plan names.
const internalPlan = `plan "Internal names" {
  objective retention
  customers segment from "customers.csv" key id {
    spend: number
    vip: boolean
    __key: text
    __row: number
  }
  events orders from "orders.csv" customer id time at {
    __k: number
    __t: number
  }
  segment vip = segment.spend > 100
  segment __key = segment.vip
  segment __row = segment.__key = "k0"
  metric row_value = segment.__row
  metric k_sum = sum(orders.__k)
  metric t_mean = mean(orders.__t)
  campaign c {
    audience vip
    runs 2026-10-01 to 2026-10-05
    goal mean(k_sum) >= 0 by 2026-12-01
  }
}
`;

let report: Report, internal: Report;
beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'customers.csv'), ['id,spend,vip,__key,__row', ...customers.map(c => `${c.id},${c.spend},${c.vip},${c.key},${c.row}`)].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'orders.csv'), ['id,at,__k,__t', ...orders.map(o => `${o.id},${o.at},${o.k},${o.t}`)].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'plan.mplan'), plan);
    fs.writeFileSync(path.join(dir, 'internal.mplan'), internalPlan);
    report = await evaluateFile(path.join(dir, 'plan.mplan'), '2026-12-01');
    internal = await evaluateFile(path.join(dir, 'internal.mplan'), '2026-12-01');
}, 60_000);

describe('plan names that look like generated ones', () => {
    it('a segment named like a column of a source named `segment` is the segment', () => {
        expect(customers.filter(c => c.vip).length).toBe(10);
        expect(report.segments.map(s => [s.name, s.size])).toEqual([['vip', customers.filter(c => c.spend > 100).length], ['flagged', 10]]);
        expect(report.segments[0].size).toBe(30);
        expect(report.customers.size).toBe(N);
    });

    it('segments named like the runner\'s columns are the segments', () => {
        const size = (name: string) => internal.segments.find(s => s.name === name)!.size;
        expect(size('vip')).toBe(30);
        expect(size('__key')).toBe(customers.filter(c => c.vip).length);
        expect(size('__row')).toBe(customers.filter(c => c.key === 'k0').length);
    });

    it('columns called __key, __row, __k and __t are the plan\'s columns', () => {
        const audience = customers.filter(c => c.spend > 100);
        const c = internal.campaigns[0];
        expect(c.groups.treatment.size).toBe(audience.length);
        const metric = (name: string) => c.metrics.find(m => m.name === name)!;
        const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
        expect(metric('row_value').treatment).toBeCloseTo(mean(audience.map(a => a.row)), 12);
        const mine = (id: string) => orders.filter(o => o.id === id);
        expect(metric('k_sum').treatment).toBeCloseTo(mean(audience.map(a => mine(a.id).reduce((s, o) => s + o.k, 0))), 12);
        const withOrders = audience.filter(a => mine(a.id).length > 0);
        expect(metric('t_mean').treatmentCount).toBe(withOrders.length);
        expect(metric('t_mean').treatment).toBeCloseTo(mean(withOrders.map(a => mean(mine(a.id).map(o => o.t)))), 12);
    });

    it('segments.csv has the segments, not the columns', async () => {
        const out = path.join(dir, 'audience');
        const result = await runCli(['audience', path.join(dir, 'internal.mplan'), '--out', out, '--as-of', '2026-12-01']);
        expect(result.code, result.stderr).toBe(0);
        const rows = readCsv(path.join(out, 'segments.csv'));
        expect(rows.filter(r => r.vip === '1').length).toBe(30);
        expect(rows.filter(r => r.__key === '1').length).toBe(customers.filter(c => c.vip).length);
    });
});

describe('name functions', () => {
    // Plan names are the grammar's identifiers: the functions rely on them holding neither ':' nor '.'.
    it('rely on identifiers without ":" or "."', () => {
        const grammar = fs.readFileSync(path.join(repoRoot, 'src/language/mplan.langium'), 'utf8');
        expect(grammar).toMatch(/terminal ID: \/\[_a-zA-Z\]\[\\w\]\*\/;/);
    });

    it('are injective across kinds, and never give a fixed internal name', () => {
        const names = ['segment', 'vip', 'value', 'r', 'f', 'm', 'monetary', 'recency', 'col', 'seg', 'score', 'measure', 'win', 'count', 'sum', 'customer',
            'rfm', 'seen', '__key', '__row', '__cid', '__k', '__t', '__n', '__timed', '__w', '_', 'n',
            // RFM scorings as of a campaign's start.
            'value@2026-09-01', 'r@2026-09-01'];
        const fixed = ['__row', '__key', '__cid', '__k', '__t', '__n', '__timed', '__w', 'grp'];
        const seen = new Map<string, string>();
        const add = (name: string, from: string) => {
            expect(seen.has(name) ? seen.get(name) : from, `${name} from ${from}`).toBe(from);
            seen.set(name, from);
            expect(fixed).not.toContain(name);
            expect(name).toContain(':');
        };
        for (const a of names) {
            add(wideColumn.segment(a), `segment ${a}`);
            add(eventsColumn.customer(a), `customer ${a}`);
            add(eventsColumn.seen(a), `seen ${a}`);
            add(sourceColumn(a), `source column ${a}`);
            for (const measure of ['recency', 'frequency', 'monetary'] as const) {
                add(eventsColumn.rfm(a, measure), `rfm ${a} ${measure}`);
                add(wideColumn.measure(a, measure), `measure ${a} ${measure}`);
            }
            for (const score of ['r', 'f', 'm'] as const) add(wideColumn.score(a, score), `score ${a} ${score}`);
            for (const b of names) add(wideColumn.column(a, b), `column ${a} ${b}`);
            for (const aggregate of ['count', `sum.${a}`, `mean.${a}`, `min.${a}`, `max.${a}`]) {
                add(eventsColumn.window('', aggregate), `window rows ${aggregate}`);
                for (const w of ['0', '1', '12']) add(eventsColumn.window(w, aggregate), `window ${w} ${aggregate}`);
            }
        }
        expect(generatedName('col', 'segment', 'vip')).not.toBe(generatedName('seg', 'vip'));
    });
});
