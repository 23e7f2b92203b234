// The CLI's launcher keeps V8's compiled code of the bundle between runs: Node's own compile cache from Node 22.8 on,
// its own code cache before (Node 20). The cache runs as the user, so it must be in a folder only the user can write;
// a damaged cache must not stop the CLI; NODE_DISABLE_COMPILE_CACHE=1 turns caching off.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VALID_PLAN, assertBuilt, makeTempDir, removeDir, repoRoot, runCli } from './helpers.js';

const nodeHasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const uid = process.getuid?.();
let tmp: string;

beforeAll(() => assertBuilt());
afterEach(() => removeDir(tmp));

/** The launcher's cache folder under a TMPDIR, and its files. */
function cacheFolder(): string {
    return path.join(tmp, `mplan-code-cache${uid === undefined ? '' : `-${uid}`}`);
}
function cacheFiles(): string[] {
    return fs.existsSync(cacheFolder()) ? fs.readdirSync(cacheFolder()).filter(f => f.endsWith('.bin')) : [];
}

const ENV = { NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined };

/** `mplan check` of a valid plan, with TMPDIR in the test's folder: a command, whose run makes the cache. */
async function check(env: NodeJS.ProcessEnv = {}): Promise<void> {
    fs.writeFileSync(path.join(tmp, 'plan.mplan'), VALID_PLAN);
    const result = await runCli(['check', 'plan.mplan'], tmp, { TMPDIR: tmp, ...ENV, ...env });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain('0 errors');
    expect(result.stderr).toBe('');
}

async function version(env: NodeJS.ProcessEnv = {}): Promise<void> {
    const result = await runCli(['--version'], tmp, { TMPDIR: tmp, ...ENV, ...env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.stderr).toBe('');
}

describe('the CLI launcher', () => {
    it('starts a bundle that is ASCII only, which Node reads as a one-byte string', () => {
        tmp = makeTempDir();
        const bundle = fs.readFileSync(path.join(repoRoot, 'dist', 'cli', 'mplan-main.cjs'));
        const first = bundle.findIndex(byte => byte > 0x7f);
        // A typographic mark in the text of a tagged template (html`... · ...`) stays as it is: write it as an escape.
        expect(first, first < 0 ? '' : `non-ASCII in the bundle: ...${bundle.subarray(Math.max(0, first - 60), first + 20).toString('utf8')}...`).toBe(-1);
    });

    it('keeps the compiled code between runs, in a folder only this user can write', async () => {
        tmp = makeTempDir();
        if (nodeHasCompileCache) {
            // Node's own cache, where NODE_COMPILE_CACHE says (the extension sets it); the launcher keeps none of its own.
            const nodeCache = path.join(tmp, 'node-cache');
            await check({ NODE_COMPILE_CACHE: nodeCache });
            expect(fs.readdirSync(nodeCache, { recursive: true }).length).toBeGreaterThan(0);
            expect(fs.existsSync(cacheFolder())).toBe(false);
            return;
        }
        // Printing the version compiles next to nothing of the commands: the first command makes the cache.
        await version();
        expect(cacheFiles()).toEqual([]);
        await check();
        const [file] = cacheFiles();
        expect(cacheFiles()).toHaveLength(1);
        const cache = path.join(cacheFolder(), file);
        if (uid !== undefined) {
            expect(fs.statSync(cacheFolder()).mode & 0o777).toBe(0o700);
            expect(fs.statSync(cache).mode & 0o777).toBe(0o600);
        }
        // V8's code cache of a 2 MB bundle: far more than a stub.
        expect(fs.statSync(cache).size).toBeGreaterThan(100_000);

        // Taken as it is by the next run: not written again (a rejected cache would be replaced by a new file).
        const before = fs.statSync(cache);
        await check();
        const after = fs.statSync(cache);
        expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    });

    it('runs with a damaged cache, and replaces it', async () => {
        tmp = makeTempDir();
        if (nodeHasCompileCache) {
            const nodeCache = path.join(tmp, 'node-cache');
            await check({ NODE_COMPILE_CACHE: nodeCache });
            const files = (fs.readdirSync(nodeCache, { recursive: true }) as string[]).map(f => path.join(nodeCache, f)).filter(f => fs.statSync(f).isFile());
            expect(files.length).toBeGreaterThan(0);
            for (const file of files) fs.writeFileSync(file, 'not a code cache');
            await check({ NODE_COMPILE_CACHE: nodeCache });
            return;
        }
        await check();
        const cache = path.join(cacheFolder(), cacheFiles()[0]);
        fs.writeFileSync(cache, 'not a code cache');
        await check();
        expect(fs.readFileSync(cache).subarray(0, 16).toString()).not.toBe('not a code cache');
        expect(fs.statSync(cache).size).toBeGreaterThan(100_000);
    });

    it('keeps the newest caches of other bundles (two installs used in turn), and removes older ones', async () => {
        tmp = makeTempDir();
        fs.mkdirSync(cacheFolder(), { mode: 0o700 });
        const prefix = `${process.version}-v8-${process.versions.v8}-`;
        // Caches of five other bundles on this Node, written 1 to 5 days ago, and one of another Node.
        const others = [1, 2, 3, 4, 5].map(days => {
            const file = path.join(cacheFolder(), `${prefix}${String(days).repeat(32)}.bin`);
            fs.writeFileSync(file, 'another bundle');
            const when = new Date(Date.now() - days * 86_400_000);
            fs.utimesSync(file, when, when);
            return path.basename(file);
        });
        const otherNode = 'v18.0.0-v8-10.2-' + '9'.repeat(32) + '.bin';
        fs.writeFileSync(path.join(cacheFolder(), otherNode), 'another node');
        await check();
        if (nodeHasCompileCache) {
            // Node keeps its own cache: the launcher leaves these alone.
            expect(cacheFiles().sort()).toEqual([...others, otherNode].sort());
            return;
        }
        const ours = cacheFiles().filter(f => !others.includes(f) && f !== otherNode);
        expect(ours).toHaveLength(1);
        // Ours and the three newest others; another Node's cache is not this Node's to remove.
        expect(cacheFiles().sort()).toEqual([...ours, ...others.slice(0, 3), otherNode].sort());
    });

    it('keeps no cache in a folder others can write, nor when NODE_DISABLE_COMPILE_CACHE is set', async () => {
        tmp = makeTempDir();
        await check({ NODE_DISABLE_COMPILE_CACHE: '1', NODE_COMPILE_CACHE: path.join(tmp, 'node-cache') });
        expect(fs.existsSync(cacheFolder())).toBe(false);
        expect(fs.existsSync(path.join(tmp, 'node-cache'))).toBe(false);
        if (nodeHasCompileCache || uid === undefined) return;

        fs.mkdirSync(cacheFolder(), { mode: 0o700 });
        fs.chmodSync(cacheFolder(), 0o777);
        await check();
        expect(cacheFiles()).toEqual([]);
    });
});
