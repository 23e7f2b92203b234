// `mplan check`: parse, link and validate plans, and report every diagnostic in a format for people or for CI.
import { Option, type Command } from 'commander';
import { NodeFileSystem } from 'langium/node';
import { fileProblem, loadDocuments } from '../language/load-documents.js';
import { createMplanServices } from '../language/mplan-module.js';
import { collectPlanFiles, notAPlanFile } from './collect-files.js';
import { withConsoleGuard } from './console-guard.js';
import { formatReport, OUTPUT_FORMATS, useColor, type OutputFormat } from './diagnostic-formats.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { guardOutputPipes } from './pipe-guard.js';
import { packageVersion } from './package-version.js';
import { toFileReport, totalsOf } from './plan-diagnostics.js';
import type { Diagnostic } from 'vscode-languageserver-types';

export interface CheckOptions {
    format: OutputFormat;
    schema?: boolean;
    engine?: string;
}

const HELP_AFTER = `
Folders are searched recursively for *.mplan files, skipping node_modules and hidden files and folders.
A named file that exists but does not end in .mplan is reported as not a plan (an error).

With --schema, the tables that \`from table\` sources name are looked up on the database of --engine (or
MPLAN_ENGINE): that they exist, with the declared columns (and key, customer and time columns), of types the plan
can read. Only the tables' columns are read, never their rows. Without --schema, mplan check never connects.

Exit codes:
  0  no errors (warnings and notes allowed)
  1  at least one error, including a named file that is missing, binary or too large
  2  usage error (unknown option or format, a folder with no .mplan files) or an internal failure`;

export function registerCheckCommand(program: Command): void {
    program
        .command('check')
        .description('Check plans for errors: syntax, names, and the SMART rules for goals.')
        .argument('[paths...]', 'plan files or folders (default: the current folder)')
        .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
        .option('--schema', 'also check the tables of `from table` sources on the database of --engine')
        .option('--engine <url>', 'with --schema: the database, postgres://user@host:port/database or clickhouse://... (also MPLAN_ENGINE)')
        .addHelpText('after', HELP_AFTER)
        .action(async (paths: string[], options: CheckOptions) => {
            process.exitCode = await runCheck(paths, options);
        });
}

function usage(message: string): number {
    process.stderr.write(`mplan check: ${message}\n`);
    return EXIT_USAGE;
}

/** Runs the check and writes its report; returns the exit code. */
export async function runCheck(paths: string[], options: CheckOptions): Promise<number> {
    guardOutputPipes();
    const cwd = process.cwd();
    let engine: string | undefined;
    if (options.engine !== undefined && !options.schema) return usage('--engine is read only with --schema: mplan check connects to a database for nothing else.');
    if (options.schema) {
        if (!options.engine?.trim() && !process.env.MPLAN_ENGINE?.trim()) return usage('--schema needs the database whose tables to check: --engine URL (or MPLAN_ENGINE).');
        // The engines' code is loaded only for --schema: a plain check starts without it.
        const { chosenEngine } = await import('./runner-support.js');
        try {
            engine = chosenEngine(options);
        } catch (error) {
            return usage((error as Error).message);
        }
    }
    const { files, folderProblems } = collectPlanFiles(paths, cwd);
    if (folderProblems.length > 0) {
        for (const problem of folderProblems) process.stderr.write(`mplan check: ${problem}\n`);
        return EXIT_USAGE;
    }

    const { Mplan } = createMplanServices(NodeFileSystem, { referenceIndex: false });
    // Named files that are not plans (data.csv) are reported here: the language cannot even parse them.
    const notPlans = new Map(files.map(file => [file, notAPlanFile(file)] as const).filter(([, problem]) => problem !== undefined));
    const plans = files.filter(file => !notPlans.has(file));
    const { value: loaded, internalErrors } = await withConsoleGuard(() => loadDocuments(Mplan, plans));
    const loadedByPath = new Map(loaded.map(file => [file.path, file.diagnostics]));
    if (engine !== undefined) {
        const { schemaDiagnostics } = await import('./schema-check.js');
        const { EngineError } = await import('../runner/engine/engine.js');
        let schema: Map<string, Diagnostic[]>;
        try {
            schema = await schemaDiagnostics(loaded, engine);
        } catch (error) {
            // The database cannot be reached or refuses the login: one line, as mplan run says it.
            if (!(error instanceof EngineError)) throw error;
            process.stderr.write(`mplan check: ${error.message}\n`);
            return EXIT_ERRORS;
        }
        for (const [file, diagnostics] of schema) loadedByPath.set(file, [...(loadedByPath.get(file) ?? []), ...diagnostics]);
    }
    const reports = files.map(file => {
        const problem = notPlans.get(file);
        return toFileReport(file, problem ? [fileProblem(problem)] : loadedByPath.get(file) ?? [], cwd);
    });

    const color = options.format === 'text' && useColor(process.stdout);
    process.stdout.write(formatReport(options.format, reports, { color, version: packageVersion() }));

    for (const message of internalErrors) process.stderr.write(`mplan: internal error: ${message}\n`);
    if (internalErrors.length > 0) return EXIT_USAGE;
    return totalsOf(reports).errors > 0 ? EXIT_ERRORS : EXIT_OK;
}
