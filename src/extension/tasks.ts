// The `mplan` task type: `check` (with the `$mplan` problem matcher) and `run`, executed by the bundled CLI.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MplanCli } from './cli.js';
import { asOfDate, dataRootArgs, reportDir } from './settings.js';

export const TASK_TYPE = 'mplan';

export interface MplanTaskDefinition extends vscode.TaskDefinition {
    type: 'mplan';
    command: 'check' | 'run';
    /** `check`: files or folders (default: the workspace folder); `run`: the plan file. Relative to the folder. */
    plan?: string;
    paths?: string[];
    args?: string[];
}

export class MplanTaskProvider implements vscode.TaskProvider {
    constructor(private readonly cli: MplanCli) {}

    async provideTasks(): Promise<vscode.Task[]> {
        const tasks: vscode.Task[] = [];
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
            tasks.push(this.create({ type: TASK_TYPE, command: 'check' }, folder));
            const plans = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.mplan'), '**/node_modules/**', 50);
            for (const plan of plans.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
                const relative = path.relative(folder.uri.fsPath, plan.fsPath).split(path.sep).join('/');
                tasks.push(this.create({ type: TASK_TYPE, command: 'run', plan: relative }, folder));
            }
        }
        return tasks;
    }

    resolveTask(task: vscode.Task): vscode.Task | undefined {
        const definition = task.definition as MplanTaskDefinition;
        if (definition.command !== 'check' && definition.command !== 'run') return undefined;
        const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
        if (!folder) return undefined;
        return this.create(definition, folder);
    }

    create(definition: MplanTaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
        const { command, env } = this.cli.nodeCommand();
        const extra = definition.args ?? [];
        let args: string[];
        let name: string;
        if (definition.command === 'check') {
            const paths = definition.paths ?? (definition.plan ? [definition.plan] : []);
            args = ['check', ...paths, ...extra];
            name = paths.length ? `check ${paths.join(' ')}` : 'check';
        } else {
            const plan = definition.plan ?? '';
            const out = path.relative(folder.uri.fsPath, reportDir(vscode.Uri.file(path.resolve(folder.uri.fsPath, plan)))) || '.';
            args = ['run', plan, '--out', out, ...dataRootArgs(folder.uri), ...extra];
            const asOf = asOfDate(folder.uri);
            if (asOf && !extra.includes('--as-of')) args.push('--as-of', asOf);
            name = `run ${plan}`;
        }
        // ProcessExecution merges this into the parent environment.
        const execution = new vscode.ProcessExecution(command, [this.cli.script, ...args], { cwd: folder.uri.fsPath, env });
        // `mplan run` checks the plan first and prints the same diagnostics, so both use the matcher.
        const task = new vscode.Task(definition, folder, name, 'mplan', execution, ['$mplan']);
        if (definition.command === 'check') task.group = vscode.TaskGroup.Build;
        task.detail = definition.command === 'check' ? 'Check plans for errors (mplan check)' : 'Evaluate the plan and write its report (mplan run)';
        return task;
    }
}
