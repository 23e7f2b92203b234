// A real, throwaway PostgreSQL 15 server for the engine tests: initdb into a fresh folder under /tmp, started on a
// free port (TCP on 127.0.0.1 with password auth, plus a Unix socket under /tmp for the superuser), with a database
// and a login role that has a password. stop() shuts it down and removes the folder. One server per test file
// (usePostgres() registers beforeAll/afterAll); no globalSetup, so a file that does not use it costs nothing.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export const POSTGRES_BIN = process.env.MPLAN_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
    /** postgres://role:password@127.0.0.1:port/database, as a user would give it to --engine. */
    url: string;
    host: string;
    port: number;
    database: string;
    role: string;
    password: string;
    /** The superuser over the Unix socket (trust auth): fixtures, privileges, checks behind the engine's back. */
    admin(database?: string): Promise<pg.Client>;
    stop(): Promise<void>;
}

const ROLE = 'mplan_runner';
const DATABASE = 'mplan_test';

export async function startPostgres(): Promise<PostgresServer> {
    const initdb = path.join(POSTGRES_BIN, 'initdb');
    if (!fs.existsSync(initdb)) {
        throw new Error(`PostgreSQL 15 is not installed (${initdb} is missing): run .ci/run, or apt-get install -y --no-install-recommends postgresql-15`);
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-pg-'));
    const dataDir = path.join(root, 'data');
    const socketDir = path.join(root, 'socket');
    const logFile = path.join(root, 'server.log');
    fs.mkdirSync(socketDir);
    // initdb refuses root: as root, everything runs as the postgres user, which must own the folder.
    const user = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (user) for (const p of [root, socketDir]) fs.chownSync(p, user.uid, user.gid);
    const run = (command: string, args: string[]) => {
        const result = spawnSync(path.join(POSTGRES_BIN, command), args, { encoding: 'utf8', uid: user?.uid, gid: user?.gid, env: { ...process.env, LC_ALL: 'C', PGPASSWORD: '' } });
        if (result.status !== 0) throw new Error(`${command} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr || result.stdout}\n${readLog(logFile)}`);
        return result.stdout;
    };
    const password = `pw-${Math.random().toString(36).slice(2)}'"\\ x`;
    let started = false;
    const stop = async () => {
        if (started) {
            started = false;
            spawnSync(path.join(POSTGRES_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { uid: user?.uid, gid: user?.gid, stdio: 'ignore' });
        }
        fs.rmSync(root, { recursive: true, force: true });
        process.off('exit', onExit);
    };
    // A crashed test run must not leave a server behind.
    const onExit = () => void stop();
    process.on('exit', onExit);
    try {
        // Trust only on the socket, which lives in a folder only postgres (and root) can enter; TCP asks for a password.
        run('initdb', ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync']);
        fs.chmodSync(socketDir, 0o700);
        for (let attempt = 0; ; attempt++) {
            const port = await freePort();
            const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${socketDir} -c fsync=off -c max_connections=20 -c shared_buffers=16MB`;
            const result = spawnSync(path.join(POSTGRES_BIN, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'], { encoding: 'utf8', uid: user?.uid, gid: user?.gid });
            if (result.status === 0) {
                started = true;
                const server = makeServer(port);
                const admin = await server.admin('postgres');
                try {
                    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD ${literal(password)}`);
                    await admin.query(`CREATE DATABASE ${DATABASE}`);
                } finally {
                    await admin.end();
                }
                return server;
            }
            // Someone took the port between our probe and the start: try another one.
            if (attempt >= 3 || !/could not bind|Address already in use/i.test(readLog(logFile))) {
                throw new Error(`pg_ctl start failed: ${result.stderr}\n${readLog(logFile)}`);
            }
        }
    } catch (error) {
        await stop();
        throw error;
    }

    function makeServer(port: number): PostgresServer {
        return {
            url: `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
            host: '127.0.0.1',
            port,
            database: DATABASE,
            role: ROLE,
            password,
            async admin(database = DATABASE) {
                const client = new pg.Client({ host: socketDir, port, user: 'postgres', database });
                await client.connect();
                return client;
            },
            stop
        };
    }
}

/** Starts a server before the file's tests and stops it after them; call the result inside a test. */
export function usePostgres(): () => PostgresServer {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
        server = await startPostgres();
    }, 120_000);
    afterAll(async () => {
        await server?.stop();
    });
    return () => {
        if (!server) throw new Error('the PostgreSQL server did not start (see beforeAll)');
        return server;
    };
}

function postgresUser(): { uid: number; gid: number } {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find(l => l.startsWith('postgres:'));
    if (!line) throw new Error('there is no postgres user: install postgresql-15 (run .ci/run, or apt-get install -y postgresql-15)');
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

function readLog(file: string): string {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
        return '';
    }
}

function literal(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}
