// `mplan fmt`: not built yet.
import type { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';

export function registerFmtCommand(program: Command): void {
    program.command('fmt').description('(not built yet)').action(() => {
        process.stderr.write('mplan fmt: not built yet\n');
        process.exitCode = EXIT_USAGE;
    });
}
