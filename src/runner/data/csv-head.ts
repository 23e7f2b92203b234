// The head of a CSV file, read in JavaScript for two things the engine does not tell: which delimiter the header uses
// (comma, semicolon, tab or pipe: spreadsheets in many locales write semicolons), and, when the engine cannot even
// detect the file's dialect, which line near the top breaks it. Only the first bytes are read, never the rows beyond.
import * as fs from 'node:fs';

/** Enough for the engine's sniffing sample on typical rows; a bad line further down is reported by the engine. */
const HEAD_BYTES = 1 << 20;

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export function readHead(file: string, bytes = HEAD_BYTES): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
        const buffer = Buffer.alloc(bytes);
        const read = fs.readSync(fd, buffer, 0, bytes, 0);
        return buffer.subarray(0, read);
    } finally {
        fs.closeSync(fd);
    }
}

/** The delimiter the header line uses most (outside quotes); `fallback` when it has none of them (one column). */
export function detectDelimiter(head: Buffer, fallback: Delimiter): Delimiter {
    const text = head.toString('utf8');
    const end = text.search(/\r?\n/);
    const header = end < 0 ? text : text.slice(0, end);
    const counts = new Map<Delimiter, number>(DELIMITERS.map(d => [d, 0]));
    let quoted = false;
    for (const ch of header) {
        if (ch === '"') quoted = !quoted;
        else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
    }
    let best = fallback;
    for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
    return best;
}

/**
 * The first line near the top that does not parse: a row whose field count differs from the header's, or a quote
 * that is never closed (reported at the line it opens). Undefined when the head parses.
 */
export function locateCsvProblem(head: Buffer, delimiter: Delimiter): { line: number; message: string } | undefined {
    const text = head.toString('utf8');
    // A head cut inside a line ends with a partial row: leave that line out.
    const complete = head.length >= HEAD_BYTES ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
    let line = 1;
    let fields = 1;
    let quoted = false;
    let quoteLine = 0;
    let expected: number | undefined;
    let rowStart = 1;
    const endRow = (): { line: number; message: string } | undefined => {
        if (expected === undefined) expected = fields;
        else if (fields !== expected) {
            return { line: rowStart, message: fieldCountMessage(fields, expected, delimiter) };
        }
        fields = 1;
        return undefined;
    };
    for (let i = 0; i < complete.length; i++) {
        const ch = complete[i];
        if (quoted) {
            if (ch === '"' && complete[i + 1] === '"') i++;
            else if (ch === '"') quoted = false;
            else if (ch === '\n') line++;
        } else if (ch === '"') {
            quoted = true;
            quoteLine = line;
        } else if (ch === delimiter) {
            fields++;
        } else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && complete[i + 1] === '\n') i++;
            // An empty last line is no row.
            const problem = endRow();
            if (problem) return problem;
            line++;
            rowStart = line;
        }
    }
    if (quoted) return { line: quoteLine, message: 'a quote (") opens here and is never closed; close it, or double quotes inside a quoted field ("")' };
    if (complete.length > 0 && !/[\r\n]$/.test(complete)) return endRow();
    return undefined;
}

/** A row with more fields than the header usually holds an unquoted delimiter; one with fewer lacks fields. */
export function fieldCountMessage(found: number, expected: number, delimiter?: Delimiter): string {
    const shown = delimiter === undefined ? 'the delimiter' : delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
    const fix = found > expected ? `quote fields that contain ${shown} ("...")` : 'add the missing fields (they may be empty)';
    return `this row has ${found} field${found === 1 ? '' : 's'} where the header has ${expected}; ${fix}`;
}
