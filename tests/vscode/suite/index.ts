// Integration tests in the extension host, with the real `vscode` API. VS Code loads this module (bundled to
// dist/test/suite.cjs) as extensionTestsPath and calls run(); the workspace is a copy of examples/ made by
// tests/vscode/make-workspace.mjs, in which retention/winback.mplan has lost the deadline of its ROI goal.
// Runners: tests/vscode/run-electron.mjs (@vscode/test-electron) and tests/vscode/run-exthost.mjs (code-server).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MplanCli } from '../../../src/extension/cli.js';
import { parseEngineSetting } from '../../../src/extension/engine-settings-core.js';
import type { CompareResult } from '../../../src/extension/compare.js';
import type { MplanExtensionApi } from '../../../src/extension/main.js';
import { log, runAll, sleep, test, waitFor } from './harness.js';
// @ts-expect-error: a plain ES module without types, shared with the unit and UI tests
import { startFakePostgres } from '../fake-postgres.mjs';

const EXTENSION_ID = 'mplan.mplan';
const COMMANDS = ['mplan.runEvaluation', 'mplan.showReport', 'mplan.exportAudience', 'mplan.checkWorkspace', 'mplan.newPlan', 'mplan.restartServer',
    'mplan.compareWithBase', 'mplan.chooseDiffBase', 'mplan.clearDiffBase', 'mplan.setEnginePassword', 'mplan.clearEnginePassword'];

let api: MplanExtensionApi;
let folder: vscode.WorkspaceFolder;
let winback: vscode.Uri;

function missingDeadlineLine(document: vscode.TextDocument): number {
    const line = document.getText().split('\n').findIndex(l => /^\s*goal roi >= 1\.5\s*$/.test(l));
    assert.ok(line >= 0, 'the workspace copy of winback.mplan should have `goal roi >= 1.5` without a deadline');
    return line;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
    return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

async function lensTitles(uri: vscode.Uri): Promise<{ title: string; command?: string; args?: unknown[]; line: number }[]> {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    return (lenses ?? []).map(l => ({ title: l.command?.title ?? '', command: l.command?.command, args: l.command?.arguments, line: l.range.start.line }));
}

function webviewTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('mplan.report'));
}

test('activates on an .mplan file and starts the bundled language server', async () => {
    const extension = vscode.extensions.getExtension<MplanExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    folder = vscode.workspace.workspaceFolders![0];
    winback = vscode.Uri.joinPath(folder.uri, 'retention', 'winback.mplan');
    const document = await vscode.workspace.openTextDocument(winback);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'mplan');
    api = await waitFor('activation', () => extension.isActive && extension.exports);
    assert.equal(await api.whenServerRunning(30_000), 'running');
    assert.equal(extension.packageJSON.main, './dist/extension.cjs');
});

test('shows the missing deadline as an error on its line', async () => {
    const document = await vscode.workspace.openTextDocument(winback);
    const line = missingDeadlineLine(document);
    const diagnostic = await waitFor('a goal-no-deadline diagnostic', () =>
        vscode.languages.getDiagnostics(winback).find(d => codeOf(d) === 'goal-no-deadline'));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.range.start.line, line);
    assert.match(diagnostic.message, /deadline/);
});

test('contributes the commands, the language, the snippets, the task type and the settings', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of COMMANDS) assert.ok(commands.includes(id), `command ${id} is registered`);
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('mplan'));
    const configuration = vscode.workspace.getConfiguration('mplan');
    for (const key of ['reports.folder', 'codeLens.enabled', 'codeLens.audienceSizes', 'trace.server']) assert.ok(configuration.has(key), `setting mplan.${key}`);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const command of manifest.contributes.commands.filter((c: { command: string }) => COMMANDS.includes(c.command))) {
        assert.equal(command.category, 'mplan');
    }
});

test('code lenses offer Evaluate and Export audience over each campaign', async () => {
    const lenses = await waitFor('code lenses', async () => {
        const titles = await lensTitles(winback);
        return titles.filter(t => t.title.includes('Evaluate')).length === 2 && titles;
    });
    const document = await vscode.workspace.openTextDocument(winback);
    const campaignLine = document.getText().split('\n').findIndex(l => /^\s*campaign winback\b/.test(l));
    const evaluate = lenses.find(l => l.title.includes('Evaluate') && l.line === campaignLine);
    assert.ok(evaluate, 'an Evaluate lens on the line of campaign winback');
    assert.equal(evaluate.command, 'mplan.runEvaluation');
    assert.equal((evaluate.args?.[1]), 'winback');
    assert.equal(lenses.filter(l => l.title.includes('Export audience')).length, 2);
});

