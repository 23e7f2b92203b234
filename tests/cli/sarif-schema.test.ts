// `mplan check --format sarif` validates against the SARIF 2.1.0 JSON schema: OASIS's own schema file
// (sarif-2.1.0-rtm.5.json, as shipped in @microsoft/jest-sarif), never a hand-written subset. The schema is draft-04;
// Ajv 8 reads it as draft-07 once its top-level `id` is named `$id` (nothing else in it differs between the drafts:
// no boolean exclusiveMinimum/Maximum), with the three formats it uses checked here.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, removeDir, runCli, UNRESOLVED_PLAN, VALID_PLAN, PEOPLE_CSV, NO_DEADLINE_PLAN } from './helpers.js';

const require = createRequire(import.meta.url);

/** The official schema, from the dev dependency @microsoft/jest-sarif. */
const schema: Record<string, unknown> = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

function validator() {
    const { $schema: _, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat('uri', value => /^[A-Za-z][A-Za-z\d+.-]*:/.test(value) && URL.canParse(value));
    ajv.addFormat('uri-reference', value => URL.canParse(value, 'file:///base/'));
    ajv.addFormat('date-time', value => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value));
    return ajv.compile({ $id: id, ...rest });
}

let dir: string;
beforeAll(() => {
    assertBuilt();
    dir = makeTempDir({ 'ok.mplan': VALID_PLAN, 'people.csv': PEOPLE_CSV, 'broken/unresolved.mplan': UNRESOLVED_PLAN, 'broken/no-deadline.mplan': NO_DEADLINE_PLAN, 'broken/data.csv': 'x' });
});
afterAll(() => removeDir(dir));

describe('mplan check --format sarif against the SARIF 2.1.0 schema', () => {
    it('is a valid SARIF log with results, and without', async () => {
        const validate = validator();
        // The schema itself must catch a broken log, or the check below proves nothing.
        expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
        for (const args of [['broken', 'broken/data.csv'], ['ok.mplan']]) {
            const result = await runCli(['check', ...args, '--format', 'sarif'], dir);
            const log = JSON.parse(result.stdout);
            const valid = validate(log);
            expect(valid, JSON.stringify(validate.errors, null, 2)).toBe(true);
            const results = log.runs[0].results as unknown[];
            if (args[0] !== 'broken') {
                expect(results).toEqual([]);
                continue;
            }
            expect(results.length).toBeGreaterThanOrEqual(3);
            // A level SARIF does not know makes the same log invalid.
            (log.runs[0].results[0] as { level: string }).level = 'fatal';
            expect(validate(log)).toBe(false);
        }
    });
});
