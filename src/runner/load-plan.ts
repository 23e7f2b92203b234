// Loads a plan file the way `mplan check` does, and hands the runner its view of the plan when there are no errors.
import { NodeFileSystem } from 'langium/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createMplanServices } from '../language/mplan-module.js';
import { loadDocuments } from '../language/load-documents.js';
import type { RunnerPlan } from './plan/runner-plan.js';
import { readRunnerPlan } from './plan/runner-plan.js';

export interface LoadedPlan {
    path: string;
    diagnostics: Diagnostic[];
    /** Present only when the plan has no errors. */
    plan?: RunnerPlan;
}

export async function loadPlan(file: string): Promise<LoadedPlan> {
    const { Mplan } = createMplanServices(NodeFileSystem, { referenceIndex: false });
    const [loaded] = await loadDocuments(Mplan, [file]);
    const errors = loaded.diagnostics.filter(d => (d.severity ?? 1) === 1);
    if (errors.length > 0 || !loaded.document) return { path: loaded.path, diagnostics: loaded.diagnostics };
    const plan = readRunnerPlan(loaded.document, Mplan.shared.workspace.LangiumDocuments);
    return { path: loaded.path, diagnostics: loaded.diagnostics, plan };
}
