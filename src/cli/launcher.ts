// Starts the `mplan` CLI (dist/cli/mplan.mjs, what bin/mplan.js and the extension run) from its CommonJS bundle,
// dist/cli/mplan-main.cjs, with V8's compiled code of it kept between runs. Compiling the 2 MB bundle, and the
// functions a command calls, is a good part of each start (about 0.1 s of `mplan --version`, 0.2 s of a large diff).
// - Node 22.8 and later have a compile cache of their own (module.enableCompileCache: a folder in the OS's temporary
//   folder, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
// - Older Node (20, and 22 before 22.8) has no such call: this file keeps a cache the same way, with V8's code cache
//   (vm.Script's cachedData), made after the first command so it also holds the functions that run compiled;
//   NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// The bundle is CommonJS because Node's CommonJS loader reads it faster than its ES module loader, and only a script
// takes V8's cached code on Node 20.
import { isAscii } from 'node:buffer';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';

const bundle = fileURLToPath(new URL('./mplan-main.cjs', import.meta.url));
/** How many bundles' caches to keep per Node: two installs of mplan used in turn must not evict each other's. */
const CACHES_KEPT = 4;
const enableCompileCache = (Module as { enableCompileCache?: () => unknown }).enableCompileCache;

if (enableCompileCache) {
    enableCompileCache();
    createRequire(import.meta.url)(bundle);
} else {
    runWithCodeCache(bundle);
}

/** Runs a CommonJS file as Node would, with V8's code cache of it read from, or written to, the cache folder. */
function runWithCodeCache(file: string): void {
    const bytes = fs.readFileSync(file);
    // The bundle is ASCII (a test sees to it), which decodes as Latin-1 far faster than as UTF-8; else as UTF-8.
    const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    const cacheFile = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : cachePath(bytes);
    let cachedData: Buffer | undefined;
    try {
        if (cacheFile) cachedData = fs.readFileSync(cacheFile);
    } catch {
        // No cache yet: this run makes it.
    }
    const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
    // A run that only prints the version or the help compiles next to nothing of what the commands run: the first
    // command makes the cache instead.
    const command = process.argv.slice(2).some(arg => !arg.startsWith('-'));
    if (cacheFile && command && (!cachedData || script.cachedDataRejected)) {
        // At exit, so the cache holds the functions this run compiled too, not just the bundle's top level.
        process.once('exit', () => {
            writeAtomically(cacheFile, () => script.createCachedData());
            removeOldCaches(cacheFile);
        });
    }
    const module = { exports: {} };
    const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
    run(module.exports, createRequire(file), module, file, path.dirname(file));
}

/**
 * The cache file for this bundle on this Node: in a folder of the OS's temporary folder that only this user can
 * write (cached code runs as the user), named after the bundle's text and the Node and V8 versions. Undefined when
 * no such folder can be had: then nothing is cached.
 */
function cachePath(bundle: Buffer): string | undefined {
    try {
        const uid = process.getuid?.();
        const dir = path.join(os.tmpdir(), `mplan-code-cache${uid === undefined ? '' : `-${uid}`}`);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const stat = fs.lstatSync(dir);
        if (!stat.isDirectory() || (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0))) return undefined;
        const key = crypto.createHash('sha256').update(bundle).update(`\0${process.arch}`).digest('hex').slice(0, 32);
        return path.join(dir, `${runtime()}${key}.bin`);
    } catch {
        return undefined;
    }
}

/** This Node and its V8 (Electron's Node has another V8 than the same version of Node's), as a file name's start. */
function runtime(): string {
    return `${process.version}-v8-${process.versions.v8}-`;
}

/** Removes the oldest caches on this Node beyond the newest few (older builds or versions of mplan, most likely). */
function removeOldCaches(kept: string): void {
    const dir = path.dirname(kept);
    try {
        const caches = fs.readdirSync(dir)
            .filter(name => name.startsWith(runtime()) && name.endsWith('.bin') && name !== path.basename(kept))
            .map(name => ({ file: path.join(dir, name), written: fs.statSync(path.join(dir, name)).mtimeMs }))
            .sort((a, b) => b.written - a.written);
        for (const { file } of caches.slice(CACHES_KEPT - 1)) fs.rmSync(file, { force: true });
    } catch {
        // Another run may be doing the same.
    }
}

/** Writes a file through a temporary one, so that a run reading it at the same time never sees half of it. */
function writeAtomically(file: string, data: () => Buffer): void {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(temporary, data(), { mode: 0o600 });
        fs.renameSync(temporary, file);
    } catch {
        fs.rmSync(temporary, { force: true });
    }
}
