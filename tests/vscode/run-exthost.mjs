// Runs the extension-host integration tests (tests/vscode/suite, bundled to dist/test/suite.cjs) inside a real VS Code:
// code-server's extension host, with the web workbench in headless Chromium as the client. The extension under test
// is the packaged .vsix, installed into a fresh profile.
// With --restricted, workspace trust is on and the workspace is not trusted (Restricted Mode), and the suite runs its
// "Restricted Mode: ..." tests only (MPLAN_TEST_MODE=restricted).
//   node tests/vscode/run-exthost.mjs --vsix FILE --suite dist/test/suite.cjs --workspace DIR [--results FILE] [--artifacts DIR] [--restricted]
// Exit code: 0 when every test passed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, installVsix, launchBrowser, log, makeProfile, startCodeServer, TMP } from './workbench.mjs';

const { values } = parseArgs({ options: { vsix: { type: 'string' }, suite: { type: 'string' }, workspace: { type: 'string' }, results: { type: 'string' }, timeout: { type: 'string' }, artifacts: { type: 'string' }, restricted: { type: 'boolean' } } });
if (!values.vsix || !values.suite || !values.workspace) {
    console.error('usage: node tests/vscode/run-exthost.mjs --vsix FILE --suite FILE --workspace DIR [--results FILE]');
    process.exit(64);
}
const vsix = path.resolve(values.vsix);
const suite = path.resolve(values.suite);
const workspace = path.resolve(values.workspace);
const results = path.resolve(values.results ?? path.join(TMP, 'exthost-results.json'));
const timeoutMs = Number(values.timeout ?? 300_000);
fs.rmSync(results, { force: true });

const restricted = values.restricted === true;
// Trust is asked for nowhere, so the workspace stays untrusted.
const profile = restricted
    ? makeProfile('exthost-restricted', { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' })
    : makeProfile('exthost');
let server;
let browser;
let code = 1;
try {
    const extension = installVsix(profile, vsix);
    server = await startCodeServer(profile, await freePort(), {
        // Makes the workbench honour ?payload=[["extensionTestsPath", ...]] as the desktop's test runner does.
        extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
        env: { MPLAN_TEST_RESULTS: results, ...(restricted ? { MPLAN_TEST_MODE: 'restricted' } : {}) },
        workspaceTrust: restricted
    });
    browser = await launchBrowser();
    const page = await browser.newPage();
    const done = new Promise(resolve => {
        void page.exposeFunction('codeAutomationLog', (type, args) => {
            const text = (args ?? []).map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
            // The workbench's own attempts to reach the extension gallery fail offline: not ours, not shown.
            if (text.includes('[mplan-test]') || (type === 'error' && !/ENOTFOUND|gallery|open-vsx/i.test(text))) console.log(`  [exthost ${type}] ${text}`);
        });
        void page.exposeFunction('codeAutomationExit', c => resolve(c));
    });
    const remote = p => `vscode-remote://${server.authority}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(extension)], ['extensionTestsPath', remote(suite)], ['skipWelcome', 'true']]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    log('workbench opened; the extension host runs the tests');
    const outcome = await Promise.race([done, new Promise(r => setTimeout(() => r('timeout'), timeoutMs))]);
    if (outcome === 'timeout') {
        log(`TIMEOUT after ${timeoutMs} ms`);
        await page.screenshot({ path: path.join(path.resolve(values.artifacts ?? 'tests/artifacts'), 'exthost-timeout.png') }).catch(() => {});
        code = 2;
    } else {
        code = Number(outcome);
        log(`extension host exited with code ${code}`);
    }
} catch (error) {
    log('ERROR', error?.stack ?? error);
    code = 3;
} finally {
    if (code !== 0 && server) console.log('--- code-server log (tail) ---\n' + server.output().slice(-4000));
    await browser?.close().catch(() => {});
    await server?.stop();
    fs.rmSync(profile.dir, { recursive: true, force: true });
}
if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, 'utf8'));
    log(`extension-host tests: ${r.passed} passed, ${r.failed} failed`);
    if (code === 0 && r.failed > 0) code = 1;
} else {
    log('no results file: the suite did not run to its end');
    if (code === 0) code = 1;
}
process.exit(code);
