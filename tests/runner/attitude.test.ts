// Attitude scores (src/runner/models/attitude.ts) on a synthetic contact log, against an independent computation of
// the documented formula for every customer and value: score = 100 (k·p_v + Σ w·y) / (k + Σ w), w = 0.5^(age / half
// life), p_v the population's decayed response rate, 100·p_v without contacts; contacts on or after the reference date
// left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/runner/engine/duckdb-engine.js';
import type { Row } from '../../src/runner/engine/engine.js';
import { attitudeRatesSql, attitudeScoresSql } from '../../src/runner/models/attitude.js';
import { day } from './helpers.js';

interface Contact { key: string; channel: string; responded: boolean; time: number /* ms since epoch */ }

const REFERENCE = day('2027-05-01');
const HALF_LIFE = 180;
const PRIOR = 5;
const CHANNELS = ['email', 'sms', 'phone'];
const customers = Array.from({ length: 400 }, (_, i) => `C${i}`);
const contacts: Contact[] = [];
let engine: DuckDbEngine;

function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

beforeAll(async () => {
    const rnd = random(3);
    for (const key of customers.slice(0, 350)) {
        const n = Math.floor(rnd() * 8);
        for (let i = 0; i < n; i++) {
            const channel = CHANNELS[Math.floor(rnd() * 3)];
            const likes = key.endsWith('7') ? 'sms' : 'email';
            // Up to two years back, some at a time of day, some on or after the reference date (left out).
            const days = Math.floor(rnd() * 740) - 10;
            const time = (REFERENCE - days) * 86_400_000 - (rnd() < 0.3 ? Math.floor(rnd() * 86_400) * 1000 : 0);
            contacts.push({ key, channel, responded: rnd() < (channel === likes ? 0.4 : 0.1), time });
        }
    }
    // A contact exactly at the reference (left out) and one exactly one half-life before it (weight 1/2).
    contacts.push({ key: 'C1', channel: 'phone', responded: true, time: REFERENCE * 86_400_000 });
    contacts.push({ key: 'C2', channel: 'phone', responded: true, time: (REFERENCE - HALF_LIFE) * 86_400_000 });
    engine = await DuckDbEngine.open({ readablePaths: [] });
    const values = contacts.map(c => `('${c.key}', '${c.channel}', ${c.responded}, TIMESTAMP '${new Date(c.time).toISOString().replace('T', ' ').slice(0, 19)}')`).join(', ');
    await engine.exec(`CREATE TABLE contacts AS SELECT * FROM (VALUES ${values}) c(key, v0, y, t)`);
});
afterAll(() => engine?.close());

/** The formula, computed here from the contacts. */
function expected(): { rates: Map<string, number>; scores: Map<string, number> } {
    const counted = contacts.filter(c => c.time < REFERENCE * 86_400_000);
    const weight = (c: Contact) => Math.pow(0.5, (REFERENCE * 86_400_000 - c.time) / 86_400_000 / HALF_LIFE);
    const rates = new Map<string, number>();
    for (const v of CHANNELS) {
        const of = counted.filter(c => c.channel === v);
        rates.set(v, of.reduce((s, c) => s + weight(c) * (c.responded ? 1 : 0), 0) / of.reduce((s, c) => s + weight(c), 0));
    }
    const scores = new Map<string, number>();
    for (const key of customers) {
        for (const v of CHANNELS) {
            const own = counted.filter(c => c.key === key && c.channel === v);
            const wy = own.reduce((s, c) => s + weight(c) * (c.responded ? 1 : 0), 0), w = own.reduce((s, c) => s + weight(c), 0);
            scores.set(`${key}|${v}`, (100 * (PRIOR * rates.get(v)! + wy)) / (PRIOR + w));
        }
    }
    return { rates, scores };
}

