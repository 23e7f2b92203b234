// Number formatting shared by the Markdown and HTML reports: people read these, so fixed, readable precision.

export function int(value: number | null | undefined): string {
    return value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US');
}

/** A value with about four significant digits, grouped thousands. */
export function num(value: number | null | undefined, digits = 4): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '—';
    if (value === 0) return '0';
    const abs = Math.abs(value);
    if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
    if (abs < 1e-4) return value.toExponential(2);
    return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 8 });
}

export function money(value: number | null | undefined, currency?: string | null): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '—';
    const text = value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return currency ? `${text} ${currency}` : text;
}

export function percent(fraction: number | null | undefined, digits = 1): string {
    if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
    return `${(fraction * 100).toFixed(digits)}%`;
}

export function pValue(p: number | null | undefined): string {
    if (p === null || p === undefined || !Number.isFinite(p)) return '—';
    if (p < 0.0001) return p.toExponential(1);
    return p.toFixed(4);
}

/** A value in a goal's unit: `12.3%`, `4.52 pp`, or plain. */
export function inUnit(value: number | null | undefined, unit: string | null): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '—';
    const text = num(value, 3);
    return unit === '%' ? `${text}%` : unit === 'pp' ? `${text} pp` : text;
}

export function intervalText(interval: [number, number] | null, unit: string | null = null): string {
    if (!interval) return '—';
    return `[${inUnit(interval[0], unit)}, ${inUnit(interval[1], unit)}]`;
}

export const STATUS_LABEL: Record<string, string> = {
    met: 'met',
    'not-met': 'not met',
    inconclusive: 'inconclusive',
    pending: 'pending'
};

export const STATUS_ICON: Record<string, string> = {
    met: '✅',
    'not-met': '❌',
    inconclusive: '❔',
    pending: '⏳'
};
