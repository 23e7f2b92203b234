// `mplan check --schema --engine URL`: the plan's `from table` sources against the tables of that database, as
// diagnostics on the source's lines (table-not-found, table-column-missing, table-column-type). The only time `mplan
// check` connects to a database: without --schema it never does (nor does the language server).
import type { LangiumDocument } from 'langium';
import { AstUtils, GrammarUtils } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Model } from '../language/generated/ast.js';
import { isDataSource } from '../language/generated/ast.js';
import { tableName } from '../language/semantics.js';
import { embeddedEngine, openEngine } from '../runner/engine/open-engine.js';
import type { SchemaProblem } from '../runner/data/table-schema.js';
import { tableSchemaProblems } from '../runner/data/table-schema.js';

/** The diagnostics of each document's table sources (by the document's path), from one session on the engine. */
export async function schemaDiagnostics(documents: Array<{ path: string; document?: LangiumDocument<Model> }>, url: string): Promise<Map<string, Diagnostic[]>> {
    const found = documents.flatMap(({ path, document }) => document
        ? AstUtils.streamAst(document.parseResult.value).filter(isDataSource).filter(s => s.table && typeof s.path === 'string' && tableName(s.path)).map(source => ({ path, source })).toArray()
        : []);
    const result = new Map<string, Diagnostic[]>();
    if (found.length === 0) return result;
    const add = (path: string, problem: SchemaProblem) => result.set(path, [...(result.get(path) ?? []), diagnosticOf(problem)]);
    // The embedded engines start empty: no table is there to look at.
    const embedded = embeddedEngine(url);
    if (embedded) {
        for (const { path, source } of found) {
            add(path, { node: source, property: 'path', severity: 'error', code: 'table-not-found',
                message: `Table ${JSON.stringify(source.path)} of source ${source.name} does not exist on the ${embedded} engine, which holds no tables of yours: give --engine with the database that has it.` });
        }
        return result;
    }
    const engine = await openEngine(url, { readablePaths: [] });
    try {
        for (const { path, source } of found) for (const problem of await tableSchemaProblems(engine, source)) add(path, problem);
    } finally {
        await engine.close();
    }
    return result;
}

function diagnosticOf(problem: SchemaProblem): Diagnostic {
    const range = GrammarUtils.findNodeForProperty(problem.node.$cstNode, problem.property)?.range ?? problem.node.$cstNode!.range;
    return { severity: problem.severity === 'error' ? 1 : 2, range, message: problem.message, code: problem.code, source: 'mplan' };
}
