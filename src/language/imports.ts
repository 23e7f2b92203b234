// `import "other.mplan"`: which documents a plan can see, resolved relative to the importing file.
import type { LangiumDocument, LangiumDocuments } from 'langium';
import { UriUtils } from 'langium';
import { URI } from 'vscode-uri';
import type { Import, Model } from './generated/ast.js';

/** Plan files end in exactly this (case matters); imports of anything else are reported, never followed. */
export const PLAN_EXTENSION = '.mplan';

export function isPlanPath(filePath: string): boolean {
    return filePath.endsWith(PLAN_EXTENSION);
}

/** The URI an import statement points at, relative to the importing document. */
export function resolveImportUri(document: LangiumDocument, importPath: string): URI {
    return UriUtils.resolvePath(UriUtils.dirname(document.uri), importPath);
}

export function importUri(imp: Import): URI | undefined {
    const document = imp.$container?.$document;
    return document ? resolveImportUri(document, imp.path) : undefined;
}

/** Every document reachable through imports from `document` (not including it), cycles tolerated. */
export function transitiveImports(document: LangiumDocument, documents: LangiumDocuments): Set<string> {
    const seen = new Set<string>([document.uri.toString()]);
    const result = new Set<string>();
    const queue: LangiumDocument[] = [document];
    while (queue.length > 0) {
        const current = queue.pop()!;
        const model = current.parseResult?.value as Model | undefined;
        for (const imp of model?.imports ?? []) {
            if (typeof imp.path !== 'string' || !isPlanPath(imp.path)) continue;
            const uri = resolveImportUri(current, imp.path);
            const key = uri.toString();
            if (seen.has(key)) continue;
            seen.add(key);
            const imported = documents.getDocument(uri);
            if (imported) {
                result.add(key);
                queue.push(imported);
            }
        }
    }
    return result;
}