test('Run Evaluation refuses a plan with errors', async () => {
    const result = await vscode.commands.executeCommand('mplan.runEvaluation', winback);
    assert.equal(result, undefined);
    assert.ok(!fs.existsSync(path.join(folder.uri.fsPath, 'reports', 'winback', 'report.json')));
});

test('adding the deadline clears the error', async () => {
    const document = await vscode.workspace.openTextDocument(winback);
    const line = missingDeadlineLine(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(winback, document.lineAt(line).range.end, ' by 2026-11-15');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    await waitFor('the error to go', () => !vscode.languages.getDiagnostics(winback).some(d => d.severity === vscode.DiagnosticSeverity.Error));
});

test('Run Evaluation writes the report and opens it in a webview beside the plan', async () => {
    const result = await vscode.commands.executeCommand<{ reportFile: string; summary: string }>('mplan.runEvaluation', winback);
    assert.ok(result, 'the command returns its result');
    assert.equal(result.reportFile, path.join(folder.uri.fsPath, 'reports', 'winback', 'report.json'));
    for (const file of ['report.json', 'report.md', 'report.html']) assert.ok(fs.existsSync(path.join(folder.uri.fsPath, 'reports', 'winback', file)), file);
    const report = JSON.parse(fs.readFileSync(result.reportFile, 'utf8'));
    assert.equal(report.asOf, '2026-12-01', 'the workspace setting mplan.run.asOf is passed as --as-of');
    assert.match(result.summary, /^\d+ of \d+ goals met$/);
    const panel = api.reportPanel(winback);
    assert.ok(panel, 'a report panel for the plan');
    assert.match(panel.webview.html, /Content-Security-Policy/);
    assert.match(panel.webview.html, /default-src 'none'/);
    const statuses = report.campaigns.flatMap((c: { goals: { status: string }[] }) => c.goals.map(g => g.status));
    assert.deepEqual([...panel.webview.html.matchAll(/class="verdict verdict-([a-z-]+)"/g)].map(m => m[1]), statuses);
    assert.match(panel.webview.html, /data-line="\d+"/);
    await waitFor('a report tab', () => webviewTabs().length === 1);
    assert.equal(api.lastEvaluation()?.summary, result.summary);
});

/** The drawn control share each campaign of a plan states (`control 10% seed ...`), in plan order. */
async function controlShares(uri: vscode.Uri): Promise<string[]> {
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    return [...text.matchAll(/^\s*control (\d+)% seed/gm)].map(m => m[1]);
}

test('the audience size with its control share appears in the code lens', async () => {
    const shares = await controlShares(winback);
    assert.equal(shares.length, 2);
    const titles = await waitFor('audience size lenses', async () => {
        const t = (await lensTitles(winback)).filter(l => l.title.startsWith('Audience'));
        return t.length === 2 && t;
    });
    const report = JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, 'reports', 'winback', 'report.json'), 'utf8'));
    titles.sort((a, b) => a.line - b.line).forEach((lens, i) => {
        const c = report.campaigns[i];
        assert.equal(lens.title, `Audience ${c.audience.size.toLocaleString('en-US')} · control ${shares[i]}% (${c.groups.control.size.toLocaleString('en-US')})`);
    });
});

test('Show Report reopens the last report', async () => {
    api.reportPanel(winback)?.dispose();
    await waitFor('the panel to close', () => webviewTabs().length === 0);
    const shown = await vscode.commands.executeCommand<boolean>('mplan.showReport', winback);
    assert.equal(shown, true);
    assert.ok(api.reportPanel(winback));
    await waitFor('a report tab', () => webviewTabs().length === 1);
});

test('a goal in the report reveals its line in the plan', async () => {
    const html = api.reportPanel(winback)!.webview.html;
    const match = /<tr class="goal"[^>]*>\s*<td><a href="#" class="plan-link" data-line="(\d+)"/.exec(html);
    assert.ok(match, 'a goal row links to a plan line');
    const line = Number(match[1]);
    const document = await vscode.workspace.openTextDocument(winback);
    assert.match(document.lineAt(line).text, /^\s*goal\b/);
    const revealed = await vscode.commands.executeCommand<number>('mplan.revealPlanLine', winback, line);
    assert.equal(revealed, line);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), winback.toString());
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, line);
});

