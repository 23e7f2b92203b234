// Everything `run` and `audience` share: the data loaded and checked, RFM scored, segments flagged and groups drawn,
// all inside the engine. Steps are reported as they start, for the progress lines on a terminal.
import type { SqlEngine } from './engine/engine.js';
import { embeddedEngine, openEngine } from './engine/open-engine.js';
import type { RunnerPlan } from './plan/runner-plan.js';
import { loadSources } from './data/load-sources.js';
import { checkDataFiles } from './data/check-files.js';
import { refuseTableSources } from './data/data-paths.js';
import type { LoadWarnings, SourceStats } from './data/load-sources.js';
import { assignmentSql, customersWideSql, exclusionSql, limitStatsSql, rfmSql } from './sql/compile.js';
import { earlierOverlapping } from './timeline.js';
import { rfmScorings } from './plan/rfm-scorings.js';
import { formatDate } from '../language/semantics.js';
import { assignmentTable, sourceTable } from './sql/names.js';
import type { CampaignSchedule } from './schedule/schedule-campaigns.js';
import { scheduleCampaigns } from './schedule/schedule-campaigns.js';
import { isScheduled } from './timeline.js';
import { attitudeReferences } from './plan/history.js';
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

/** A session's figures without the engine's ownership: what evaluations read. */
export type PreparedSession = Omit<Session, 'close'>;

export async function openSession(plan: RunnerPlan, options: SessionOptions): Promise<Session> {
    const engine = await openPlanEngine(plan, options);
    const close = async () => {
        await engine.close();
    };
    try {
        const data = await loadData(engine, plan, options);
        return { ...await prepareSession(engine, plan, data, options), close };
    } catch (error) {
        await close();
        throw error;
    }
}

/** The plan's data as loaded into an engine: what `prepareSession` starts from (see loadData). */
export interface LoadedData {
    sources: SourceStats[];
    warnings: LoadWarnings;
}

/** Checks where the plan's data comes from (files inside the data roots, tables the engine can have) and opens the engine. */
export async function openPlanEngine(plan: RunnerPlan, options: SessionOptions): Promise<SqlEngine> {
    options.progress?.('checking data files');
    checkDataFiles(plan, options.dataRoots);
    const url = options.engine ?? 'duckdb';
    // The embedded engines (DuckDB, chDB) start empty: no table a source names can be there.
    const embedded = embeddedEngine(url);
    if (embedded) refuseTableSources(plan, embedded);
    return openEngine(url, {
        readablePaths: plan.sources.filter(s => !s.table).map(s => s.readPath),
        writableDirectories: options.writableDirectories,
        memoryLimit: engineMemoryLimit(options),
        threads: options.threads
    });
}

function engineMemoryLimit(options: SessionOptions): string | undefined {
    return options.memoryLimit ?? (process.env.MPLAN_MEMORY_LIMIT || undefined);
}

/** Loads and checks the plan's sources into the engine's source tables. */
export async function loadData(engine: SqlEngine, plan: RunnerPlan, options: SessionOptions): Promise<LoadedData> {
    options.progress?.(`reading ${plan.sources.length} data source${plan.sources.length === 1 ? '' : 's'}`);
    const { stats, warnings } = await loadSources(engine, plan, options.asOf, { memoryLimit: engineMemoryLimit(options), threads: options.threads });
    return { sources: stats, warnings };
}

/**
 * The scored data of a prepared session: the RFM, CLV and attitude tables and the wide table, made from the sources
 * alone. A second plan prepared on the same loaded data (`mplan diff`) whose scorings are the same reuses them.
 */
export interface Scored {
    /** The scorings' definitions (and their SQL): equal keys make equal tables from the same sources. */
    key: string;
    wideSql: string;
    clv: ClvFit[];
    attitudes: AttitudeScoring[];
}

/** How prepareSession treats tables a plan evaluated before it on the same engine left behind. */
export interface Sharing {
    /** Keep the customers sources' tables (for a second plan); otherwise they are dropped once the wide table holds them. */
    keepSources: boolean;
    /** The scored data of the plan prepared before this one on the same loaded data. */
    previous?: Scored;
}

/**
 * Everything after loading: RFM, CLV and attitudes scored, segments flagged, groups drawn and contacts scheduled,
 * in tables this step creates (or replaces). Returns the session and what it scored, for `sharing.previous`.
 */
export async function prepareSession(engine: SqlEngine, plan: RunnerPlan, data: LoadedData, options: SessionOptions, sharing: Sharing = { keepSources: false }): Promise<PreparedSession & { scored: Scored }> {
    const progress = options.progress ?? (() => {});
    const d = engine.dialect;
    const scorings = rfmScorings(plan, options.asOf);
    const rfmStatements = scorings.map(scoring => rfmSql(d, scoring));
    // The tables below are made from the sources alone, and nothing later replaces them: the same definitions give
    // the same tables, which the plan before this one (if any) already made.
    const key = definitionKey({
        rfm: rfmStatements,
        clv: plan.clvs,
        attitudes: plan.attitudes.map(attitude => ({ attitude, references: attitudeReferences(plan, attitude.name, options.asOf) }))
    });
    const reused = sharing.previous?.key === key ? sharing.previous : undefined;
    const clv: ClvFit[] = reused ? reused.clv : [];
    const attitudes: AttitudeScoring[] = reused ? reused.attitudes : [];
    if (!reused) {
        for (const [index, scoring] of scorings.entries()) {
            progress(`scoring RFM model ${scoring.rfm.name}${scoring.key === scoring.rfm.name ? '' : ` as of ${formatDate(scoring.asOf)}`}`);
            for (const sql of rfmStatements[index]) await engine.exec(sql);
        }
        // CLV scores are the models' as of the end of calibration: fitted before the segments, which may read them.
        for (const model of plan.clvs) {
            progress(`fitting CLV model ${model.name}`);
            const fit = await fitClv(engine, model);
            await scoreClv(engine, fit);
            clv.push(fit);
        }
        for (const attitude of plan.attitudes) {
            progress(`scoring attitude ${attitude.name}`);
            attitudes.push(await scoreAttitude(engine, plan, attitude, options.asOf));
        }
    }
    const wideSql = customersWideSql(d, plan, options.asOf, attitudes);
    if (reused?.wideSql !== wideSql) {
        progress(`flagging ${plan.segments.length} segment${plan.segments.length === 1 ? '' : 's'}`);
        await engine.exec(wideSql);
    }
    const scored: Scored = { key, wideSql, clv, attitudes };
    // Everything later reads the wide table (and the per-customer events tables): free the customers sources.
    if (!sharing.keepSources) for (const source of plan.sources.filter(s => s.kind === 'customers')) await engine.exec(`DROP TABLE ${sourceTable(d, source)}`);
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
    return { engine, plan, asOf: options.asOf, sources: data.sources, warnings: data.warnings, audiences, schedules, clv, attitudes, scored };
}

/** A definition as text, without the plan's syntax tree (its nodes hold positions, not meaning). */
function definitionKey(value: unknown): string {
    return JSON.stringify(value, (name, item) => (name === 'node' || name.startsWith('$') ? undefined : item));
}
