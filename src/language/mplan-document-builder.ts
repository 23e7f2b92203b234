// Re-validates importers when a file they import changes: a renamed or removed declaration in `shared.mplan`
// must show up as an error in every plan that imports it, even where no reference resolved into it before.
import type { LangiumDocument } from 'langium';
import { DefaultDocumentBuilder } from 'langium';
import type { Model } from './generated/ast.js';
import { resolveImportUri } from './imports.js';

export class MplanDocumentBuilder extends DefaultDocumentBuilder {
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris)) return true;
        const model = document.parseResult?.value as Model | undefined;
        return (model?.imports ?? []).some(imp => typeof imp.path === 'string' && changedUris.has(resolveImportUri(document, imp.path).toString()));
    }
}
