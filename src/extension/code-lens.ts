// Code lenses over each campaign: "Evaluate", "Export audience", the audience size with its control share and the
// contact schedule per channel ("phone: 3 days at 2,000/day, last 2027-03-10"); over each arm, its size ("Arm mail: 4,050 customers").
// While a comparison base is set, over each campaign that changed since it: "audience 710 → 2,340 · cost ...".
import * as vscode from 'vscode';
import type { AudienceSizes } from './audience-sizes.js';
import { sizeLenses } from './audience-sizes-core.js';
import type { DiffBaseState, DiffLenses } from './compare.js';
import { baseLabel } from './compare-core.js';
import { outlinePlan } from './plan-outline.js';
import { codeLensEnabled } from './settings.js';

export class CampaignCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly onDidChangeEmitter = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.onDidChangeEmitter.event;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly sizes: AudienceSizes, private readonly diffs: DiffLenses, private readonly bases: DiffBaseState) {
        this.disposables.push(
            sizes.onDidChange(() => this.onDidChangeEmitter.fire()),
            diffs.onDidChange(() => this.onDidChangeEmitter.fire()),
            vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration('mplan.codeLens')) this.onDidChangeEmitter.fire(); }),
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.onDidChangeEmitter.fire()),
            vscode.workspace.onDidSaveTextDocument(d => { if (d.languageId === 'mplan') this.onDidChangeEmitter.fire(); }),
            vscode.languages.onDidChangeDiagnostics(e => {
                if (e.uris.some(u => u.path.endsWith('.mplan'))) this.onDidChangeEmitter.fire();
            })
        );
    }

    provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
        if (!codeLensEnabled(document.uri)) return [];
        const outline = outlinePlan(document.getText());
        if (!outline.planName) return [];
        const trusted = vscode.workspace.isTrusted;
        const sizes = trusted ? this.sizes.get(document) : undefined;
        const base = this.bases.get();
        const diff = trusted && base ? this.diffs.get(document) : undefined;
        const diffTexts = base ? this.diffs.lensTexts(diff, base) : undefined;
        const lenses: vscode.CodeLens[] = [];
        for (const campaign of outline.campaigns) {
            const range = new vscode.Range(campaign.line, campaign.character, campaign.line, campaign.character + 'campaign'.length);
            if (!trusted) {
                lenses.push(new vscode.CodeLens(range, {
                    title: '$(shield) Evaluation disabled in Restricted Mode',
                    tooltip: 'Evaluating a plan reads its data files and writes reports, so it needs a trusted workspace. Click to manage workspace trust.',
                    command: 'workbench.trust.manage'
                }));
                continue;
            }
            // Changed campaigns only, first on the line (while a base is set, that is what is under review).
            const text = diffTexts?.get(campaign.name);
            if (text) lenses.push(new vscode.CodeLens(range, { title: text.title, tooltip: text.tooltip, command: 'mplan.compareWithBase', arguments: [document.uri] }));
            lenses.push(
                new vscode.CodeLens(range, {
                    title: '$(play) Evaluate',
                    tooltip: `Evaluate campaign ${campaign.name} against the plan's data and open the report`,
                    command: 'mplan.runEvaluation',
                    arguments: [document.uri, campaign.name]
                }),
                new vscode.CodeLens(range, {
                    title: '$(export) Export audience',
                    tooltip: `Write the audience of campaign ${campaign.name} (treatment and control) as CSV`,
                    command: 'mplan.exportAudience',
                    arguments: [document.uri, campaign.name]
                })
            );
            if (sizes?.state === 'ready') {
                const size = sizes.campaigns.get(campaign.name);
                if (size) {
                    for (const lens of sizeLenses(campaign, size, sizes.from === 'report')) {
                        lenses.push(new vscode.CodeLens(new vscode.Range(lens.line, lens.character, lens.line, lens.character + lens.length), {
                            title: lens.title, tooltip: lens.tooltip, command: ''
                        }));
                    }
                }
            } else if (sizes?.state === 'computing') {
                lenses.push(new vscode.CodeLens(range, { title: '$(loading~spin) Audience size…', command: '' }));
            } else if (sizes?.state === 'failed') {
                lenses.push(new vscode.CodeLens(range, { title: 'Audience size unavailable', tooltip: sizes.message, command: 'mplan.showOutput' }));
            }
        }
        // A comparison that failed says so once, over the first campaign; the view has the details.
        const failed = diff?.state === 'ready' && diff.comparison.state !== 'diff' ? diff.comparison : undefined;
        if (failed && base && outline.campaigns.length > 0) {
            const first = outline.campaigns[0];
            lenses.push(new vscode.CodeLens(new vscode.Range(first.line, first.character, first.line, first.character + 'campaign'.length), {
                title: `$(git-compare) Comparison with ${baseLabel(base)} unavailable`,
                tooltip: failed.state === 'errors' ? failed.problems.slice(0, 5).map(p => `${p.where}:${p.line}: ${p.message}`).join('\n') : failed.message,
                command: 'mplan.compareWithBase',
                arguments: [document.uri]
            }));
        }
        return lenses;
    }

    refresh(): void {
        this.onDidChangeEmitter.fire();
    }

    dispose(): void {
        this.onDidChangeEmitter.dispose();
        for (const d of this.disposables) d.dispose();
    }
}
