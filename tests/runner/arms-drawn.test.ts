// Drawn groups with arms: control by the documented hash, the rest split between the arms by their shares, decided
// exactly in integers. The engine's split (through `mplan audience`) and the TypeScript reference agree key by key;
// a 3-way split lands on its shares; a customer's group depends on nothing but its own key.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { TWO_POW_64, armThresholds, controlThreshold, drawnGroup } from '../../src/runner/hash.js';
import { evaluateFile, readCsv, runCli, tempDir } from './helpers.js';

const root = tempDir('mplan-arms-drawn-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const SEED = 'spring-2027 ü';
const ARMS = [{ name: 'a', share: 20 }, { name: 'b', share: 30 }, { name: 'c', share: 50 }];

function fixture(name: string, keys: string[], shares = ARMS.map(a => `share ${a.share}% `)): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'customers.csv'), 'id,spent\n' + keys.map((k, i) => `${k},${i % 7}`).join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'plan.mplan'), `plan "Arms" {
  objective growth
  customers people from "customers.csv" key id {
    spent: number
  }
  channel mail cost 0.5 per contact
  metric spent = people.spent
  campaign split {
    audience everyone
    runs 2026-01-01 to 2026-01-10
    control 10% seed "${SEED}"
${ARMS.map((a, i) => `    arm ${a.name} ${shares[i]}{\n      channel mail\n    }`).join('\n')}
    goal lift(spent) >= 10% by 2026-03-01
    goal mean(spent) for c >= 0 by 2026-03-01
  }
}
`);
    return dir;
}

async function groups(dir: string): Promise<Map<string, string>> {
    const result = await runCli(['audience', 'plan.mplan', '--out', 'out'], dir);
    expect(result.code, result.stderr).toBe(0);
    return new Map(readCsv(path.join(dir, 'out', 'split.csv')).map(r => [r.id, r.group]));
}

const reference = (key: string, weights = ARMS.map(a => a.share)) => {
    const g = drawnGroup(SEED, key, 10, weights);
    return g === 'control' ? 'control' : ARMS[g].name;
};

