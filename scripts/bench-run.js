#!/usr/bin/env node
// Bench of `mplan run`: generates 1,000,000 customers and 5,000,000 orders (CSV, in a temporary folder), then times
// `mplan run` on a win-back plan against a hand-written DuckDB query computing the same figures (RFM scores, the
// segment, the drawn control group, per-group sums and variances of the metrics). Prints wall time and peak memory
// (max RSS) of each, as separate processes; each is run several times, alternating, and its best kept (CPU time is
// the steadier figure on a busy machine). Usage: node scripts/bench-run.js [customers] [orders]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const customers = Number(process.argv[2] ?? 1_000_000);
const orders = Number(process.argv[3] ?? 5_000_000);
// MPLAN_BENCH_KEEP=1 keeps the generated folder (its path is printed) for profiling.
const keep = process.env.MPLAN_BENCH_KEEP === '1';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mplan-bench-'));

async function generate(dir, customers, orders) {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const q = s => c.run(s);
    // Deterministic pseudo-random columns from hashes of the row number.
    await q(`COPY (SELECT i AS customer_id,
                ['north','south','east','west'][1 + (hash(i, 1) % 4)::INTEGER] AS region,
                18 + (hash(i, 2) % 60)::INTEGER AS age,
                DATE '2020-01-01' + (hash(i, 3) % 1800)::INTEGER AS joined,
                (hash(i, 4) % 10) < 7 AS email_opt_in
              FROM range(1, ${customers} + 1) t(i)) TO '${dir}/customers.csv' (HEADER)`);
    // Orders: a skewed number per customer; dates over two years before the campaign, plus some during it.
    await q(`COPY (SELECT 1 + (hash(j, 5) % ${customers})::BIGINT AS customer_id,
                DATE '2024-11-01' + (hash(j, 6) % 760)::INTEGER AS ordered_at,
                round(5 + (hash(j, 7) % 20000) / 100.0, 2) AS amount
              FROM range(${orders}) t(j)) TO '${dir}/orders.csv' (HEADER)`);
    c.closeSync();
    instance.closeSync();
}

const plan = `plan "Bench win-back" {
  objective retention
  customers shoppers from "customers.csv" key customer_id {
    region: text
    age: number
    joined: date
    email_opt_in: boolean
  }
  events orders from "orders.csv" customer customer_id time ordered_at {
    amount: number
  }
  rfm value from orders {
    monetary amount
    as of 2026-10-01
    bins 5
  }
  segment at_risk = value.r <= 2 and value.f >= 3
  channel mail cost 0.80 per contact
  metric responded = any(orders)
  metric revenue = sum(orders.amount)
  metric order_value = sum(orders.amount) / count(orders)
  campaign winback {
    audience at_risk and shoppers.email_opt_in
    channel mail
    runs 2026-11-01 to 2026-11-30
    control 10% seed "bench"
    attribution 30 days
    budget 1000000
    goal lift(responded) >= 5% by 2026-12-31
    goal lift(revenue) >= 5% by 2026-12-31
    goal roi >= 1 by 2026-12-31
  }
}
`;

const P = '[0.2, 0.4, 0.6, 0.8]';
/**
 * The report's figures, written by hand as an analyst would for DuckDB: the customers and the sizes of the segment,
 * the RFM cut points, grid (R by F, customers and value) and M scores, the events of unknown customers, and per group
 * of the drawn audience the sums, variances and covariance behind every metric. Keys are read as text and times as
 * timestamps straight from the file (no casts after auto-detection), as mplan does. It reads only the columns it
 * needs and checks nothing; `mplan run` also types every declared column and checks that customer keys are unique.
 * The target (`mplan run` within 1.5x) is against this script.
 */
