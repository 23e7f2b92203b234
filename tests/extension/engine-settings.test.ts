// The `mplan.engine` setting without the editor: which values are accepted, that a URL with a password is refused
// without quoting it, the secret storage key of a server, the variables the CLI gets, and that those variables are
// the ones the CLI reads: a real `mplan audience --sizes-json` with them connects to the server they name (a stand-in
// PostgreSQL that records the login; the stand-in ClickHouse server over chDB, which checks the password) with the
// stored password, and its error, as the extension shows it, names the server and never the password.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLines } from '../../src/extension/audience-sizes-core.js';
import { ENGINE_ENV, PASSWORD_ENV, engineEnvironment, engineLogText, parseEngineSetting } from '../../src/extension/engine-settings-core.js';
// @ts-expect-error: a plain ES module without types, shared with the VS Code tests
import { startFakePostgres } from '../vscode/fake-postgres.mjs';
import { startClickHouseHttp } from '../engines/clickhouse-http-server.js';
import type { ClickHouseHttpServer } from '../engines/clickhouse-http-server.js';
import { CHDB_AVAILABLE } from '../engines/test-engines.js';

const root = path.resolve(__dirname, '../..');
const PASSWORD = 'pw-3xample!';

/** `mplan audience --sizes-json` on the win-back example, with the environment the extension builds. */
function sizes(extra: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // With progress lines on stderr, as the extension runs it.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', MPLAN_PROGRESS: '1', ...extra };
    for (const variable of Object.values(PASSWORD_ENV)) if (!extra[variable]) delete env[variable];
    // Not spawnSync: the stand-in server answers from this process's event loop.
    const child = spawn(process.execPath, [path.join(root, 'bin/mplan.js'), 'audience', 'examples/retention/winback.mplan', '--sizes-json', '--as-of', '2026-12-01'],
        { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += chunk; });
    child.stderr.on('data', chunk => { stderr += chunk; });
    return new Promise(resolve => child.on('close', code => resolve({ code, stdout, stderr })));
}