test('Export Audience writes the audience files', async () => {
    const result = await vscode.commands.executeCommand<{ dir: string; files: string[] }>('mplan.exportAudience', winback, 'winback');
    assert.ok(result);
    assert.equal(result.dir, path.join(folder.uri.fsPath, 'audiences', 'winback'));
    assert.ok(result.files.includes('winback.csv'), `files: ${result.files.join(', ')}`);
    const rows = fs.readFileSync(path.join(result.dir, 'winback.csv'), 'utf8').trim().split('\n');
    assert.ok(rows.length > 10);
});

test('Check All Plans reports the problems of plans that are not open', async () => {
    const draft = path.join(folder.uri.fsPath, 'drafts', 'no-deadline.mplan');
    fs.mkdirSync(path.dirname(draft), { recursive: true });
    fs.writeFileSync(draft, [
        'import "../shared/channels.mplan"',
        'plan "Draft" {',
        '  objective growth',
        '  customers people from "../retention/data/customers.csv" key customer_id { age: number }',
        '  metric age_metric = people.age',
        '  campaign draft {',
        '    audience everyone',
        '    channel email',
        '    runs 2026-05-01 to 2026-05-31',
        '    goal mean(age_metric) >= 40',
        '  }',
        '}',
        ''
    ].join('\n'));
    const result = await vscode.commands.executeCommand<{ files: number; errors: number; warnings: number }>('mplan.checkWorkspace');
    assert.ok(result);
    assert.ok(result.files >= 4, `files: ${result.files}`);
    assert.ok(result.errors >= 1, `errors: ${result.errors}`);
    const diagnostics = await waitFor('diagnostics for the draft', () => {
        const d = vscode.languages.getDiagnostics(vscode.Uri.file(draft));
        return d.length > 0 && d;
    });
    const noDeadline = diagnostics.find(d => codeOf(d) === 'goal-no-deadline');
    assert.ok(noDeadline, 'the draft goal has no deadline');
    assert.equal(noDeadline.range.start.line, 9);
});

test('the mplan task type provides check and run tasks', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'mplan' });
    const names = tasks.map(t => t.name);
    assert.ok(names.includes('check'), names.join(', '));
    assert.ok(names.includes('run retention/winback.mplan'), names.join(', '));
    const check = tasks.find(t => t.name === 'check')!;
    assert.deepEqual(check.problemMatchers, ['$mplan']);
    const ended = new Promise<number | undefined>(resolve => {
        const subscription = vscode.tasks.onDidEndTaskProcess(e => {
            if (e.execution.task.name === 'check') {
                subscription.dispose();
                resolve(e.exitCode);
            }
        });
    });
    await vscode.tasks.executeTask(check);
    assert.equal(await ended, 1, 'mplan check exits 1: the draft has an error');
}, 90_000);

test('New Plan from Template writes a plan that checks clean', async () => {
    const target = vscode.Uri.joinPath(folder.uri, 'new', 'spring-winback.mplan');
    fs.mkdirSync(path.dirname(target.fsPath), { recursive: true });
    const created = await vscode.commands.executeCommand<vscode.Uri>('mplan.newPlan', { template: 'retention', name: 'Spring win-back', uri: target });
    assert.equal(created?.toString(), target.toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString());
    assert.match(fs.readFileSync(target.fsPath, 'utf8'), /plan "Spring win-back"/);
    // Its data files do not exist here: warnings, no errors.
    await waitFor('the new plan to be checked', () => vscode.languages.getDiagnostics(target).some(d => codeOf(d) === 'data-file-missing'));
    assert.deepEqual(vscode.languages.getDiagnostics(target).filter(d => d.severity === vscode.DiagnosticSeverity.Error).map(d => d.message), []);
});

test('Restart Language Server restarts it, and diagnostics come back', async () => {
    const state = await vscode.commands.executeCommand<string>('mplan.restartServer');
    assert.equal(state, 'running');
    const draft = vscode.Uri.file(path.join(folder.uri.fsPath, 'drafts', 'no-deadline.mplan'));
    const document = await vscode.workspace.openTextDocument(draft);
    await vscode.window.showTextDocument(document);
    await waitFor('the restarted server to report the draft', () =>
        vscode.languages.getDiagnostics(draft).some(d => codeOf(d) === 'goal-no-deadline'));
});

