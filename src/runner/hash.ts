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
