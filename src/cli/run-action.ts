// The work of `mplan run`, loaded only when the command runs: it pulls in DuckDB and the runner, which `mplan check`
// and `mplan fmt` should not pay for at start-up.
import * as path from 'node:path';
import { EXIT_OK } from './exit-codes.js';
import { defaultReportDir, type RunOptions } from './run-command.js';
import { checkCampaign, evaluationDate, chosenEngine, extraDataRoots, loadRunnablePlan, memoryLimit, outputFolder, progressPrinter, runCommand, withSession } from './runner-support.js';
import { evaluate } from '../runner/evaluate.js';
import { renderHtml } from '../runner/report/html.js';
import { renderMarkdown } from '../runner/report/markdown.js';
import { writeFilesAtomically } from '../runner/report/write.js';
import { STATUS_LABEL, int, inUnit } from '../runner/report/format.js';
import type { Report } from '../runner/report/schema.js';

export async function runAction(planFile: string, options: RunOptions, toolVersion: string): Promise<void> {
    await runCommand('run', async () => {
        const started = performance.now();
        // Usage mistakes first: they cost nothing to find.
        const asOf = evaluationDate(options.asOf);
        const outDir = outputFolder(options.out ?? defaultReportDir(planFile));
        const memory = memoryLimit();
        const engine = chosenEngine(options);
        const plan = await loadRunnablePlan(planFile, 'run');
        const loaded = performance.now();
        checkCampaign(plan, options.campaign);
        const progress = progressPrinter();
        const report = await withSession(plan, { asOf, progress, dataRoots: extraDataRoots(options), memoryLimit: memory, engine }, session => evaluate(session, { campaign: options.campaign, progress, toolVersion }));
        progress('writing reports');
        const files = [
            { path: path.join(outDir, 'report.json'), content: JSON.stringify(report, null, 2) + '\n' },
            { path: path.join(outDir, 'report.md'), content: renderMarkdown(report) },
            { path: path.join(outDir, 'report.html'), content: renderHtml(report) }
        ];
        const evaluated = performance.now();
        writeFilesAtomically(files);
        process.stdout.write(summary(report, path.relative(process.cwd(), outDir) || '.'));
        if (process.env.MPLAN_TIMING === '1') {
            // For the bench: where the time goes (plan loading, the engine, writing reports).
            const s = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
            process.stderr.write(`timing: plan ${s(loaded - started)}, engine ${s(evaluated - loaded)}, reports ${s(performance.now() - evaluated)}\n`);
        }
        process.exitCode = EXIT_OK;
    });
}

/** A few lines for the terminal: each campaign's groups and each goal's verdict. */
export function summary(report: Report, outDir: string): string {
    const lines = [`${report.plan.name}: ${int(report.customers.size)} customers, as of ${report.asOf}`];
    for (const c of report.campaigns) {
        lines.push(`  ${c.name} (${c.status}): treatment ${int(c.groups.treatment.size)}, control ${int(c.groups.control.size)}` +
            (c.srm && !c.srm.ok ? ', SAMPLE-RATIO MISMATCH' : ''));
        for (const g of c.goals) {
            // A goal without `for` in a campaign with arms has a verdict per arm: say which.
            const arm = c.arms.length > 1 && g.arm && !g.label.includes(` for ${g.arm}`) ? ` [${g.arm}]` : '';
            lines.push(`    ${STATUS_LABEL[g.status].padEnd(12)} ${g.label}${arm}${g.value !== null ? `  (estimate ${inUnit(g.value, g.unit)})` : ''}${g.final || g.status === 'pending' ? '' : '  [interim]'}`);
            lines.push(`    ${''.padEnd(12)} ${g.reason}`);
        }
        for (const w of c.warnings) lines.push(`    warning: ${w}`);
    }
    for (const w of report.warnings) lines.push(`  warning: ${w}`);
    lines.push(`Reports written to ${outDir}/ (report.json, report.md, report.html)`);
    return lines.join('\n') + '\n';
}
