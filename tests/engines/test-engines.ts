// The engines a parameterised suite runs on: embedded DuckDB, and PostgreSQL on a real server started for the test
// file (postgres-server.ts). `forEachEngine` repeats a describe block on each, so the runner's acceptance tests are one
// suite run everywhere, each engine's figures checked against the same independent computations.
import { describe } from 'vitest';
import { usePostgres } from './postgres-server.js';

export interface TestEngine {
    /** duckdb, postgres: what report.json's tool.engine says. */
    name: string;
    /** The URL for --engine / SessionOptions.engine; call it inside a test or hook (a server starts in beforeAll). */
    url(): string;
}

/** Repeats `body` in a describe block per engine, titled `title [engine]`. */
export function forEachEngine(title: string, body: (engine: TestEngine) => void): void {
    describe(`${title} [duckdb]`, () => body({ name: 'duckdb', url: () => 'duckdb' }));
    describe(`${title} [postgres]`, () => {
        const server = usePostgres();
        body({ name: 'postgres', url: () => server().url });
    });
}

/** The CLI arguments that choose the engine. */
export function engineArgs(engine: TestEngine): string[] {
    return ['--engine', engine.url()];
}
