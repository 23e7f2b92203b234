// Editor features (completion, hover, navigation, outline, folding, formatting, quick fixes, semantic tokens)
// registered into the language services. createMplanServices injects this module, so the CLI gets the same
// formatter (`mplan fmt`) and the tests exercise exactly what the language server runs.
import type { Module } from 'langium';
import type { LangiumServices, PartialLangiumServices } from 'langium/lsp';
import { MplanCodeActionProvider } from './code-actions.js';
import { MplanCompletionProvider } from './completion-provider.js';
import { MplanDefinitionProvider } from './definition-provider.js';
import { MplanDocumentSymbolProvider } from './document-symbols.js';
import { MplanFoldingRangeProvider } from './folding.js';
import { MplanFormatter } from './formatter.js';
import { MplanHoverProvider } from './hover-provider.js';
import { MplanDocumentHighlightProvider, MplanReferencesProvider } from './references-provider.js';
import { MplanRenameProvider } from './rename-provider.js';
import { MplanSemanticTokenProvider } from './semantic-tokens.js';

export const lspModule: Module<LangiumServices, PartialLangiumServices> = {
    lsp: {
        CompletionProvider: (services) => new MplanCompletionProvider(services),
        HoverProvider: (services) => new MplanHoverProvider(services),
        DefinitionProvider: (services) => new MplanDefinitionProvider(services),
        ReferencesProvider: (services) => new MplanReferencesProvider(services),
        DocumentHighlightProvider: (services) => new MplanDocumentHighlightProvider(services),
        RenameProvider: (services) => new MplanRenameProvider(services),
        DocumentSymbolProvider: (services) => new MplanDocumentSymbolProvider(services),
        FoldingRangeProvider: (services) => new MplanFoldingRangeProvider(services),
        Formatter: (services) => new MplanFormatter(services),
        CodeActionProvider: (services) => new MplanCodeActionProvider(services),
        SemanticTokenProvider: (services) => new MplanSemanticTokenProvider(services)
    }
};
