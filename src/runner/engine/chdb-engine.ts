// ClickHouse in process, through chDB (the npm package `chdb`, ~550 MB with its native library, so an optional
// install: `npm install chdb`). One chDB Session, whose state (settings, temporary tables) lasts from one query to the
// next, in a temporary folder of its own that close() removes. Everything above "run this SQL" is ClickHouseEngine's,
// shared with the HTTP engine; chDB reads and writes this machine's files itself, through file().
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLICKHOUSE_SETTINGS } from '../sql/clickhouse-dialect.js';
import { ClickHouseEngine, bytesOf, engineError, oneLine } from './clickhouse-engine.js';
import type { InsertData, InsertSource } from './clickhouse-engine.js';
import { EngineError, traceSql } from './engine.js';
import type { EngineOptions } from './engine.js';
import { DEFAULT_MEMORY_LIMIT } from './duckdb-engine.js';

/** The part of chdb's API the engine uses (chdb 3.4). */
interface ChdbSession {
    queryAsync(query: string, options?: { format?: string }): Promise<{ text(): string }>;
    close(): void;
}
interface ChdbModule {
    Session: new (path?: string) => ChdbSession;
}

export const CHDB_MISSING = 'the chdb engine needs the optional package chdb: npm install chdb';

export class ChdbEngine extends ClickHouseEngine {
    private closed = false;

    /** `folder`: the session's own, removed on close. */
    private constructor(private readonly session: ChdbSession, readonly folder: string) {
        super();
    }

    static async open(options: Partial<EngineOptions> = {}): Promise<ChdbEngine> {
        const chdb = loadChdb();
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-chdb-'));
        let session: ChdbSession;
        try {
            session = new chdb.Session(folder);
        } catch (error) {
            fs.rmSync(folder, { recursive: true, force: true });
            throw engineError('chDB', error);
        }
        const engine = new ChdbEngine(session, folder);
        try {
            const settings: Record<string, string | number> = { ...CLICKHOUSE_SETTINGS };
            // Beyond half the cap, sorts and GROUP BYs spill to the session's folder.
            const memory = bytesOf(options.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
            settings.max_memory_usage = memory;
            settings.max_bytes_before_external_group_by = Math.floor(memory / 2);
            settings.max_bytes_before_external_sort = Math.floor(memory / 2);
            if (options.threads) settings.max_threads = options.threads;
            await engine.exec(`SET ${engine.dialect.settings(settings)}`);
        } catch (error) {
            engine.close();
            throw error;
        }
        return engine;
    }

    close(): void {
        if (this.closed) return;
        this.closed = true;
        try {
            this.session.close();
        } finally {
            fs.rmSync(this.folder, { recursive: true, force: true });
        }
    }

    protected async run(sql: string): Promise<string> {
        if (this.closed) throw new EngineError('chDB: the engine is closed');
        const start = performance.now();
        try {
            const result = await this.session.queryAsync(sql, { format: 'JSONCompact' });
            traceSql(sql, start);
            return result.text();
        } catch (error) {
            traceSql(`FAILED: ${sql}`, start);
            throw engineError('chDB', error);
        }
    }

    /** Through a file: the data's own, or one in the session's folder that the chunks are written to. */
    protected async insert(table: string, select: string, source: InsertSource, data: InsertData): Promise<void> {
        const d = this.dialect;
        const settings = source.settings ? ` SETTINGS ${d.settings(source.settings)}` : '';
        const sql = (file: string) => `INSERT INTO ${table} SELECT ${select} FROM file(${d.string(file)}, ${d.string(source.format)}, ${d.string(source.structure)})${settings}`;
        if ('file' in data) return this.exec(sql(data.file));
        const file = path.join(this.folder, `load-${process.hrtime.bigint()}.bin`);
        try {
            const fd = fs.openSync(file, 'w');
            try {
                for (const chunk of data.chunks()) fs.writeSync(fd, chunk);
            } finally {
                fs.closeSync(fd);
            }
            await this.exec(sql(file));
        } finally {
            fs.rmSync(file, { force: true });
        }
    }

    /** file() writes it (see ClickHouseDialect.csvExport), then counts its rows. */
    protected async exportCsv(query: string, columns: Array<{ name: string; type: string }>, filePath: string): Promise<number> {
        const [result] = await this.query(this.dialect.csvExport(query, filePath, columns));
        return Number(result?.Count ?? 0);
    }
}

/**
 * chdb by normal resolution (a user's `npm install chdb`), else from MPLAN_CHDB_MODULE (a folder or file: the tests'
 * separate install), loaded only when the engine opens: its native library is large.
 */
function loadChdb(): ChdbModule {
    const require = createRequire(import.meta.url);
    const candidates = ['chdb', ...(process.env.MPLAN_CHDB_MODULE ? [path.resolve(process.env.MPLAN_CHDB_MODULE)] : [])];
    for (const candidate of candidates) {
        let resolved: string;
        try {
            resolved = require.resolve(candidate);
        } catch {
            continue;
        }
        try {
            return require(resolved) as ChdbModule;
        } catch (error) {
            throw new EngineError(`the chdb engine could not load ${resolved}: ${oneLine(error)}`);
        }
    }
    throw new EngineError(CHDB_MISSING);
}
