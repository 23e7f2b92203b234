// `mplan fmt`: rewrite plans in the canonical layout, with the same Formatter the editor uses.
import type { Command } from 'commander';
import type { LangiumDocument } from 'langium';
import type { Formatter } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Model } from '../language/generated/ast.js';
import { fileProblem, readPlanText } from '../language/load-documents.js';
import { createMplanServices, type MplanServices } from '../language/mplan-module.js';
import { writeFileAtomic } from './atomic-write.js';
import { collectPlanFiles, notAPlanFile } from './collect-files.js';
import { withConsoleGuard } from './console-guard.js';
import { diagnosticLines } from './diagnostic-formats.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { guardOutputPipes } from './pipe-guard.js';
import { codeOf, toFileReport, type FileReport } from './plan-diagnostics.js';
import { displayPath } from '../language/display-path.js';

export interface FmtOptions {
    check?: boolean;
}

const HELP_AFTER = `
Files with syntax errors are reported and left as they are. Folders are searched like \`mplan check\` does.

Exit codes:
  0  every file is formatted (with --check: already was)
  1  with --check, some file would change; or a file is unreadable or has syntax errors
  2  usage error or an internal failure`;

export function registerFmtCommand(program: Command): void {
    program
        .command('fmt')
        .description('Format plans in place into the canonical layout.')
        .argument('[paths...]', 'plan files or folders (default: the current folder)')
        .option('--check', 'write nothing: list the files that would change, and exit 1 if there are any')
        .addHelpText('after', HELP_AFTER)
        .action(async (paths: string[], options: FmtOptions) => {
            process.exitCode = await runFmt(paths, options);
        });
}

/** The outcome for one file: unchanged, (to be) rewritten, or why it was left alone. */
type FileOutcome =
    | { kind: 'unchanged' }
    | { kind: 'changed'; formatted: string }
    | { kind: 'left-alone'; diagnostics: Diagnostic[] }
    | { kind: 'internal'; message: string };

