// `mplan audience PLAN [--out DIR] [--campaign NAME]`: the deployment step. Writes segments.csv and one
// <campaign>.csv per campaign for the channel systems. With `--sizes-json`, writes nothing and prints each campaign's
// group and arm sizes and contact schedule as JSON (what the editor's code lenses show).
import * as path from 'node:path';
import type { Command } from 'commander';
import { ENGINE_HELP, collect } from './run-command.js';

export interface AudienceOptions {
    out?: string;
    asOf?: string;
    campaign?: string;
    /** Extra folders data files may come from; repeatable. */
    dataRoot?: string[];
    /** Print the sizes and schedules as JSON on stdout instead of writing files. */
    sizesJson?: boolean;
    /** The engine URL (also MPLAN_ENGINE). */
    engine?: string;
}

export function defaultAudienceDir(planFile: string): string {
    return path.join('audiences', path.basename(planFile).replace(/\.mplan$/i, ''));
}

export function registerAudienceCommand(program: Command): void {
    program
        .command('audience')
        .description('Write the audience files for the channel systems: segments.csv and one <campaign>.csv per campaign.')
        .argument('<plan>', 'the .mplan file')
        .option('--out <dir>', 'where to write the files (default: audiences/<plan name>/)')
        .option('--as-of <date>', 'the date RFM scores are computed at when the plan gives none (default: today)')
        .option('--campaign <name>', 'export only this campaign (segments.csv is always written)')
        .option('--data-root <dir>', 'also read data files inside this folder (repeatable; also MPLAN_DATA_ROOTS)', collect, [])
        .option('--engine <url>', ENGINE_HELP)
        .option('--sizes-json', 'write no file: print each campaign\'s group and arm sizes and contact schedule as JSON (schema/sizes.schema.json)')
        .action(async (planFile: string, options: AudienceOptions) => {
            const { audienceAction } = await import('./audience-action.js');
            await audienceAction(planFile, options);
        });
}
