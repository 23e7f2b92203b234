// The language server entry: `mplan-language-server --stdio` (or --node-ipc, as VS Code starts it).
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { createMplanServices } from './mplan-module.js';

const connection = createConnection(ProposedFeatures.all);
const { shared } = createMplanServices({ connection, ...NodeFileSystem });
startLanguageServer(shared);
