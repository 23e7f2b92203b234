// `npm run test:vscode`: the extension-host integration tests (tests/vscode/suite) in VS Code desktop, downloaded by
// @vscode/test-electron, where VS Code can be downloaded. (These machines cannot: CI runs the same suite in code-server
// with tests/vscode/e2e.sh.) The extension runs from the repository (extensionDevelopmentPath), bundled by esbuild.
//   npm run test:vscode   [VSCODE_VERSION=stable|insiders|1.90.0]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace } from './make-workspace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--dev', '--tests'], { cwd: root, stdio: 'inherit' });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-vscode-'));
const workspace = path.join(work, 'workspace');
makeWorkspace(workspace);
const results = path.join(work, 'results.json');
let code = 1;
try {
    code = await runTests({
        version: process.env.VSCODE_VERSION || 'stable',
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'dist', 'test', 'suite.cjs'),
        extensionTestsEnv: { MPLAN_TEST_RESULTS: results },
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
            `--user-data-dir=${path.join(work, 'user-data')}`]
    });
} catch (error) {
    console.error(`VS Code tests failed to run: ${error?.message ?? error}`);
}
if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, 'utf8'));
    console.log(`${r.passed} passed, ${r.failed} failed`);
    if (r.failed > 0) code = code || 1;
} else if (code === 0) {
    code = 1;
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(code);
