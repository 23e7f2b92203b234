// Langium reports a crashing validation check with console.error and a stack trace, then carries on. The CLI keeps
// its output clean: such messages are collected and shown as one `mplan: internal error: ...` line each.
import { inspect } from 'node:util';

export interface Guarded<T> {
    value: T;
    /** One line per internal problem that was logged while `work` ran. */
    internalErrors: string[];
}

export async function withConsoleGuard<T>(work: () => Promise<T>): Promise<Guarded<T>> {
    // MPLAN_DEBUG=1 leaves the console alone, stacks included, for whoever debugs the language itself.
    if (process.env.MPLAN_DEBUG) return { value: await work(), internalErrors: [] };
    const internalErrors: string[] = [];
    const collect = (...args: unknown[]) => {
        const text = args.map(a => (a instanceof Error ? a.message : typeof a === 'string' ? a : inspect(a))).join(' ');
        // Langium logs `err.stack` on its own after the message: skip it, the message line already says it.
        if (/\n\s+at /.test(text)) return;
        const line = text.split(/\r?\n/)[0].trim();
        if (line && !internalErrors.includes(line)) internalErrors.push(line);
    };
    const saved = console.error;
    console.error = collect;
    try {
        return { value: await work(), internalErrors };
    } finally {
        console.error = saved;
    }
}
