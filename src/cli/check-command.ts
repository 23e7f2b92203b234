// `mplan check`: not built yet.
import type { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';

export function registerCheckCommand(program: Command): void {
    program.command('check').description('(not built yet)').action(() => {
        process.stderr.write('mplan check: not built yet\n');
        process.exitCode = EXIT_USAGE;
    });
}
