// Plans come from pull requests: names, labels, seeds and paths must never become SQL.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbDialect } from '../../src/runner/sql/duckdb-dialect.js';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import { evaluateFile, readCsv, runCli, tempDir } from './helpers.js';
import { isControl } from '../../src/runner/hash.js';

const d = new DuckDbDialect();

describe('dialect quoting', () => {
    it('quotes identifiers and escapes literals', () => {
        expect(d.ident('a"b')).toBe('"a""b"');
        expect(d.string("it's")).toBe("'it''s'");
        expect(d.string('back\\slash')).toBe("'back\\slash'");
        expect(() => d.string('nul\0')).toThrow();
        expect(d.number(1.5)).toBe('CAST(1.5 AS DOUBLE)');
        expect(() => d.number(Number.NaN)).toThrow();
        expect(d.date(0)).toBe("DATE '1970-01-01'");
    });

    it('refuses data paths that DuckDB would expand as globs', () => {
        for (const bad of ['/data/*.csv', '/data/a?.csv', '/data/[ab].csv', '/data/{a,b}.csv']) {
            expect(() => d.readFile(bad, 'csv')).toThrow(/not allowed/);
        }
        expect(d.readFile("/data/o'hara.csv", 'csv')).toContain("'/data/o''hara.csv'");
    });

    it('round-trips hostile text through the engine unchanged', async () => {
        const engine = await DuckDbEngine.open({ readablePaths: [] });
        try {
            const hostile = ["'; DROP TABLE x; --", '"quoted"', 'back\\slash', '$1', '\u2028line', 'ünï'];
            for (const text of hostile) {
                const [row] = await engine.query(`SELECT ${d.string(text)} AS ${d.ident(text)}`);
                expect(row[text]).toBe(text);
            }
        } finally {
            engine.close();
        }
    });

    it('cannot read files outside the plan\'s data, whatever the SQL', async () => {
        const engine = await DuckDbEngine.open({ readablePaths: [] });
        try {
            await expect(engine.query(`SELECT * FROM read_csv('/etc/passwd')`)).rejects.toThrow(/disabled by configuration|Permission/);
            await expect(engine.exec(`SET enable_external_access = true`)).rejects.toThrow();
        } finally {
            engine.close();
        }
    });
});

describe('hostile plans', () => {
    const dir = tempDir('mplan-hostile-');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('evaluates a plan whose seed, labels, strings and file name are full of quotes', async () => {
        const file = "o'hara \"data\".csv";
        fs.writeFileSync(path.join(dir, file), [
            'id,arm,city,spend',
            ...Array.from({ length: 200 }, (_, i) => `${i + 1},${i % 2 ? "it's \"\"A\"\"" : "x'); DROP TABLE t; --"},${i % 3 ? "O'Brien" : 'plain'},${i % 7}`)
        ].map(l => (l.includes('"') && !l.startsWith('id') ? l.replace(/,([^,]*"[^,]*),/, ',"$1",') : l)).join('\n') + '\n');
        const plan = `plan "Hostile" {
  objective growth
  customers people from ${JSON.stringify(file)} key id {
    arm: text
    city: text
    spend: number
  }
  channel email cost 0.1 per contact
  metric spend = people.spend
  segment obrien = people.city = "O'Brien"
  campaign recorded {
    audience obrien or not obrien
    channel email
    groups from people.arm treatment "it's \\"A\\"" control "x'); DROP TABLE t; --"
    runs 2026-01-01 to 2026-01-31
    goal lift(spend) >= 1% by 2026-03-01
  }
  campaign drawn {
    audience obrien
    channel email
    runs 2026-01-01 to 2026-01-31
    control 20% seed "'); DROP TABLE \\"customers.wide\\"; --"
    goal lift(spend) >= 1% by 2026-03-01
  }
}
`;
        fs.writeFileSync(path.join(dir, 'hostile.mplan'), plan);
        const report = await evaluateFile(path.join(dir, 'hostile.mplan'), '2026-06-01');
        const recorded = report.campaigns[0];
        expect(recorded.groups.treatment.size).toBe(100);
        expect(recorded.groups.control.size).toBe(100);
        expect(report.segments[0].size).toBe(Array.from({ length: 200 }, (_, i) => i).filter(i => i % 3 !== 0).length);

        const out = path.join(dir, 'audience');
        const result = await runCli(['audience', path.join(dir, 'hostile.mplan'), '--out', out]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const seed = "'); DROP TABLE \"customers.wide\"; --";
        for (const row of readCsv(path.join(out, 'drawn.csv'))) {
            expect(row.group).toBe(isControl(seed, row.id, 20) ? 'control' : 'treatment');
        }
    });
});