test('audience sizes of a plan without a report are computed in the background', async () => {
    const welcome = vscode.Uri.joinPath(folder.uri, 'activation', 'welcome.mplan');
    assert.ok(!fs.existsSync(path.join(folder.uri.fsPath, 'reports', 'welcome')), 'no report of welcome.mplan yet');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(welcome));
    const titles = await waitFor('audience sizes of welcome.mplan', async () => {
        const t = await lensTitles(welcome);
        return t.filter(l => /^Audience [\d,]+ · control \d+% \([\d,]+\)$/.test(l.title)).length === 2 && t;
    }, 60_000);
    assert.equal(titles.filter(l => l.title.includes('Evaluate')).length, 2);
    const shares = await controlShares(welcome);
    assert.deepEqual(titles.filter(l => l.title.startsWith('Audience')).map(l => /control (\d+)%/.exec(l.title)![1]), shares);
    assert.ok(!fs.existsSync(path.join(folder.uri.fsPath, 'reports', 'welcome')), 'the background run writes no report into the workspace');
}, 90_000);

test('opening a plan with arms shows each arm\'s size and the contact schedule per channel, without evaluating it', async () => {
    // retention/arms.mplan (tests/vscode/make-workspace.mjs): arms letter and letter_call, calls at 400 a day.
    const arms = vscode.Uri.joinPath(folder.uri, 'retention', 'arms.mplan');
    const document = await vscode.workspace.openTextDocument(arms);
    const lines = document.getText().split('\n');
    const campaignLine = lines.findIndex(l => /^\s*campaign spring\b/.test(l));
    const armLine = (name: string) => lines.findIndex(l => new RegExp(`^\\s*arm ${name}\\b`).test(l));
    assert.ok(campaignLine >= 0 && armLine('letter') > campaignLine && armLine('letter_call') > armLine('letter'));

    // The groups as the audience export writes them, independently of the lenses.
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const output = vscode.window.createOutputChannel('mplan-test-arms', { log: true });
    const cli = new MplanCli({ asAbsolutePath: (p: string) => path.join(extension.extensionPath, p) } as vscode.ExtensionContext, output);
    const out = fs.mkdtempSync(path.join(path.dirname(folder.uri.fsPath), 'arms-audience-'));
    const exported = await cli.run(['audience', arms.fsPath, '--out', out, '--as-of', '2026-12-01'], { cwd: folder.uri.fsPath });
    output.dispose();
    assert.equal(exported.code, 0, exported.stderr);
    const groups = fs.readFileSync(path.join(out, 'spring.csv'), 'utf8').trim().split('\n').slice(1).map(row => row.split(',')[1]);
    fs.rmSync(out, { recursive: true, force: true });
    const count = (group: string) => groups.filter(g => g === group).length;
    const calls = count('letter_call');
    assert.ok(calls > 400, `letter_call has ${calls} customers: more than a day of calls`);

    await vscode.window.showTextDocument(document);
    const titles = await waitFor('arm and schedule lenses of arms.mplan', async () => {
        const t = await lensTitles(arms);
        return t.some(l => l.title.startsWith('Arm ')) && t.some(l => l.title.startsWith('phone: ')) && t;
    }, 60_000);
    const at = (line: number) => titles.filter(l => l.line === line).map(l => l.title);
    const integer = (n: number) => n.toLocaleString('en-US');
    assert.deepEqual(at(armLine('letter')), [`Arm letter: ${integer(count('letter'))} customers`]);
    assert.deepEqual(at(armLine('letter_call')), [`Arm letter_call: ${integer(calls)} customers`]);
    const onCampaign = at(campaignLine);
    assert.ok(onCampaign.includes(`Audience ${integer(groups.length)} · control 10% (${integer(count('control'))})`), onCampaign.join(' | '));
    assert.ok(onCampaign.includes('mail: 2027-03-01'), onCampaign.join(' | '));
    const lastCall = new Date(Date.UTC(2027, 2, 8 + Math.ceil(calls / 400) - 1)).toISOString().slice(0, 10);
    assert.ok(onCampaign.includes(`phone: ${Math.ceil(calls / 400)} days at 400/day, last ${lastCall}`), onCampaign.join(' | '));
    assert.ok(!fs.existsSync(path.join(folder.uri.fsPath, 'reports', 'arms')), 'opening the plan evaluates nothing and writes no report');
}, 90_000);

