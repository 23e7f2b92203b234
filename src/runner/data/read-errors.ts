// The engine's errors while reading a file, as data problems that say what is wrong, where, and how to fix it. The
// engine's own text (its option dumps, "Original Line: ...") is never passed on: it is long, names internals, and
// may print a line of the file.
import type { DataProblem } from './problems.js';
import type { Delimiter } from './csv-head.js';
import { fieldCountMessage, locateCsvProblem, readHead } from './csv-head.js';

export interface ReadContext {
    /** Where the problem is reported (the path as the user knows it). */
    file: string;
    /** What is read (the real path). */
    readPath: string;
    source: string;
    csv: boolean;
    delimiter: Delimiter;
}

/** True for the engine running out of memory, wherever it happens. */
export function isOutOfMemory(error: unknown): boolean {
    return /Out of Memory Error|could not allocate|failed to allocate/i.test(messageOf(error));
}

export const OUT_OF_MEMORY_ADVICE = 'set MPLAN_MEMORY_LIMIT higher (e.g. MPLAN_MEMORY_LIMIT=4GB; the default is 1GB), or run on a machine with more memory';

/** A read error the runner recognises, as a data problem; undefined for anything else (a value of the wrong type). */
export function readProblem(error: unknown, context: ReadContext): DataProblem | undefined {
    const text = messageOf(error);
    const base = { file: context.file, source: context.source };
    if (isOutOfMemory(error)) return { ...base, message: `out of memory while reading the file: ${OUT_OF_MEMORY_ADVICE}` };
    const lineMatch = /CSV Error on Line: (\d+)/.exec(text);
    const line = lineMatch ? Number(lineMatch[1]) : undefined;
    const at = line !== undefined ? { line, row: line - 1 } : {};
    if (/Invalid unicode|not utf-8 encoded/i.test(text)) {
        return { ...base, ...at, message: 'the file is not UTF-8 text (Latin-1 or Windows-1252, perhaps): convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8 in.csv > out.csv`' };
    }
    const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
    if (columns) {
        return { ...base, ...at, message: fieldCountMessage(Number(columns[2]), Number(columns[1]), context.csv ? context.delimiter : undefined) };
    }
    if (/unterminated quote/i.test(text)) {
        return { ...base, ...at, message: 'a quote (") opens in this row and is never closed; close it, or double quotes inside a quoted field ("")' };
    }
    if (/Error when sniffing file/i.test(text)) {
        const found = context.csv ? locate(context) : undefined;
        if (found) return { ...base, line: found.line, row: found.line - 1, message: found.message };
        return { ...base, message: 'the file does not parse as CSV near its top: check that quotes are closed and that every row has as many fields as the header' };
    }
    return undefined;
}

function locate(context: ReadContext): { line: number; message: string } | undefined {
    try {
        return locateCsvProblem(readHead(context.readPath), context.delimiter);
    } catch {
        return undefined;
    }
}

export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
