// Editor features (completion, hover, quick fixes, formatting, semantic tokens) registered into the language services.
import type { Module } from 'langium';
import type { PartialLangiumServices } from 'langium/lsp';

export const lspModule: Module<any, PartialLangiumServices> = {
};
