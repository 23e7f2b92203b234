// The work of `mplan audience`, loaded only when the command runs (it pulls in DuckDB and the runner).
import * as path from 'node:path';
import { EXIT_OK } from './exit-codes.js';
import { defaultAudienceDir, type AudienceOptions } from './audience-command.js';
import { checkCampaign, evaluationDate, chosenEngine, extraDataRoots, loadRunnablePlan, memoryLimit, outputFolder, progressPrinter, runCommand, withSession } from './runner-support.js';
import { campaignsOverBudget, exportAudience } from '../runner/audience.js';
import { money } from '../runner/report/format.js';

export async function audienceAction(planFile: string, options: AudienceOptions): Promise<void> {
    // The sizes for the editor's code lenses: no files, see sizes-action.ts.
    if (options.sizesJson) return (await import('./sizes-action.js')).sizesAction(planFile, options);
    await runCommand('audience', async () => {
        // Usage mistakes first: they cost nothing to find.
        const asOf = evaluationDate(options.asOf);
        const outDir = outputFolder(options.out ?? defaultAudienceDir(planFile));
        const memory = memoryLimit();
        const engine = chosenEngine(options);
        const plan = await loadRunnablePlan(planFile, 'audience');
        checkCampaign(plan, options.campaign);
        const progress = progressPrinter();
        const result = await withSession(plan, { asOf, progress, dataRoots: extraDataRoots(options), memoryLimit: memory, engine, writableDirectories: [outDir] }, async session => {
            progress('writing audience files');
            const exported = await exportAudience(session, outDir, { campaign: options.campaign });
            return { ...exported, overBudget: await campaignsOverBudget(session, { campaign: options.campaign }) };
        });
        for (const file of result.files) {
            process.stdout.write(`${path.relative(process.cwd(), file.path)}: ${file.rows.toLocaleString('en-US')} rows\n`);
        }
        for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
        // Before launch the offer's cost is unknown (it depends on responses): the check is on contacts and fixed cost.
        for (const o of result.overBudget) {
            process.stderr.write(`warning: campaign '${o.campaign}': planned cost ${money(o.planned, plan.currency)} (contacts and fixed cost) is above the budget of ${money(o.budget, plan.currency)}\n`);
        }
        process.exitCode = EXIT_OK;
    });
}
