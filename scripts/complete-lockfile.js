#!/usr/bin/env node
// Completes package-lock.json with the platform-specific optional packages the registry mirror of our build machines
// does not serve (for example DuckDB's and Rollup's macOS and Windows builds). npm leaves such packages out of the
// lock when it cannot fetch their manifests, and `npm ci` then refuses the lock as out of sync. Each entry we add
// carries the `os` and `cpu` (and `libc`) that its name states, so npm skips it on any other platform, exactly as
// it would with a complete lock. Run it after every `npm install` that changes the lock: `npm run lock:complete`.
import * as fs from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 'riscv64', 's390x', 'loong64', 'mips64el', 'wasm32'];

/** os/cpu/libc read off a platform package's name, such as `rollup-linux-arm64-musl` or `node-bindings-win32-x64`. */
export function platformOf(name) {
    const parts = name.split('/').pop().split('-');
    const os = parts.find(p => OS.includes(p)) ?? (parts.includes('win32') ? 'win32' : undefined);
    const cpu = parts.find(p => CPU.includes(p)) ?? (parts.includes('arm') || parts.includes('armeabi') ? 'arm' : undefined);
    const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') && os === 'linux' ? 'glibc' : undefined;
    return os && cpu ? { os, cpu, libc } : undefined;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
        const prefix = location === '' ? '' : `${location}/`;
        const target = `${prefix}node_modules/${name}`;
        const hoisted = `node_modules/${name}`;
        if (packages[target] || packages[hoisted]) continue;
        const platform = platformOf(name);
        if (!platform) continue; // not a platform build: leave it to npm
        const exact = /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version) ? version : version.replace(/^[~^=]/, '');
        packages[hoisted] = {
            version: exact,
            cpu: [platform.cpu],
            ...(platform.libc ? { libc: [platform.libc] } : {}),
            license: entry.license,
            optional: true,
            os: [platform.os]
        };
        if (!packages[hoisted].license) delete packages[hoisted].license;
        added++;
    }
}

// npm keeps `packages` sorted by location.
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} platform entr${added === 1 ? 'y' : 'ies'} to ${file}`);
