// The `mplan` command line: check, fmt, run, audience, diff. Each command lives in its own file.
import { Command, CommanderError } from 'commander';
import { registerCheckCommand } from './check-command.js';
import { registerFmtCommand } from './fmt-command.js';
import { registerRunCommand } from './run-command.js';
import { registerAudienceCommand } from './audience-command.js';
import { registerDiffCommand } from './diff-command.js';
import { EXIT_USAGE } from './exit-codes.js';

const program = new Command('mplan')
    .description('Marketing plans as code: check, format, compare, run and deploy .mplan plans.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

registerCheckCommand(program);
registerFmtCommand(program);
registerRunCommand(program);
registerAudienceCommand(program);
registerDiffCommand(program);

async function main(): Promise<void> {
    try {
        await program.parseAsync(process.argv);
    } catch (error) {
        if (error instanceof CommanderError) {
            // --help and --version exit 0; anything else commander rejects is a usage error.
            process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
        } else {
            process.stderr.write(`mplan: internal error: ${(error as Error)?.message ?? String(error)}\n`);
            process.exitCode = EXIT_USAGE;
        }
    }
}

void main();
