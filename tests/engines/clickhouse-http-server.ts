// A stand-in for a ClickHouse server's HTTP interface, for ClickHouseHttpEngine's tests (no ClickHouse server can be
// installed here). Only the HTTP framing is ours: every query runs on a real chDB session, the ClickHouse engine
// itself. It speaks what @clickhouse/client uses: POST with the query in the body, or in the `query` parameter with
// an INSERT's data in the body; `session_id` (one session at a time: a new id closes the old session, as a timeout
// would, and a session busy with a query refuses a second, as ClickHouse does), `database`, `default_format` or a
// trailing FORMAT, other parameters as settings; HTTP basic auth or X-ClickHouse-User/Key; errors as ClickHouse sends
// them ("Code: N. DB::Exception: ... (NAME)", X-ClickHouse-Exception-Code). An INSERT's `input(structure)` is read
// from the body, written to a file and given to chDB's file(). Multi-statements are refused, as a server does.
//
// chDB allows one session per process, so the server runs in a child process (vite-node, this file with --serve):
// the test process may open chDB itself.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ClickHouseHttpServer {
    /** clickhouse://user:password@127.0.0.1:port/default, as a user would give it to --engine. */
    url: string;
    port: number;
    user: string;
    password: string;
    /** Every query the server received, in order (from the child's log). */
    queries(): string[];
    stop(): Promise<void>;
}

