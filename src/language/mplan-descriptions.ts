// Descriptions of named declarations (for scopes and the index), with their positions worked out only when read.
// Langium's default works out at once where each declaration and its name stand in the text, and its path in the
// tree; linking and validation read none of these, only an editor's navigation does. A 5,000-line plan has some
// 2,000 named declarations, made into descriptions at every build (and in the editor at every change).
import type { AstNode, AstNodeDescription, DocumentSegment, LangiumDocument } from 'langium';
import { AstUtils, CstUtils, DefaultAstNodeDescriptionProvider } from 'langium';

export class MplanAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {
    override createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const documentUri = (document ?? AstUtils.getDocument(node)).uri;
        name ??= this.nameProvider.getName(node);
        if (!name) throw new Error(`Node at path ${this.astNodeLocator.getAstNodePath(node)} has no name.`);
        const { nameProvider, astNodeLocator } = this;
        let nameSegment: DocumentSegment | undefined;
        let selectionSegment: DocumentSegment | undefined;
        let path: string | undefined;
        return {
            node,
            name,
            type: node.$type,
            documentUri,
            get nameSegment() {
                return nameSegment ??= CstUtils.toDocumentSegment(nameProvider.getNameNode(node) ?? node.$cstNode);
            },
            get selectionSegment() {
                return selectionSegment ??= CstUtils.toDocumentSegment(node.$cstNode);
            },
            get path() {
                return path ??= astNodeLocator.getAstNodePath(node);
            }
        };
    }
}
