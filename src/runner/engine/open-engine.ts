// Which database a plan runs on: `--engine URL` or MPLAN_ENGINE, embedded DuckDB by default. The one place that maps
// an engine URL to an engine; everything above it sees only SqlEngine.
import { DuckDbEngine } from './duckdb-engine.js';
import type { EngineOptions, SqlEngine } from './engine.js';
import { EngineUrlError, redactEngineUrl } from './engine-url.js';

/** The environment variable that names the engine when --engine is not given. */
export const ENGINE_ENV = 'MPLAN_ENGINE';

/** The engine URL to use: the flag, else MPLAN_ENGINE, else DuckDB. */
export function engineUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
    return flag?.trim() || env[ENGINE_ENV]?.trim() || 'duckdb';
}

/** The engine's kind, for reports: duckdb, postgres, ... (never the URL, which may carry a password). */
export function engineKind(url: string): string {
    if (embeddedEngine(url) === 'duckdb') return 'duckdb';
    if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
    if (embeddedEngine(url) === 'chdb' || /^clickhouses?:\/\//i.test(url)) return 'clickhouse';
    throw new EngineUrlError(`unknown engine '${redactEngineUrl(url)}': give duckdb (the default), postgres://user@host:port/database, clickhouse://user@host:port/database or chdb`);
}

/** The in-process engine a URL names, if any: DuckDB or chDB, which start empty (no table of the user's is there). */
export function embeddedEngine(url: string): 'duckdb' | 'chdb' | undefined {
    if (/^duckdb$/i.test(url)) return 'duckdb';
    if (/^chdb$/i.test(url)) return 'chdb';
    return undefined;
}

/** Whether two sessions may be open at once in this process (chDB allows one). */
export function concurrentSessions(url: string): boolean {
    return embeddedEngine(url) !== 'chdb';
}

export async function openEngine(url: string, options: EngineOptions): Promise<SqlEngine> {
    switch (engineKind(url)) {
        case 'postgres': {
            // Loaded only when asked for: the default engine never loads the PostgreSQL client.
            const { PostgresEngine } = await import('./postgres-engine.js');
            return PostgresEngine.open(url);
        }
        case 'clickhouse': {
            if (embeddedEngine(url) !== 'chdb') {
                // A ClickHouse server over HTTP; its client is loaded only when asked for.
                const { ClickHouseHttpEngine } = await import('./clickhouse-http-engine.js');
                return ClickHouseHttpEngine.open(url);
            }
            // ClickHouse in-process (the optional chdb package); one session per process, so one engine at a time.
            const { ChdbEngine } = await import('./chdb-engine.js');
            return ChdbEngine.open(options);
        }
        default:
            return DuckDbEngine.open(options);
    }
}
