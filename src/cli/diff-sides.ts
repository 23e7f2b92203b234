// The two sides of `mplan diff`, built and validated as `mplan check` builds plans: the working copy from disk, and
// the base from git (or from --base-file). The base's documents keep the working copy's paths under another URI
// scheme, so its imports resolve against the base's own versions of the imported files, and its data paths against
// the working copy (the data is the same for both sides), while the validator's checks of files on disk leave it alone.
import * as path from 'node:path';
import { NodeFileSystem } from 'langium/node';
import type { LangiumDocument, LangiumDocuments } from 'langium';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Model } from '../language/generated/ast.js';
import { createMplanServices } from '../language/mplan-module.js';
import type { MplanServices } from '../language/mplan-module.js';
import type { PlanTextSource } from '../language/load-documents.js';
import { decodePlanText, fileProblem, loadDocuments, readPlanText } from '../language/load-documents.js';
import { isPlanPath, resolveImportUri } from '../language/imports.js';
import { withConsoleGuard } from './console-guard.js';
import { gitPath, readAt } from './git-revisions.js';

/** The scheme of the base side's documents. */
export const BASE_SCHEME = 'mplan-base';

/** One side of one plan: its built document, or nothing when the plan does not exist on that side. */
export interface PlanSide {
    document?: LangiumDocument<Model>;
    documents: LangiumDocuments;
    diagnostics: Diagnostic[];
}

export interface Side {
    documents: LangiumDocuments;
    /** Per absolute plan path, as given. */
    plans: Map<string, PlanSide>;
    internalErrors: string[];
}

/** Where the base's texts come from: a commit of the repository, or one file standing in for the one plan. */
export type BaseSource = { kind: 'git'; top: string; commit: string; files: Set<string> } | { kind: 'file'; file: string; plan: string };

/**
 * Both sides in one set of language services (building a parser costs more than parsing a plan): their documents
 * differ in scheme, and names resolve only through imports, so neither side sees the other's declarations.
 */
export async function loadSides(plans: string[], base: BaseSource, exists: (file: string) => boolean, same: Set<string>): Promise<{ head: Side; base: Side }> {
    const { Mplan } = createMplanServices(NodeFileSystem, { referenceIndex: false });
    const head = await loadSide(Mplan, plans.filter(exists), undefined);
    return { head, base: await loadBaseSide(Mplan, plans.filter(p => !same.has(p)), base) };
}

/** Builds the base side of the plans that exist at the base. */
async function loadBaseSide(Mplan: MplanServices, plans: string[], base: BaseSource): Promise<Side> {
    const source: PlanTextSource = {
        uriOf: absolute => URI.file(absolute).with({ scheme: BASE_SCHEME }),
        read: absolute => readBase(base, absolute)
    };
    const present = plans.filter(p => base.kind === 'file' ? p === base.plan : baseHas(base, p));
    return loadSide(Mplan, present, source);
}

function baseHas(base: Extract<BaseSource, { kind: 'git' }>, absolute: string): boolean {
    const relative = gitPath(base.top, absolute);
    return relative !== undefined && base.files.has(relative);
}

function readBase(base: BaseSource, absolute: string): { text: string } | { problem: string } {
    if (base.kind === 'file') {
        // --base-file stands in for the plan; whatever it imports is read from the working copy.
        return readPlanText(absolute === base.plan ? base.file : absolute);
    }
    if (!baseHas(base, absolute)) return { problem: 'File not found at the base revision.' };
    try {
        return decodePlanText(readAt(base.top, base.commit, gitPath(base.top, absolute)!));
    } catch (error) {
        return { problem: `File cannot be read from git: ${(error as Error).message.split('\n')[0]}` };
    }
}

async function loadSide(Mplan: MplanServices, plans: string[], source: PlanTextSource | undefined): Promise<Side> {
    const documents = Mplan.shared.workspace.LangiumDocuments;
    const { value: loaded, internalErrors } = await withConsoleGuard(() => loadDocuments(Mplan, plans, source));
    const side: Side = { documents, plans: new Map(), internalErrors };
    for (const file of loaded) {
        const diagnostics = [...file.diagnostics];
        // On disk the validator says when an import is missing; the base's files are not on disk, so say it here.
        if (source && file.document) diagnostics.push(...missingImports(file.document, documents));
        side.plans.set(file.path, { document: file.document, documents, diagnostics });
    }
    return side;
}

function missingImports(document: LangiumDocument<Model>, documents: LangiumDocuments): Diagnostic[] {
    const problems: Diagnostic[] = [];
    for (const imp of document.parseResult.value.imports ?? []) {
        if (typeof imp.path !== 'string' || !isPlanPath(imp.path)) continue;
        const uri = resolveImportUri(document, imp.path);
        if (documents.hasDocument(uri)) continue;
        const range = imp.$cstNode?.range;
        problems.push({ ...fileProblem(`Imported file '${imp.path}' does not exist at the base (looked for ${path.normalize(uri.fsPath)}).`), code: 'import-not-found', ...(range ? { range } : {}) });
    }
    return problems;
}
