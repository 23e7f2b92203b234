// Dependency injection for the mplan language: the generated parser, plus our scoping, linking and validation.
// The CLI and the language server both build their services here, so they share one validator.
import type { Module } from 'langium';
import { EmptyFileSystem, inject } from 'langium';
import type { DefaultSharedModuleContext, LangiumServices, LangiumSharedServices, PartialLangiumServices, PartialLangiumSharedServices } from 'langium/lsp';
import { createDefaultModule, createDefaultSharedModule } from 'langium/lsp';
import { MplanGeneratedModule, MplanGeneratedSharedModule, MplanLanguageMetaData } from './generated/module.js';
import { MplanReferences } from './mplan-references.js';
import { MplanAstNodeDescriptionProvider } from './mplan-descriptions.js';
import { MplanScopeComputation, MplanScopeProvider } from './mplan-scope.js';
import { createRobustParser } from './robust-parser.js';
import { MplanParserErrorMessageProvider } from './parser-messages.js';
import { MplanDocumentValidator } from './validation/document-validator.js';
import { MplanValidator, registerValidationChecks } from './validation/mplan-validator.js';
import { MplanDocumentBuilder } from './mplan-document-builder.js';
import { lspModule } from './lsp/lsp-module.js';

export type MplanAddedServices = {
    validation: {
        MplanValidator: MplanValidator;
    };
};

export type MplanServices = LangiumServices & MplanAddedServices;

export const MplanModule: Module<MplanServices, PartialLangiumServices & MplanAddedServices> = {
    parser: {
        // A stack overflow on absurdly deep nesting becomes a syntax error instead of ending the server or the CLI.
        LangiumParser: (services) => createRobustParser(services),
        // Syntax errors in the plan's words, with "did you mean" for misspelt keywords.
        ParserErrorMessageProvider: (services) => new MplanParserErrorMessageProvider(services)
    },
    references: {
        // Member references (implied columns, RFM scores) are not references to their source or model.
        References: (services) => new MplanReferences(services),
        ScopeComputation: (services) => new MplanScopeComputation(services),
        ScopeProvider: (services) => new MplanScopeProvider(services)
    },
    workspace: {
        // Positions and paths of declarations worked out when read, not for every declaration at every build.
        AstNodeDescriptionProvider: (services) => new MplanAstNodeDescriptionProvider(services)
    },
    validation: {
        DocumentValidator: (services) => new MplanDocumentValidator(services),
        MplanValidator: (services) => new MplanValidator(services)
    }
};

const MplanSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        DocumentBuilder: (services) => new MplanDocumentBuilder(services)
    }
};

export interface MplanServiceOptions {
    mode?: 'development' | 'production';
    /**
     * Whether to index every reference of every document, which only find-references, rename and highlights read.
     * The CLI turns it off: on a 5,000-line plan the index costs some 30 ms per build, for nothing.
     */
    referenceIndex?: boolean;
}

/** Indexes no references (see `MplanServiceOptions.referenceIndex`). */
const NO_REFERENCE_INDEX: Module<MplanServices, PartialLangiumServices> = {
    workspace: { ReferenceDescriptionProvider: () => ({ createDescriptions: async () => [] }) }
};

/**
 * Creates the shared and the language services. Pass `NodeFileSystem` (from `langium/node`) for a real file system,
 * and a `connection` to run as a language server.
 *
 * The parser is generated in production mode (`langium generate --mode=production`): Chevrotain skips its grammar
 * self-checks, which cost 15–40 ms at every start, and never logs lookahead ambiguities to stdout while
 * parsing (stdout is the LSP channel of `--stdio`). `mode: 'development'` turns both back on: a test does, so a
 * grammar change that makes the grammar ambiguous still fails.
 */
export function createMplanServices(context: DefaultSharedModuleContext = EmptyFileSystem, options: MplanServiceOptions = {}): {
    shared: LangiumSharedServices;
    Mplan: MplanServices;
} {
    const shared = inject(
        createDefaultSharedModule(context),
        MplanGeneratedSharedModule,
        MplanSharedModule
    );
    const mode: Module<MplanServices, PartialLangiumServices> = options.mode ? { LanguageMetaData: () => ({ ...MplanLanguageMetaData, mode: options.mode! }) } : {};
    const Mplan = inject(
        createDefaultModule({ shared }),
        MplanGeneratedModule,
        MplanModule,
        lspModule,
        mode,
        options.referenceIndex === false ? NO_REFERENCE_INDEX : {}
    );
    shared.ServiceRegistry.register(Mplan);
    registerValidationChecks(Mplan);
    if (!context.connection) {
        // Without a language server, documents are built on demand (CLI, tests): nothing else configures the workspace.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Mplan };
}