/** Starts the stand-in in a child process; its user has a password with characters URLs must escape. */
export async function startClickHouseHttp(): Promise<ClickHouseHttpServer> {
    const user = 'mplan';
    const password = `pw-${Math.random().toString(36).slice(2)}:@/ x`;
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-chhttp-')), 'queries.log');
    const viteNode = path.resolve(here, '../../node_modules/vite-node/vite-node.mjs');
    const child: ChildProcess = spawn(process.execPath, [viteNode, fileURLToPath(import.meta.url), '--serve'], {
        env: { ...process.env, STANDIN_USER: user, STANDIN_PASSWORD: password, STANDIN_LOG: log },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the stand-in ClickHouse server did not start: ${output}`)), 60_000);
        const read = (chunk: Buffer) => {
            output += String(chunk);
            const match = /LISTENING (\d+)/.exec(output);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        };
        child.stdout!.on('data', read);
        child.stderr!.on('data', read);
        child.on('exit', code => {
            clearTimeout(timer);
            reject(new Error(`the stand-in ClickHouse server exited (${code}): ${output}`));
        });
    });
    const stop = async () => {
        if (child.exitCode === null) {
            const exited = new Promise(resolve => child.once('exit', resolve));
            child.kill();
            await exited;
        }
        fs.rmSync(path.dirname(log), { recursive: true, force: true });
    };
    return {
        url: `clickhouse://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/default`,
        port,
        user,
        password,
        queries: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\0').filter(Boolean) : []),
        stop
    };
}

interface ChdbSession {
    queryAsync(query: string, options?: { format?: string }): Promise<{ text(): string }>;
    close(): void;
}

/** Parameters of the HTTP interface that are not settings. */
const NOT_SETTINGS = new Set(['query', 'database', 'default_format', 'session_id', 'session_timeout', 'session_check', 'query_id', 'wait_end_of_query', 'user', 'password']);

function serve(): void {
    const require = createRequire(import.meta.url);
    const chdb = require(process.env.MPLAN_CHDB_MODULE ?? path.resolve(here, 'chdb/node_modules/chdb')) as { Session: new (folder: string) => ChdbSession };
    const user = process.env.STANDIN_USER!;
    const password = process.env.STANDIN_PASSWORD!;
    const log = process.env.STANDIN_LOG!;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-chhttp-data-'));
    let session: { id: string | undefined; chdb: ChdbSession; busy: boolean } | undefined;
    let queue: Promise<unknown> = Promise.resolve();

    const fail = (response: http.ServerResponse, status: number, code: number, name: string, message: string) => {
        response.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code) });
        response.end(`Code: ${code}. DB::Exception: ${message}. (${name}) (version stand-in)\n`);
    };

    const server = http.createServer(async (request, response) => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (url.pathname === '/ping') return void response.end('Ok.\n');
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);

        const basic = /^Basic (.*)$/.exec(request.headers.authorization ?? '');
        const [givenUser, givenPassword] = basic
            ? (() => { const text = Buffer.from(basic[1], 'base64').toString(); const at = text.indexOf(':'); return [text.slice(0, at), text.slice(at + 1)]; })()
            : [String(request.headers['x-clickhouse-user'] ?? url.searchParams.get('user') ?? 'default'), String(request.headers['x-clickhouse-key'] ?? url.searchParams.get('password') ?? '')];
        if (givenUser !== user || givenPassword !== password) {
            return fail(response, 403, 516, 'AUTHENTICATION_FAILED', `${givenUser}: Authentication failed: password is incorrect, or there is no user with such name`);
        }
        const database = url.searchParams.get('database') ?? 'default';
        if (database !== 'default') return fail(response, 404, 81, 'UNKNOWN_DATABASE', `Database ${database} does not exist`);

        const inParameter = url.searchParams.get('query');
        let sql = inParameter ?? body.toString('utf8');
        const data = inParameter === null ? undefined : body;
        fs.appendFileSync(log, sql + '\0');
        // A top-level ";" followed by more: what ClickHouse's HTTP interface refuses.
        if (/;\s*\S/.test(sql.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`[^`]*`/g, "''"))) {
            return fail(response, 400, 62, 'SYNTAX_ERROR', 'Multi-statements are not allowed');
        }
        let format = url.searchParams.get('default_format') ?? 'TabSeparated';
        const trailing = /\sFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql);
        const settings = [...url.searchParams].filter(([k]) => !NOT_SETTINGS.has(k)).map(([k, v]) => `${k} = '${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
        let file: string | undefined;
        if (data) {
            // INSERT INTO t SELECT ... FROM input('structure') FORMAT F, the data in the body: read from a file by chDB.
            const insert = /^\s*(INSERT\s+INTO\s+[\s\S]+?\s+SELECT\s+[\s\S]+?\s+FROM\s+)input\(('(?:[^'\\]|\\.)*')\)\s+FORMAT\s+(\w+)\s*$/i.exec(sql);
            if (!insert) return fail(response, 400, 48, 'NOT_IMPLEMENTED', 'the stand-in takes data only for INSERT ... SELECT ... FROM input(...) FORMAT ...');
            file = path.join(root, `insert-${process.hrtime.bigint()}`);
            fs.writeFileSync(file, data);
            sql = `${insert[1]}file('${file}', '${insert[3]}', ${insert[2]})${settings.length ? ` SETTINGS ${settings.join(', ')}` : ''}`;
        } else {
            if (trailing) {
                format = trailing[1];
                sql = sql.slice(0, trailing.index);
            }
            if (settings.length) sql = `${sql.replace(/;\s*$/, '')} SETTINGS ${settings.join(', ')}`;
        }
        const id = url.searchParams.get('session_id') ?? undefined;
        if (id !== undefined && session?.id === id && session.busy) {
            return fail(response, 500, 373, 'SESSION_IS_LOCKED', `Session ${id} is locked by a concurrent client`);
        }
        const run = async () => {
            if (!session || (id !== undefined && session.id !== id)) {
                // A new session: the old one ends, with its temporary tables and settings.
                session?.chdb.close();
                const folder = path.join(root, `session-${process.hrtime.bigint()}`);
                fs.mkdirSync(folder);
                session = { id, chdb: new chdb.Session(folder), busy: false };
            }
            const current = session;
            current.busy = true;
            try {
                return (await current.chdb.queryAsync(sql, { format })).text();
            } catch (error) {
                // chDB keeps what a failed query had written (a header) and prefixes it to the next result: flushed here,
                // as a server's next response would not have it.
                await current.chdb.queryAsync('SELECT 1', { format: 'TabSeparated' }).catch(() => {});
                throw error;
            } finally {
                current.busy = false;
            }
        };
        if (id !== undefined && session?.id === id) session.busy = true;
        const result = queue.then(run);
        queue = result.catch(() => {});
        try {
            const text = await result;
            response.writeHead(200, {
                'Content-Type': 'text/plain; charset=UTF-8',
                'X-ClickHouse-Format': format,
                'X-ClickHouse-Query-Id': url.searchParams.get('query_id') ?? '',
                'X-ClickHouse-Timezone': 'UTC',
                'X-ClickHouse-Summary': JSON.stringify({ read_rows: '0', read_bytes: '0', written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: '0', result_bytes: '0', elapsed_ns: '0' })
            });
            response.end(text);
        } catch (error) {
            const message = (error as Error).message;
            const code = /^Code: (\d+)\./.exec(message)?.[1] ?? '1001';
            response.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': code });
            response.end(`${message}\n`);
        } finally {
            if (file) fs.rmSync(file, { force: true });
        }
    });
    server.listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        process.stdout.write(`LISTENING ${address.port}\n`);
    });
    process.on('SIGTERM', () => {
        session?.chdb.close();
        fs.rmSync(root, { recursive: true, force: true });
        process.exit(0);
    });
}

if (process.argv.includes('--serve')) serve();
