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

/** A standard normal draw (Box-Muller). */
function normal(random) {
    return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shape < 1 through Gamma(shape + 1) · U^(1/shape)). */
function gamma(random, shape) {
    if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
        const z = normal(random), v = Math.pow(1 + c * z, 3);
        if (v > 0 && Math.log(1 - random()) < (z * z) / 2 + d - d * v + d * Math.log(v)) return d * v;
    }
}

function beta(random, a, b) {
    const x = gamma(random, a);
    return x / (x + gamma(random, b));
}

/**
 * examples/value: customers buying as the BG/NBD and Gamma-Gamma models assume, from a first purchase between
 * 2025-04-01 and 2026-06-30: a Poisson rate λ ~ Gamma(0.6, 10) a week, a dropout after each repeat purchase with
 * p ~ Beta(0.9, 5), a spend per purchase ~ Gamma(6, ν) with ν ~ Gamma(4, 18) (a mean of 36). A hidden preferred
 * channel per customer (email, sms, phone: 50/30/20%) drives the responses to a year of past contacts (twelve monthly
 * campaigns from 2025-10-06, each reaching 60% of the customers who had bought by then through a random channel;
 * 30% respond through their preferred channel, 3 to 6% through another), so the attitude scores are informative.
 * The campaign of October 2026 (the runner's hash of "value-2026", 20% control) plants a response purchase within
 * three weeks of its start for treated customers of its `recent` segment: 3%, +12 points when the channel the plan
 * picks (`best of` by the attitude score, computed here as the README defines it) is their preferred one, +15 for the
 * top third by value (λ × mean spend); a customer who had already dropped out does not respond.
 */
function value() {
    const random = prng(20261001);
    const customers = [];
    const purchases = [];
    const contacts = [];
    const start = day('2025-04-01');
    const campaignStart = day('2026-10-01');
    const dataEnd = day('2026-12-31');
    const channels = ['email', 'sms', 'phone'];
    const offers = ['10off', 'freeship', 'gift'];
    // Past campaigns: each contacts some of the customers who had bought by then, each through a random channel.
    const pastCampaigns = Array.from({ length: 12 }, (_, i) => day('2025-10-06') + i * 30);
    const baseResponse = { email: 0.03, sms: 0.04, phone: 0.06 };
    const people = [];
    const N = 5000;
    for (let i = 1; i <= N; i++) {
        const id = `V${String(i).padStart(5, '0')}`;
        const first = start + Math.floor(random() * (day('2026-06-30') - start));
        const lambda = gamma(random, 0.6) / 10 / 7; // per day
        const dropout = beta(random, 0.9, 5);
        const nu = gamma(random, 4) / 18;
        const spend = () => (gamma(random, 6) / nu).toFixed(2);
        const preferred = random() < 0.5 ? 'email' : random() < 0.6 ? 'sms' : 'phone';
        customers.push([id, pick(random, ['north', 'south', 'east', 'west']), iso(first)]);
        // The purchase process, to the end of the data: alive until a dropout after some repeat purchase (in the
        // BG/NBD a customer cannot drop out right after the first).
        let t = first, aliveAtCampaign = true, last = first;
        purchases.push([id, iso(t), spend()]);
        for (let repeat = false; ; repeat = true) {
            if (repeat && random() < dropout) {
                aliveAtCampaign = t >= campaignStart;
                break;
            }
            t += -Math.log(1 - random()) / lambda;
            if (t >= dataEnd) break;
            purchases.push([id, iso(t), spend()]);
            if (Math.round(t) < campaignStart) last = Math.round(t);
        }
        // In the campaign's audience only if `recent` (a purchase in the 365 days before its start) holds.
        const recent = last >= campaignStart - 365;
        people.push({ id, first, preferred, aliveAtCampaign, recent, worth: (lambda * 6) / nu, spend });
        for (const sent of pastCampaigns) {
            if (sent <= first || random() >= 0.6) continue;
            const channel = random() < 0.5 ? 'email' : random() < 0.6 ? 'sms' : 'phone';
            const rate = channel === preferred ? 0.3 : baseResponse[channel];
            contacts.push([id, iso(sent + Math.floor(random() * 3)), channel, pick(random, offers), random() < rate]);
        }
    }
    // The channel `channel best of [email, sms, phone] by prefs.channel` picks: the highest attitude score as of the
    // campaign's start (half life 180 days, prior 5 contacts), ties to the first listed.
    const weight = c => Math.pow(0.5, (campaignStart - day(c[1])) / 180);
    const population = Object.fromEntries(channels.map(ch => {
        const of = contacts.filter(c => c[2] === ch);
        return [ch, of.reduce((s, c) => s + weight(c) * (c[4] ? 1 : 0), 0) / of.reduce((s, c) => s + weight(c), 0)];
    }));
    const byCustomer = new Map();
    for (const c of contacts) byCustomer.set(c[0], [...(byCustomer.get(c[0]) ?? []), c]);
    const worthCut = people.map(p => p.worth).sort((a, b) => a - b)[Math.floor(N * 2 / 3)];
    for (const p of people) {
        if (!p.recent || !p.aliveAtCampaign || controlHash('value-2026', p.id) < 0.20) continue;
        const own = byCustomer.get(p.id) ?? [];
        const score = ch => {
            const of = own.filter(c => c[2] === ch);
            return (5 * population[ch] + of.reduce((s, c) => s + weight(c) * (c[4] ? 1 : 0), 0)) / (5 + of.reduce((s, c) => s + weight(c), 0));
        };
        const picked = channels.reduce((best, ch) => (score(ch) > score(best) ? ch : best));
        // A response purchase within three weeks of the contact: more likely through the preferred channel and for
        // customers of high value.
        const chance = 0.03 + (picked === p.preferred ? 0.12 : 0) + (p.worth >= worthCut ? 0.15 : 0);
        if (random() < chance) purchases.push([p.id, iso(campaignStart + 1 + Math.floor(random() * 21)), p.spend()]);
    }
    const byDate = (a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    purchases.sort(byDate);
    contacts.sort(byDate);
    const dir = path.join(root, 'examples/value/data');
    const c = writeCsv(path.join(dir, 'customers.csv'), ['customer_id', 'region', 'joined'], customers);
    const o = writeCsv(path.join(dir, 'purchases.csv'), ['customer_id', 'purchased_at', 'amount'], purchases);
    const k = writeCsv(path.join(dir, 'contacts.csv'), ['customer_id', 'sent_at', 'channel', 'offer', 'responded'], contacts);
    return `value: ${c} customers, ${o} purchases, ${k} contacts`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    console.log(retention());
    console.log(activation());
    console.log(value());
}
