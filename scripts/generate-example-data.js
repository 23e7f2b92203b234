#!/usr/bin/env node
// Generates the small, synthetic data files of examples/ (deterministic: the same bytes on every run).
// Each example plants a known effect in its treatment group, using the runner's documented control-group hash
// (the first 8 bytes of SHA-256 of `seed:key`, as an unsigned integer over 2^64), so the reports show real lifts.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');


export function controlHash(seed, key) {
    const digest = createHash('sha256').update(`${seed}:${key}`).digest();
    return Number(digest.readBigUInt64BE(0)) / 2 ** 64;
}

const DAY = 86_400_000;
const day = iso => Date.parse(`${iso}T00:00:00Z`) / DAY;
const iso = days => new Date(Math.round(days) * DAY).toISOString().slice(0, 10);

function poissonTimes(random, ratePerDay, from, to) {
    const times = [];
    if (ratePerDay <= 0) return times;
    let t = from;
    for (;;) {
        t += -Math.log(1 - random()) / ratePerDay;
        if (t >= to) return times;
        times.push(t);
    }
}

function lognormal(random, mean, sigma) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return mean * Math.exp(sigma * z - (sigma * sigma) / 2);
}

function pick(random, items) {
    return items[Math.floor(random() * items.length)];
}

function writeCsv(file, header, rows) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lines = [header.join(','), ...rows.map(r => r.join(','))];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return rows.length;
}

function retention() {
    const random = prng(20260901);
    const customers = [];
    const orders = [];
    const campaignStart = day('2026-09-01');
    const dataEnd = day('2026-11-15');
    for (let i = 1; i <= 8000; i++) {
        const id = `C${String(i).padStart(5, '0')}`;
        const joined = day('2024-01-01') + Math.floor(random() * (day('2025-12-31') - day('2024-01-01')));
        customers.push([id, pick(random, ['north', 'south', 'east', 'west']), 18 + Math.floor(random() * 60), iso(joined), random() < 0.8]);
        // Monthly order rate; about a third of customers have gone quiet some time before the campaign.
        const rate = (0.05 + random() * 0.5) / 30;
        const quietSince = random() < 0.35 ? campaignStart - 60 - random() * 400 : campaignStart;
        const basket = 25 + random() * 70;
        for (const t of poissonTimes(random, rate, joined, Math.min(quietSince, campaignStart))) {
            orders.push([id, iso(t), lognormal(random, basket, 0.4).toFixed(2)]);
        }
        // After the campaign starts: quiet customers come back rarely; the win-back e-mail and letter double that
        // for its treatment group. The VIP call lifts order value for its treatment group by about 15%.
        const quiet = quietSince < campaignStart;
        const winbackTreated = controlHash('winback-2026', id) >= 0.20;
        const vipTreated = controlHash('vip-2026', id) >= 0.20;
        const postRate = quiet ? (winbackTreated ? 0.09 : 0.045) / 30 : rate;
        for (const t of poissonTimes(random, postRate, campaignStart, dataEnd)) {
            const lift = !quiet && vipTreated && t >= day('2026-10-01') ? 1.15 : 1;
            orders.push([id, iso(t), (lognormal(random, basket, 0.4) * lift).toFixed(2)]);
        }
    }
    orders.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
    const dir = path.join(root, 'examples/retention/data');
    const c = writeCsv(path.join(dir, 'customers.csv'), ['customer_id', 'region', 'age', 'joined', 'email_opt_in'], customers);
    const o = writeCsv(path.join(dir, 'orders.csv'), ['customer_id', 'ordered_at', 'amount'], orders);
    return `retention: ${c} customers, ${o} orders`;
}

function activation() {
    const random = prng(20260907);
    const accounts = [];
    const purchases = [];
    const campaignStart = day('2026-09-07');
    const dataEnd = day('2026-10-31');
    for (let i = 1; i <= 5000; i++) {
        const id = `A${String(i).padStart(5, '0')}`;
        const signedUp = day('2026-05-01') + Math.floor(random() * (day('2026-09-05') - day('2026-05-01')));
        const app = random() < 0.35;
        accounts.push([id, iso(signedUp), pick(random, ['organic', 'organic', 'ads', 'affiliate', 'referral']), pick(random, ['US', 'US', 'CA', 'GB']), app]);
        // A slow trickle of first purchases before the welcome series; during it, e-mail + SMS add about
        // 4 percentage points of buyers in two weeks, the push about 2.
        const baseRate = 0.004;
        for (const t of poissonTimes(random, baseRate, signedUp, campaignStart)) {
            purchases.push([id, iso(t), lognormal(random, 45, 0.5).toFixed(2)]);
        }
        const treated = app ? controlHash('welcome-push-2026', id) >= 0.15 : controlHash('welcome-2026', id) >= 0.15;
        const extra = treated ? (app ? 0.02 : 0.04) / 14 : 0;
        for (const t of poissonTimes(random, baseRate + extra, campaignStart, dataEnd)) {
            purchases.push([id, iso(t), lognormal(random, 45, 0.5).toFixed(2)]);
        }
    }
    purchases.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
    const dir = path.join(root, 'examples/activation/data');
    const a = writeCsv(path.join(dir, 'accounts.csv'), ['account_id', 'signed_up', 'source', 'country', 'app_installed'], accounts);
    const p = writeCsv(path.join(dir, 'purchases.csv'), ['account_id', 'purchased_at', 'amount'], purchases);
    return `activation: ${a} accounts, ${p} purchases`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    console.log(retention());
    console.log(activation());
}
