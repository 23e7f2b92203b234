// `mplan audience PLAN [--out DIR] [--campaign NAME]`: the deployment step. Writes segments.csv and one
// <campaign>.csv per campaign for the channel systems.
import * as path from 'node:path';
import type { Command } from 'commander';
import { EXIT_OK } from './exit-codes.js';
import { checkCampaign, evaluationDate, loadRunnablePlan, progressPrinter, runCommand, withSession } from '../runner/cli-support.js';
import { exportAudience } from '../runner/audience.js';

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
        .action(async (planFile: string, options: { out?: string; asOf?: string; campaign?: string }) => {
            await runCommand('audience', async () => {
                const asOf = evaluationDate(options.asOf);
                const plan = await loadRunnablePlan(planFile, 'audience');
                checkCampaign(plan, options.campaign);
                const progress = progressPrinter();
                const outDir = path.resolve(options.out ?? defaultAudienceDir(planFile));
                const result = await withSession(plan, { asOf, progress, writableDirectories: [outDir] }, session => {
                    progress('writing audience files');
                    return exportAudience(session, outDir, { campaign: options.campaign });
                });
                for (const file of result.files) {
                    process.stdout.write(`${path.relative(process.cwd(), file.path)}: ${file.rows.toLocaleString('en-US')} rows\n`);
                }
                process.exitCode = EXIT_OK;
            });
        });
}
