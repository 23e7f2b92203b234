// The `mplan.engine` setting without the editor: which values are accepted, the secret storage key of a server's
// password, and the variables the CLI gets (MPLAN_ENGINE; PGPASSWORD or CLICKHOUSE_PASSWORD, which the engines'
// clients read). Settings
// files are shared, synced and committed, so the password is kept in the editor's secret storage and a URL that
// carries one is refused.
import { redactEngineUrl } from '../runner/engine/engine-url.js';

/** The CLI's engine variable (src/runner/engine/open-engine.ts; not imported: that module loads DuckDB). */
export const ENGINE_ENV = 'MPLAN_ENGINE';
/** The password variable each server engine's client reads (src/runner/engine/postgres-engine.ts, clickhouse-http-engine.ts). */
export const PASSWORD_ENV = { postgres: 'PGPASSWORD', clickhouse: 'CLICKHOUSE_PASSWORD' } as const;
export type ServerEngine = keyof typeof PASSWORD_ENV;
/** Secret storage keys of engine passwords: the prefix, then postgres://user@host:port/database (or clickhouse://...). */
export const SECRET_KEY_PREFIX = 'mplan.engine.password:';

export type EngineSetting =
    /** Empty: the CLI's own default, i.e. MPLAN_ENGINE of the environment VS Code was started with, else DuckDB. */
    | { kind: 'unset' }
    /**
     * `duckdb`, or the URL of an engine whose password the extension does not keep: passed on as it is (the CLI knows
     * which engines exist and refuses the others). `shown`: what the output channel may say.
     */
    | { kind: 'other'; url: string; shown: string }
    /**
     * A database server whose password mplan keeps. `server`: scheme://user@host:port/database, what messages name;
     * `secretKey`: where its password is stored.
     */
    | { kind: 'server'; engine: ServerEngine; url: string; server: string; secretKey: string }
    | { kind: 'invalid'; message: string };

const SET_PASSWORD = '"mplan: Set Engine Password"';

/** Reads the setting's value; never returns or quotes a password it contains. */
export function parseEngineSetting(value: unknown): EngineSetting {
    const url = typeof value === 'string' ? value.trim() : '';
    if (!url) return { kind: 'unset' };
    if (!url.includes('://')) {
        // An engine's name (duckdb). Anything else is not quoted: it may hold a password in some other form.
        if (/^[a-z][a-z0-9+.-]*$/i.test(url)) return { kind: 'other', url, shown: url };
        return { kind: 'invalid', message: 'mplan.engine is neither an engine name (duckdb) nor a URL (postgres://user@host:port/database).' };
    }
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return { kind: 'invalid', message: `mplan.engine: '${redactEngineUrl(url)}' is not a valid URL: give postgres://user@host:port/database.` };
    }
    const engine: ServerEngine | undefined = /^postgres(ql)?:$/i.test(parsed.protocol) ? 'postgres' : /^clickhouses?:$/i.test(parsed.protocol) ? 'clickhouse' : undefined;
    // password=, sslpassword=, token=, api_key=, ...; not sslkey= or token_file=, which name files.
    const passwordParameter = [...parsed.searchParams.keys()].some(name => /pass|secret|token|api_?key/i.test(name) && !/(file|path)$/i.test(name));
    if (parsed.password || passwordParameter) {
        return {
            kind: 'invalid',
            message: `mplan.engine must not contain a password (settings files are shared and committed): remove it from the URL (${redactEngineUrl(url)})${engine ? ` and store it with ${SET_PASSWORD}` : ''}.`
        };
    }
    if (!engine) return { kind: 'other', url, shown: redactEngineUrl(url) };
    // One password per user, server and database: the scheme's spelling, the host's case and query options (sslmode)
    // do not ask for it again. WHATWG URL keeps the host of these schemes as written, hence toLowerCase.
    const scheme = engine === 'postgres' ? 'postgres' : parsed.protocol.toLowerCase().replace(/:$/, '');
    const port = parsed.port || (scheme === 'postgres' ? '5432' : scheme === 'clickhouses' ? '8443' : '8123');
    const user = decoded(parsed.username);
    const server = `${scheme}://${user ? `${user}@` : ''}${parsed.hostname.toLowerCase()}:${port}${decoded(parsed.pathname)}`;
    return { kind: 'server', engine, url, server, secretKey: `${SECRET_KEY_PREFIX}${server}` };
}

function decoded(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/**
 * The variables to set on the CLI's environment for a setting, over the inherited one: nothing when unset (the
 * user's own MPLAN_ENGINE and password variables pass through, as in their terminal); MPLAN_ENGINE when set; and for a
 * server the stored password in its engine's variable, which wins over an inherited one. Throws the setting's problem
 * when it is invalid.
 */
export function engineEnvironment(setting: EngineSetting, password: string | undefined): Record<string, string> {
    switch (setting.kind) {
        case 'unset':
            return {};
        case 'invalid':
            throw new Error(setting.message);
        case 'other':
            return { [ENGINE_ENV]: setting.url };
        case 'server':
            return password ? { [ENGINE_ENV]: setting.url, [PASSWORD_ENV[setting.engine]]: password } : { [ENGINE_ENV]: setting.url };
    }
}

/** What the output channel says about the engine of a run: never a password (the setting has none, checked above). */
export function engineLogText(setting: EngineSetting, password: string | undefined): string | undefined {
    if (setting.kind === 'other') return `engine ${setting.shown}`;
    if (setting.kind !== 'server') return undefined;
    return `engine ${setting.server}${password ? ', password from the secret storage' : ''}`;
}