test('a cancelled evaluation stops the child process and writes nothing', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const context = { asAbsolutePath: (p: string) => path.join(extension.extensionPath, p) } as vscode.ExtensionContext;
    const output = vscode.window.createOutputChannel('mplan-test', { log: true });
    const cli = new MplanCli(context, output);
    const out = path.join(folder.uri.fsPath, 'cancelled-report');
    const source = new vscode.CancellationTokenSource();
    const running = cli.run(['run', winback.fsPath, '--out', out], { cwd: folder.uri.fsPath, token: source.token });
    source.cancel();
    const result = await running;
    output.dispose();
    assert.equal(result.cancelled, true);
    assert.notEqual(result.code, 0);
    assert.ok(!fs.existsSync(path.join(out, 'report.json')));
});

test('turning the audience sizes off removes them from the code lenses', async () => {
    const configuration = vscode.workspace.getConfiguration('mplan');
    let seen: string[] = [];
    const titles = await waitFor('a schedule lens before', async () => {
        const t = await lensTitles(winback);
        seen = t.map(l => l.title);
        return t.some(l => l.title.startsWith('email: ')) && t;
    }, 45_000).catch(error => { throw new Error(`${(error as Error).message}; lenses: ${seen.join(' | ')}; sizes: ${JSON.stringify(api.audienceSizes(vscode.workspace.textDocuments.find(d => d.uri.toString() === winback.toString())!))}`); });
    assert.ok(titles.some(l => l.title.startsWith('Audience')));
    await configuration.update('codeLens.audienceSizes', false, vscode.ConfigurationTarget.Workspace);
    try {
        await waitFor('no audience or schedule lens', async () => !(await lensTitles(winback)).some(l => l.title.startsWith('Audience') || l.title.startsWith('email: ')));
        assert.ok((await lensTitles(winback)).some(l => l.title.includes('Evaluate')));
    } finally {
        await configuration.update('codeLens.audienceSizes', undefined, vscode.ConfigurationTarget.Workspace);
    }
}, 90_000);

// Compare with Base. The workspace is a git repository (tests/vscode/make-workspace.mjs): retention/summer.mplan was
// committed, then its campaign nudge changed (audience: region west → every region but the east; control 10% → 30%);
// campaign letters (the east) did not change.

/** The customers of the example data per region, counted here: the audiences the diff must report. */
function regionCounts(): Map<string, number> {
    const rows = fs.readFileSync(path.join(folder.uri.fsPath, 'retention', 'data', 'customers.csv'), 'utf8').trim().split('\n').slice(1);
    const counts = new Map<string, number>();
    for (const region of rows.map(r => r.split(',')[1])) counts.set(region, (counts.get(region) ?? 0) + 1);
    return counts;
}

function summerPlan(): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, 'retention', 'summer.mplan');
}

async function campaignLine(uri: vscode.Uri, name: string): Promise<number> {
    const line = (await vscode.workspace.openTextDocument(uri)).getText().split('\n').findIndex(l => new RegExp(`^\\s*campaign ${name}\\b`).test(l));
    assert.ok(line >= 0, `campaign ${name} in ${uri.fsPath}`);
    return line;
}

const integer = (n: number) => n.toLocaleString('en-US');