const handStatements = [
    `CREATE TEMP TABLE c AS SELECT customer_id AS k, email_opt_in FROM read_csv('${dir}/customers.csv', header = true, types = {'customer_id': 'VARCHAR'})`,
    `CREATE TEMP TABLE e AS SELECT c.k AS known, coalesce(c.k, a.k) AS k, c.email_opt_in, a.n, a.rec, a.freq, a.mon, a.wn, a.wrev FROM (
       SELECT customer_id AS k, count(*) AS n,
              date_diff('day', max(t) FILTER (WHERE t < DATE '2026-10-01')::DATE, DATE '2026-10-01') AS rec,
              count(*) FILTER (WHERE t < DATE '2026-10-01') AS freq, round(sum(amount) FILTER (WHERE t < DATE '2026-10-01'), 6) AS mon,
              count(*) FILTER (WHERE t >= DATE '2026-11-01' AND t < DATE '2026-12-01') AS wn,
              sum(amount) FILTER (WHERE t >= DATE '2026-11-01' AND t < DATE '2026-12-01') AS wrev
       FROM (SELECT customer_id, ordered_at AS t, amount FROM read_csv('${dir}/orders.csv', header = true, types = {'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMP'})) GROUP BY 1
     ) a FULL JOIN c ON c.k = a.k`,
    `CREATE TEMP TABLE cuts AS SELECT quantile_cont(rec, ${P}) AS rc, quantile_cont(freq, ${P}) AS fc, quantile_cont(mon, ${P}) AS mc FROM e WHERE known IS NOT NULL AND freq > 0`,
    `CREATE TEMP TABLE s AS SELECT k, email_opt_in, mon, wn, wrev,
       CASE WHEN freq > 0 THEN 5 - len(list_filter(rc, x -> x < rec)) END AS r,
       CASE WHEN freq > 0 THEN 1 + len(list_filter(fc, x -> x < freq)) END AS f,
       CASE WHEN freq > 0 THEN 1 + len(list_filter(mc, x -> x < mon)) END AS m
     FROM e, cuts WHERE known IS NOT NULL`,
    `SELECT count(*) AS customers, count(r) AS scored, count(*) FILTER (WHERE r <= 2 AND f >= 3) AS at_risk,
       (SELECT sum(n) FROM e WHERE known IS NULL) AS unknown_events, (SELECT [rc, fc, mc] FROM cuts) AS cuts FROM s`,
    `SELECT r, f, count(*) AS customers, sum(mon) AS value FROM s WHERE r IS NOT NULL GROUP BY ALL ORDER BY ALL`,
    `SELECT m, count(*) AS customers FROM s WHERE m IS NOT NULL GROUP BY ALL ORDER BY ALL`,
    `SELECT grp, count(*) AS size, avg(responded), var_samp(responded), sum(revenue), var_samp(revenue), sum(cnt), var_samp(cnt), covar_samp(revenue, cnt) FROM (
       SELECT CASE WHEN ('0x' || substr(sha256('bench:' || k), 1, 16))::UBIGINT < 1844674407370955162::UBIGINT THEN 'control' ELSE 'treatment' END AS grp,
              CASE WHEN wn > 0 THEN 1.0 ELSE 0.0 END AS responded, coalesce(wrev, 0) AS revenue, coalesce(wn, 0) AS cnt
       FROM s WHERE r <= 2 AND f >= 3 AND email_opt_in) GROUP BY grp ORDER BY grp`
];

