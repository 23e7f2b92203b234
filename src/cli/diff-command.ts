// `mplan diff [BASE] [PLAN...]`: what a change of plans means, for a reviewer: the settings and declarations added,
// removed or changed (by meaning, not by text), and with the data at hand what that does to the deployment.
import { Option, type Command } from 'commander';
import { ENGINE_HELP, collect } from './run-command.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = typeof DIFF_FORMATS[number];

export interface DiffOptions {
    format: DiffFormat;
    baseFile?: string;
    asOf?: string;
    dataRoot?: string[];
    /** The engine URL both sides are evaluated on (also MPLAN_ENGINE). */
    engine?: string;
}

const HELP_AFTER = `
BASE is a git revision (a branch, tag or commit); by default the merge base of HEAD with origin/HEAD, else HEAD.
Each plan is read at BASE (with the files it imports at BASE) and in the working copy, and compared by meaning:
a reformatted or reordered plan has no changes. Without PLANs, the plans that differ from BASE are compared, and the
plans that import a file that differs. With the plan's data files at hand, both sides are also evaluated on the
working copy's data: audience and group sizes, planned contacts and cost, and each lift goal's minimum detectable
effect; no outcome is evaluated and nothing is written.

Exit codes:
  0  the diff ran (whatever it found)
  1  a plan has errors on either side
  2  usage error (an unknown revision, a path that is no plan) or an internal failure`;

export function registerDiffCommand(program: Command): void {
    program
        .command('diff')
        .usage('[BASE] [PLAN...] [options]')
        .description('Show what a change of plans means: settings and declarations changed, and the sizes, costs and MDEs that follow.')
        .argument('[base-and-plans...]', 'an optional git revision, then plan files or folders (default: the plans changed since BASE)')
        .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
        .option('--base-file <file>', 'compare this file with the one PLAN instead of reading the base from git')
        .option('--as-of <date>', 'the evaluation date of the deployment figures (default: today)')
        .option('--data-root <dir>', 'also read data files inside this folder (repeatable; also MPLAN_DATA_ROOTS)', collect, [])
        .option('--engine <url>', ENGINE_HELP)
        .addHelpText('after', HELP_AFTER)
        .action(async (args: string[], options: DiffOptions) => {
            const { diffAction } = await import('./diff-action.js');
            await diffAction(args, options);
        });
}