test('Compare with Base asks for the base, then shows the changed plan\'s diff beside it', async () => {
    const summer = summerPlan();
    await vscode.commands.executeCommand('mplan.clearDiffBase');
    assert.equal(api.diffBase(), undefined);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(summer));
    // No base yet: the command asks with a quick pick; its first item is the CLI's default (HEAD: there is no origin).
    const running = Promise.resolve(vscode.commands.executeCommand<CompareResult>('mplan.compareWithBase', summer));
    await waitFor('the base to be picked', async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return api.diffBase();
    }, 20_000);
    assert.deepEqual(api.diffBase(), { kind: 'default' });
    const result = await running;
    assert.ok(result, 'the command returns its result');
    assert.equal(result.state, 'diff', result.summary);
    assert.match(result.summary, /^mplan diff against HEAD \([0-9a-f]{7}\): 1 plan of 1 changed, 2 changes\.$/);

    const panel = api.comparePanel(summer);
    assert.ok(panel, 'a comparison panel for the plan');
    const html = panel.webview.html;
    assert.match(html, /default-src 'none'/);
    const regions = regionCounts();
    const [west, notEast] = [regions.get('west')!, [...regions].filter(([r]) => r !== 'east').reduce((n, [, c]) => n + c, 0)];
    const rowOf = (what: string) => new RegExp(`<td>${what.replace(/[()]/g, '\\$&')}</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>`).exec(html)?.slice(1);
    assert.deepEqual(rowOf('control'), ['10%', '30%']);
    assert.deepEqual(rowOf('audience (customers)'), [integer(west), integer(notEast)]);
    // The new control group as `mplan audience --sizes-json` draws it for the working copy.
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const output = vscode.window.createOutputChannel('mplan-test-compare', { log: true });
    const cli = new MplanCli({ asAbsolutePath: (p: string) => path.join(extension.extensionPath, p) } as vscode.ExtensionContext, output);
    const sizes = await cli.run(['audience', summer.fsPath, '--sizes-json', '--as-of', '2026-12-01'], { cwd: folder.uri.fsPath });
    output.dispose();
    assert.equal(sizes.code, 0, sizes.stderr);
    const nudge = JSON.parse(sizes.stdout).campaigns.find((c: { name: string }) => c.name === 'nudge');
    assert.equal(rowOf('control group')?.[1], integer(nudge.control));
    assert.ok(html.includes(`data-line="${await campaignLine(summer, 'nudge')}"`), 'campaign nudge links to its line');
    assert.ok(!html.includes('data-campaign="letters"'), 'the unchanged campaign has no section');
    await waitFor('a comparison tab', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('mplan.compare')));
}, 90_000);

test('with a base set, the changed campaign carries "audience OLD → NEW" in a lens; the unchanged one has none', async () => {
    const summer = summerPlan();
    const regions = regionCounts();
    const notEast = [...regions].filter(([r]) => r !== 'east').reduce((n, [, c]) => n + c, 0);
    const [nudgeLine, lettersLine] = [await campaignLine(summer, 'nudge'), await campaignLine(summer, 'letters')];
    const lenses = await waitFor('a diff lens on campaign nudge', async () => {
        const t = await lensTitles(summer);
        return t.some(l => l.title.startsWith('$(git-compare)')) && t;
    }, 30_000);
    const diff = lenses.filter(l => l.title.startsWith('$(git-compare)'));
    assert.equal(diff.length, 1, diff.map(l => l.title).join(' | '));
    assert.equal(diff[0].line, nudgeLine);
    assert.match(diff[0].title, new RegExp(`^\\$\\(git-compare\\) audience ${integer(regions.get('west')!)} → ${integer(notEast)} · cost [\\d,.]+ USD → [\\d,.]+ USD$`));
    assert.equal(diff[0].command, 'mplan.compareWithBase');
    assert.ok(!lenses.some(l => l.line === lettersLine && l.title.startsWith('$(git-compare)')));
});

