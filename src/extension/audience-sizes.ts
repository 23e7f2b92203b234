// Audience sizes for the code lenses: each campaign's audience and control share, arm sizes and contact schedule,
// computed in the background by `mplan audience --sizes-json` in a child process (groups drawn and contacts
// scheduled, no metric evaluated, no file written), cached until the plan, the files it imports or its data files
// change. A report written after every input changed has them too, and is used instead.
import * as vscode from 'vscode';
import type { Report } from '../runner/report/schema.js';
import { SizesSchema } from '../runner/sizes-schema.js';
import { type CampaignSize, firstLines, inputFingerprint, sizesFromJson, sizesFromReport } from './audience-sizes-core.js';
import type { MplanCli } from './cli.js';
import { readReport } from './report-panel.js';
import { asOfDate, audienceSizesEnabled, baseFolder, dataRootArgs, dataRoots } from './settings.js';

export type SizesEntry =
    | { state: 'computing' }
    | { state: 'ready'; campaigns: Map<string, CampaignSize>; from: 'report' | 'background' }
    | { state: 'failed'; message: string };

export class AudienceSizes implements vscode.Disposable {
    private readonly cache = new Map<string, { key: string; entry: SizesEntry }>();
    private readonly running = new Map<string, vscode.CancellationTokenSource>();
    private readonly onDidChangeEmitter = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    constructor(private readonly cli: MplanCli, private readonly log: vscode.LogOutputChannel) {}

    /** The sizes known for a plan; starts a background computation when they are not (and may be computed). */
    get(document: vscode.TextDocument): SizesEntry | undefined {
        if (document.uri.scheme !== 'file' || !audienceSizesEnabled(document.uri) || !vscode.workspace.isTrusted) return undefined;
        const uri = document.uri;
        const { key, latest } = inputFingerprint(uri.fsPath, document.getText(), dataRoots(uri));
        const cached = this.cache.get(uri.toString());
        if (cached && (cached.key === key || document.isDirty)) return cached.entry;
        if (document.isDirty) return cached?.entry;

        // A report written after every input changed already has the sizes.
        try {
            const loaded = readReport(uri);
            if (loaded && loaded.written.getTime() >= latest) {
                const entry: SizesEntry = { state: 'ready', campaigns: sizesFromReport(loaded.report), from: 'report' };
                this.cache.set(uri.toString(), { key, entry });
                return entry;
            }
        } catch {
            // an unreadable report: compute instead
        }
        if (hasErrors(uri)) return cached?.entry;
        const entry: SizesEntry = { state: 'computing' };
        this.cache.set(uri.toString(), { key, entry });
        void this.compute(uri, key);
        return entry;
    }

    /** Takes the sizes of a report just written by an evaluation. */
    update(document: vscode.TextDocument, report: Report): void {
        const { key } = inputFingerprint(document.uri.fsPath, document.getText(), dataRoots(document.uri));
        const campaigns = sizesFromReport(report);
        // An evaluation of one campaign (`--campaign`) keeps the sizes known for the others.
        const previous = this.cache.get(document.uri.toString());
        if (previous?.key === key && previous.entry.state === 'ready') {
            for (const [name, size] of previous.entry.campaigns) if (!campaigns.has(name)) campaigns.set(name, size);
        }
        this.cache.set(document.uri.toString(), { key, entry: { state: 'ready', campaigns, from: 'report' } });
        this.onDidChangeEmitter.fire(document.uri);
    }

    clear(): void {
        for (const source of this.running.values()) source.cancel();
        this.cache.clear();
    }

    private async compute(uri: vscode.Uri, key: string): Promise<void> {
        this.running.get(uri.toString())?.cancel();
        const source = new vscode.CancellationTokenSource();
        this.running.set(uri.toString(), source);
        let entry: SizesEntry;
        try {
            const args = ['audience', uri.fsPath, '--sizes-json', ...dataRootArgs(uri)];
            const asOf = asOfDate(uri);
            if (asOf) args.push('--as-of', asOf);
            const result = await this.cli.run(args, { cwd: baseFolder(uri), plan: uri, token: source.token, timeoutMs: 120_000 });
            if (result.cancelled) return;
            if (result.code !== 0) {
                entry = { state: 'failed', message: firstLines(result.stderr) || `mplan audience exited with ${result.code}` };
            } else {
                const parsed = SizesSchema.safeParse(JSON.parse(result.stdout));
                entry = parsed.success
                    ? { state: 'ready', campaigns: sizesFromJson(parsed.data), from: 'background' }
                    : { state: 'failed', message: `mplan audience --sizes-json printed sizes of another shape: ${parsed.error.issues.slice(0, 3).map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
            }
        } catch (error) {
            entry = { state: 'failed', message: (error as Error).message };
        } finally {
            if (this.running.get(uri.toString()) === source) this.running.delete(uri.toString());
            source.dispose();
        }
        if (entry.state === 'failed') this.log.warn(`audience sizes of ${uri.fsPath}: ${entry.message}`);
        const current = this.cache.get(uri.toString());
        if (!current || current.key === key) {
            this.cache.set(uri.toString(), { key, entry });
            this.onDidChangeEmitter.fire(uri);
        }
    }

    dispose(): void {
        this.clear();
        this.onDidChangeEmitter.dispose();
    }
}

export function hasErrors(uri: vscode.Uri): boolean {
    return vscode.languages.getDiagnostics(uri).some(d => d.severity === vscode.DiagnosticSeverity.Error);
}

export { firstLines };
