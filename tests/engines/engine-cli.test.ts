// `--engine` on the command line: what a user sees when the engine is wrong, unreachable or the data is bad. Errors are
// one line with the server but never the password; data problems read as they do on DuckDB (the same reader checks
// the files); a failed run leaves no table behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../runner/helpers.js';
import { usePostgres } from './postgres-server.js';

const PLAN = `plan "Engines" {
  objective retention
  channel email cost 0.10 per contact
  customers shoppers from "customers.csv" key id { region: text }
  events orders from "orders.csv" customer id time at { amount: number }
  metric revenue = sum(orders.amount)
  campaign c {
    audience everyone
    channel email
    runs 2026-01-01 to 2026-01-31
    control 20% seed "s"
    goal lift(revenue) >= 5% by 2026-03-01
  }
}
`;

describe('mplan run --engine', () => {
    const server = usePostgres();
    const dir = tempDir('mplan-engine-cli-');
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'plan.mplan'), PLAN);
    fs.writeFileSync(path.join(dir, 'customers.csv'), 'id,region\n' + Array.from({ length: 50 }, (_, i) => `${i + 1},${i % 2 ? 'north' : 'south'}`).join('\n') + '\n');
    const plan = path.join(dir, 'plan.mplan');
    const out = path.join(dir, 'out');

    it('refuses an engine it does not know (exit 2), naming it without its password', async () => {
        fs.writeFileSync(path.join(dir, 'orders.csv'), 'id,at,amount\n1,2026-01-05,10\n');
        const result = await runCli(['run', plan, '--out', out, '--engine', 'mysql://u:hunter22@db/x']);
        expect(result.code).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/unknown engine 'mysql:\/\/u:\*\*\*@db\/x'/);
        expect(result.stderr).not.toContain('hunter22');
        expect(fs.existsSync(out)).toBe(false);
    });

    it('says in one line that the server cannot be reached (exit 1), with host and port, never the password', async () => {
        const result = await runCli(['run', plan, '--out', out, '--engine', 'postgres://u:hunter22@127.0.0.1:1/db']);
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/^mplan run: could not connect to PostgreSQL at 127\.0\.0\.1:1\/db: connection refused .*; nothing was written\.$/m);
        expect(result.stderr).not.toContain('hunter22');
        expect(fs.existsSync(out)).toBe(false);
    });

    it('takes the engine from MPLAN_ENGINE when --engine is not given', async () => {
        process.env.MPLAN_ENGINE = 'postgres://u:hunter22@127.0.0.1:1/db';
        try {
            const result = await runCli(['audience', plan, '--out', out]);
            expect(result.code).toBe(1);
            expect(result.stderr).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/db: connection refused/);
        } finally {
            delete process.env.MPLAN_ENGINE;
        }
    });

    it('reports bad data as on DuckDB: same lines, row and column, exit 1, and leaves no table behind', async () => {
        fs.writeFileSync(path.join(dir, 'orders.csv'), 'id,at,amount\n1,2026-01-05,10\n2,2026-01-06,ten\n3,not a date,4\n');
        const duck = await runCli(['run', plan, '--out', out, '--as-of', '2026-03-01']);
        const pg = await runCli(['run', plan, '--out', out, '--as-of', '2026-03-01', '--engine', server().url]);
        expect(duck.code).toBe(1);
        expect(pg.code).toBe(1);
        expect(pg.stderr).toBe(duck.stderr);
        expect(pg.stderr).toMatch(/orders\.csv:3: error: column "amount": "ten" is not a number \[source orders\]/);
        expect(pg.stderr).toMatch(/orders\.csv:4: error: column "at": "not a date" is not a date or time/);
        expect(fs.existsSync(out)).toBe(false);
        const admin = await server().admin();
        try {
            const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_class WHERE relpersistence = 't'");
            expect(rows[0].n).toBe(0);
        } finally {
            await admin.end();
        }
    });

    it('runs once the data is right: the report names the engine', async () => {
        fs.writeFileSync(path.join(dir, 'orders.csv'), 'id,at,amount\n' + Array.from({ length: 200 }, (_, i) => `${(i % 50) + 1},2026-01-${String((i % 28) + 1).padStart(2, '0')},${(i * 7) % 31}`).join('\n') + '\n');
        const result = await runCli(['run', plan, '--out', out, '--as-of', '2026-03-01', '--engine', server().url]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
        expect(report.tool.engine).toBe('postgres');
        expect(report.customers.size).toBe(50);
        expect(JSON.stringify(report)).not.toContain(server().password);
    });
});
