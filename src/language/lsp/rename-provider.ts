// Rename a segment, metric, channel, source, RFM model, campaign or column everywhere it occurs, including the
// `key`/`customer`/`time` properties that name a column. RFM scores (r, f, m) and CLV scores (alive, purchases, spend,
// clv) are fixed and cannot be renamed; a CLV model or an attitude renames like any declaration.
// A new name must still parse as a name: an identifier, or one of the keywords the grammar accepts as a name.
import type { LangiumDocument } from 'langium';
import { AstUtils, GrammarAST } from 'langium';
import type { LangiumServices, RenameProvider } from 'langium/lsp';
import type { PrepareRenameParams, Range, RenameParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { ResponseError } from 'vscode-languageserver';
import { occurrences } from '../mplan-references.js';
import { symbolAt } from './symbol-at.js';

const IDENTIFIER = /^[_a-zA-Z]\w*$/;
/** JSON-RPC "request failed": the client shows the message. */
const REQUEST_FAILED = -32803;

export class MplanRenameProvider implements RenameProvider {
    /** Keywords that may not be used as names (e.g. `and`, `from`, `sum`). */
    protected readonly reserved: Set<string>;

    constructor(protected readonly services: LangiumServices) {
        this.reserved = reservedWords(services);
    }

    prepareRename(document: LangiumDocument, params: PrepareRenameParams): Range | undefined {
        const named = symbolAt(document, document.textDocument.offsetAt(params.position));
        if (!named || named.symbol.kind === 'score' || named.symbol.kind === 'clvScore') return undefined;
        return named.cst.range;
    }

    rename(document: LangiumDocument, params: RenameParams): WorkspaceEdit | undefined {
        const named = symbolAt(document, document.textDocument.offsetAt(params.position));
        if (!named) return undefined;
        if (named.symbol.kind === 'score') {
            throw new ResponseError(REQUEST_FAILED, 'The RFM scores r, f and m are built in and cannot be renamed.');
        }
        if (named.symbol.kind === 'clvScore') {
            throw new ResponseError(REQUEST_FAILED, 'The CLV scores alive, purchases, spend and clv are built in and cannot be renamed.');
        }
        const problem = this.checkName(params.newName);
        if (problem) throw new ResponseError(REQUEST_FAILED, problem);
        const changes: Record<string, TextEdit[]> = {};
        for (const occurrence of occurrences(named.symbol, this.services)) {
            (changes[occurrence.uri] ??= []).push({ range: occurrence.range, newText: params.newName });
        }
        return { changes };
    }

    /** Why `name` cannot be a name, or undefined when it can. */
    checkName(name: string): string | undefined {
        if (!IDENTIFIER.test(name)) return `'${name}' is not a valid name: use letters, digits and _, not starting with a digit.`;
        if (this.reserved.has(name)) return `'${name}' is a keyword and cannot be used as a name.`;
        return undefined;
    }
}

/** Word keywords of the grammar that the `Name` rule does not accept (directly, or through the rules it calls). */
export function reservedWords(services: LangiumServices): Set<string> {
    const grammar = services.Grammar;
    const allowed = new Set<string>();
    const seen = new Set<GrammarAST.AbstractRule>();
    const collect = (rule: GrammarAST.AbstractRule | undefined) => {
        if (!rule || seen.has(rule)) return;
        seen.add(rule);
        for (const node of AstUtils.streamAllContents(rule)) {
            if (GrammarAST.isKeyword(node)) allowed.add(node.value);
            if (GrammarAST.isRuleCall(node)) collect(node.rule.ref);
        }
    };
    collect(grammar.rules.find(r => r.name === 'Name'));
    return new Set(
        AstUtils.streamAllContents(grammar)
            .filter(GrammarAST.isKeyword)
            .map(k => k.value)
            .filter(word => IDENTIFIER.test(word) && !allowed.has(word))
    );
}
