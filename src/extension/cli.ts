// Runs the bundled `mplan` CLI (dist/cli/mplan.mjs) in a child Node process. Evaluations, audience export and
// audience sizes go through it, so DuckDB's native binding is loaded in that process, never in the extension host,
// and a cancelled evaluation is simply a killed process.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { engineForRun } from './engine-settings.js';

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
    cancelled: boolean;
}

export interface CliRunOptions {
    cwd: string;
    token?: vscode.CancellationToken;
    /** Called with each chunk of stderr (progress and problems), for the output channel. */
    onStderr?: (text: string) => void;
    /** Kill the process after this many milliseconds (default: no limit). */
    timeoutMs?: number;
    /**
     * The plan the run evaluates (run, audience, diff): its `mplan.engine` setting and the stored password are passed
     * as MPLAN_ENGINE and PGPASSWORD or CLICKHOUSE_PASSWORD. Without it (check) the engine is the inherited environment's.
     */
    plan?: vscode.Uri;
}

export class MplanCli {
    constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

    /** The bundled CLI script. */
    get script(): string {
        return this.context.asAbsolutePath('dist/cli/mplan.mjs');
    }

    /**
     * The Node executable and the environment it needs. By default the extension host's own executable: in VS Code
     * that is Electron, which runs as plain Node with ELECTRON_RUN_AS_NODE=1; in code-server it is Node itself.
     * `mplan.node.path` overrides it (a machine setting: never taken from an untrusted workspace).
     */
    nodeCommand(): { command: string; env: Record<string, string> } {
        const configured = vscode.workspace.getConfiguration('mplan').get<string>('node.path', '').trim();
        // MPLAN_PROGRESS: the runner prints its progress lines on stderr even though this is no terminal.
        const env: Record<string, string> = { NO_COLOR: '1', FORCE_COLOR: '0', MPLAN_PROGRESS: '1' };
        // Node 22.8 and later keep the bundle's compiled code here between runs (every code lens and evaluation
        // starts the CLI); on older runtimes the CLI's launcher keeps its own cache in the temporary folder.
        const storage = this.context.globalStorageUri?.fsPath;
        if (storage && !process.env.NODE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = path.join(storage, 'compile-cache');
        if (configured) return { command: configured, env };
        return { command: process.execPath, env: { ...env, ELECTRON_RUN_AS_NODE: '1' } };
    }

    /**
     * Runs `mplan ...args`; resolves with the exit code and output, never rejects for a non-zero exit. Rejects when
     * the plan's engine setting is refused (a URL with a password) or the process cannot start.
     */
    async run(args: string[], options: CliRunOptions): Promise<CliResult> {
        const { command, env: extra } = this.nodeCommand();
        const engine = options.plan ? await engineForRun(this.context.secrets, options.plan) : undefined;
        const env: NodeJS.ProcessEnv = { ...process.env, ...extra, ...engine?.env };
        if (!extra.ELECTRON_RUN_AS_NODE) delete env.ELECTRON_RUN_AS_NODE;
        const argv = [this.script, ...args];
        // The environment is not logged: it may hold the password.
        this.log.info(`$ mplan ${args.map(quoteArg).join(' ')}   (cwd ${options.cwd}${engine?.log ? `; ${engine.log}` : ''})`);
        return new Promise((resolve, reject) => {
            const child = spawn(command, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
            let stdout = '';
            let stderr = '';
            let cancelled = false;
            const kill = () => {
                if (child.exitCode === null && !child.killed) {
                    cancelled = true;
                    child.kill('SIGTERM');
                    setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 2000).unref();
                }
            };
            const subscription = options.token?.onCancellationRequested(kill);
            const timer = options.timeoutMs ? setTimeout(kill, options.timeoutMs) : undefined;
            child.stdout.setEncoding('utf8');
            child.stderr.setEncoding('utf8');
            child.stdout.on('data', (chunk: string) => { stdout += chunk; });
            child.stderr.on('data', (chunk: string) => {
                stderr += chunk;
                options.onStderr?.(chunk);
            });
            child.on('error', error => {
                subscription?.dispose();
                if (timer) clearTimeout(timer);
                reject(new Error(`could not start ${command}: ${error.message}`));
            });
            child.on('close', code => {
                subscription?.dispose();
                if (timer) clearTimeout(timer);
                this.log.info(`mplan ${args[0]} exited with ${cancelled ? 'cancellation' : code}`);
                resolve({ code, stdout, stderr, cancelled });
            });
        });
    }
}

function quoteArg(arg: string): string {
    return /^[\w./:=@-]+$/.test(arg) ? arg : JSON.stringify(arg);
}
