// Syntax errors in the plan's words: a misspelt keyword gets "did you mean", is read as the keyword it meant so the
// rest of the file keeps its meaning (no errors about names that are declared), and over-deep nesting is reported
// on its own line. Each test counts every diagnostic of its file: one mistake, one error.
import { describe, expect, it } from 'vitest';
import { check, describeDiagnostics, expectCode, HEADER, lineOf, plan } from './helpers.js';

/** Errors and warnings (infos left out), as `line [code]` lines. */
function problems(result: Awaited<ReturnType<typeof check>>): string[] {
    return result.diagnostics.filter(d => d.severity === 1 || d.severity === 2).map(d => `${d.range.start.line + 1} [${d.code}]`);
}

const CAMPAIGN = `  campaign winback {
    audience loyal
    channel email
    runs 2026-05-01 to 2026-05-31
    control 10% seed "w"
    goal lift(responded) >= 10% by 2026-07-01
  }`;

describe('misspelt keywords', () => {
    it('objective retension: did you mean `retention`, and the objective is read as retention', async () => {
        const text = plan(CAMPAIGN).replace('objective retention', 'objective retension');
        const result = await check(text);
        const [error] = expectCode(result, 'syntax-error', 'error', 'objective', /^Unexpected `retension`: did you mean `retention`\?/);
        // The error covers the misspelt word exactly.
        expect(error.range.start.character).toBe(12);
        expect(error.range.end.character).toBe(21);
        expect(problems(result)).toEqual([`${lineOf(text, 'objective')} [syntax-error]`]);
        // Read as meant: no plan-missing-objective, and the value is the keyword.
        expect(result.model.plans[0].settings.map(s => (s as { objective?: string }).objective)).toContain('retention');
    });

    for (const [wrong, right, replace] of [
        ['segmnet', 'segment', (t: string) => t.replace('  segment loyal', '  segmnet loyal')],
        ['campain', 'campaign', (t: string) => t.replace('  campaign winback', '  campain winback')],
        ['audiance', 'audience', (t: string) => t.replace('    audience loyal', '    audiance loyal')],
        ['contcat', 'contact', (t: string) => t.replace('cost 0.10 per contact', 'cost 0.10 per contcat')]
    ] as const) {
        it(`${wrong}: did you mean \`${right}\`, and nothing else in the file is wrong`, async () => {
            const text = replace(plan(CAMPAIGN));
            expect(text).toContain(wrong);
            const result = await check(text);
            expectCode(result, 'syntax-error', 'error', wrong, `did you mean \`${right}\`?`);
            expect(problems(result), describeDiagnostics(result.diagnostics)).toEqual([`${lineOf(text, wrong)} [syntax-error]`]);
        });
    }

    it('a mistyped column type (age: nubmer) leaves the column declared, typed and its neighbours intact', async () => {
        const text = plan(`  segment old = shoppers.age > 50 and shoppers.joined < 2020-01-01\n${CAMPAIGN}`).replace('age: number', 'age: nubmer');
        const result = await check(text);
        expectCode(result, 'syntax-error', 'error', 'nubmer', 'did you mean `number`?');
        // No unresolved `age` or `joined` (the column after it), no type-mismatch on `age > 50`.
        expect(problems(result), describeDiagnostics(result.diagnostics)).toEqual([`${lineOf(text, 'nubmer')} [syntax-error]`]);
    });

    it('several misspellings: one error each, and the file still links', async () => {
        const text = plan(CAMPAIGN).replace('  segment loyal', '  segmnet loyal').replace('  campaign winback', '  campain winback').replace('audience loyal', 'audiance loyal');
        const result = await check(text);
        expect(problems(result), describeDiagnostics(result.diagnostics)).toEqual(
            ['segmnet', 'campain', 'audiance'].map(word => `${lineOf(text, word)} [syntax-error]`));
    });

    it('a word that is no keyword gets no suggestion', async () => {
        const result = await check(plan(CAMPAIGN).replace('  segment loyal', '  zzzzzz loyal'));
        const errors = result.diagnostics.filter(d => d.code === 'syntax-error');
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e.message).not.toMatch(/did you mean/);
    });
});

describe('after a syntax error the rest of the file still links', () => {
    it('an unknown statement in a plan does not make later declarations unknown', async () => {
        const text = `${HEADER}  frobnicate 12\n  segment recent = value.r >= 4 and loyal\n${CAMPAIGN.replace('audience loyal', 'audience recent')}\n}\n`;
        const result = await check(text);
        expect(result.diagnostics.filter(d => d.code === 'unresolved-reference'), describeDiagnostics(result.diagnostics)).toEqual([]);
        expectCode(result, 'syntax-error', 'error', 'frobnicate');
    });
});

describe('nesting too deep for the parser', () => {
    for (const [what, expression] of [
        ['parentheses', `${'('.repeat(2000)}shoppers.age > 1${')'.repeat(2000)}`],
        ['nots', `${'not '.repeat(5000)}loyal`],
        ['minus signs', `${'- '.repeat(5000)}1 > 0`]
    ]) {
        it(`${what}: one error on the offending line, and the rest of the file is read`, async () => {
            const text = plan(`  segment deep =\n    ${expression}\n  segment after = loyal and shoppers.age > 3\n${CAMPAIGN.replace('audience loyal', 'audience after')}`);
            const result = await check(text);
            const line = lineOf(text, what === 'parentheses' ? '((((' : what === 'nots' ? 'not not' : '- - -');
            const [error] = expectCode(result, 'syntax-error', 'error', line, /nests too deeply/);
            expect(error.range.start.character).toBeGreaterThan(4);
            expect(problems(result), describeDiagnostics(result.diagnostics)).toEqual([`${line} [syntax-error]`]);
        });
    }
});
