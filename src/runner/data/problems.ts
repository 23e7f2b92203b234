// Data problems: what is wrong, where (file, row, column) and with which value. Any of them stops the run before
// anything is written.
import * as path from 'node:path';

export interface DataProblem {
    /** Absolute path of the data file. */
    file: string;
    /** The plan's source name. */
    source: string;
    /** 1-based data row (the header is not a row); for CSV files the line is row + 1. */
    row?: number;
    line?: number;
    column?: string;
    value?: string;
    message: string;
}

export class DataProblems extends Error {
    constructor(readonly problems: DataProblem[]) {
        super(problems.map(p => formatProblem(p)).join('\n'));
    }
}

/** `data/orders.csv:42: column "amount": "12,50" is not a number (source orders)`. */
export function formatProblem(problem: DataProblem, cwd: string = process.cwd()): string {
    const file = path.relative(cwd, problem.file) || problem.file;
    const where = problem.line !== undefined ? `${file}:${problem.line}` : problem.row !== undefined ? `${file}: row ${problem.row}` : file;
    const column = problem.column !== undefined ? `column "${problem.column}": ` : '';
    return `${where}: error: ${column}${problem.message} [source ${problem.source}]`;
}

/** Shown values are cut short: a data problem should fit on a line. */
export function shortValue(value: unknown): string {
    const text = String(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