describe('attitude scores on a synthetic contact log', () => {
    const spec = { reference: REFERENCE, halfLifeDays: HALF_LIFE, prior: PRIOR, dimensions: 1 };

    /** The scores as rows (key, v, score): the rates first, then one column per value (named after it). */
    async function scoreRows(): Promise<Row[]> {
        const rates = await engine.query(attitudeRatesSql(engine.dialect, 'contacts', spec));
        const values = rates.map(r => ({ dimension: 0, value: String(r.v), rate: Number(r.rate), column: `score ${r.v}` }));
        const wide = await engine.query(attitudeScoresSql(engine.dialect, 'contacts', spec, values));
        return wide.flatMap(row => values.map(v => ({ key: row.key, v: v.value, score: row[v.column] })));
    }

    it('gives the population rates of an independent computation', async () => {
        const rows = await engine.query(attitudeRatesSql(engine.dialect, 'contacts', spec));
        const { rates } = expected();
        expect(rows.map(r => r.v)).toEqual([...CHANNELS].sort());
        expect(rows.every(r => Number(r.dimension) === 0)).toBe(true);
        for (const r of rows) expect(Number(r.rate)).toBeCloseTo(rates.get(String(r.v))!, 12);
    });

    it('gives every contacted customer\'s score for every value, with the decay and the prior', async () => {
        const rows = await scoreRows();
        const { rates, scores } = expected();
        const contacted = new Set(contacts.filter(c => c.time < REFERENCE * 86_400_000).map(c => c.key));
        expect(rows.length).toBe(contacted.size * CHANNELS.length);
        for (const r of rows) expect(Number(r.score), `${r.key} ${r.v}`).toBeCloseTo(scores.get(`${r.key}|${r.v}`)!, 9);
        // Customers 350 and above have no contacts: no row (the wide table gives them 100·p_v, see attitude-plan.test.ts).
        expect(rows.some(r => r.key === 'C399')).toBe(false);
        // A contacted customer without a contact through a channel scores that channel at the population's rate.
        const without = rows.find(r => !contacts.some(c => c.key === r.key && c.channel === r.v && c.time < REFERENCE * 86_400_000))!;
        expect(Number(without.score)).toBeCloseTo(100 * rates.get(String(without.v))!, 12);
        // Those whose favourite channel is sms score it above the population on average.
        const smsFans = rows.filter(r => String(r.key).endsWith('7') && r.v === 'sms' && Number(String(r.key).slice(1)) < 350);
        const mean = smsFans.reduce((s, r) => s + Number(r.score), 0) / smsFans.length;
        expect(mean).toBeGreaterThan(100 * rates.get('sms')!);
    });

    it('leaves out a contact at the reference date, and weighs one a half-life old by exactly 1/2', async () => {
        const rows = await scoreRows();
        const { rates } = expected();
        const p = rates.get('phone')!;
        const weight = (c: Contact) => Math.pow(0.5, (REFERENCE * 86_400_000 - c.time) / 86_400_000 / HALF_LIFE);
        const score = (key: string, extra: Array<{ w: number; y: number }>) => {
            const own = contacts.filter(c => c.key === key && c.channel === 'phone' && c.time < REFERENCE * 86_400_000 && !(key === 'C2' && c.time === (REFERENCE - HALF_LIFE) * 86_400_000))
                .map(c => ({ w: weight(c), y: c.responded ? 1 : 0 })).concat(extra);
            return (100 * (PRIOR * p + own.reduce((s, c) => s + c.w * c.y, 0))) / (PRIOR + own.reduce((s, c) => s + c.w, 0));
        };
        const c1 = Number(rows.find(r => r.key === 'C1' && r.v === 'phone')!.score);
        const c2 = Number(rows.find(r => r.key === 'C2' && r.v === 'phone')!.score);
        // C1's response at the reference date does not count (it would weigh 1 and raise the score).
        expect(c1).toBeCloseTo(score('C1', []), 9);
        expect(c1).not.toBeCloseTo(score('C1', [{ w: 1, y: 1 }]), 3);
        // C2's response 180 days back counts with weight 1/2.
        expect(c2).toBeCloseTo(score('C2', [{ w: 0.5, y: 1 }]), 9);
    });
});
