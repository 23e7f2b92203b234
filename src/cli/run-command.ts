// `mplan run PLAN [--out DIR] [--as-of DATE] [--campaign NAME]`: evaluates the plan's campaigns against its data and
// writes report.json, report.md and report.html. Exit 0 when the evaluation ran, whatever the verdicts.
import * as path from 'node:path';
import type { Command } from 'commander';

export interface RunOptions {
    out?: string;
    asOf?: string;
    campaign?: string;
    /** Extra folders data files may come from; repeatable. */
    dataRoot?: string[];
    /** The engine URL (also MPLAN_ENGINE). */
    engine?: string;
}

/** What --engine takes, for every command that reads data. */
export const ENGINE_HELP = 'the database to run on: duckdb (embedded, the default), postgres://user@host:port/database (a password from PGPASSWORD or ~/.pgpass), clickhouse://user@host:port/database (a ClickHouse server over HTTP, clickhouses:// for HTTPS; a password from CLICKHOUSE_PASSWORD), or chdb (ClickHouse in-process, with the optional chdb package); also MPLAN_ENGINE';

/** reports/<plan file name without .mplan>/, relative to the working folder. */
export function defaultReportDir(planFile: string): string {
    return path.join('reports', path.basename(planFile).replace(/\.mplan$/i, ''));
}

export function registerRunCommand(program: Command): void {
    program
        .command('run')
        .description('Evaluate the campaigns of a plan against its data and write report.json, report.md and report.html.')
        .argument('<plan>', 'the .mplan file')
        .option('--out <dir>', 'where to write the reports (default: reports/<plan name>/)')
        .option('--as-of <date>', 'the evaluation date, YYYY-MM-DD (default: today)')
        .option('--campaign <name>', 'evaluate only this campaign')
        .option('--data-root <dir>', 'also read data files inside this folder (repeatable; also MPLAN_DATA_ROOTS)', collect, [])
        .option('--engine <url>', ENGINE_HELP)
        .action(async (planFile: string, options: RunOptions) => {
            const { runAction } = await import('./run-action.js');
            await runAction(planFile, options, program.version() ?? '');
        });
}

/** Repeatable options collect into a list. */
export function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}
