// The control-group hash, in TypeScript: the reference the SQL version is tested against, and what channel systems
// can copy. A customer is in control when h(seed, key) / 2^64 < share, where h is the first 8 bytes of
// SHA-256(seed + ":" + key) read as a big-endian unsigned 64-bit integer.
import { createHash } from 'node:crypto';

export const TWO_POW_64 = 1n << 64n;

export function controlHash(seed: string, key: string): bigint {
    const digest = createHash('sha256').update(`${seed}:${key}`, 'utf8').digest();
    return digest.readBigUInt64BE(0);
}

/** The hash mapped to [0, 1) (for display; decisions use the exact integer comparison below). */
export function hashUnit(seed: string, key: string): number {
    return Number(controlHash(seed, key)) / 2 ** 64;
}

/**
 * The smallest integer T with h < T ⇔ h / 2^64 < share, i.e. ceil(share · 2^64), computed exactly from the
 * decimal form of the percentage (so 10% is exactly one tenth, not the nearest double).
 */
export function controlThreshold(sharePercent: number): bigint {
    if (!(sharePercent >= 0) || sharePercent > 100) throw new RangeError(`control share ${sharePercent}% is outside 0–100%`);
    const text = decimalText(sharePercent);
    const [whole, fraction = ''] = text.split('.');
    const numerator = BigInt(whole + fraction);
    const denominator = 100n * 10n ** BigInt(fraction.length);
    const product = numerator * TWO_POW_64;
    return (product + denominator - 1n) / denominator;
}

export function isControl(seed: string, key: string, sharePercent: number): boolean {
    return controlHash(seed, key) < controlThreshold(sharePercent);
}

/** A non-negative number as a plain decimal (no exponent): 1e-7 → "0.0000001". */
function decimalText(value: number): string {
    const text = String(value);
    if (!/e/i.test(text)) return text;
    return value.toFixed(20).replace(/\.?0+$/, '');
}

/** A non-negative decimal as an exact fraction numerator / 10^digits. */
function decimalFraction(value: number): { numerator: bigint; digits: number } {
    const [whole, fraction = ''] = decimalText(value).split('.');
    return { numerator: BigInt(whole + fraction), digits: fraction.length };
}

/**
 * The arms' upper bounds on h, for drawn groups with arms: arm i (0-based) holds the customers with
 * B(i−1) ≤ h < B(i), where B(−1) = controlThreshold(share) and
 *   B(i) = ⌈2^64 · (c + (1 − c) · S(i) / S)⌉,
 * c the control share, S(i) the arms' weights summed up to and including arm i, S all of them; that is, the arm whose
 * cumulative interval of (u − c) / (1 − c) contains it, u = h / 2^64. Decided exactly in integers: every weight and
 * the share are read as decimals. The last bound is 2^64 (every h is below it).
 */
export function armThresholds(sharePercent: number, weights: number[]): bigint[] {
    if (!(sharePercent >= 0) || sharePercent >= 100) throw new RangeError(`control share ${sharePercent}% is outside 0–100%`);
    if (weights.length === 0 || weights.some(w => !(w > 0))) throw new RangeError('arm weights must be positive');
    const share = decimalFraction(sharePercent);
    const parts = weights.map(decimalFraction);
    const digits = Math.max(...parts.map(p => p.digits));
    const scaled = parts.map(p => p.numerator * 10n ** BigInt(digits - p.digits));
    const total = scaled.reduce((a, b) => a + b, 0n);
    // c = p / q
    const p = share.numerator;
    const q = 100n * 10n ** BigInt(share.digits);
    const denominator = q * total;
    let cumulative = 0n;
    return scaled.map(w => {
        cumulative += w;
        const numerator = (p * total + (q - p) * cumulative) * TWO_POW_64;
        return (numerator + denominator - 1n) / denominator;
    });
}

/** The TypeScript reference of the drawn split: 'control', or the 0-based index of the arm. */
export function drawnGroup(seed: string, key: string, sharePercent: number, weights: number[]): 'control' | number {
    const h = controlHash(seed, key);
    if (h < controlThreshold(sharePercent)) return 'control';
    const bounds = armThresholds(sharePercent, weights);
    const arm = bounds.findIndex(b => h < b);
    return arm === -1 ? bounds.length - 1 : arm;
}
