// The end-to-end test through the user interface, in a real VS Code workbench (code-server + headless Chromium):
// install the .vsix, open the example workspace, see the missing-deadline error in the Problems panel on the right
// line, fix it, run "mplan: Run Evaluation" from the command palette, see the report with its goal verdicts, follow a
// goal back to its line; then "mplan: Compare with Base" on a plan changed since its commit (retention/summer.mplan),
// picking the default base, with the changed figures in the comparison view and in a code lens; then a server in
// mplan.engine (a stand-in PostgreSQL, tests/vscode/fake-postgres.mjs) with its password typed into "mplan: Set Engine
// Password", which an evaluation sends to that server and no message or log shows. Screenshots go to
// --artifacts (and the report's to --readme-screenshot when given).
//   node tests/vscode/run-ui.mjs --vsix FILE --workspace DIR --line N [--artifacts DIR] [--readme-screenshot FILE]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startFakePostgres } from './fake-postgres.mjs';
import { freePort, installVsix, launchBrowser, log, makeProfile, startCodeServer } from './workbench.mjs';

const { values } = parseArgs({ options: {
    vsix: { type: 'string' }, workspace: { type: 'string' }, line: { type: 'string' },
    artifacts: { type: 'string' }, 'readme-screenshot': { type: 'string' }, results: { type: 'string' },
    'restricted-workspace': { type: 'string' }
} });
if (!values.vsix || !values.workspace || !values.line) {
    console.error('usage: node tests/vscode/run-ui.mjs --vsix FILE --workspace DIR --line N [--artifacts DIR] [--readme-screenshot FILE]');
    process.exit(64);
}
const workspace = path.resolve(values.workspace);
const line = Number(values.line);
const artifacts = path.resolve(values.artifacts ?? 'tests/artifacts');
fs.mkdirSync(artifacts, { recursive: true });

/**
 * Runs a command from the command palette (F1), by its title. The palette lists a command by the `when` clause at the
 * moment it opens (for mplan's: the focused editor is an mplan file); when focus had not reached the editor yet (a
 * notification, the git view waking up), the command is missing: close, focus the editor and open again.
 */
async function palette(p, title, { focusEditor = false } = {}) {
    const input = p.locator('.quick-input-widget input');
    const row = p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    for (let attempt = 1; ; attempt++) {
        if (focusEditor) {
            await p.keyboard.press('Control+1');
            await p.waitForTimeout(300);
        }
        await p.keyboard.press('F1');
        await input.waitFor({ timeout: 10_000 });
        await input.pressSequentially(title, { delay: 15 });
        try {
            await row.waitFor({ timeout: attempt < 3 ? 5_000 : 15_000 });
            break;
        } catch (error) {
            if (attempt >= 3) throw error;
            await p.keyboard.press('Escape');
        }
    }
    await p.keyboard.press('Enter');
}

/** Opens a workspace file by name with Quick Open (Ctrl+P). */
async function quickOpen(p, name) {
    await p.keyboard.press('Control+P');
    const input = p.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.pressSequentially(name, { delay: 20 });
    await p.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await p.keyboard.press('Enter');
}

/** The files below `dir` whose text contains `text`. */
function filesContaining(dir, text) {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile())
        .map(e => path.join(e.parentPath, e.name)).filter(file => fs.readFileSync(file, 'latin1').includes(text));
}

/** The customers of the workspace's example data per region: the audiences the comparison must show. */
function regionCounts() {
    const rows = fs.readFileSync(path.join(workspace, 'retention', 'data', 'customers.csv'), 'utf8').trim().split('\n').slice(1);
    const counts = new Map();
    for (const region of rows.map(r => r.split(',')[1])) counts.set(region, (counts.get(region) ?? 0) + 1);
    return counts;
}

const VERDICT = { 'met': 'Met', 'not-met': 'Not met', 'inconclusive': 'Inconclusive', 'pending': 'Pending' };
let passed = 0;
let failed = 0;
let fatal = false;
async function step(name, fn) {
    if (fatal) {
        failed++;
        log('SKIP', name);
        return;
    }
    try {
        await fn();
        passed++;
        log('ok  ', name);
    } catch (error) {
        failed++;
        fatal = true; // each step builds on the one before
        log('FAIL', name, String(error?.message ?? error).split('\n').slice(0, 4).join(' | '));
    }
}