/** For reference only: the campaign's figures alone (no segment sizes, RFM grid, M scores or unknown events), in one query. */
const campaignOnlySql = `
WITH c AS (SELECT customer_id AS k, email_opt_in FROM read_csv('${dir}/customers.csv', header = true, types = {'customer_id': 'VARCHAR'})),
o AS (SELECT customer_id AS k, ordered_at AS t, amount FROM read_csv('${dir}/orders.csv', header = true, types = {'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMP'})),
base AS (SELECT k, date_diff('day', max(t)::DATE, DATE '2026-10-01') AS rec, count(*) AS freq, sum(amount) AS mon
         FROM o WHERE t < DATE '2026-10-01' GROUP BY k),
cuts AS (SELECT quantile_cont(rec, ${P}) rc, quantile_cont(freq, ${P}) fc FROM base),
scores AS (SELECT k, 5 - len(list_filter(rc, x -> x < rec)) AS r, 1 + len(list_filter(fc, x -> x < freq)) AS f FROM base, cuts),
aud AS (SELECT c.k, CASE WHEN ('0x' || substr(sha256('bench:' || c.k), 1, 16))::UBIGINT < 1844674407370955162::UBIGINT THEN 'control' ELSE 'treatment' END AS grp
        FROM c JOIN scores s USING (k) WHERE s.r <= 2 AND s.f >= 3 AND c.email_opt_in),
w AS (SELECT k, count(*) AS n, sum(amount) AS rev FROM o WHERE t >= DATE '2026-11-01' AND t < DATE '2026-12-01' GROUP BY k),
pc AS (SELECT a.grp, CASE WHEN w.n > 0 THEN 1.0 ELSE 0.0 END AS responded, coalesce(w.rev, 0) AS revenue, coalesce(w.n, 0) AS cnt FROM aud a LEFT JOIN w USING (k))
SELECT grp, count(*) AS size, avg(responded), var_samp(responded), avg(revenue), var_samp(revenue), avg(cnt), var_samp(cnt), covar_samp(revenue, cnt)
FROM pc GROUP BY grp ORDER BY grp`;

/** Runs a command under /usr/bin/time: wall seconds, peak memory (max RSS), and the engine time it reports. */
function timed(label, args, env = {}) {
    const result = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M %U %S', ...args], { encoding: 'utf8', env: { ...process.env, MPLAN_TIMING: '1', ...env } });
    const match = /__TIME__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
    const engine = /timing: .*engine ([\d.]+)s/.exec(result.stderr);
    if (result.status !== 0 || !match) {
        process.stderr.write(result.stdout + result.stderr);
        throw new Error(`${label} failed`);
    }
    return { seconds: Number(match[1]), peakMb: Number(match[2]) / 1024, cpu: Number(match[3]) + Number(match[4]), engine: engine ? Number(engine[1]) : NaN, stdout: result.stdout };
}

const t0 = Date.now();
await generate(dir, customers, orders);
const sizes = ['customers.csv', 'orders.csv'].map(f => `${f} ${(fs.statSync(path.join(dir, f)).size / 1e6).toFixed(0)} MB`).join(', ');
console.log(`generated ${customers.toLocaleString('en-US')} customers and ${orders.toLocaleString('en-US')} orders in ${((Date.now() - t0) / 1000).toFixed(1)}s (${sizes})`);
fs.writeFileSync(path.join(dir, 'bench.mplan'), plan);
/** A node script that runs the statements in one in-memory DuckDB and prints the result of each SELECT as JSON. */
function handScript(statements) {
    return `import { DuckDBInstance } from '${path.join(root, 'node_modules/@duckdb/node-api/lib/index.js')}';
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
const t = performance.now(); const results = [];
for (const sql of ${JSON.stringify(statements)}) {
    const r = await c.runAndReadAll(sql);
    if (sql.trimStart().startsWith('SELECT')) results.push(r.getRowObjectsJson());
}
console.log(JSON.stringify(results));
console.error('timing: engine ' + ((performance.now() - t) / 1000).toFixed(2) + 's');`;
}
fs.writeFileSync(path.join(dir, 'hand.mjs'), handScript(handStatements));
fs.writeFileSync(path.join(dir, 'campaign-only.mjs'), handScript([campaignOnlySql]));