describe('parseEngineSetting', () => {
    it('leaves an empty setting to the CLI (the environment, else DuckDB)', () => {
        for (const value of ['', '   ', undefined, 42, null]) expect(parseEngineSetting(value)).toEqual({ kind: 'unset' });
        expect(engineEnvironment(parseEngineSetting(''), PASSWORD)).toEqual({});
    });

    it('passes duckdb, and engines whose password it does not keep, on as they are: the CLI knows which exist', () => {
        expect(parseEngineSetting(' DuckDB ')).toEqual({ kind: 'other', url: 'DuckDB', shown: 'DuckDB' });
        expect(engineEnvironment(parseEngineSetting('duckdb'), PASSWORD)).toEqual({ [ENGINE_ENV]: 'duckdb' });
        expect(parseEngineSetting('sqlite')).toEqual({ kind: 'other', url: 'sqlite', shown: 'sqlite' });
        const other = parseEngineSetting('bigquery://analyst@project/marketing?sslkey=/home/a/key.pem');
        // The output channel shows no parameter that looks secret, even a file's path.
        expect(other).toEqual({ kind: 'other', url: 'bigquery://analyst@project/marketing?sslkey=/home/a/key.pem',
            shown: 'bigquery://analyst@project/marketing?sslkey=***' });
        expect(engineEnvironment(other, PASSWORD)).toEqual({ [ENGINE_ENV]: 'bigquery://analyst@project/marketing?sslkey=/home/a/key.pem' });
    });

    it('keys a server\'s password by user, host, port and database', () => {
        const setting = parseEngineSetting('postgres://analyst@db.internal:5432/marketing');
        expect(setting).toEqual({
            kind: 'server',
            engine: 'postgres',
            url: 'postgres://analyst@db.internal:5432/marketing',
            server: 'postgres://analyst@db.internal:5432/marketing',
            secretKey: 'mplan.engine.password:postgres://analyst@db.internal:5432/marketing'
        });
        // The same server spelled differently (scheme, host case, default port, options) keeps its password.
        const same = parseEngineSetting('postgresql://analyst@DB.Internal/marketing?sslmode=require');
        expect(same.kind === 'server' && same.secretKey).toBe('mplan.engine.password:postgres://analyst@db.internal:5432/marketing');
        const keys = ['postgres://other@db.internal:5432/marketing', 'postgres://analyst@db.internal:5433/marketing', 'postgres://analyst@db.internal:5432/sales',
            'postgres://analyst@db2.internal:5432/marketing', 'clickhouse://analyst@db.internal:5432/marketing'].map(url => {
            const s = parseEngineSetting(url);
            return s.kind === 'server' ? s.secretKey : s.kind;
        });
        expect(new Set([...keys, 'mplan.engine.password:postgres://analyst@db.internal:5432/marketing']).size).toBe(6);
        expect(parseEngineSetting('postgres://db.internal/marketing')).toMatchObject({ kind: 'server', server: 'postgres://db.internal:5432/marketing' });
    });

    it('keys a ClickHouse server\'s password the same way, HTTP (port 8123) and HTTPS (8443) apart', () => {
        expect(parseEngineSetting('clickhouse://analyst@CH.internal/marketing?sslkey=/home/a/key.pem')).toEqual({
            kind: 'server',
            engine: 'clickhouse',
            url: 'clickhouse://analyst@CH.internal/marketing?sslkey=/home/a/key.pem',
            server: 'clickhouse://analyst@ch.internal:8123/marketing',
            secretKey: 'mplan.engine.password:clickhouse://analyst@ch.internal:8123/marketing'
        });
        expect(parseEngineSetting('clickhouses://analyst@ch.internal/marketing')).toMatchObject({ server: 'clickhouses://analyst@ch.internal:8443/marketing' });
        expect(parseEngineSetting('clickhouse://ch.internal:9000')).toMatchObject({ server: 'clickhouse://ch.internal:9000' });
    });

    it('refuses a URL with a password, in the user part or as a parameter, on any engine, without quoting the password', () => {
        for (const url of [`postgres://u:${PASSWORD}@h/db`, `postgresql://u:${encodeURIComponent(PASSWORD)}@h:5432/db`, `postgres://u@h/db?password=${PASSWORD}`,
            `postgres://u@h/db?sslmode=require&sslpassword=${PASSWORD}`, `clickhouse://u:${PASSWORD}@h/db`, `clickhouse://u@h/db?access_token=${PASSWORD}`]) {
            const setting = parseEngineSetting(url);
            expect(setting.kind, url).toBe('invalid');
            const message = setting.kind === 'invalid' ? setting.message : '';
            expect(message).toMatch(/^mplan\.engine must not contain a password .*remove it from the URL \((postgres|postgresql|clickhouse):\/\/.*\) and store it with "mplan: Set Engine Password"\.$/);
            expect(message).toContain('***');
            expect(message).not.toContain(PASSWORD);
            expect(message).not.toContain(encodeURIComponent(PASSWORD));
            expect(() => engineEnvironment(setting, undefined)).toThrow(message);
        }
    });

    it('refuses what is neither an engine name nor a valid URL, without quoting a password', () => {
        const invalid = parseEngineSetting(`postgres://u:${PASSWORD}@[bad/db`);
        expect(invalid).toEqual({ kind: 'invalid', message: "mplan.engine: 'postgres://u:***@[bad/db' is not a valid URL: give postgres://user@host:port/database." });
        const garbled = parseEngineSetting(`analyst:${PASSWORD}@db.internal`);
        expect(garbled).toEqual({ kind: 'invalid', message: expect.stringMatching(/^mplan\.engine is neither an engine name/) });
        expect(garbled.kind === 'invalid' && garbled.message).not.toContain(PASSWORD);
    });
});

