// `mplan run`: not built yet.
import type { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';

export function registerRunCommand(program: Command): void {
    program.command('run').description('(not built yet)').action(() => {
        process.stderr.write('mplan run: not built yet\n');
        process.exitCode = EXIT_USAGE;
    });
}
