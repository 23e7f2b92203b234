// `mplan audience`: not built yet.
import type { Command } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';

export function registerAudienceCommand(program: Command): void {
    program.command('audience').description('(not built yet)').action(() => {
        process.stderr.write('mplan audience: not built yet\n');
        process.exitCode = EXIT_USAGE;
    });
}