describe('drawn groups with arms', () => {
    it('has exact bounds: control first, then each arm its part of the rest, the last at 2^64', () => {
        expect(armThresholds(50, [1, 1])).toEqual([(TWO_POW_64 * 3n) / 4n, TWO_POW_64]);
        // c = 10%, weights 20:30:50 → 0.1 + 0.9·0.2 = 0.28, 0.1 + 0.9·0.5 = 0.55, 1.
        expect(armThresholds(10, [20, 30, 50])).toEqual([
            (TWO_POW_64 * 28n + 99n) / 100n, (TWO_POW_64 * 55n + 99n) / 100n, TWO_POW_64
        ]);
        // Equal weights are equal parts whatever they are written as; 33.3:33.3:33.4 is not 1:1:1.
        expect(armThresholds(10, [2, 2, 2])).toEqual(armThresholds(10, [1, 1, 1]));
        expect(armThresholds(10, [33.3, 33.3, 33.4])[0]).toBe((TWO_POW_64 * (100n * 1000n + 900n * 333n) + 1000n * 1000n - 1n) / (1000n * 1000n));
        expect(armThresholds(0, [1])).toEqual([TWO_POW_64]);
        expect(controlThreshold(10)).toBeLessThan(armThresholds(10, [1, 1])[0]);
    });

    it('splits in SQL exactly as the TypeScript reference does, for 20,000 keys', async () => {
        const keys = Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? `C-${i}-é` : String(i + 1)));
        const dir = fixture('agree', keys);
        const sql = await groups(dir);
        expect(sql.size).toBe(keys.length);
        let differ = 0;
        for (const key of keys) if (sql.get(key) !== reference(key)) differ++;
        expect(differ).toBe(0);
    });

    it('also when the engine compares the bounds itself (no runner in between)', async () => {
        const engine = await DuckDbEngine.open({ readablePaths: [] });
        try {
            const d = engine.dialect;
            const bounds = armThresholds(10, [1, 2, 3]);
            const control = controlThreshold(10);
            const rows = await engine.query(
                `SELECT k, CASE WHEN h < ${d.bigInteger(control)} THEN -1 ${bounds.slice(0, -1).map((b, i) => `WHEN h < ${d.bigInteger(b)} THEN ${i} `).join('')}ELSE ${bounds.length - 1} END AS g ` +
                `FROM (SELECT k, ${d.controlHash('s', 'k')} AS h FROM (SELECT CAST(i AS VARCHAR) AS k FROM range(1, 20001) t(i)))`
            );
            expect(rows).toHaveLength(20000);
            for (const row of rows) {
                const g = drawnGroup('s', String(row.k), 10, [1, 2, 3]);
                expect(Number(row.g)).toBe(g === 'control' ? -1 : g);
            }
        } finally {
            engine.close();
        }
    });

    let large: Map<string, string>;
    const keys = Array.from({ length: 100000 }, (_, i) => `cust-${i + 1}`);
    beforeAll(async () => {
        large = await groups(fixture('large', keys));
    }, 120000);

    it('lands a 3-way split of 100,000 customers within 1% of the declared shares', () => {
        const counts = new Map<string, number>();
        for (const g of large.values()) counts.set(g, (counts.get(g) ?? 0) + 1);
        const expected: Record<string, number> = { control: 0.1, a: 0.9 * 0.2, b: 0.9 * 0.3, c: 0.9 * 0.5 };
        for (const [g, share] of Object.entries(expected)) {
            expect(Math.abs(counts.get(g)! / keys.length - share), g).toBeLessThan(0.01);
        }
    });

    it("keeps a customer's group when half of the other customers are removed", async () => {
        const half = keys.filter((_, i) => i % 2 === 0);
        const small = await groups(fixture('half', half));
        expect(small.size).toBe(half.length);
        for (const key of half) expect(small.get(key)).toBe(large.get(key));
    });

    it('splits equally when no arm has a share', async () => {
        const some = keys.slice(0, 3000);
        const sql = await groups(fixture('equal', some, ARMS.map(() => '')));
        for (const key of some) expect(sql.get(key)).toBe(reference(key, [1, 1, 1]));
    });

    it('reports each arm against control, the sample ratio over four groups (3 df), and goals per arm', async () => {
        const report = await evaluateFile(path.join(root, 'large', 'plan.mplan'), '2026-06-01');
        const c = report.campaigns[0];
        const counts = (g: string) => [...large.values()].filter(x => x === g).length;
        expect(c.arms.map(a => [a.name, a.share, a.size, a.label])).toEqual(ARMS.map(a => [a.name, a.share / 100, counts(a.name), null]));
        expect(c.groups.control.size).toBe(counts('control'));
        expect(c.srm!.df).toBe(3);
        const sizes = [counts('control'), ...ARMS.map(a => counts(a.name))];
        const shares = [0.1, ...ARMS.map(a => 0.9 * a.share / 100)];
        const chiSquare = sizes.reduce((sum, n, i) => sum + (n - keys.length * shares[i]) ** 2 / (keys.length * shares[i]), 0);
        expect(c.srm!.chiSquare).toBeCloseTo(chiSquare, 6);
        expect(c.goals.map(g => [g.kind, g.arm, g.baseline])).toEqual([
            ['lift', 'a', 'control'], ['lift', 'b', 'control'], ['lift', 'c', 'control'], ['mean', 'c', 'control']
        ]);
        expect(c.arms.map(a => a.cost)).toEqual(ARMS.map(a => counts(a.name) * 0.5));
        // Spent is assigned by row, not by group: no arm's lift is anywhere near 10%.
        expect(c.goals.slice(0, 3).every(g => g.status === 'not-met')).toBe(true);
    }, 60000);
});
