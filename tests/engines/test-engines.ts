// The engines a parameterised suite runs on: embedded DuckDB, PostgreSQL on a real server started for the test file
// (postgres-server.ts), and ClickHouse in-process (chDB, installed apart in tests/engines/chdb). `forEachEngine`
// repeats a describe block on each, so the runner's acceptance tests are one suite run everywhere, each engine's
// figures checked against the same independent computations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe } from 'vitest';
import { usePostgres } from './postgres-server.js';

export interface TestEngine {
    /** duckdb, postgres, clickhouse: what report.json's tool.engine says. */
    name: string;
    /** The URL for --engine / SessionOptions.engine; call it inside a test or hook (a server starts in beforeAll). */
    url(): string;
}

/** Where `npm ci --prefix tests/engines/chdb` puts chdb (.ci/run does); the engine finds it through this variable. */
export const CHDB_MODULE = path.resolve(__dirname, 'chdb/node_modules/chdb');
process.env.MPLAN_CHDB_MODULE ??= CHDB_MODULE;

/**
 * chDB runs where it is installed; under CI it must be (its tests then fail rather than skip when it is missing).
 * Elsewhere a machine without it skips the chDB suites: `npm ci --prefix tests/engines/chdb` installs it (~550 MB).
 */
export const CHDB_AVAILABLE = fs.existsSync(process.env.MPLAN_CHDB_MODULE) || Boolean(process.env.CI);

/** Repeats `body` in a describe block per engine, titled `title [engine]`. */
export function forEachEngine(title: string, body: (engine: TestEngine) => void): void {
    describe(`${title} [duckdb]`, () => body({ name: 'duckdb', url: () => 'duckdb' }));
    describe(`${title} [postgres]`, () => {
        const server = usePostgres();
        body({ name: 'postgres', url: () => server().url });
    });
    describe.skipIf(!CHDB_AVAILABLE)(`${title} [chdb]`, () => body({ name: 'clickhouse', url: () => 'chdb' }));
}

/** The CLI arguments that choose the engine. */
export function engineArgs(engine: TestEngine): string[] {
    return ['--engine', engine.url()];
}
