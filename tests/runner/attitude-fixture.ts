// A synthetic contact log for attitude tests, and an independent computation of the attitude formula over it:
// 3,000 contacts of customers K1 to K250 in 2025 (K251 to K300 never contacted), dates and timestamps, each customer's
// favourite channel answered more often, a few contacts without a channel or a response.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HALF_LIFE = 90;
export const PRIOR = 5;
export const CHANNELS = ['email', 'phone', 'sms'];
const OFFERS = ['A', 'B'];
const DAY = 86_400_000;

export interface Contact { key: string; time: number; channel: string | null; offer: string; responded: boolean | null }
export const keys = Array.from({ length: 300 }, (_, i) => `K${i + 1}`);

/** The start of a plan over the log: the customers, the contacts and the attitude `prefs` by channel and offer. */
export const PLAN_HEAD = `  objective retention
  customers people from "customers.csv" key customer_id
  events contacts from "contacts.csv" customer customer_id time sent_at {
    channel: text
    offer: text
    responded: boolean
  }
  attitude prefs from contacts {
    response responded
    by channel, offer
    half life ${HALF_LIFE} days
    prior ${PRIOR} contacts
  }
`;

/** Writes contacts.csv and customers.csv into `dir`; returns the contacts as written. */
export function writeContactLog(dir: string): Contact[] {
    const contacts: Contact[] = [];
    // A linear congruential generator: the same log on every run.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines = ['customer_id,sent_at,channel,offer,responded'];
    for (let i = 0; i < 3000; i++) {
        // Customers 251 to 300 are never contacted.
        const k = 1 + Math.floor(random() * 250);
        const time = Date.UTC(2025, 0, 1) + Math.floor(random() * 365 * 86400) * 1000;
        const favourite = CHANNELS[k % 3];
        const channel = CHANNELS[Math.floor(random() * 3)];
        const responded = random() < (channel === favourite ? 0.4 : 0.08);
        // Half the rows give a date only (midnight), half a timestamp.
        const dateOnly = random() < 0.5;
        const t = dateOnly ? Math.floor(time / DAY) * DAY : time;
        const text = dateOnly ? new Date(t).toISOString().slice(0, 10) : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
        const noChannel = random() < 0.02;
        const offer = OFFERS[Math.floor(random() * 2)];
        const noResponse = random() < 0.02;
        contacts.push({ key: `K${k}`, time: t, channel: noChannel ? null : channel, offer, responded: noResponse ? null : responded });
        lines.push(`K${k},${text},${noChannel ? '' : channel},${offer},${noResponse ? '' : responded}`);
    }
    fs.writeFileSync(path.join(dir, 'contacts.csv'), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'customers.csv'), ['customer_id', ...keys].join('\n') + '\n');
    return contacts;
}

/** Every customer's score per value of a column as of a reference day (ms), computed here from the contacts. */
export function scores(contacts: Contact[], column: 'channel' | 'offer', reference: number): { rates: Map<string, number>; score: (key: string, value: string) => number } {
    const counted = contacts.filter(c => c.time < reference && c[column] !== null && c.responded !== null);
    const weight = (c: Contact) => Math.pow(0.5, (reference - c.time) / DAY / HALF_LIFE);
    const rates = new Map<string, number>();
    for (const value of new Set(counted.map(c => c[column]!))) {
        const own = counted.filter(c => c[column] === value);
        rates.set(value, own.reduce((s, c) => s + weight(c) * (c.responded ? 1 : 0), 0) / own.reduce((s, c) => s + weight(c), 0));
    }
    return {
        rates,
        score: (key, value) => {
            const own = counted.filter(c => c.key === key && c[column] === value);
            const wy = own.reduce((s, c) => s + weight(c) * (c.responded ? 1 : 0), 0);
            const w = own.reduce((s, c) => s + weight(c), 0);
            return (100 * (PRIOR * rates.get(value)! + wy)) / (PRIOR + w);
        }
    };
}