try {
    // Alternate the three, several rounds, and keep each one's best time: the machine may be busy with other work.
    const rounds = Number(process.env.MPLAN_BENCH_ROUNDS ?? 3);
    let hand, campaignOnly, run;
    const best = (a, b) => (!a || b.seconds < a.seconds
        ? { ...b, peakMb: Math.max(b.peakMb, a?.peakMb ?? 0), engine: Math.min(b.engine, a?.engine ?? Infinity), cpu: Math.min(b.cpu, a?.cpu ?? Infinity) }
        : { ...a, peakMb: Math.max(a.peakMb, b.peakMb), engine: Math.min(a.engine, b.engine), cpu: Math.min(a.cpu, b.cpu) });
    const runArgs = (folder, out) => [process.execPath, path.join(root, 'bin/mplan.js'), 'run', path.join(folder, 'bench.mplan'), '--as-of', '2027-01-01', '--out', path.join(folder, out)];
    for (let round = 0; round < rounds; round++) {
        hand = best(hand, timed('hand-written SQL', [process.execPath, path.join(dir, 'hand.mjs')]));
        run = best(run, timed('mplan run', runArgs(dir, 'out')));
        campaignOnly = best(campaignOnly, timed('hand-written SQL (campaign only)', [process.execPath, path.join(dir, 'campaign-only.mjs')]));
    }
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    const c = report.campaigns[0];
    const line = (label, t, what) => console.log(`${label.padEnd(34)} ${t.seconds.toFixed(2)} s (${Number.isFinite(t.engine) ? `${what} ${t.engine.toFixed(2)} s, ` : ''}CPU ${t.cpu.toFixed(2)} s), peak ${t.peakMb.toFixed(0)} MB`);
    console.log(`best of ${rounds} rounds, peak memory is the highest seen`);
    line('mplan run:', run, 'engine');
    line('hand-written SQL, same figures:', hand, 'queries');
    line('hand-written SQL, campaign only:', campaignOnly, 'query');
    console.log(`ratio: ${(run.seconds / hand.seconds).toFixed(2)}x wall time (target ≤ 1.5x), ${(run.cpu / hand.cpu).toFixed(2)}x CPU time, ` +
        `${(run.engine / hand.engine).toFixed(2)}x engine time, ${(run.peakMb / hand.peakMb).toFixed(2)}x peak memory`);
    console.log(`  (against the campaign-only query, which leaves out the segment sizes, RFM grid, M scores and unknown events: ${(run.seconds / campaignOnly.seconds).toFixed(2)}x wall time)`);
    console.log(`same figures as the hand-written SQL: ${sameFigures(report, JSON.parse(hand.stdout))}`);
    // `npm run bench -- --engine URL`: the same evaluation on a server engine (files loaded through the reader).
    const engine = process.env.MPLAN_BENCH_ENGINE;
    if (engine) {
        let other;
        for (let round = 0; round < rounds; round++) other = best(other, timed('mplan run --engine', [...runArgs(dir, 'out-engine'), '--engine', engine]));
        const otherReport = JSON.parse(fs.readFileSync(path.join(dir, 'out-engine/report.json'), 'utf8'));
        line(`mplan run on ${otherReport.tool.engine}:`, other, 'engine');
        console.log(`  ${(other.seconds / run.seconds).toFixed(2)}x DuckDB's wall time; the same report as DuckDB's (numbers within 1e-9): ${sameReport(report, otherReport)}`);
    }
    // `mplan diff` with the data at hand (both sides' sizes and MDEs, the data read once) against `mplan audience` of the
    // same plan (the sizes and files of one side). Target: no slower than the audience export.
    fs.writeFileSync(path.join(dir, 'base.mplan'), plan.replace('control 10% seed "bench"', 'control 20% seed "bench"'));
    let audience, diffed;
    for (let round = 0; round < rounds; round++) {
        audience = best(audience, timed('mplan audience', [process.execPath, path.join(root, 'bin/mplan.js'), 'audience', path.join(dir, 'bench.mplan'), '--as-of', '2027-01-01', '--out', path.join(dir, 'audiences')]));
        diffed = best(diffed, timed('mplan diff', [process.execPath, path.join(root, 'bin/mplan.js'), 'diff', '--base-file', path.join(dir, 'base.mplan'), path.join(dir, 'bench.mplan'), '--as-of', '2027-01-01', '--format', 'json']));
    }
    const diffedPlan = JSON.parse(diffed.stdout).plans[0];
    const control = diffedPlan.deployment.find(r => r.field === 'control');
    line('mplan audience:', audience, 'engine');
    line('mplan diff, with data:', diffed, 'engine');
    console.log(`  ${(diffed.seconds / audience.seconds).toFixed(2)}x the audience export's wall time (target ≤ 1x): ` +
        `${diffedPlan.evaluated ? `control ${control.old.toLocaleString('en-US')} → ${control.new.toLocaleString('en-US')}` : `not evaluated: ${diffedPlan.notes.join(' ')}`}`);
    // Memory against row count: twice the events for the same customers (the per-customer aggregation keeps one row per
    // customer, so memory should stay flat), a quarter of both, and the full data under a tighter engine cap.
    const double = path.join(dir, 'double');
    fs.mkdirSync(double);
    await generate(double, customers, orders * 2);
    fs.writeFileSync(path.join(double, 'bench.mplan'), plan);
    const twice = timed('mplan run (twice the events)', runArgs(double, 'out'));
    fs.rmSync(double, { recursive: true, force: true });
    const quarter = path.join(dir, 'quarter');
    fs.mkdirSync(quarter);
    await generate(quarter, Math.round(customers / 4), Math.round(orders / 4));
    fs.writeFileSync(path.join(quarter, 'bench.mplan'), plan);
    const small = timed('mplan run (quarter)', runArgs(quarter, 'out'));
    const capped = timed('mplan run (capped)', runArgs(dir, 'out2'), { MPLAN_MEMORY_LIMIT: '256MB' });
    // The same campaign scheduled contact by contact: a daily capacity on the channel and a conditional second step
    // (the customers are read in their scheduling order, scheduled in JavaScript and loaded back; each customer's own
    // window is summed from a per-day table).
    const scheduledPlan = plan
        .replace('channel mail cost 0.80 per contact', 'channel mail cost 0.80 per contact capacity 20000 per day\n  channel sms cost 0.05 per contact')
        .replace('    channel mail\n', '    channel mail\n    channel sms after 7 days unless responded\n');
    fs.writeFileSync(path.join(dir, 'scheduled.mplan'), scheduledPlan);
    let scheduled;
    for (let round = 0; round < rounds; round++) {
        scheduled = best(scheduled, timed('mplan run (scheduled)', [process.execPath, path.join(root, 'bin/mplan.js'), 'run', path.join(dir, 'scheduled.mplan'), '--as-of', '2027-01-01', '--out', path.join(dir, 'out-scheduled')]));
    }
    const sc = JSON.parse(fs.readFileSync(path.join(dir, 'out-scheduled/report.json'), 'utf8')).campaigns[0];
    const mailDays = sc.schedule.filter(r => r.channel === 'mail').length;
    line('mplan run, scheduled campaign:', scheduled, 'engine');
    console.log(`  ${(scheduled.seconds / run.seconds).toFixed(2)}x the plain run's wall time: ${sc.groups.treatment.size.toLocaleString('en-US')} treatment customers, ` +
        `mail over ${mailDays} day${mailDays === 1 ? '' : 's'} at 20,000 a day, ${sc.steps[1].contacts.toLocaleString('en-US')} conditional sms contacts`);
    // The same data and campaign with three behavioural segments (a filter, a window, a tier) in its audience: their
    // aggregates are counted in the same pass over the orders, as of the evaluation date (segment table) and as of the
    // campaign's start (its audience). Target: within 1.5x of the plain run.
    const behaviourPlan = plan
        .replace('  segment at_risk = value.r <= 2 and value.f >= 3\n', [
            '  segment at_risk = value.r <= 2 and value.f >= 3',
            '  segment big_orders = count(orders where amount > 150 within 365 days) >= 2',
            '  segment recent = any(orders within 90 days)',
            '  tiers value_tier {',
            '    gold = value.r >= 4 and value.m >= 4',
            '    silver = value.m >= 3',
            '    rest = otherwise',
            '  }',
            ''
        ].join('\n'))
        .replace('    audience at_risk and shoppers.email_opt_in\n', '    audience (at_risk or big_orders) and shoppers.email_opt_in and not recent and not value_tier.gold\n');
    if (behaviourPlan === plan) throw new Error('bench: the behavioural variant did not change the plan');
    fs.writeFileSync(path.join(dir, 'behaviour.mplan'), behaviourPlan);
    let behaviour;
    for (let round = 0; round < rounds; round++) {
        behaviour = best(behaviour, timed('mplan run (behaviour)', [process.execPath, path.join(root, 'bin/mplan.js'), 'run', path.join(dir, 'behaviour.mplan'), '--as-of', '2027-01-01', '--out', path.join(dir, 'out-behaviour')]));
    }
    const br = JSON.parse(fs.readFileSync(path.join(dir, 'out-behaviour/report.json'), 'utf8'));
    line('mplan run, behavioural audience:', behaviour, 'engine');
    console.log(`  ${(behaviour.seconds / run.seconds).toFixed(2)}x the plain run's wall time (target ≤ 1.5x): segments ${br.segments.map(x => `${x.name} ${x.size.toLocaleString('en-US')}`).join(', ')}; ` +
        `tiers ${br.tiers[0].tiers.map(t => `${t.name} ${t.size.toLocaleString('en-US')}`).join(', ')}; audience ${br.campaigns[0].audience.size.toLocaleString('en-US')}`);
    const mb = t => `${t.peakMb.toFixed(0)} MB`;
    console.log(`memory (peak RSS of mplan run, engine capped at 1GB by default):`);
    console.log(`  ${mb(run)} with ${customers.toLocaleString('en-US')} customers and ${orders.toLocaleString('en-US')} orders; ` +
        `${mb(twice)} with twice the orders (${twice.seconds.toFixed(2)} s, ${twice.peakMb >= run.peakMb ? '+' : ''}${((twice.peakMb / run.peakMb - 1) * 100).toFixed(0)}%)`);
    console.log(`  ${mb(small)} with a quarter of both: it grows with the customers (the per-customer tables), not the events`);
    console.log(`  ${mb(capped)} with MPLAN_MEMORY_LIMIT=256MB (${capped.seconds.toFixed(2)} s)`);
} finally {
    if (keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
}

/** Whether the report holds the hand-written script's figures: "yes", or the first that differs. */
function sameFigures(report, [[totals], grid, mScores, groups]) {
    const rfm = report.rfm[0], c = report.campaigns[0];
    const close = (a, b) => Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(b)));
    const checks = [
        ['customers', Number(totals.customers) === report.customers.size],
        ['scored customers', Number(totals.scored) === rfm.scored],
        ['segment size', Number(totals.at_risk) === report.segments[0].size],
        ['events of unknown customers', Number(totals.unknown_events ?? 0) === 0 && report.warnings.length === 0],
        ['cut points', ['r', 'f', 'm'].every((k, i) => totals.cuts[i].every((v, j) => close(rfm.cuts[k][j], v)))],
        ['RFM grid', grid.length === rfm.grid.length && grid.every((g, i) => Number(g.r) === rfm.grid[i].r && Number(g.f) === rfm.grid[i].f &&
            Number(g.customers) === rfm.grid[i].customers && close(rfm.grid[i].value, g.value))],
        ['M scores', mScores.length === rfm.m.length && mScores.every((m, i) => Number(m.m) === rfm.m[i].score && Number(m.customers) === rfm.m[i].customers)],
        ['group sizes', groups.every(g => Number(g.size) === c.groups[g.grp].size)],
        ['response rates', groups.every(g => close(c.metrics[0][g.grp], g['avg(responded)']))]
    ];
    const failed = checks.find(([, ok]) => !ok);
    return failed ? `NO (${failed[0]})` : 'yes';
}

/** The two reports agree: numbers within 1e-9 relative, all else exactly, apart from tool.engine. */
function sameReport(a, b) {
    const strip = r => ({ ...r, tool: { ...r.tool, engine: undefined } });
    const same = (x, y) => {
        if (typeof x === 'number' && typeof y === 'number') return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
        if (x && y && typeof x === 'object' && typeof y === 'object') return [...new Set([...Object.keys(x), ...Object.keys(y)])].every(k => same(x[k], y[k]));
        return JSON.stringify(x) === JSON.stringify(y);
    };
    return same(strip(a), strip(b)) ? 'yes' : 'NO';
}
