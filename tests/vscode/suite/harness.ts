// A small test harness for the extension host (no mocha): tests run in order, each with a timeout; results go to
// the console (which the runners forward) and, when MPLAN_TEST_RESULTS names a file, to that file as JSON.
import * as fs from 'node:fs';

interface TestCase {
    name: string;
    fn: () => Promise<void> | void;
    timeoutMs: number;
}

const tests: TestCase[] = [];

export function test(name: string, fn: () => Promise<void> | void, timeoutMs = 60_000): void {
    tests.push({ name, fn, timeoutMs });
}

export function log(...args: unknown[]): void {
    console.log('[mplan-test]', ...args);
}

export async function sleep(ms: number): Promise<void> {
    await new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls until `probe` returns a value other than undefined/false, or fails with `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined && value !== false) return value as T;
        } catch (error) {
            last = error;
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
        await sleep(150);
    }
}

export interface TestResult {
    name: string;
    ok: boolean;
    ms: number;
    error?: string;
}

/** Runs the tests `only` selects (default: all) in order. */
export async function runAll(only: (name: string) => boolean = () => true): Promise<{ passed: number; failed: number; results: TestResult[] }> {
    const results: TestResult[] = [];
    for (const t of tests.filter(t => only(t.name))) {
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        try {
            await Promise.race([
                Promise.resolve().then(t.fn),
                new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout after ${t.timeoutMs} ms`)), t.timeoutMs); })
            ]);
            results.push({ name: t.name, ok: true, ms: Date.now() - started });
            log(`ok   ${t.name} (${Date.now() - started} ms)`);
        } catch (error) {
            const message = (error as Error)?.stack ?? String(error);
            results.push({ name: t.name, ok: false, ms: Date.now() - started, error: message });
            log(`FAIL ${t.name}: ${message}`);
        } finally {
            if (timer) clearTimeout(timer);
        }
    }
    const passed = results.filter(r => r.ok).length;
    const failed = results.length - passed;
    log(`${passed} passed, ${failed} failed`);
    const file = process.env.MPLAN_TEST_RESULTS;
    if (file) fs.writeFileSync(file, JSON.stringify({ passed, failed, results }, null, 2));
    return { passed, failed, results };
}
