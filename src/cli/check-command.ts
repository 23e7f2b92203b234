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

export interface CheckOptions {
    format: OutputFormat;
}

const HELP_AFTER = `
Folders are searched recursively for *.mplan files, skipping node_modules and hidden files and folders.
A named file that exists but does not end in .mplan is reported as not a plan (an error).

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
        .addHelpText('after', HELP_AFTER)
        .action(async (paths: string[], options: CheckOptions) => {
            process.exitCode = await runCheck(paths, options);
        });
}

/** Runs the check and writes its report; returns the exit code. */
export async function runCheck(paths: string[], options: CheckOptions): Promise<number> {
    guardOutputPipes();
    const cwd = process.cwd();
    const { files, folderProblems } = collectPlanFiles(paths, cwd);
    if (folderProblems.length > 0) {
        for (const problem of folderProblems) process.stderr.write(`mplan check: ${problem}\n`);
        return EXIT_USAGE;
    }

    const { Mplan } = createMplanServices(NodeFileSystem);
    // Named files that are not plans (data.csv) are reported here: the language cannot even parse them.
    const notPlans = new Map(files.map(file => [file, notAPlanFile(file)] as const).filter(([, problem]) => problem !== undefined));
    const plans = files.filter(file => !notPlans.has(file));
    const { value: loaded, internalErrors } = await withConsoleGuard(() => loadDocuments(Mplan, plans));
    const loadedByPath = new Map(loaded.map(file => [file.path, file.diagnostics]));
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