/** Formats the files and reports; returns the exit code. `formatter` replaces the language's own (tests use it). */
export async function runFmt(paths: string[], options: FmtOptions, formatter?: Formatter): Promise<number> {
    guardOutputPipes();
    const cwd = process.cwd();
    const { files, folderProblems } = collectPlanFiles(paths, cwd);
    if (folderProblems.length > 0) {
        for (const problem of folderProblems) process.stderr.write(`mplan fmt: ${problem}\n`);
        return EXIT_USAGE;
    }
    const { Mplan } = createMplanServices(NodeFileSystem, { referenceIndex: false });
    const chosen = formatter ?? Mplan.lsp.Formatter;
    if (!chosen) throw new Error('no formatter is registered for .mplan files');

    const { value: outcomes, internalErrors } = await withConsoleGuard(() => formatAll(Mplan, chosen, files));
    const reports: FileReport[] = [];
    let changed = 0;
    let failed = false;
    for (const [file, outcome] of outcomes) {
        const shown = displayPath(file, cwd);
        if (outcome.kind === 'changed') {
            if (!options.check) {
                try {
                    writeFileAtomic(file, outcome.formatted);
                } catch (error) {
                    process.stderr.write(`${shown}: error: cannot write the formatted file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
                    failed = true;
                    continue;
                }
            }
            process.stdout.write(`${shown}\n`);
            changed++;
        } else if (outcome.kind === 'left-alone') {
            // Reported on stderr: stdout lists files only.
            reports.push(toFileReport(file, outcome.diagnostics, cwd));
        } else if (outcome.kind === 'internal') {
            internalErrors.push(`${shown}: ${outcome.message}`);
        }
    }

    if (reports.length > 0) {
        process.stderr.write(diagnosticLines(reports).join('\n') + '\n');
        process.stderr.write(`${reports.length} file${reports.length === 1 ? '' : 's'} not formatted.\n`);
        failed = true;
    }
    if (options.check && changed > 0) {
        process.stderr.write(`${changed} file${changed === 1 ? '' : 's'} would be reformatted; run \`mplan fmt\` to fix.\n`);
    }

    for (const message of internalErrors) process.stderr.write(`mplan: internal error: ${message}\n`);
    if (internalErrors.length > 0) return EXIT_USAGE;
    return failed || (options.check && changed > 0) ? EXIT_ERRORS : EXIT_OK;
}

/** Formats every file in memory; the result lists the files in the order given. */
async function formatAll(Mplan: MplanServices, formatter: Formatter, files: string[]): Promise<Array<[string, FileOutcome]>> {
    const outcomes = new Map<string, FileOutcome>();
    const workspace = Mplan.shared.workspace;
    const parsed: Array<[string, LangiumDocument<Model>]> = [];
    for (const file of files) {
        const wrongKind = notAPlanFile(file);
        const read = wrongKind ? { problem: wrongKind } : readPlanText(file);
        if ('problem' in read) {
            outcomes.set(file, { kind: 'left-alone', diagnostics: [fileProblem(read.problem)] });
            continue;
        }
        const document = workspace.LangiumDocumentFactory.fromString<Model>(read.text, URI.file(file));
        if (hasSyntaxErrors(document)) {
            outcomes.set(file, { kind: 'left-alone', diagnostics: await syntaxDiagnostics(Mplan, document) });
        } else {
            parsed.push([file, document]);
        }
    }
    // Build (without validation) so the formatter sees documents in the state the editor gives it.
    for (const [, document] of parsed) workspace.LangiumDocuments.addDocument(document);
    await workspace.DocumentBuilder.build(parsed.map(([, document]) => document), { validation: false });
    for (const [file, document] of parsed) outcomes.set(file, await formatOne(Mplan, formatter, document));
    return files.map(file => [file, outcomes.get(file)!]);
}

async function formatOne(Mplan: MplanServices, formatter: Formatter, document: LangiumDocument<Model>): Promise<FileOutcome> {
    const text = document.textDocument.getText();
    const edits = await formatter.formatDocument(document, {
        textDocument: { uri: document.uri.toString() },
        options: { tabSize: 2, insertSpaces: true }
    });
    const formatted = TextDocument.applyEdits(document.textDocument, edits ?? []);
    if (formatted === text) return { kind: 'unchanged' };
    // A formatter bug must never change a plan on disk beyond its layout: same tokens, same comments.
    if (!sameTokens(Mplan, text, formatted)) {
        return { kind: 'internal', message: 'the formatter changed more than the layout; the file was left as it is' };
    }
    return { kind: 'changed', formatted };
}

/** Whether two texts differ in whitespace only (comments compared with their own whitespace collapsed). */
function sameTokens(Mplan: MplanServices, before: string, after: string): boolean {
    const lex = (text: string) => Mplan.parser.Lexer.tokenize(text);
    const a = lex(before);
    const b = lex(after);
    if (b.errors.length > 0) return false;
    const same = (x: string[], y: string[]) => x.length === y.length && x.every((item, i) => item === y[i]);
    const comment = (image: string) => image.replace(/\s+/g, ' ').trim();
    return same(a.tokens.map(t => t.image), b.tokens.map(t => t.image))
        && same(a.hidden.map(t => comment(t.image)), b.hidden.map(t => comment(t.image)));
}

function hasSyntaxErrors(document: LangiumDocument): boolean {
    const result = document.parseResult;
    return result.lexerErrors.length > 0 || result.parserErrors.length > 0;
}

/** The parser's diagnostics, worded and coded as `mplan check` shows them (no linking: imports are not loaded). */
async function syntaxDiagnostics(Mplan: MplanServices, document: LangiumDocument): Promise<Diagnostic[]> {
    const all = await Mplan.validation.DocumentValidator.validateDocument(document, { categories: ['built-in'] });
    const syntax = all.filter(d => codeOf(d) === 'syntax-error');
    return syntax.length > 0 ? syntax : [syntaxProblem()];
}

/** Parser recovery can leave an error with no position (Langium then drops it); the file still must not pass. */
function syntaxProblem(): Diagnostic {
    return {
        severity: 1,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: 'The file has syntax errors.',
        code: 'syntax-error'
    };
}
