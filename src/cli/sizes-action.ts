// `mplan audience PLAN --sizes-json`: the groups drawn and the contacts scheduled, as JSON on stdout, for the editor's
// code lenses. Opens the session like `audience` (data loaded and checked, groups drawn, contacts scheduled) but
// evaluates no metric, and the engine gets no folder to write to: nothing is written.
import { EXIT_OK } from './exit-codes.js';
import type { AudienceOptions } from './audience-command.js';
import { UsageError, checkCampaign, evaluationDate, chosenEngine, extraDataRoots, loadRunnablePlan, memoryLimit, progressPrinter, runCommand, withSession } from './runner-support.js';
import { computeSizes } from '../runner/sizes.js';

export async function sizesAction(planFile: string, options: AudienceOptions): Promise<void> {
    await runCommand('audience', async () => {
        // Usage mistakes first: they cost nothing to find.
        if (options.out !== undefined) throw new UsageError('--sizes-json writes no file, so --out has no use with it; give one or the other.');
        const asOf = evaluationDate(options.asOf);
        const memory = memoryLimit();
        const engine = chosenEngine(options);
        const plan = await loadRunnablePlan(planFile, 'audience');
        checkCampaign(plan, options.campaign);
        const progress = progressPrinter();
        const sizes = await withSession(plan, { asOf, progress, dataRoots: extraDataRoots(options), memoryLimit: memory, engine }, session => {
            progress('counting groups and contacts');
            return computeSizes(session, { campaign: options.campaign });
        });
        process.stdout.write(JSON.stringify(sizes, null, 2) + '\n');
        process.exitCode = EXIT_OK;
    });
}