const profile = makeProfile('ui', {
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
    'editor.fontSize': 14,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.editor.enablePreview': false
});
let server;
let browser;
let page;
try {
    installVsix(profile, path.resolve(values.vsix));
    server = await startCodeServer(profile, await freePort());
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const pageErrors = [];
    page.on('pageerror', e => pageErrors.push(String(e)));
    const report = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

    await step('the workbench opens the example workspace', async () => {
        await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
        await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
        await page.getByRole('treeitem', { name: /retention/ }).first().waitFor({ timeout: 60_000 });
    });

    await step('Quick Open opens retention/winback.mplan as an mplan file', async () => {
        await quickOpen(page, 'winback.mplan');
        await page.locator('.view-lines').filter({ hasText: 'Autumn win-back' }).waitFor({ timeout: 30_000 });
        await page.locator('.statusbar-item', { hasText: /^mplan$|Marketing Plan/ }).first().waitFor({ timeout: 30_000 });
    });

    await step('the campaigns carry the Evaluate and Export audience code lenses', async () => {
        await page.locator('.contentWidgets .codelens-decoration, .view-zones .codelens-decoration', { hasText: 'Evaluate' }).first().waitFor({ timeout: 30_000 });
        await page.locator('.codelens-decoration', { hasText: 'Export audience' }).first().waitFor({ timeout: 10_000 });
    });

    await step(`the Problems panel shows the missing deadline on line ${line}`, async () => {
        await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'no deadline' }).first();
        await row.waitFor({ timeout: 60_000 });
        const text = await row.innerText();
        if (!text.includes(`Ln ${line}`)) throw new Error(`the problem is not on line ${line}: ${text.replace(/\s+/g, ' ')}`);
        await page.screenshot({ path: path.join(artifacts, 'e2e-problems.png') });
    });

    await step('adding the deadline in the editor clears the error', async () => {
        await page.keyboard.press('Control+1'); // focus the editor
        await page.keyboard.press('Control+G');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 10_000 });
        await input.fill(`:${line}`);
        await page.keyboard.press('Enter');
        await page.keyboard.press('End');
        await page.keyboard.type(' by 2026-11-15', { delay: 30 });
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+S');
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'no deadline' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    });

    await step('"mplan: Run Evaluation" from the command palette opens the report with its verdicts', async () => {
        // Close the panel and the side bar: the plan and its report side by side.
        await page.keyboard.press('Control+J');
        await page.keyboard.press('Control+B');
        await palette(page, 'mplan: Run Evaluation', { focusEditor: true });
        await report().locator('.verdict').first().waitFor({ timeout: 90_000 });
        const file = path.join(workspace, 'reports', 'winback', 'report.json');
        if (!fs.existsSync(file)) throw new Error('no reports/winback/report.json');
        const json = JSON.parse(fs.readFileSync(file, 'utf8'));
        const expected = json.campaigns.flatMap(c => c.goals.map(g => VERDICT[g.status]));
        const verdicts = await report().locator('tr.goal .verdict').allInnerTexts();
        if (verdicts.join(', ') !== expected.join(', ')) throw new Error(`verdicts ${verdicts.join(', ')}; report.json says ${expected.join(', ')}`);
        await report().getByText('More lapsed buyers come back').first().waitFor({ timeout: 5_000 });
    });

    await step('the code lenses show the audience size and control share, and the contact days per channel', async () => {
        await page.locator('.codelens-decoration', { hasText: /Audience [\d,]+ · control \d+% \([\d,]+\)/ }).first().waitFor({ timeout: 30_000 });
        // winback: the e-mail on 2026-09-01, the letter a week later (the lenses on the same line as the audience size).
        await page.locator('.codelens-decoration', { hasText: 'email: 2026-09-01' }).first().waitFor({ timeout: 30_000 });
        await page.locator('.codelens-decoration', { hasText: 'mail: 2026-09-08' }).first().waitFor({ timeout: 10_000 });
    });

    await step('a goal in the report links back to its line in the plan', async () => {
        await report().locator('tr.goal a.plan-link', { hasText: 'roi >= 1.5' }).first().click();
        await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col 5` }).first().waitFor({ timeout: 15_000 });
    });

    await step('the language status shows the server and the last evaluation', async () => {
        await page.locator('[id="status.languageStatus"]').first().click();
        const hover = page.locator('.monaco-hover, .context-view').filter({ hasText: 'Language server running' }).first();
        await hover.waitFor({ timeout: 15_000 });
        await hover.getByText(/\d+ of \d+ goals met/).first().waitFor({ timeout: 5_000 });
        await page.screenshot({ path: path.join(artifacts, 'e2e-language-status.png') });
        await page.keyboard.press('Escape');
        await page.mouse.click(5, 500);
    });

    await step('screenshot of the extension at work', async () => {
        await page.mouse.move(5, 500);
        await page.waitForTimeout(500);
        const shot = path.join(artifacts, 'e2e-report.png');
        await page.screenshot({ path: shot });
        if (values['readme-screenshot']) {
            fs.mkdirSync(path.dirname(path.resolve(values['readme-screenshot'])), { recursive: true });
            fs.copyFileSync(shot, path.resolve(values['readme-screenshot']));
        }
    });
    await step('the report comes back after the window reloads', async () => {
        // "Developer: Reload Window" shuts the workbench down properly, so it saves the open editors first.
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 10_000 });
        await input.pressSequentially('Developer: Reload Window', { delay: 15 });
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor({ timeout: 15_000 });
        await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.keyboard.press('Enter')]);
        await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
        await report().locator('tr.goal .verdict').first().waitFor({ timeout: 60_000 });
    });

    // retention/summer.mplan was committed, then its campaign nudge changed (make-workspace.mjs): region west → every
    // region but the east, control 10% → 30%.
    const regions = regionCounts();
    const west = regions.get('west').toLocaleString('en-US');
    const notEast = [...regions].filter(([r]) => r !== 'east').reduce((n, [, c]) => n + c, 0).toLocaleString('en-US');
    await step('"mplan: Compare with Base" asks for the base, then shows the changed control share and audience', async () => {
        // One editor and one webview: the comparison opens beside the plan.
        await palette(page, 'View: Close All Editors');
        await quickOpen(page, 'summer.mplan');
        await page.locator('.view-lines').filter({ hasText: 'Summer reactivation' }).waitFor({ timeout: 30_000 });
        await palette(page, 'mplan: Compare with Base', { focusEditor: true });
        // No base is set: a quick pick asks, the CLI's default first.
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Default: the merge base' }).first().waitFor({ timeout: 15_000 });
        await page.keyboard.press('Enter');
        const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await view.locator('.summary-line', { hasText: /^mplan diff against HEAD \([0-9a-f]{7}\): 1 plan of 1 changed, 2 changes\.$/ }).waitFor({ timeout: 60_000 });
        const cells = async what => (await view.locator('tr', { has: view.locator('td', { hasText: new RegExp(`^${what.replace(/[()]/g, '\\$&')}$`) }) }).first().locator('td.num').allInnerTexts()).join(' → ');
        for (const [what, expected] of [['control', '10% → 30%'], ['audience (customers)', `${west} → ${notEast}`]]) {
            const shown = await cells(what);
            if (shown !== expected) throw new Error(`the comparison shows ${what}: ${shown}; expected ${expected}`);
        }
        if (await view.locator('[data-campaign="letters"]').count()) throw new Error('the unchanged campaign letters is in the comparison');
        await page.screenshot({ path: path.join(artifacts, 'e2e-compare.png') });
    });

    await step('with the base set, the changed campaign carries "audience OLD → NEW" in a code lens', async () => {
        await page.locator('.codelens-decoration', { hasText: `audience ${west} → ${notEast}` }).first().waitFor({ timeout: 30_000 });
    });

    await step('"mplan: Clear Base for Comparison" removes the diff lens', async () => {
        await page.keyboard.press('Control+1');
        await palette(page, 'mplan: Clear Base for Comparison');
        await page.locator('.codelens-decoration', { hasText: `audience ${west} → ${notEast}` }).first().waitFor({ state: 'detached', timeout: 30_000 });
    });

    const pg = await startFakePostgres();
    const password = 'Ui-pw-5ecret';
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = fs.readFileSync(settingsFile, 'utf8');
    try {
        await step('"mplan: Set Engine Password" takes the password of mplan.engine\'s server in a password box', async () => {
            fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(settings), 'mplan.engine': `postgres://mplan@127.0.0.1:${pg.port}/db` }, null, 2));
            await page.keyboard.press('Control+1');
            await palette(page, 'mplan: Set Engine Password');
            const input = page.locator('.quick-input-widget input[type="password"]');
            await page.locator('.quick-input-widget', { hasText: `mplan@127.0.0.1:${pg.port}/db` }).first().waitFor({ timeout: 10_000 });
            await input.pressSequentially(password, { delay: 15 });
            await page.keyboard.press('Enter');
            await page.locator('.notifications-toasts', { hasText: `password of postgres://mplan@127.0.0.1:${pg.port}/db is stored` }).first().waitFor({ timeout: 15_000 });
        });

        await step('an evaluation logs in to that server with the stored password; the error names the server, never the password', async () => {
            // One editor, the plan's: the command evaluates the active plan, and nothing else may be asked.
            await palette(page, 'View: Close All Editors');
            await quickOpen(page, 'winback.mplan');
            await page.locator('.tab.active', { hasText: 'winback.mplan' }).first().waitFor({ timeout: 30_000 });
            await palette(page, 'mplan: Run Evaluation', { focusEditor: true });
            const failed = { hasText: 'evaluation of winback.mplan failed' };
            let failure = page.locator('.notifications-toasts .notification-list-item', failed).first();
            await failure.waitFor({ timeout: 60_000 }).catch(async error => {
                // A toast the workbench did not show (several at once) is still in the notification centre.
                await palette(page, 'Notifications: Show Notifications');
                failure = page.locator('.notifications-center .notification-list-item', failed).first();
                await failure.waitFor({ timeout: 10_000 }).catch(async () => {
                    // Say what the workbench shows instead: the notifications, an open quick input, the active tab.
                    const notes = await page.locator('.notification-list-item').allInnerTexts();
                    const input = await page.locator('.quick-input-widget:visible').allInnerTexts();
                    const tab = await page.locator('.tab.active').allInnerTexts();
                    throw new Error(`${error.message.split('\n')[0]}; notifications: ${JSON.stringify(notes)}; quick input: ${JSON.stringify(input)}; active tabs: ${JSON.stringify(tab)}`);
                });
            });
            const text = await failure.innerText();
            if (!text.includes(`evaluation of winback.mplan failed: mplan run: could not connect to PostgreSQL at 127.0.0.1:${pg.port}/db`)) throw new Error(`the error does not say that the server refused: ${text}`);
            if (text.includes(password)) throw new Error('the error shows the password');
            const logins = pg.connections.filter(c => c.user === 'mplan' && c.database === 'db');
            if (!logins.some(c => c.password === password)) throw new Error(`no login with the stored password: ${JSON.stringify(pg.connections.map(c => ({ ...c, password: c.password && '(some)' })))}`);
            await page.screenshot({ path: path.join(artifacts, 'e2e-engine.png') });
        });

        await step('the password is in no log, the output channel names the server', async () => {
            const logs = fs.readdirSync(profile.dir, { recursive: true, withFileTypes: true }).filter(e => e.isDirectory() && e.name === 'logs').map(e => path.join(e.parentPath, e.name));
            if (logs.length === 0) throw new Error(`no logs folder in ${profile.dir}`);
            const mentioned = logs.flatMap(dir => filesContaining(dir, password));
            if (mentioned.length || server.output().includes(password)) throw new Error(`the password is in ${mentioned.join(', ') || 'the server output'}`);
            // The output channel's file is written shortly after the line.
            const line = `engine postgres://mplan@127.0.0.1:${pg.port}/db, password from the secret storage`;
            for (let i = 0; !logs.some(dir => filesContaining(dir, line).length > 0); i++) {
                if (i === 20) throw new Error('the output channel does not name the engine');
                await page.waitForTimeout(500);
            }
        });
    } finally {
        fs.writeFileSync(settingsFile, settings);
        await pg.close();
    }
    if (pageErrors.length) log(`page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
} catch (error) {
    failed++;
    log('FAIL (fatal)', error?.stack ?? error);
} finally {
    if (failed && page) await page.screenshot({ path: path.join(artifacts, 'e2e-failure.png') }).catch(() => {});
    if (failed && server) console.log('--- code-server log (tail) ---\n' + server.output().slice(-3000));
    await browser?.close().catch(() => {});
    await server?.stop();
    fs.rmSync(profile.dir, { recursive: true, force: true });
}
// Restricted Mode: the same plan in a workspace the user does not trust. The language features work; the commands
// that read data or write files are gone from the palette, and the code lens says why.
if (values['restricted-workspace']) {
    fatal = false;
    const restricted = path.resolve(values['restricted-workspace']);
    const trustProfile = makeProfile('ui-restricted', { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always', 'workbench.secondarySideBar.defaultVisibility': 'hidden' });
    let trustServer;
    let trustBrowser;
    let trustPage;
    try {
        installVsix(trustProfile, path.resolve(values.vsix));
        trustServer = await startCodeServer(trustProfile, await freePort(), { workspaceTrust: true });
        trustBrowser = await launchBrowser();
        trustPage = await trustBrowser.newPage({ viewport: { width: 1600, height: 1000 } });
        const p = trustPage;

        await step('Restricted Mode: the user declines to trust the workspace', async () => {
            await p.goto(`${trustServer.url}/?folder=${encodeURIComponent(restricted)}`);
            await p.waitForSelector('.monaco-workbench', { timeout: 90_000 });
            const no = p.getByRole('button', { name: /No, I don.t trust/ });
            await no.waitFor({ timeout: 60_000 });
            await no.click();
            await p.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
        });

        await step('Restricted Mode: the language server still reports the missing deadline', async () => {
            await quickOpen(p, 'winback.mplan');
            await p.locator('.view-lines').filter({ hasText: 'Autumn win-back' }).waitFor({ timeout: 30_000 });
            await p.keyboard.press('Control+Shift+M');
            await p.locator('.markers-panel .monaco-list-row', { hasText: 'no deadline' }).first().waitFor({ timeout: 60_000 });
        });

        await step('Restricted Mode: the code lens explains that evaluation is disabled', async () => {
            await p.keyboard.press('Control+J');
            await p.keyboard.press('Control+1');
            await p.keyboard.press('Control+G');
            await p.locator('.quick-input-widget input').fill(`:${line - 10}`);
            await p.keyboard.press('Enter');
            await p.locator('.codelens-decoration', { hasText: 'Evaluation disabled in Restricted Mode' }).first().waitFor({ timeout: 30_000 });
            if (await p.locator('.codelens-decoration', { hasText: 'Export audience' }).count()) throw new Error('an Export audience lens in Restricted Mode');
        });

        await step('Restricted Mode: Run Evaluation is not in the palette, Check All Plans is', async () => {
            await p.keyboard.press('Control+1');
            await p.keyboard.press('F1');
            const input = p.locator('.quick-input-widget input');
            await input.waitFor({ timeout: 10_000 });
            await input.pressSequentially('mplan: ', { delay: 15 });
            await p.locator('.quick-input-list .monaco-list-row', { hasText: 'mplan: Check All Plans' }).first().waitFor({ timeout: 15_000 });
            const rows = await p.locator('.quick-input-list .monaco-list-row').allInnerTexts();
            const offered = rows.join(' | ');
            for (const hidden of ['Run Evaluation', 'Export Audience', 'New Plan from Template', 'Compare with Base']) {
                if (offered.includes(hidden)) throw new Error(`"mplan: ${hidden}" is offered in Restricted Mode: ${offered}`);
            }
            await p.screenshot({ path: path.join(artifacts, 'e2e-restricted.png') });
            await p.keyboard.press('Escape');
            if (fs.existsSync(path.join(restricted, 'reports'))) throw new Error('something wrote reports in Restricted Mode');
        });
    } catch (error) {
        failed++;
        log('FAIL (fatal)', error?.stack ?? error);
    } finally {
        if (fatal && trustPage) await trustPage.screenshot({ path: path.join(artifacts, 'e2e-restricted-failure.png') }).catch(() => {});
        await trustBrowser?.close().catch(() => {});
        await trustServer?.stop();
        fs.rmSync(trustProfile.dir, { recursive: true, force: true });
    }
}

log(`UI test: ${passed} passed, ${failed} failed`);
if (values.results) fs.writeFileSync(values.results, JSON.stringify({ passed, failed }));
process.exit(failed ? 1 : 0);