describe('engineEnvironment and engineLogText', () => {
    const server = parseEngineSetting('postgres://analyst@db.internal:5432/marketing');

    it('sets MPLAN_ENGINE to the URL, and PGPASSWORD (CLICKHOUSE_PASSWORD) only when a password is stored', () => {
        expect(engineEnvironment(server, PASSWORD)).toEqual({ [ENGINE_ENV]: 'postgres://analyst@db.internal:5432/marketing', PGPASSWORD: PASSWORD });
        expect(engineEnvironment(parseEngineSetting('clickhouse://analyst@ch.internal/marketing'), PASSWORD))
            .toEqual({ [ENGINE_ENV]: 'clickhouse://analyst@ch.internal/marketing', CLICKHOUSE_PASSWORD: PASSWORD });
        // Nothing stored: an inherited PGPASSWORD or ~/.pgpass may still answer, so none is set (or cleared).
        expect(engineEnvironment(server, undefined)).toEqual({ [ENGINE_ENV]: 'postgres://analyst@db.internal:5432/marketing' });
        expect(engineEnvironment(server, '')).toEqual({ [ENGINE_ENV]: 'postgres://analyst@db.internal:5432/marketing' });
    });

    it('says which server and where the password comes from, never the password', () => {
        expect(engineLogText(server, PASSWORD)).toBe('engine postgres://analyst@db.internal:5432/marketing, password from the secret storage');
        expect(engineLogText(server, undefined)).toBe('engine postgres://analyst@db.internal:5432/marketing');
        expect(engineLogText(parseEngineSetting('duckdb'), undefined)).toBe('engine duckdb');
        expect(engineLogText(parseEngineSetting('clickhouse://u@h/db?token_file=/t'), PASSWORD)).toBe('engine clickhouse://u@h:8123/db, password from the secret storage');
        expect(engineLogText(parseEngineSetting('bigquery://u@h/db?token_file=/t'), PASSWORD)).toBe('engine bigquery://u@h/db?token_file=***');
        expect(engineLogText(parseEngineSetting(''), PASSWORD)).toBeUndefined();
    });
});

describe('the CLI with these variables', () => {
    let pg: { port: number; connections: { user?: string; database?: string; password?: string }[]; close(): Promise<void> };
    beforeAll(async () => { pg = await startFakePostgres(); });
    afterAll(async () => { await pg?.close(); });

    it('connects to the server of MPLAN_ENGINE as its user, with PGPASSWORD, and names the server, not the password, when refused', async () => {
        const setting = parseEngineSetting(`postgres://mplan@127.0.0.1:${pg.port}/db`);
        const result = await sizes(engineEnvironment(setting, PASSWORD));
        expect(result.code).toBe(1);
        expect(pg.connections).toEqual([{ user: 'mplan', database: 'db', password: PASSWORD }]);
        expect(result.stderr).not.toContain(PASSWORD);
        // What the extension's error message says: the failure, not the progress lines before it.
        expect(result.stderr).toMatch(/^ +\d+\.\ds  /);
        expect(firstLines(result.stderr)).toMatch(new RegExp(`^mplan audience: could not connect to PostgreSQL at 127\\.0\\.0\\.1:${pg.port}/db: `));
        expect(result.stdout).toBe('');
    });

    it('runs on the embedded DuckDB with an empty setting (nothing inherited)', async () => {
        const before = pg.connections.length;
        const extra = engineEnvironment(parseEngineSetting(''), PASSWORD);
        const result = await sizes({ ...extra, [ENGINE_ENV]: '' });
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout).campaigns.length).toBeGreaterThan(0);
        expect(pg.connections.length).toBe(before);
    });
});

describe.skipIf(!CHDB_AVAILABLE)('the CLI with these variables, on a ClickHouse server (the stand-in over chDB)', () => {
    let server: ClickHouseHttpServer;
    beforeAll(async () => { server = await startClickHouseHttp(); }, 120_000);
    afterAll(async () => { await server?.stop(); });

    it('logs in with the stored password as CLICKHOUSE_PASSWORD, and without it is refused, never showing it', async () => {
        const setting = parseEngineSetting(`clickhouse://${server.user}@127.0.0.1:${server.port}/default`);
        expect(setting.kind).toBe('server');
        const refused = await sizes(engineEnvironment(setting, undefined));
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/Authentication failed/);
        const result = await sizes(engineEnvironment(setting, server.password));
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout).campaigns.map((c: { name: string }) => c.name)).toEqual(['winback', 'vip_thanks']);
        expect(result.stderr + refused.stderr).not.toContain(server.password);
    }, 120_000);
});
