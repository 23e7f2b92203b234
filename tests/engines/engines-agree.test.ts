// The same numbers everywhere: every example and runnable spec plan, through `mplan run` and `mplan audience` on
// embedded DuckDB, on PostgreSQL (a real server), on ClickHouse in-process (chDB) and on ClickHouse over HTTP
// (clickhouse://, against the stand-in server of clickhouse-http-server.ts: chDB behind our HTTP framing), gives the same report.json (floating-point figures within 1e-9
// relative, everything else exactly, apart from tool.engine) and the same audience files (numbers within 1e-9 relative).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSpec, parseCsv, runCli, sharedData, tempDir } from '../runner/helpers.js';
import { runCli as runBuiltCli } from '../cli/helpers.js';
import { usePostgres } from './postgres-server.js';
import { startClickHouseHttp } from './clickhouse-http-server.js';
import type { ClickHouseHttpServer } from './clickhouse-http-server.js';
import { CHDB_AVAILABLE } from './test-engines.js';

const root = path.resolve(__dirname, '../..');

const PLANS: Array<{ plan: string; asOf: string; dataRoot?: string }> = [
    { plan: path.join(root, 'examples/retention/winback.mplan'), asOf: '2026-12-01' },
    { plan: path.join(root, 'examples/activation/welcome.mplan'), asOf: '2026-12-01' },
    { plan: path.join(root, 'examples/value/value.mplan'), asOf: '2026-12-01' },
    { plan: findSpec('recorded-groups.mplan'), asOf: '2008-06-01', dataRoot: sharedData },
    { plan: findSpec('recorded-arms.mplan'), asOf: '2008-06-01', dataRoot: sharedData }
];

/** Differences between two JSON values: numbers within 1e-9 relative, everything else exactly. */
export function differences(a: unknown, b: unknown, at = ''): string[] {
    if (typeof a === 'number' && typeof b === 'number') {
        return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) ? [] : [`${at}: ${a} ≠ ${b}`];
    }
    if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].flatMap(k => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

describe('DuckDB, PostgreSQL and ClickHouse give the same reports and audience files', () => {
    const server = usePostgres();
    const out = tempDir('mplan-engines-');
    let clickhouseHttp: ClickHouseHttpServer | undefined;
    beforeAll(async () => {
        if (CHDB_AVAILABLE) clickhouseHttp = await startClickHouseHttp();
    }, 120_000);
    afterAll(async () => {
        await clickhouseHttp?.stop();
        fs.rmSync(out, { recursive: true, force: true });
    });

    it('differences() tells numbers apart beyond 1e-9 relative, and any other change', () => {
        expect(differences({ a: [1, 'x'], b: 1 }, { a: [1 + 1e-12, 'x'], b: 1 })).toEqual([]);
        expect(differences({ a: 1 }, { a: 1 + 1e-8 })).toHaveLength(1);
        expect(differences({ a: 'x' }, { a: 'y', b: null })).toHaveLength(2);
    });

    it('mplan diff evaluates both sides on each engine, with the same sizes, costs and MDEs', async () => {
        // The winback example with a smaller control group, against the example as it is (the data of the working copy).
        fs.cpSync(path.join(root, 'examples'), path.join(out, 'diff'), { recursive: true });
        const dir = path.join(out, 'diff', 'retention');
        const plan = path.join(dir, 'winback.mplan');
        const text = fs.readFileSync(plan, 'utf8');
        fs.writeFileSync(path.join(dir, 'old.mplan'), text);
        fs.writeFileSync(plan, text.replace(/control (\d+)%/, 'control 5%'));
        expect(fs.readFileSync(plan, 'utf8')).not.toBe(text);
        // The same sources on both sides: one session reads the data once, so the one-session stand-in serves too.
        const engines = ['duckdb', server().url, ...(CHDB_AVAILABLE ? ['chdb', clickhouseHttp!.url] : [])];
        const diffs = [];
        for (const engine of engines) {
            const result = await runBuiltCli(['diff', '--base-file', 'old.mplan', 'winback.mplan', '--as-of', '2026-12-01', '--format', 'json', '--engine', engine], dir);
            expect(result.stderr).toBe('');
            expect(result.code).toBe(0);
            diffs.push(JSON.parse(result.stdout));
        }
        const deployment = diffs[0].plans[0].deployment;
        expect(deployment.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['control', 'mde']));
        for (const other of diffs.slice(1)) expect(differences(diffs[0], other)).toEqual([]);
    }, 120_000);

    for (const { plan, asOf, dataRoot } of PLANS) {
        it(`${path.basename(plan)}`, async () => {
            // [label, what tool.engine says, --engine]
            const engines: Array<[string, string, string]> = [['duckdb', 'duckdb', 'duckdb'], ['postgres', 'postgres', server().url],
                ...(CHDB_AVAILABLE ? [['chdb', 'clickhouse', 'chdb'], ['clickhouse-http', 'clickhouse', clickhouseHttp!.url]] as Array<[string, string, string]> : [])];
            const results: Record<string, { report: Record<string, any>; files: Map<string, string> }> = {};
            for (const [name, kind, url] of engines) {
                const base = path.join(out, path.basename(plan, '.mplan'), name);
                const common = ['--as-of', asOf, '--engine', url, ...(dataRoot ? ['--data-root', dataRoot] : [])];
                const run = await runCli(['run', plan, '--out', path.join(base, 'report'), ...common]);
                expect(run.stderr).toBe('');
                expect(run.code).toBe(0);
                const audience = await runCli(['audience', plan, '--out', path.join(base, 'audience'), ...common]);
                expect(audience.code).toBe(0);
                const report = JSON.parse(fs.readFileSync(path.join(base, 'report', 'report.json'), 'utf8'));
                expect(report.tool.engine).toBe(kind);
                delete report.tool.engine;
                const folder = path.join(base, 'audience');
                const files = new Map(fs.readdirSync(folder).sort().map(f => [f, fs.readFileSync(path.join(folder, f), 'utf8')]));
                results[name] = { report, files };
            }
            const { duckdb } = results;
            expect(duckdb.files.size).toBeGreaterThan(1);
            for (const [name, other] of Object.entries(results).filter(([n]) => n !== 'duckdb')) {
                expect(differences(duckdb.report, other.report), name).toEqual([]);
                expect([...other.files.keys()], name).toEqual([...duckdb.files.keys()]);
                for (const [file, content] of duckdb.files) {
                    // Cell by cell: the same text, or numbers within 1e-9 relative (scores are doubles; 1.0 may read 1).
                    const cells = (text: string) => parseCsv(text).map(row => row.map(cell => (/^-?[0-9.]+(e[-+]?[0-9]+)?$/i.test(cell) ? Number(cell) : cell)));
                    expect(differences(cells(content), cells(other.files.get(file)!)), `${name}: ${file}`).toEqual([]);
                }
            }
        }, 120_000);
    }
});