test('saving the plan brings the diff lens up to date', async () => {
    const summer = summerPlan();
    const document = await vscode.workspace.openTextDocument(summer);
    const line = document.getText().split('\n').findIndex(l => l.includes('audience shoppers.region != "east"'));
    assert.ok(line >= 0);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(summer, document.lineAt(line).range, '    audience shoppers.region = "west" or shoppers.region = "north"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const regions = regionCounts();
    const expected = `audience ${integer(regions.get('west')!)} → ${integer(regions.get('west')! + regions.get('north')!)}`;
    await waitFor(`the lens to say "${expected}"`, async () => (await lensTitles(summer)).some(l => l.title.startsWith(`$(git-compare) ${expected} · cost`)), 45_000);
    // The open comparison shows the same new diff.
    const html = api.comparePanel(summer)?.webview.html ?? '';
    assert.ok(html.includes(`<td>audience (customers)</td><td class="num">${integer(regions.get('west')!)}</td><td class="num">${integer(regions.get('west')! + regions.get('north')!)}</td>`), 'the comparison view is up to date');
}, 60_000);

test('Clear Base for Comparison removes the diff lenses', async () => {
    const summer = summerPlan();
    assert.equal(await vscode.commands.executeCommand('mplan.clearDiffBase'), true);
    assert.equal(api.diffBase(), undefined);
    await waitFor('no diff lens', async () => {
        const t = await lensTitles(summer);
        return t.some(l => l.title.includes('Evaluate')) && !t.some(l => l.title.startsWith('$(git-compare)'));
    });
});

// The engine setting. A stand-in PostgreSQL server in this process (tests/vscode/fake-postgres.mjs) records who logs
// in with which password and refuses the login, as a server does for a wrong password.

interface FakePostgres {
    port: number;
    connections: { user?: string; database?: string; password?: string }[];
    close(): Promise<void>;
}

const ENGINE_PASSWORD = 'pw-Engine-7';

/**
 * A CLI runner of the bundled CLI, as the extension makes it, with a secret storage holding `secrets` and an output
 * channel whose lines the test reads (the extension's own are not readable through the API).
 */
function cliWith(secrets: Map<string, string>): { cli: MplanCli; lines: string[]; reads: string[] } {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const lines: string[] = [];
    const reads: string[] = [];
    const storage = { get: async (key: string) => { reads.push(key); return secrets.get(key); } } as unknown as vscode.SecretStorage;
    const context = { asAbsolutePath: (p: string) => path.join(extension.extensionPath, p), secrets: storage } as unknown as vscode.ExtensionContext;
    const channel = { info: (line: string) => lines.push(line), error: (line: string) => lines.push(line) } as unknown as vscode.LogOutputChannel;
    return { cli: new MplanCli(context, channel), lines, reads };
}

async function withEngine<T>(url: string | undefined, body: () => Promise<T>): Promise<T> {
    const configuration = vscode.workspace.getConfiguration('mplan', winback);
    await configuration.update('engine', url, vscode.ConfigurationTarget.Workspace);
    try {
        await waitFor('the engine setting', () => vscode.workspace.getConfiguration('mplan', winback).get('engine', '') === (url ?? ''));
        return await body();
    } finally {
        await configuration.update('engine', undefined, vscode.ConfigurationTarget.Workspace);
    }
}

test('a password in mplan.engine is refused before anything runs, and never shown', async () => {
    const pg: FakePostgres = await startFakePostgres();
    try {
        await withEngine(`postgres://mplan:${ENGINE_PASSWORD}@127.0.0.1:${pg.port}/db`, async () => {
            const { cli, lines } = cliWith(new Map());
            const refused = await cli.run(['audience', winback.fsPath, '--sizes-json'], { cwd: folder.uri.fsPath, plan: winback }).then(() => undefined, (error: Error) => error);
            assert.ok(refused, 'the run is refused');
            assert.match(refused.message, /^mplan\.engine must not contain a password .*"mplan: Set Engine Password"/);
            assert.ok(!refused.message.includes(ENGINE_PASSWORD));
            assert.deepEqual(lines, [], 'nothing was started or logged');
            // The extension's own Run Evaluation gives up the same way (its error notification says the above).
            const report = path.join(folder.uri.fsPath, 'reports', 'winback', 'report.json');
            const written = fs.statSync(report).mtimeMs;
            assert.equal(await vscode.commands.executeCommand('mplan.runEvaluation', winback), undefined);
            assert.equal(fs.statSync(report).mtimeMs, written, 'the report is not written again');
        });
        assert.deepEqual(pg.connections, [], 'nothing connected to the server');
    } finally {
        await pg.close();
    }
}, 60_000);

test('mplan.engine names the server runs connect to, with the stored password, which the output never shows', async () => {
    const pg: FakePostgres = await startFakePostgres();
    try {
        const url = `postgres://mplan@127.0.0.1:${pg.port}/db`;
        await withEngine(url, async () => {
            // The extension's own evaluation connects as the setting says (no password stored in this profile).
            assert.equal(await vscode.commands.executeCommand('mplan.runEvaluation', winback), undefined, 'the evaluation fails: the login is refused');
            assert.ok(pg.connections.some(c => c.user === 'mplan' && c.database === 'db'), JSON.stringify(pg.connections));
            assert.equal(await vscode.commands.executeCommand('mplan.clearEnginePassword', winback), false, 'no password was stored');

            const setting = parseEngineSetting(url);
            assert.ok(setting.kind === 'server');
            const { cli, lines, reads } = cliWith(new Map([[setting.secretKey, ENGINE_PASSWORD]]));
            const result = await cli.run(['audience', winback.fsPath, '--sizes-json'], { cwd: folder.uri.fsPath, plan: winback });
            assert.deepEqual(reads, [`mplan.engine.password:postgres://mplan@127.0.0.1:${pg.port}/db`]);
            assert.equal(result.code, 1, result.stderr);
            assert.ok(pg.connections.some(c => c.user === 'mplan' && c.database === 'db' && c.password === ENGINE_PASSWORD), 'the stored password reached the server');
            assert.ok(result.stderr.includes(`127.0.0.1:${pg.port}`), result.stderr);
            assert.ok(!result.stderr.includes(ENGINE_PASSWORD));
            assert.match(lines[0], new RegExp(`^\\$ mplan audience .* \\(cwd .*; engine postgres://mplan@127\\.0\\.0\\.1:${pg.port}/db, password from the secret storage\\)$`));
            assert.ok(!lines.join('\n').includes(ENGINE_PASSWORD));
        });
        // The setting removed: the embedded DuckDB again. The server is gone first, so a run that still tried it would
        // fail (counting its logins instead raced with the code lenses' own runs, started while the setting was set).
        await pg.close();
        const { cli, lines } = cliWith(new Map());
        const result = await cli.run(['audience', winback.fsPath, '--sizes-json'], { cwd: folder.uri.fsPath, plan: winback });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(JSON.parse(result.stdout).campaigns.length > 0);
        assert.ok(!lines[0].includes('engine'), lines[0]);
    } finally {
        await pg.close();
    }
}, 90_000);

// Restricted Mode: run by tests/vscode/e2e.sh in a second workbench that does not trust the workspace
// (MPLAN_TEST_MODE=restricted); only the tests named "Restricted Mode: ..." run there.

test('Restricted Mode: the workspace\'s mplan.engine is never read; runs stay on the embedded DuckDB', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is not trusted');
    const root = vscode.workspace.workspaceFolders![0].uri;
    // Not winback.mplan: in this fresh workspace it still lacks a deadline (an error).
    const plan = vscode.Uri.joinPath(root, 'retention', 'arms.mplan');
    const pg: FakePostgres = await startFakePostgres();
    try {
        // The workspace's own settings file names a server, as a pull request could.
        const url = `postgres://mplan@127.0.0.1:${pg.port}/db`;
        const settingsFile = path.join(root.fsPath, '.vscode', 'settings.json');
        const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
        // mplan.run.openReport (not restricted) shows when the workbench has read the file.
        fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'mplan.engine': url, 'mplan.run.openReport': false }, null, 2));
        await waitFor('the workspace settings to be read', () => vscode.workspace.getConfiguration('mplan', plan).inspect('run.openReport')?.workspaceValue === false);
        // The workbench itself hides a restricted setting's workspace value. The extension does not read the setting
        // at all here: not even the user's own value, which the workbench does apply.
        assert.equal(vscode.workspace.getConfiguration('mplan', plan).inspect('engine')?.workspaceValue, undefined);
        await vscode.workspace.getConfiguration('mplan').update('engine', url, vscode.ConfigurationTarget.Global);
        await waitFor('the user setting', () => vscode.workspace.getConfiguration('mplan', plan).get('engine') === url);
        const { cli, lines, reads } = cliWith(new Map([[`mplan.engine.password:${url}`, ENGINE_PASSWORD]]));
        const result = await cli.run(['audience', plan.fsPath, '--sizes-json', '--as-of', '2026-12-01'], { cwd: root.fsPath, plan });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(JSON.parse(result.stdout).campaigns.length > 0);
        assert.deepEqual(pg.connections, [], 'nothing connected to the workspace\'s server');
        assert.deepEqual(reads, [], 'no password was looked up');
        assert.ok(!lines[0].includes('engine'), lines[0]);
    } finally {
        await vscode.workspace.getConfiguration('mplan').update('engine', undefined, vscode.ConfigurationTarget.Global);
        await pg.close();
    }
}, 60_000);

export async function run(): Promise<void> {
    log(`VS Code ${vscode.version} (${vscode.env.appName}), workspace ${vscode.workspace.workspaceFolders?.[0]?.uri.fsPath}`);
    const restricted = process.env.MPLAN_TEST_MODE === 'restricted';
    log(restricted ? 'Restricted Mode tests' : 'trusted workspace tests');
    const { failed } = await runAll(name => name.startsWith('Restricted Mode: ') === restricted);
    await sleep(200);
    if (failed > 0) throw new Error(`${failed} extension test(s) failed`);
}
