#!/usr/bin/env node
// Bench of the lifetime-value fits (src/runner/models, compiled to out/ by `npm run build`): draws 1,000,000 customers
// from a BG/NBD purchase process and a Gamma-Gamma spend process (seeded, so every run fits the same data), groups
// them as the runner will (identical (x, t_x, T) in days; identical (x, total spend in cents)), and times the BG/NBD
// and Gamma-Gamma fits on the groups. Prints the time of each fit (best of a few runs) with the estimates against the
// parameters drawn from (near, not equal: merging same-day purchases, as the runner does, thins the drawn purchase
// process, which the BG/NBD does not know of). Usage: node scripts/bench-clv.js [customers]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsFile = path.join(root, 'out/runner/models/index.js');
if (!fs.existsSync(modelsFile)) {
    console.error('bench-clv: out/runner/models/index.js is missing; run `npm run build` first.');
    process.exit(2);
}
const { fitBgNbd, fitGammaGamma, bgNbdProbabilityAlive, bgNbdConditionalExpectedPurchases, perPeriodDiscountRate } = await import(modelsFile);
const { historyScores } = await import(path.join(root, 'out/runner/clv-scores.js'));

const customers = Number(process.argv[2] ?? 1_000_000);
const RUNS = 3;
const random = prng(20261201);

// Draws for the generator only (the models never sample): exponential by inversion, normal by Box-Muller, gamma by
// Marsaglia & Tsang (2000), with the shape < 1 boost Gamma(k) = Gamma(k+1)·U^(1/k).
const exponential = () => -Math.log(1 - random());
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
function gamma(shape, rate) {
    if (shape < 1) return gamma(shape + 1, rate) * Math.pow(1 - random(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
        const z = normal();
        const v = Math.pow(1 + c * z, 3);
        if (v > 0 && Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
}

// Weekly parameters near CDNOW's; customers acquired over the first 12 weeks of a 52-week calibration period.
const truthBg = { r: 0.25, alpha: 4.5, a: 0.8, b: 2.5 };
const truthGg = { p: 6, q: 4, v: 15 };
const histories = new Map();
const spends = new Map();
const started = performance.now();
for (let i = 0; i < customers; i++) {
    const firstDay = Math.floor(random() * 84);
    const ageDays = 364 - firstDay;
    const lambda = gamma(truthBg.r, truthBg.alpha) / 7; // per day
    const ga = gamma(truthBg.a, 1);
    const p = ga / (ga + gamma(truthBg.b, 1));
    let time = 0;
    let lastDay = 0;
    let x = 0;
    // Purchases on the same day are one purchase day, as the runner merges them.
    for (;;) {
        time += exponential() / lambda;
        const day = Math.floor(time);
        if (day > ageDays) break;
        if (day > lastDay) {
            x++;
            lastDay = day;
        }
        if (random() < p) break;
    }
    const key = `${x}|${lastDay}|${ageDays}`;
    const group = histories.get(key);
    if (group) group.count++;
    else histories.set(key, { x, tx: lastDay / 7, T: ageDays / 7, count: 1 });
    if (x > 0) {
        const nu = gamma(truthGg.q, truthGg.v);
        let cents = 0;
        for (let j = 0; j < x; j++) cents += Math.max(1, Math.round(gamma(truthGg.p, nu) * 100));
        const spendKey = `${x}|${cents}`;
        const spend = spends.get(spendKey);
        if (spend) spend.count++;
        else spends.set(spendKey, { x, meanSpend: cents / 100 / x, count: 1 });
    }
}
const generated = performance.now() - started;

function best(fit) {
    let time = Infinity;
    let result;
    for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        result = fit();
        time = Math.min(time, performance.now() - t0);
    }
    return { time, result };
}

const fmt = (params, names, se) => names.map(n => `${n} ${params[n].toPrecision(4)}${se ? ` ± ${se[n].toPrecision(2)}` : ''}`).join(', ');
const bgGroups = [...histories.values()];
const ggGroups = [...spends.values()];
console.log(`${customers.toLocaleString('en-US')} customers drawn and grouped in ${(generated / 1000).toFixed(1)} s`);

const bg = best(() => fitBgNbd(bgGroups));
console.log(`BG/NBD       ${bgGroups.length.toLocaleString('en-US')} groups: fit in ${(bg.time / 1000).toFixed(2)} s (best of ${RUNS}), ` +
    `${bg.result.converged ? 'converged' : `NOT converged: ${bg.result.problem.message}`}, ${bg.result.iterations} iterations`);
console.log(`             estimates ${fmt(bg.result.params, ['r', 'alpha', 'a', 'b'], bg.result.standardErrors)}; drawn from ${fmt(truthBg, ['r', 'alpha', 'a', 'b'])}`);

// Each customer's scores need the model once per distinct history: 52 weekly terms of the discounted sum each.
const model = {
    alive: h => bgNbdProbabilityAlive(bg.result.params, h),
    expected: (h, t) => bgNbdConditionalExpectedPurchases(bg.result.params, h, t)
};
const rate = perPeriodDiscountRate(0.1, 7);
const scoring = best(() => bgGroups.reduce((sum, h) => sum + historyScores(model, h, 52, rate).discounted, 0));
console.log(`             scores (alive, purchases and the discounted sum of a 52-week horizon) of every history in ${(scoring.time / 1000).toFixed(2)} s (best of ${RUNS})`);

const gg = best(() => fitGammaGamma(ggGroups));
console.log(`Gamma-Gamma  ${ggGroups.length.toLocaleString('en-US')} groups: fit in ${(gg.time / 1000).toFixed(2)} s (best of ${RUNS}), ` +
    `${gg.result.converged ? 'converged' : `NOT converged: ${gg.result.problem.message}`}, ${gg.result.iterations} iterations`);
console.log(`             estimates ${fmt(gg.result.params, ['p', 'q', 'v'], gg.result.standardErrors)}; drawn from ${fmt(truthGg, ['p', 'q', 'v'])}`);
