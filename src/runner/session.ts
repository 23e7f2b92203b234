// Everything `run` and `audience` share: the data loaded and checked, RFM scored, segments flagged and groups drawn,
// all inside the engine. Steps are reported as they start, for the progress lines on a terminal.
import type { SqlEngine } from './engine/engine.js';
import { engineKind, openEngine } from './engine/open-engine.js';
import type { RunnerPlan } from './plan/runner-plan.js';
import { checkFiles, loadSources } from './data/load-sources.js';
import { confineDataPaths, refuseTableSources } from './data/data-paths.js';
import type { LoadWarnings, SourceStats } from './data/load-sources.js';
import { assignmentSql, customersWideSql, exclusionSql, limitStatsSql, rfmSql } from './sql/compile.js';
import { earlierOverlapping } from './timeline.js';
import { rfmScorings } from './plan/rfm-scorings.js';
import { formatDate } from '../language/semantics.js';
import { assignmentTable, sourceTable } from './sql/names.js';
import type { CampaignSchedule } from './schedule/schedule-campaigns.js';
import { scheduleCampaigns } from './schedule/schedule-campaigns.js';
import { isScheduled } from './timeline.js';
import type { ClvFit } from './clv-fit.js';
import { fitClv } from './clv-fit.js';
import { scoreClv } from './clv-scores.js';
import type { AttitudeScoring } from './attitude-scores.js';
import { scoreAttitude } from './attitude-scores.js';

export type Progress = (step: string) => void;

export interface SessionOptions {
    asOf: number;
    /** The engine URL (see open-engine.ts): embedded DuckDB when absent. */
    engine?: string;
    /** Folders the engine may write to (the audience export). */
    writableDirectories?: string[];
    /** Folders besides the plan's root that data files may come from (`--data-root`, MPLAN_DATA_ROOTS). */
    dataRoots?: string[];
    memoryLimit?: string;
    threads?: number;
    progress?: Progress;
}

export interface Exclusion {
    campaign: string;
    customers: number;
}

export interface Session {
    engine: SqlEngine;
    plan: RunnerPlan;
    asOf: number;
    sources: SourceStats[];
    warnings: LoadWarnings;
    /**
     * Per campaign (plan order): audience size before exclusions and who took the excluded members; with `limit`, the
     * size after the cap, the customers it chose from (after exclusions) and the lowest `by` value it admitted.
     */
    audiences: Array<{ size: number; excluded: Exclusion[]; limit?: { pool: number; cutoff: number | null } }>;
    /** Per campaign (plan order): the contact schedule of a scheduled campaign (see isScheduled), else undefined. */
    schedules: Array<CampaignSchedule | undefined>;
    /** Per CLV model (plan order): its fit, whose scores the wide table holds. */
    clv: ClvFit[];
    /** Per attitude (plan order): the values seen and their population rates, per reference date. */
    attitudes: AttitudeScoring[];
    /** Ends the engine's session; never rejects. */
    close(): Promise<void>;
}

export async function openSession(plan: RunnerPlan, options: SessionOptions): Promise<Session> {
    const progress = options.progress ?? (() => {});
    progress('checking data files');
    confineDataPaths(plan, options.dataRoots);
    checkFiles(plan);
    const url = options.engine ?? 'duckdb';
    // The embedded engines (DuckDB, chDB) start empty: no table a source names can be there.
    const embedded = engineKind(url) === 'duckdb' ? 'duckdb' : /^chdb$/i.test(url) ? 'chdb' : undefined;
    if (embedded) refuseTableSources(plan, embedded);
    const engineOptions = {
        readablePaths: plan.sources.filter(s => !s.table).map(s => s.readPath),
        writableDirectories: options.writableDirectories,
        memoryLimit: options.memoryLimit ?? (process.env.MPLAN_MEMORY_LIMIT || undefined),
        threads: options.threads
    };
    const engine = await openEngine(url, engineOptions);
    const close = async () => {
        await engine.close();
    };
    try {
        progress(`reading ${plan.sources.length} data source${plan.sources.length === 1 ? '' : 's'}`);
        const { stats, warnings } = await loadSources(engine, plan, options.asOf, { memoryLimit: engineOptions.memoryLimit, threads: options.threads });
        const d = engine.dialect;
        for (const scoring of rfmScorings(plan, options.asOf)) {
            progress(`scoring RFM model ${scoring.rfm.name}${scoring.key === scoring.rfm.name ? '' : ` as of ${formatDate(scoring.asOf)}`}`);
            for (const sql of rfmSql(d, scoring)) await engine.exec(sql);
        }
        // CLV scores are the models' as of the end of calibration: fitted before the segments, which may read them.
        const clv: ClvFit[] = [];
        for (const model of plan.clvs) {
            progress(`fitting CLV model ${model.name}`);
            const fit = await fitClv(engine, model);
            await scoreClv(engine, fit);
            clv.push(fit);
        }
        const attitudes: AttitudeScoring[] = [];
        for (const attitude of plan.attitudes) {
            progress(`scoring attitude ${attitude.name}`);
            attitudes.push(await scoreAttitude(engine, plan, attitude, options.asOf));
        }
        progress(`flagging ${plan.segments.length} segment${plan.segments.length === 1 ? '' : 's'}`);
        await engine.exec(customersWideSql(d, plan, options.asOf, attitudes));
        // Everything later reads the wide table (and the per-customer events tables): free the customers sources.
        for (const source of plan.sources.filter(s => s.kind === 'customers')) await engine.exec(`DROP TABLE ${sourceTable(d, source)}`);
        const earlier = earlierOverlapping(plan.campaigns, options.asOf);
        const audiences: Session['audiences'] = [];
        for (const [index, campaign] of plan.campaigns.entries()) {
            progress(`assigning groups for ${campaign.name}`);
            // A campaign that shares its audience with no earlier one (and does not read its groups from the data) has
            // every audience member in its groups: the audience size is the size of its assignment.
            const alone = earlier[index].length === 0 && campaign.assignment.kind !== 'recorded';
            const rows = alone ? [] : await engine.query(exclusionSql(d, plan, campaign, earlier[index], options.asOf));
            await engine.exec(assignmentSql(d, plan, index, earlier[index], options.asOf));
            if (alone) rows.push(...await engine.query(`SELECT count(*) AS audience FROM ${assignmentTable(d, index)}`));
            const excluded = rows.filter(r => r.taken_by !== null && r.taken_by !== undefined)
                .map(r => ({ campaign: plan.campaigns[Number(r.taken_by)].name, customers: Number(r.n) }));
            if (campaign.limit) {
                const [stats] = await engine.query(limitStatsSql(d, plan, index, earlier[index], options.asOf));
                const [capped] = await engine.query(`SELECT count(*) AS n FROM ${assignmentTable(d, index)}`);
                audiences.push({ size: Number(capped.n), excluded, limit: { pool: Number(stats.pool), cutoff: stats.cutoff === null ? null : Number(stats.cutoff) } });
            } else {
                audiences.push({ size: Number(rows[0]?.audience ?? 0), excluded });
            }
        }
        if (plan.campaigns.some(isScheduled)) progress('scheduling contacts');
        const schedules = await scheduleCampaigns(engine, plan, options.asOf);
        return { engine, plan, asOf: options.asOf, sources: stats, warnings, audiences, schedules, clv, attitudes, close };
    } catch (error) {
        await close();
        throw error;
    }
}
